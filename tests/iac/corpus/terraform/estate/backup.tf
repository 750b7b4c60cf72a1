resource "aws_backup_vault" "main" {
  name        = "${local.prefix}-vault"
  kms_key_arn = aws_kms_key.records.arn
}

resource "aws_backup_vault_lock_configuration" "main" {
  backup_vault_name   = aws_backup_vault.main.name
  min_retention_days  = 35
  max_retention_days  = 400
  changeable_for_days = 3
}

resource "aws_backup_vault" "osaka" {
  provider = aws.osaka
  name     = "${local.prefix}-vault-osaka"
}

resource "aws_backup_plan" "daily" {
  name = "${local.prefix}-daily"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 17 * * ? *)"

    lifecycle {
      delete_after = 35
    }

    copy_action {
      destination_vault_arn = aws_backup_vault.osaka.arn
      lifecycle {
        delete_after = 35
      }
    }
  }
}

# Weekly plan written straight into the unlocked Osaka vault, two generations only.
resource "aws_backup_plan" "weekly_dr" {
  provider = aws.osaka
  name     = "${local.prefix}-weekly-dr"

  rule {
    rule_name         = "weekly"
    target_vault_name = aws_backup_vault.osaka.name
    schedule          = "cron(0 18 ? * SUN *)"

    lifecycle {
      delete_after = 14
    }
  }
}
