# Data warehouse in Tokyo, with the hospital's key.
resource "google_bigquery_dataset" "dwh" {
  dataset_id = "karte_dwh"
  location   = "asia-northeast1"

  default_encryption_configuration {
    kms_key_name = google_kms_crypto_key.records.id
  }

  labels = local.data_labels
}

# Research extracts: no location (the provider puts it in the US multi-region), shared with everyone.
resource "google_bigquery_dataset" "research" {
  dataset_id = "karte_research"

  access {
    role          = "OWNER"
    user_by_email = "research-admin@hospital.example.jp"
  }

  access {
    role          = "READER"
    special_group = "allAuthenticatedUsers"
  }

  labels = local.data_labels
}
