resource "google_storage_bucket" "this" {
  name                        = var.name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  retention_policy {
    retention_period = var.retention_seconds
    is_locked        = true
  }

  encryption {
    default_kms_key_name = var.kms_key
  }

  labels = var.labels
}
