"""Stack configuration, read once, with the defaults of Pulumi.dev.yaml; and the resource groups."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_azure_native as azure

from .tags import tags

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
DEFAULT_SUBNETS = {"bastion": "10.30.0.0/26", "app": "10.30.10.0/24", "data": "10.30.20.0/24",
                   "general": "10.30.30.0/24"}


@dataclass(frozen=True)
class Settings:
    prefix: str
    primary: str
    copy: str
    tenant_id: str
    storage_sku: str
    allow_public_access: bool
    key_rotation_days: int
    immutability: str
    log_immutability: str
    records_retention_days: int
    log_retention_days: int
    vnet_cidr: str
    subnets: dict[str, str]
    admin_sources: list[str]
    sql_backup_retention_days: int
    sql_backup_redundancy: str
    vault_redundancy: str
    break_glass_object_id: str | None
    break_glass_upn: str | None
    alert_email: str | None
    tag_keys: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TAG_KEYS))


def _int(c: pulumi.Config, key: str, default: int) -> int:
    v = c.get_int(key)
    return default if v is None else v


def load() -> Settings:
    c = pulumi.Config()
    public = c.get_bool("allowPublicAccess")
    return Settings(
        prefix=c.get("prefix") or f"karte{pulumi.get_stack()}",
        primary=c.get("primaryLocation") or "japaneast",
        copy=c.get("copyLocation") or "japanwest",
        tenant_id=c.require("tenantId"),
        storage_sku=c.get("storageSku") or "Standard_GZRS",
        allow_public_access=bool(public),
        key_rotation_days=_int(c, "keyRotationDays", 365),
        immutability=c.get("immutability") or "Locked",
        log_immutability=c.get("logImmutability") or "Locked",
        records_retention_days=_int(c, "recordsRetentionDays", 1825),
        log_retention_days=_int(c, "logRetentionDays", 1825),
        vnet_cidr=c.get("vnetCidr") or "10.30.0.0/16",
        subnets={**DEFAULT_SUBNETS, **(c.get_object("subnets") or {})},
        admin_sources=c.get_object("adminSourcePrefixes") or [DEFAULT_SUBNETS["bastion"]],
        sql_backup_retention_days=_int(c, "sqlBackupRetentionDays", 35),
        sql_backup_redundancy=c.get("sqlBackupRedundancy") or "Geo",
        vault_redundancy=c.get("backupVaultRedundancy") or "GeoRedundant",
        break_glass_object_id=c.get("breakGlassObjectId"),
        break_glass_upn=c.get("breakGlassUpn"),
        alert_email=c.get("alertEmail"),
        tag_keys={**DEFAULT_TAG_KEYS, **(c.get_object("tagKeys") or {})},
    )


@dataclass(frozen=True)
class Groups:
    primary: azure.resources.ResourceGroup
    copy: azure.resources.ResourceGroup


def resource_groups(s: Settings) -> Groups:
    infra = tags(s, classification="internal", purpose="infrastructure", retention="none", backup="none")
    return Groups(
        primary=azure.resources.ResourceGroup("primary", resource_group_name=f"{s.prefix}-rg",
                                              location=s.primary, tags=infra),
        copy=azure.resources.ResourceGroup("copy", resource_group_name=f"{s.prefix}-copy-rg",
                                           location=s.copy, tags=infra),
    )
