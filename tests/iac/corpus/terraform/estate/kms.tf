resource "aws_kms_key" "records" {
  description             = "Medical records (Tokyo)"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = 30
  tags                    = local.common_tags
}

resource "aws_kms_key" "records_dr" {
  provider                = aws.osaka
  description             = "Medical records (Osaka DR)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

# Rotation forgotten on the database key.
resource "aws_kms_key" "database" {
  description         = "Electronic medical record database"
  enable_key_rotation = false
}
