"""RDS for PostgreSQL: encrypted with the data key, in the data subnets only, Multi-AZ, automated
backups kept, deletion protection on, and a parameter group that refuses non-TLS connections and
loads pgaudit, whose records reach CloudWatch Logs through the exported postgresql log (SAN-LOG-007)."""

from __future__ import annotations

import pulumi_aws as aws

from .kms import Keys
from .network import Network
from .providers import Providers
from .settings import Settings
from .tags import tags


def make(s: Settings, p: Providers, keys: Keys, net: Network) -> aws.rds.Instance:
    family = f"postgres{s.db_engine_version.split('.')[0]}"
    params = aws.rds.ParameterGroup(
        "postgres-ssl",
        # named, so the instance names it before `up` and a preview (and sansho) can follow the link
        name=f"{s.prefix}-postgres-tls-audit",
        family=family,
        description="TLS only (rds.force_ssl), pgaudit",
        parameters=[
            {"name": "rds.force_ssl", "value": "1", "apply_method": "pending-reboot"},
            {"name": "log_connections", "value": "1"},
            {"name": "log_disconnections", "value": "1"},
            # who read or changed which record: the database's own access log
            {"name": "shared_preload_libraries", "value": "pg_stat_statements,pgaudit",
             "apply_method": "pending-reboot"},
            {"name": "pgaudit.log", "value": "read,write,ddl,role"},
            {"name": "pgaudit.log_parameter", "value": "0"},  # keep patient values out of the log
        ],
        tags=tags(s, classification="internal", purpose="database-config", retention="none", backup="none"),
        opts=p.opts(),
    )
    subnets = aws.rds.SubnetGroup(
        "data-subnets",
        subnet_ids=[sn.id for sn in net.data_subnets],
        tags=tags(s, classification="internal", purpose="network", retention="none", backup="none"),
        opts=p.opts(),
    )
    return aws.rds.Instance(
        "medical-db",
        identifier=f"{s.prefix}-medical-db",
        engine="postgres",
        engine_version=s.db_engine_version,
        instance_class=s.db_instance_class,
        allocated_storage=100,
        max_allocated_storage=500,
        storage_type="gp3",
        storage_encrypted=True,
        kms_key_id=keys.data.arn,
        multi_az=True,
        publicly_accessible=False,
        db_subnet_group_name=subnets.name,
        vpc_security_group_ids=[net.sg_data.id],
        parameter_group_name=params.name,
        backup_retention_period=s.db_backup_retention_days,
        backup_window="17:00-18:00",
        maintenance_window="sun:18:30-sun:19:30",
        deletion_protection=True,
        copy_tags_to_snapshot=True,
        skip_final_snapshot=False,
        final_snapshot_identifier=f"{s.prefix}-medical-db-final",
        username="karte_admin",
        manage_master_user_password=True,
        iam_database_authentication_enabled=True,
        enabled_cloudwatch_logs_exports=["postgresql"],
        auto_minor_version_upgrade=True,
        tags=tags(
            s,
            classification="medical-record",
            purpose="electronic-medical-records-db",
            retention=f"{s.db_backup_retention_days}d-pitr",
            backup="daily",
            medical=True,
        ),
        opts=p.opts(),
    )
