# SAN-LOG-004 (min_retention_days, default 365) from each destination bucket's lifecycle rules.

variable "log_days" {}

# 90 days: too short.
resource "aws_s3_bucket" "short_logs" {
  bucket = "dt-short-logs"
}
resource "aws_s3_bucket_lifecycle_configuration" "short_logs" {
  bucket = aws_s3_bucket.short_logs.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = 90
    }
  }
}
resource "aws_cloudtrail" "short" {
  name           = "dt-short"
  s3_bucket_name = aws_s3_bucket.short_logs.id
}

# 400 days for the logs; the shorter rules are disabled, tag-filtered or under another prefix.
resource "aws_s3_bucket" "long_logs" {
  bucket = "dt-long-logs"
}
resource "aws_s3_bucket_lifecycle_configuration" "long_logs" {
  bucket = aws_s3_bucket.long_logs.id
  rule {
    id     = "logs"
    status = "Enabled"
    filter {
      prefix = "audit/AWSLogs/"
    }
    expiration {
      days = 400
    }
  }
  rule {
    id     = "switched-off"
    status = "Disabled"
    filter {}
    expiration {
      days = 7
    }
  }
  rule {
    id     = "temporary-objects"
    status = "Enabled"
    filter {
      tag {
        key   = "temporary"
        value = "true"
      }
    }
    expiration {
      days = 7
    }
  }
  rule {
    id     = "exports"
    status = "Enabled"
    filter {
      prefix = "exports/"
    }
    expiration {
      days = 7
    }
  }
}
resource "aws_cloudtrail" "long" {
  name           = "dt-long"
  s3_bucket_name = aws_s3_bucket.long_logs.id
  s3_key_prefix  = "audit"
}

# AWS provider v3: the rule inside the bucket.
resource "aws_s3_bucket" "inline_logs" {
  bucket = "dt-inline-logs"
  lifecycle_rule {
    id      = "expire"
    enabled = true
    expiration {
      days = 30
    }
  }
}
resource "aws_cloudtrail" "inline" {
  name           = "dt-inline"
  s3_bucket_name = aws_s3_bucket.inline_logs.id
}

# No expiration and no Object Lock: the logs stay until someone deletes them.
resource "aws_s3_bucket" "kept_logs" {
  bucket = "dt-kept-logs"
}
resource "aws_cloudtrail" "kept" {
  name           = "dt-kept"
  s3_bucket_name = aws_s3_bucket.kept_logs.id
}

# A 30-day expiration under a 3650-day Object Lock: the lock keeps the logs.
resource "aws_s3_bucket" "locked_logs" {
  bucket              = "dt-locked-logs"
  object_lock_enabled = true
}
resource "aws_s3_bucket_object_lock_configuration" "locked_logs" {
  bucket = aws_s3_bucket.locked_logs.id
  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 3650
    }
  }
}
resource "aws_s3_bucket_lifecycle_configuration" "locked_logs" {
  bucket = aws_s3_bucket.locked_logs.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = 30
    }
  }
}
resource "aws_cloudtrail" "locked" {
  name           = "dt-locked"
  s3_bucket_name = aws_s3_bucket.locked_logs.id
}

# An expiration that is not known before apply.
resource "aws_s3_bucket" "unknown_logs" {
  bucket = "dt-unknown-logs"
}
resource "aws_s3_bucket_lifecycle_configuration" "unknown_logs" {
  bucket = aws_s3_bucket.unknown_logs.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = var.log_days
    }
  }
}
resource "aws_cloudtrail" "unknown" {
  name           = "dt-unknown"
  s3_bucket_name = aws_s3_bucket.unknown_logs.id
}
