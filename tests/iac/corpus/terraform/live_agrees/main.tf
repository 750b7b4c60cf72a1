# One logical estate, described twice: here in Terraform, and in tests/iac/test_live_agrees.py as
# the boto3 calls that deploy it into a moto account. The test judges both and compares.
# Resource names (bucket, DB identifier, security group, key description, trail, vault, plan,
# the Name tag of volumes) are the logical identities the two sides are matched by.

provider "aws" { region = "ap-northeast-1" }
provider "aws" {
  alias  = "osaka"
  region = "ap-northeast-3"
}
provider "aws" {
  alias  = "virginia"
  region = "us-east-1"
}

locals {
  # the storage tags SAN-LOC-004 asks for; `partial` lacks backup-frequency
  medical = { "sansho:medical" = "true", "data-classification" = "medical", "retention" = "5y",
  "backup-frequency" = "daily" }
  partial = { "sansho:medical" = "true", "data-classification" = "medical", "retention" = "5y" }
  records = merge(local.medical, { "sansho-records" = "finalised" })
  logs    = { "sansho:medical" = "false" }
}

# ---- KMS: one key rotated, one never rotated -------------------------------------------------
resource "aws_kms_key" "records" {
  description         = "karte-records"
  enable_key_rotation = true
}
resource "aws_kms_key" "legacy" {
  description = "karte-legacy"
}

# ---- S3: medical records in Tokyo, locked, replicated to Osaka ---------------------------------
resource "aws_s3_bucket" "records" {
  bucket              = "karte-records"
  object_lock_enabled = true
  tags                = local.records
}
resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
  bucket = aws_s3_bucket.records.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.records.arn
    }
  }
}
resource "aws_s3_bucket_versioning" "records" {
  bucket = aws_s3_bucket.records.id
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket_public_access_block" "records" {
  bucket                  = aws_s3_bucket.records.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_policy" "records" {
  bucket = aws_s3_bucket.records.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TlsOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::karte-records", "arn:aws:s3:::karte-records/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
resource "aws_s3_bucket_object_lock_configuration" "records" {
  bucket = aws_s3_bucket.records.id
  rule {
    default_retention {
      mode  = "COMPLIANCE"
      years = 5
    }
  }
}
resource "aws_s3_bucket_replication_configuration" "records" {
  bucket = aws_s3_bucket.records.id
  role   = "arn:aws:iam::424242424242:role/karte-replication"
  rule {
    id     = "dr"
    status = "Enabled"
    filter {}
    delete_marker_replication { status = "Disabled" }
    destination { bucket = aws_s3_bucket.records_osaka.arn }
  }
}

resource "aws_s3_bucket" "records_osaka" {
  provider            = aws.osaka
  bucket              = "karte-records-osaka"
  object_lock_enabled = true
  tags                = local.records
}
# GOVERNANCE mode: a user with s3:BypassGovernanceRetention can delete the records (SAN-REC-001 FAIL)
resource "aws_s3_bucket_object_lock_configuration" "records_osaka" {
  provider = aws.osaka
  bucket   = aws_s3_bucket.records_osaka.id
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 1825
    }
  }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "records_osaka" {
  provider = aws.osaka
  bucket   = aws_s3_bucket.records_osaka.id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
  }
}
resource "aws_s3_bucket_versioning" "records_osaka" {
  provider = aws.osaka
  bucket   = aws_s3_bucket.records_osaka.id
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket_public_access_block" "records_osaka" {
  provider                = aws.osaka
  bucket                  = aws_s3_bucket.records_osaka.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_policy" "records_osaka" {
  provider = aws.osaka
  bucket   = aws_s3_bucket.records_osaka.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TlsOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::karte-records-osaka", "arn:aws:s3:::karte-records-osaka/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

# ---- S3: an export bucket in Virginia, readable by anyone ---------------------------------------
resource "aws_s3_bucket" "export" {
  provider = aws.virginia
  bucket   = "karte-export"
  tags     = local.partial
}
resource "aws_s3_bucket_server_side_encryption_configuration" "export" {
  provider = aws.virginia
  bucket   = aws_s3_bucket.export.id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
  }
}
resource "aws_s3_bucket_policy" "export" {
  provider = aws.virginia
  bucket   = aws_s3_bucket.export.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::karte-export/*" }]
  })
}

# ---- CloudTrail: a multi-region trail into a locked bucket; an Osaka trail without either ---------
resource "aws_s3_bucket" "trail_logs" {
  bucket              = "karte-trail-logs"
  object_lock_enabled = true
  tags                = local.logs
}
resource "aws_s3_bucket_object_lock_configuration" "trail_logs" {
  bucket = aws_s3_bucket.trail_logs.id
  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 3650
    }
  }
}
resource "aws_cloudtrail" "main" {
  name                       = "karte-trail"
  s3_bucket_name             = aws_s3_bucket.trail_logs.id
  is_multi_region_trail      = true
  enable_log_file_validation = true
}

resource "aws_s3_bucket" "osaka_logs" {
  provider = aws.osaka
  bucket   = "karte-osaka-trail-logs"
  tags     = local.logs
}
resource "aws_cloudtrail" "osaka" {
  provider       = aws.osaka
  name           = "karte-osaka-trail"
  s3_bucket_name = aws_s3_bucket.osaka_logs.id
}

# ---- RDS: an unencrypted public database with 1 day of backups; an encrypted private one in Osaka
#      with TLS forced and pgaudit exported
resource "aws_db_instance" "karte" {
  identifier              = "karte"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 20
  storage_encrypted       = false
  publicly_accessible     = true
  backup_retention_period = 1
  parameter_group_name    = aws_db_parameter_group.tokyo_plain.name
  tags                    = local.partial
}
resource "aws_db_parameter_group" "tokyo_plain" {
  name   = "karte-pg-plain"
  family = "postgres16"
  parameter {
    name  = "rds.force_ssl"
    value = "0"
  }
}

resource "aws_db_parameter_group" "osaka_tls" {
  provider = aws.osaka
  name     = "karte-pg-tls"
  family   = "postgres16"
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name         = "shared_preload_libraries"
    value        = "pgaudit"
    apply_method = "pending-reboot"
  }
  parameter {
    name  = "pgaudit.log"
    value = "read,write,ddl"
  }
}
resource "aws_db_instance" "archive" {
  provider                = aws.osaka
  identifier              = "karte-archive"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 20
  storage_encrypted       = true
  publicly_accessible     = false
  backup_retention_period = 35
  parameter_group_name    = aws_db_parameter_group.osaka_tls.name
  # pgaudit writes into the postgresql log, which is kept only once exported (SAN-LOG-007)
  enabled_cloudwatch_logs_exports = ["postgresql"]
  tags                            = local.medical
}

# ---- Aurora (Tokyo): encrypted with the records key, TLS forced by its cluster parameter group ------
resource "aws_rds_cluster_parameter_group" "aurora_tls" {
  name   = "karte-apg-tls"
  family = "aurora-postgresql16"
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}
resource "aws_rds_cluster" "aurora" {
  cluster_identifier              = "karte-aurora"
  engine                          = "aurora-postgresql"
  master_username                 = "dbadmin"
  master_password                 = "not-a-real-pass1"
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.records.arn
  backup_retention_period         = 7
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.aurora_tls.name
  tags                            = local.medical
}
resource "aws_rds_cluster_instance" "aurora_1" {
  identifier          = "karte-aurora-1"
  cluster_identifier  = aws_rds_cluster.aurora.id
  engine              = aws_rds_cluster.aurora.engine
  instance_class      = "db.r6g.large"
  publicly_accessible = false
}

# ---- Security groups (default VPC, Tokyo): SSH and PostgreSQL open to the internet vs internal ----
resource "aws_security_group" "bastion" {
  name        = "karte-bastion"
  description = "karte-bastion"
}
resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.bastion.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}
resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.bastion.id
  cidr_ipv4         = "10.0.0.0/8"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}
resource "aws_security_group" "db" {
  name        = "karte-db"
  description = "karte-db"
  ingress {
    protocol    = "tcp"
    from_port   = 5432
    to_port     = 5432
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    protocol    = "tcp"
    from_port   = 5432
    to_port     = 5432
    cidr_blocks = ["10.0.0.0/16"]
  }
}

# ---- EBS ---------------------------------------------------------------------------------------
resource "aws_ebs_volume" "data" {
  availability_zone = "ap-northeast-1a"
  size              = 1
  encrypted         = true
  tags              = { Name = "karte-data" }
}
resource "aws_ebs_volume" "scratch" {
  availability_zone = "ap-northeast-1a"
  size              = 1
  encrypted         = false
  tags              = { Name = "karte-scratch" }
}

# ---- AWS Backup: daily to a locked vault, copied to Osaka; weekly, copied to Virginia ------------
resource "aws_backup_vault" "tokyo" {
  name = "karte-vault"
}
# Compliance mode: after changeable_for_days nobody, root included, can remove the lock
resource "aws_backup_vault_lock_configuration" "tokyo" {
  backup_vault_name   = aws_backup_vault.tokyo.name
  min_retention_days  = 7
  changeable_for_days = 3
}
resource "aws_backup_vault" "osaka" {
  provider = aws.osaka
  name     = "karte-vault-osaka"
}
resource "aws_backup_plan" "daily" {
  name = "karte-daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.tokyo.name
    schedule          = "cron(0 17 ? * * *)"
    lifecycle { delete_after = 35 }
    copy_action {
      destination_vault_arn = aws_backup_vault.osaka.arn
      lifecycle { delete_after = 35 }
    }
  }
}

resource "aws_backup_vault" "research" {
  name = "karte-research-vault"
}
# Governance mode (no changeable_for_days): a privileged user can remove it (SAN-BKP-002 FAIL)
resource "aws_backup_vault_lock_configuration" "research" {
  backup_vault_name  = aws_backup_vault.research.name
  min_retention_days = 7
}
resource "aws_backup_vault" "virginia" {
  provider = aws.virginia
  name     = "karte-research-us"
}
resource "aws_backup_plan" "research" {
  name = "karte-research-weekly"
  rule {
    rule_name         = "weekly"
    target_vault_name = aws_backup_vault.research.name
    schedule          = "cron(0 17 ? * SUN *)"
    lifecycle { delete_after = 14 }
    copy_action {
      destination_vault_arn = aws_backup_vault.virginia.arn
      lifecycle { delete_after = 14 }
    }
  }
}

# ---- A load balancer (Tokyo, default VPC): TLS 1.2+, an old TLS policy, a redirect, plain HTTP -----
data "aws_vpc" "default" { default = true }
data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}
resource "aws_acm_certificate" "portal" {
  domain_name       = "karte.hospital.example.jp"
  validation_method = "DNS"
}
resource "aws_lb" "portal" {
  name               = "karte-portal"
  load_balancer_type = "application"
  subnets            = data.aws_subnets.default.ids
}
resource "aws_lb_target_group" "web" {
  name        = "karte-web"
  protocol    = "HTTP"
  port        = 8080
  target_type = "ip"
  vpc_id      = data.aws_vpc.default.id
}
resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.portal.arn
  protocol          = "HTTPS"
  port              = 443
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.portal.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
resource "aws_lb_listener" "https_legacy" {
  load_balancer_arn = aws_lb.portal.arn
  protocol          = "HTTPS"
  port              = 8443
  ssl_policy        = "ELBSecurityPolicy-2016-08"
  certificate_arn   = aws_acm_certificate.portal.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
resource "aws_lb_listener" "redirect" {
  load_balancer_arn = aws_lb.portal.arn
  protocol          = "HTTP"
  port              = 80
  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}
resource "aws_lb_listener" "plain" {
  load_balancer_arn = aws_lb.portal.arn
  protocol          = "HTTP"
  port              = 8080
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

# ---- IAM users and groups (SAN-IAM-011) ------------------------------------------------------
resource "aws_iam_user" "ops" {
  name = "karte-ops"
}
resource "aws_iam_user_policy" "ops_everything" {
  name = "everything"
  user = aws_iam_user.ops.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
resource "aws_iam_group" "admins" {
  name = "karte-admins"
}
resource "aws_iam_group_policy_attachment" "admins" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_user" "infra" {
  name = "karte-infra"
}
resource "aws_iam_user_group_membership" "infra" {
  user   = aws_iam_user.infra.name
  groups = [aws_iam_group.admins.name]
}
resource "aws_iam_user" "reader" {
  name = "karte-reader"
}
resource "aws_iam_user_policy_attachment" "reader" {
  user       = aws_iam_user.reader.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_iam_user" "breakglass" {
  name = "karte-breakglass"
  tags = { "sansho:purpose" = "break_glass" }
}
resource "aws_iam_user_policy_attachment" "breakglass" {
  user       = aws_iam_user.breakglass.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
