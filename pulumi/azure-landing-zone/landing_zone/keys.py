"""A Key Vault (RBAC, purge protection, no public network access) and the customer-managed keys of
the data stores, each with a rotation policy (SAN-ENC-006)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_azure_native as azure

from .settings import Groups, Settings
from .tags import tags


@dataclass(frozen=True)
class Keys:
    vault: azure.keyvault.Vault
    data: azure.keyvault.Key
    logs: azure.keyvault.Key


def _rotation(s: Settings) -> dict:
    """Rotate every keyRotationDays (0: no rotate action, only a notice before expiry)."""
    actions = [{"action": {"type": "notify"}, "trigger": {"time_before_expiry": "P30D"}}]
    if s.key_rotation_days:
        actions.insert(0, {"action": {"type": "rotate"}, "trigger": {"time_after_create": f"P{s.key_rotation_days}D"}})
    return {"attributes": {"expiry_time": f"P{max(s.key_rotation_days, 365) + 30}D"}, "lifetime_actions": actions}


def make(s: Settings, g: Groups) -> Keys:
    t = tags(s, classification="confidential", purpose="encryption-keys", retention="none", backup="none")
    vault = azure.keyvault.Vault(
        "key-vault",
        vault_name=f"{s.prefix}-kv",
        resource_group_name=g.primary.name,
        location=s.primary,
        properties={
            "tenant_id": s.tenant_id,
            "sku": {"family": "A", "name": "premium"},
            "enable_rbac_authorization": True,
            "enable_purge_protection": True,
            "enable_soft_delete": True,
            "soft_delete_retention_in_days": 90,
            "public_network_access": "Disabled",
            "network_acls": {"default_action": "Deny", "bypass": "AzureServices"},
        },
        tags=t,
    )

    def key(name: str) -> azure.keyvault.Key:
        return azure.keyvault.Key(
            f"{name}-key",
            key_name=f"{s.prefix}-{name}",
            vault_name=vault.name,
            resource_group_name=g.primary.name,
            properties={"kty": "RSA-HSM", "key_size": 3072, "key_ops": ["wrapKey", "unwrapKey"],
                        "rotation_policy": _rotation(s)},
            tags=t,
        )

    return Keys(vault=vault, data=key("data"), logs=key("logs"))
