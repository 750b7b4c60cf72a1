# Finalised medical records (確定した診療録): dual-region ASIA1 (Tokyo + Osaka), locked retention.
module "records" {
  source = "./modules/bucket"

  name              = "${local.prefix}-records"
  location          = var.records_location
  kms_key           = google_kms_crypto_key.records.id
  retention_seconds = var.record_retention_seconds
  labels            = merge(local.data_labels, { "sansho-records" = "finalised" })
}

# Imaging archive: someone picked the ASIA multi-region "because it is in Asia".
resource "google_storage_bucket" "imaging_archive" {
  name                        = "${local.prefix}-imaging-archive"
  location                    = "ASIA"
  storage_class               = "ARCHIVE"
  uniform_bucket_level_access = true
  labels                      = local.data_labels
}

resource "google_storage_bucket_iam_member" "imaging_viewer" {
  bucket = google_storage_bucket.imaging_archive.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

# Referral letters, Tokyo.
resource "google_storage_bucket" "referrals" {
  name                        = "${local.prefix}-referrals"
  location                    = "asia-northeast1"
  uniform_bucket_level_access = true

  versioning {
    enabled = true
  }

  labels = local.data_labels
}

resource "google_storage_bucket_iam_binding" "referrals_readers" {
  bucket  = "${local.prefix}-referrals"
  role    = "roles/storage.objectViewer"
  members = ["group:referrals@hospital.example.jp"]
}

# Uploads from the old patient portal, still on fine-grained (ACL) access.
resource "google_storage_bucket" "legacy_uploads" {
  name     = "${local.prefix}-legacy-uploads"
  location = "ASIA-NORTHEAST1"

  versioning {
    enabled = true
  }

  labels = local.data_labels
}

# Research scratch space; the location comes from the research pipeline.
resource "google_storage_bucket" "scratch" {
  name                        = "${local.prefix}-scratch"
  location                    = var.scratch_location
  uniform_bucket_level_access = true
  labels                      = local.common_labels
}
