resource "google_kms_key_ring" "hospital" {
  name     = "${local.prefix}-keys"
  location = "asia-northeast1"
}

resource "google_kms_crypto_key" "records" {
  name            = "records"
  key_ring        = google_kms_key_ring.hospital.id
  rotation_period = "7776000s" # 90 days
  labels          = local.common_labels
}

resource "google_kms_crypto_key" "legacy" {
  name     = "legacy-export"
  key_ring = google_kms_key_ring.hospital.id
  labels   = local.common_labels
}
