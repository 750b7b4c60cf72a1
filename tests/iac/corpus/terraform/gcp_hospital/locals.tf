locals {
  prefix = "karte-prod"

  common_labels = {
    system         = "karte"
    environment    = "prod"
    sansho_medical = "true"
  }

  data_labels = merge(local.common_labels, {
    "data-classification" = "medical"
    retention             = "5y"
    "backup-frequency"    = "daily"
  })
}
