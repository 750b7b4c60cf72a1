"""Azure SQL: Entra-only authentication, no public network access (a private endpoint in the data
subnet), TLS 1.2, a customer-managed TDE key, point-in-time backups kept sqlBackupRetentionDays and
stored geo-redundantly (the pair region in Japan), and server auditing to the write-once log account."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_azure_native as azure

from .keys import Keys
from .network import Network
from .settings import Groups, Settings
from .storage import Accounts
from .tags import tags

# What the server audit records: every batch, and successful and failed logins (Azure's default set),
# plus permission and role changes.
AUDIT_GROUPS = [
    "BATCH_COMPLETED_GROUP",
    "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP",
    "FAILED_DATABASE_AUTHENTICATION_GROUP",
    "DATABASE_PERMISSION_CHANGE_GROUP",
    "DATABASE_ROLE_MEMBER_CHANGE_GROUP",
]


@dataclass(frozen=True)
class Sql:
    server: azure.sql.Server
    database: azure.sql.Database


def make(s: Settings, g: Groups, kv: Keys, net: Network, accounts: Accounts) -> Sql:
    t = tags(s, classification="medical-confidential", purpose="medical-records", retention="5y", backup="daily",
             medical=True, zone="medical")
    identity = azure.managedidentity.UserAssignedIdentity(
        "sql-identity", resource_name_=f"{s.prefix}-sql-id", resource_group_name=g.primary.name, location=s.primary)
    server = azure.sql.Server(
        "sql-server",
        server_name=f"{s.prefix}-sql",
        resource_group_name=g.primary.name,
        location=s.primary,
        version="12.0",
        minimal_tls_version="1.2",
        public_network_access="Disabled",
        restrict_outbound_network_access="Enabled",
        identity={"type": "UserAssigned", "user_assigned_identities": [identity.id]},
        primary_user_assigned_identity_id=identity.id,
        key_id=kv.data.key_uri_with_version,
        administrators={"azure_ad_only_authentication": True, "administrator_type": "ActiveDirectory",
                        "login": "sql-admins", "sid": s.break_glass_object_id or s.tenant_id, "tenant_id": s.tenant_id},
        tags=t,
    )
    database = azure.sql.Database(
        "medical-db",
        database_name="karte",
        server_name=server.name,
        resource_group_name=g.primary.name,
        location=s.primary,
        sku={"name": "GP_Gen5_2", "tier": "GeneralPurpose"},
        zone_redundant=True,
        requested_backup_storage_redundancy=s.sql_backup_redundancy,
        encryption_protector=kv.data.key_uri_with_version,
        identity={"type": "UserAssigned", "user_assigned_identities": [identity.id]},
        tags=t,
    )
    azure.sql.BackupShortTermRetentionPolicy(
        "medical-db-pitr",
        policy_name="default",
        database_name=database.name,
        server_name=server.name,
        resource_group_name=g.primary.name,
        retention_days=s.sql_backup_retention_days,
        diff_backup_interval_in_hours=12,
    )
    azure.sql.ExtendedServerBlobAuditingPolicy(
        "sql-auditing",
        blob_auditing_policy_name="default",
        server_name=server.name,
        resource_group_name=g.primary.name,
        state="Enabled",
        audit_actions_and_groups=AUDIT_GROUPS,
        storage_endpoint=accounts.logs.primary_endpoints.blob,
        is_managed_identity_in_use=True,
        retention_days=0,  # 0: kept as long as the account's immutability allows, never deleted by SQL
    )
    azure.network.PrivateEndpoint(
        "sql-endpoint",
        private_endpoint_name=f"{s.prefix}-sql-pe",
        resource_group_name=g.primary.name,
        location=s.primary,
        subnet={"id": net.subnet_id("data")},
        private_link_service_connections=[{"name": "sql", "private_link_service_id": server.id,
                                           "group_ids": ["sqlServer"]}],
    )
    return Sql(server=server, database=database)
