"""Stack configuration, read once, with the defaults of Pulumi.dev.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

# sansho's defaults (sansho.policies.config.TagKeys) and SAN-LOC-004's required_tags.
DEFAULT_TAG_KEYS = {
    "medical": "sansho:medical",
    "purpose": "sansho:purpose",
    "zone": "sansho:zone",
    "dataClassification": "data-classification",
    "storagePurpose": "storage-purpose",
    "retention": "retention",
    "backupFrequency": "backup-frequency",
    "records": "sansho-records",  # SAN-REC-001 records_tag_key
}


@dataclass(frozen=True)
class Settings:
    prefix: str
    primary_region: str
    copy_region: str
    azs: list[str]
    vpc_cidr: str
    public_cidrs: list[str]
    app_cidrs: list[str]
    data_cidrs: list[str]
    records_retention_days: int
    log_retention_days: int
    object_lock: bool
    db_backup_retention_days: int
    db_engine_version: str
    db_instance_class: str
    backup_retention: dict[str, int]
    isolated_vault_arn: str | None
    break_glass_principals: list[str]
    alarm_email: str | None
    tag_keys: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TAG_KEYS))


def load() -> Settings:
    c = pulumi.Config()
    primary = c.get("primaryRegion") or "ap-northeast-1"
    azs = c.get_object("availabilityZones") or ["a", "c"]
    if len(azs) != 2:
        raise ValueError("availabilityZones: give exactly two AZ suffixes, e.g. [a, c]")
    retention = {"daily": 35, "weekly": 91, "monthly": 366, **(c.get_object("backupRetention") or {})}
    return Settings(
        prefix=c.get("prefix") or f"karte-{pulumi.get_stack()}",
        primary_region=primary,
        copy_region=c.get("copyRegion") or "ap-northeast-3",
        azs=[f"{primary}{s}" for s in azs],
        vpc_cidr=c.get("vpcCidr") or "10.20.0.0/16",
        public_cidrs=c.get_object("publicCidrs") or ["10.20.0.0/24", "10.20.1.0/24"],
        app_cidrs=c.get_object("appCidrs") or ["10.20.10.0/24", "10.20.11.0/24"],
        data_cidrs=c.get_object("dataCidrs") or ["10.20.20.0/24", "10.20.21.0/24"],
        records_retention_days=c.get_int("recordsRetentionDays") or 1825,
        log_retention_days=c.get_int("logRetentionDays") or 1825,
        object_lock=c.get_bool("objectLock") if c.get_bool("objectLock") is not None else True,
        db_backup_retention_days=c.get_int("dbBackupRetentionDays") or 35,
        db_engine_version=c.get("dbEngineVersion") or "16.4",
        db_instance_class=c.get("dbInstanceClass") or "db.m7g.large",
        backup_retention={k: int(v) for k, v in retention.items()},
        isolated_vault_arn=c.get("isolatedBackupVaultArn"),
        break_glass_principals=c.get_object("breakGlassPrincipals") or [],
        alarm_email=c.get("alarmEmail"),
        tag_keys={**DEFAULT_TAG_KEYS, **(c.get_object("tagKeys") or {})},
    )
