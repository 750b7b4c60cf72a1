"""Azure Backup (Data Protection) vaults: the primary one geo-redundant (its copy in the pair region)
with cross-region restore, a second one in copyLocation for cross-region copies; both with locked
immutability and always-on soft delete, so no one can delete recovery points early."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_azure_native as azure

from .settings import Groups, Settings
from .tags import tags


@dataclass(frozen=True)
class Vaults:
    primary: azure.dataprotection.BackupVault
    copy: azure.dataprotection.BackupVault


def _vault(s: Settings, name: str, group: azure.resources.ResourceGroup, location: str, redundancy: str,
           t: dict[str, str]) -> azure.dataprotection.BackupVault:
    return azure.dataprotection.BackupVault(
        name,
        vault_name=f"{s.prefix}-{name}",
        resource_group_name=group.name,
        location=location,
        identity={"type": "SystemAssigned"},
        properties={
            "storage_settings": [{"datastore_type": "VaultStore", "type": redundancy}],
            "feature_settings": {"cross_region_restore_settings": {"state": "Enabled"}}
            if redundancy == "GeoRedundant" else None,
            "security_settings": {
                "immutability_settings": {"state": "Locked"},
                "soft_delete_settings": {"state": "AlwaysOn", "retention_duration_in_days": 14},
            },
        },
        tags=t,
    )


def make(s: Settings, g: Groups) -> Vaults:
    t = tags(s, classification="medical-confidential", purpose="backup", retention="1y", backup="daily",
             medical=True, zone="medical")
    return Vaults(
        primary=_vault(s, "backup-vault", g.primary, s.primary, s.vault_redundancy, t),
        copy=_vault(s, "backup-vault-copy", g.copy, s.copy, "LocallyRedundant", t),
    )
