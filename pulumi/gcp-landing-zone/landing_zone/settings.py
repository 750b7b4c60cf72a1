"""Stack configuration, read once, with the defaults of Pulumi.dev.yaml; the explicit provider; labels."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp

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
DEFAULT_SUBNETS = {"app": "10.40.10.0/24", "data": "10.40.20.0/24", "general": "10.40.30.0/24"}
IAP_RANGE = "35.235.240.0/20"  # Identity-Aware Proxy TCP forwarding


@dataclass(frozen=True)
class Settings:
    project: str
    prefix: str
    primary: str
    copy: str
    storage_location: str
    allow_public_access: bool
    key_rotation_days: int
    records_retention_days: int
    log_retention_days: int
    lock_retention: bool
    lock_log_retention: bool
    subnets: dict[str, str]
    admin_sources: list[str]
    sql_backup_retention_days: int
    sql_tier: str
    break_glass_user: str | None
    alert_email: str | None
    tag_keys: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TAG_KEYS))


def _int(c: pulumi.Config, key: str, default: int) -> int:
    v = c.get_int(key)
    return default if v is None else v


def _bool(c: pulumi.Config, key: str, default: bool) -> bool:
    v = c.get_bool(key)
    return default if v is None else v


def load() -> Settings:
    c = pulumi.Config()
    return Settings(
        project=c.require("project"),
        prefix=c.get("prefix") or f"karte-{pulumi.get_stack()}",
        primary=c.get("primaryRegion") or "asia-northeast1",
        copy=c.get("copyRegion") or "asia-northeast2",
        storage_location=c.get("storageLocation") or "ASIA1",
        allow_public_access=_bool(c, "allowPublicAccess", False),
        key_rotation_days=_int(c, "keyRotationDays", 90),
        records_retention_days=_int(c, "recordsRetentionDays", 1825),
        log_retention_days=_int(c, "logRetentionDays", 1825),
        lock_retention=_bool(c, "lockRetention", True),
        lock_log_retention=_bool(c, "lockLogRetention", True),
        subnets={**DEFAULT_SUBNETS, **(c.get_object("subnets") or {})},
        admin_sources=c.get_object("adminSourceRanges") or [IAP_RANGE],
        sql_backup_retention_days=_int(c, "sqlBackupRetentionDays", 35),
        sql_tier=c.get("sqlTier") or "db-custom-2-7680",
        break_glass_user=c.get("breakGlassUser"),
        alert_email=c.get("alertEmail"),
        tag_keys={**DEFAULT_TAG_KEYS, **(c.get_object("tagKeys") or {})},
    )


def label_key(key: str) -> str:
    """A tag key as a GCP label key (a-z 0-9 _ -), as sansho reads it (sansho:medical → sansho_medical)."""
    return re.sub(r"[^a-z0-9_-]", "_", key.strip().lower())


def labels(s: Settings, *, classification: str, purpose: str, retention: str, backup: str,
           medical: bool = False, **extra: str) -> dict[str, str]:
    """The labels the guideline asks every data store to carry (classification, purpose, retention,
    backup frequency) and the ones sansho reads (medical information, zone, finalised records)."""
    k = s.tag_keys
    out = {k["dataClassification"]: classification, k["storagePurpose"]: purpose, k["retention"]: retention,
           k["backupFrequency"]: backup, k["medical"]: "true" if medical else "false",
           **{k.get(key, key): v for key, v in extra.items()}}
    return {label_key(key): v for key, v in out.items()}


def provider(s: Settings) -> gcp.Provider:
    """One explicit provider, so no resource depends on the operator's gcloud defaults."""
    return gcp.Provider("primary", project=s.project, region=s.primary,
                        default_labels=labels(s, classification="internal", purpose="infrastructure",
                                              retention="none", backup="none") | {"managed-by": "pulumi"})


def opts(p: gcp.Provider, **kw) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(provider=p, **kw)
