"""The medical-records account and the audit-log account: customer-managed key, geo-zone-redundant
within Japan (the secondary is the pair region), no public network access (a private endpoint in the
data subnet), versioning, and account-level immutability (WORM) with a retention period."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_azure_native as azure

from .keys import Keys
from .network import Network
from .settings import Groups, Settings
from .tags import tags


@dataclass(frozen=True)
class Accounts:
    records: azure.storage.StorageAccount
    logs: azure.storage.StorageAccount


def _account(s: Settings, g: Groups, kv: Keys, net: Network, name: str, key: azure.keyvault.Key,
             immutability: str, retention_days: int, public: bool, t: dict[str, str]) -> azure.storage.StorageAccount:
    acct = azure.storage.StorageAccount(
        f"{name}-account",
        account_name=f"{s.prefix}{name}"[:24],
        resource_group_name=g.primary.name,
        location=s.primary,
        kind="StorageV2",
        sku={"name": s.storage_sku},
        identity={"type": "SystemAssigned"},
        enable_https_traffic_only=True,
        minimum_tls_version="TLS1_2",
        allow_blob_public_access=public,
        allow_shared_key_access=False,
        public_network_access="Enabled" if public else "Disabled",
        network_rule_set={"default_action": "Allow" if public else "Deny", "bypass": "AzureServices"},
        encryption={
            "key_source": "Microsoft.Keyvault",
            "key_vault_properties": {"key_name": key.name, "key_vault_uri": kv.vault.properties.vault_uri},
            "require_infrastructure_encryption": True,
            "services": {"blob": {"enabled": True, "key_type": "Account"}},
        },
        immutable_storage_with_versioning={
            "enabled": immutability != "Disabled",
            "immutability_policy": {
                "state": immutability,
                "immutability_period_since_creation_in_days": retention_days,
                "allow_protected_append_writes": False,
            },
        },
        tags=t,
    )
    azure.storage.BlobServiceProperties(
        f"{name}-blob-service",
        account_name=acct.name,
        resource_group_name=g.primary.name,
        blob_services_name="default",
        is_versioning_enabled=True,
        delete_retention_policy={"enabled": True, "days": 30},
        container_delete_retention_policy={"enabled": True, "days": 30},
    )
    azure.network.PrivateEndpoint(
        f"{name}-blob-endpoint",
        private_endpoint_name=f"{s.prefix}-{name}-blob-pe",
        resource_group_name=g.primary.name,
        location=s.primary,
        subnet={"id": net.subnet_id("data")},
        private_link_service_connections=[{"name": "blob", "private_link_service_id": acct.id, "group_ids": ["blob"]}],
    )
    return acct


def make(s: Settings, g: Groups, kv: Keys, net: Network) -> Accounts:
    years = f"{s.records_retention_days // 365}y"
    records = _account(
        s, g, kv, net, "records", kv.data, s.immutability, s.records_retention_days, s.allow_public_access,
        tags(s, classification="medical-confidential", purpose="medical-records", retention=years, backup="daily",
             medical=True, records="finalised", zone="medical"),
    )
    logs = _account(
        s, g, kv, net, "auditlogs", kv.logs, s.log_immutability, s.log_retention_days, False,
        tags(s, classification="confidential", purpose="audit-logs", retention=f"{s.log_retention_days // 365}y",
             backup="none", records="finalised"),
    )
    return Accounts(records=records, logs=logs)
