resource "aws_db_parameter_group" "karte" {
  name   = "${local.prefix}-pg16"
  family = "postgres16"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # pgaudit: loaded, and logging reads, writes and DDL (SAN-LOG-007)
  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements,pgaudit"
    apply_method = "pending-reboot"
  }

  parameter {
    name  = "pgaudit.log"
    value = "read,write,ddl"
  }
}

# sansho:ignore SAN-BKP-005 reason="3-day PITR accepted until the Osaka replica is live (change CAB-2026-114)" until=2026-12-31
resource "aws_db_instance" "karte" {
  identifier                      = "${local.prefix}-karte"
  engine                          = "postgres"
  engine_version                  = "16.3"
  instance_class                  = "db.r6g.large"
  allocated_storage               = 200
  username                        = "karte_admin"
  password                        = var.db_password
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.database.arn
  parameter_group_name            = aws_db_parameter_group.karte.name
  publicly_accessible             = false
  backup_retention_period         = var.db_backup_retention_days
  vpc_security_group_ids          = [aws_security_group.db.id]
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${local.prefix}-karte-final"
  enabled_cloudwatch_logs_exports = ["postgresql"]
  tags                            = local.common_tags
}

# The lab system's MySQL: audited through the MariaDB audit plugin, its audit log exported.
resource "aws_db_option_group" "lab_audit" {
  name                 = "${local.prefix}-lab-audit"
  engine_name          = "mysql"
  major_engine_version = "8.0"

  option {
    option_name = "MARIADB_AUDIT_PLUGIN"

    option_settings {
      name  = "SERVER_AUDIT_EVENTS"
      value = "CONNECT,QUERY"
    }
  }
}

resource "aws_db_parameter_group" "lab" {
  name   = "${local.prefix}-mysql8"
  family = "mysql8.0"

  parameter {
    name  = "require_secure_transport"
    value = "1"
  }
}

resource "aws_db_instance" "lab" {
  identifier                      = "${local.prefix}-lab"
  engine                          = "mysql"
  engine_version                  = "8.0.39"
  instance_class                  = "db.t4g.medium"
  allocated_storage               = 50
  username                        = "lab_admin"
  password                        = var.db_password
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.database.arn
  parameter_group_name            = aws_db_parameter_group.lab.name
  option_group_name               = aws_db_option_group.lab_audit.name
  publicly_accessible             = false
  backup_retention_period         = 14
  vpc_security_group_ids          = [aws_security_group.db.id]
  skip_final_snapshot             = true
  enabled_cloudwatch_logs_exports = ["audit", "error"]
  tags                            = local.common_tags
}

# The analytics replica someone made public for a BI tool, without encryption.
resource "aws_rds_cluster" "analytics" {
  cluster_identifier      = "${local.prefix}-analytics"
  engine                  = "aurora-mysql"
  master_username         = "analytics"
  master_password         = var.db_password
  storage_encrypted       = false
  backup_retention_period = 1
  tags                    = local.common_tags
}

resource "aws_rds_cluster_instance" "analytics" {
  identifier          = "${local.prefix}-analytics-1"
  cluster_identifier  = aws_rds_cluster.analytics.id
  instance_class      = "db.r6g.large"
  engine              = aws_rds_cluster.analytics.engine
  publicly_accessible = true
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "ap-northeast-1a"
  size              = 100
  # encrypted omitted: AWS default is unencrypted unless account-level EBS encryption is on
}

resource "aws_ebs_volume" "pacs" {
  availability_zone = "ap-northeast-1c"
  size              = 2000
  encrypted         = true
  kms_key_id        = aws_kms_key.records.arn
}
