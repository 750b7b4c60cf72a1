resource "google_compute_disk" "pacs" {
  name = "${local.prefix}-pacs"
  type = "pd-ssd"
  zone = "asia-northeast1-b"
  size = 500

  disk_encryption_key {
    kms_key_self_link = google_kms_crypto_key.records.id
  }

  labels = local.common_labels
}

resource "google_compute_disk" "render" {
  name   = "${local.prefix}-render"
  type   = "pd-balanced"
  zone   = "us-west1-a"
  size   = 200
  labels = local.common_labels
}

# No zone: the provider's region applies.
resource "google_compute_region_disk" "shared" {
  name          = "${local.prefix}-shared"
  type          = "pd-balanced"
  replica_zones = ["asia-northeast1-a", "asia-northeast1-b"]
  size          = 100
  labels        = local.common_labels
}
