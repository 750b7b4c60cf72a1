locals {
  prefix = "karte${var.environment}"

  common_tags = {
    system        = "karte"
    environment   = var.environment
    "sansho:medical" = "true"
  }

  data_tags = merge(local.common_tags, {
    "data-classification" = "medical"
    retention             = "5y"
    "backup-frequency"    = "daily"
  })

  records_tags = merge(local.data_tags, {
    "sansho-records" = "finalised"
  })
}
