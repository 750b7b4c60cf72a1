locals {
  prefix = "karte-${var.environment}"
  common_tags = {
    "data-classification" = "medical"
    "retention"           = "5y"
    "backup-frequency"    = "daily"
  }
  records_tags = merge(local.common_tags, {
    "sansho-records" = "finalised"
  })
}
