"""Cloud SQL for PostgreSQL: private IP only, TLS required, CMEK, regional HA, automated backups and
PITR kept sqlBackupRetentionDays and stored in copyRegion (Osaka), pgaudit on."""

from __future__ import annotations

import pulumi_gcp as gcp

from .keys import Keys
from .network import Network
from .settings import Settings, labels, opts


def make(s: Settings, p: gcp.Provider, kms: Keys, net: Network) -> gcp.sql.DatabaseInstance:
    peering_range = gcp.compute.GlobalAddress("sql-range", name=f"{s.prefix}-sql-range", purpose="VPC_PEERING",
                                              address_type="INTERNAL", prefix_length=20, network=net.vpc.id,
                                              opts=opts(p))
    peering = gcp.servicenetworking.Connection("sql-peering", network=net.vpc.id,
                                               service="servicenetworking.googleapis.com",
                                               reserved_peering_ranges=[peering_range.name], opts=opts(p))
    return gcp.sql.DatabaseInstance(
        "medical-db",
        name=f"{s.prefix}-db",
        region=s.primary,
        database_version="POSTGRES_16",
        encryption_key_name=kms.sql.id,
        deletion_protection=True,
        settings={
            "tier": s.sql_tier,
            "edition": "ENTERPRISE",
            "availability_type": "REGIONAL",
            "user_labels": labels(s, classification="medical-confidential", purpose="medical-records",
                                  retention="5y", backup="daily", medical=True, zone="medical"),
            "ip_configuration": {"ipv4_enabled": False, "private_network": net.vpc.id, "ssl_mode": "ENCRYPTED_ONLY"},
            "backup_configuration": {
                "enabled": True,
                "location": s.copy,
                "point_in_time_recovery_enabled": True,
                "transaction_log_retention_days": 7,
                "backup_retention_settings": {"retained_backups": s.sql_backup_retention_days,
                                              "retention_unit": "COUNT"},
            },
            "database_flags": [
                {"name": "cloudsql.enable_pgaudit", "value": "on"},
                {"name": "pgaudit.log", "value": "read,write,ddl,role"},
                {"name": "log_connections", "value": "on"},
                {"name": "log_disconnections", "value": "on"},
            ],
        },
        opts=opts(p, depends_on=[peering]),
    )
