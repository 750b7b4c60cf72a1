# Finalised medical records (確定した診療録), Tokyo, replicated to Osaka.
module "records" {
  source = "./modules/records"

  bucket_name           = "${local.prefix}-records"
  kms_key_arn           = aws_kms_key.records.arn
  object_lock_days      = var.record_retention_days
  replica_bucket_arn    = module.records_dr.bucket_arn
  replication_role_arn  = aws_iam_role.replication.arn
  tags                  = local.records_tags
}

# The disaster-recovery copy in Osaka.
# sansho:ignore SAN-LOC-004 reason="DR copy inherits the classification of module.records" until=2027-06-30
module "records_dr" {
  source = "./modules/records"
  providers = {
    aws = aws.osaka
  }

  bucket_name      = "${local.prefix}-records-dr"
  kms_key_arn      = aws_kms_key.records_dr.arn
  object_lock_days = var.record_retention_days
  tags             = local.records_tags
}

resource "aws_iam_role" "replication" {
  name               = "${local.prefix}-s3-replication"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Access logs of the web tier: someone created it in us-east-1 with the old inline syntax.
resource "aws_s3_bucket" "access_logs" { # sansho:ignore SAN-NET-003
  provider = aws.virginia
  bucket   = "${local.prefix}-access-logs"
  acl      = "public-read"

  versioning {
    enabled = false
  }

  tags = local.common_tags
}

# Reports exported for the hospital's analysts: encrypted, private, TLS enforced by policy.
resource "aws_s3_bucket" "reports" {
  bucket = "${local.prefix}-reports"
  tags   = local.common_tags
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reports" {
  bucket = aws_s3_bucket.reports.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "reports" {
  bucket                  = aws_s3_bucket.reports.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "reports" {
  bucket = aws_s3_bucket.reports.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = data.aws_iam_policy_document.reports_tls.json
}

data "aws_iam_policy_document" "reports_tls" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [
      aws_s3_bucket.reports.arn,
      "${aws_s3_bucket.reports.arn}/*",
    ]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
