# 電子カルテ database: private IP only, TLS required, backups kept in Tokyo.
resource "google_sql_database_instance" "karte" {
  name             = "${local.prefix}-karte"
  database_version = "POSTGRES_16"

  settings {
    tier        = "db-custom-4-16384"
    user_labels = local.data_labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/${var.project}/global/networks/hospital"
      ssl_mode        = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      location                       = "asia-northeast1"
      point_in_time_recovery_enabled = true

      backup_retention_settings {
        retained_backups = 14
      }
    }

    # pgaudit on, logging reads, writes and DDL (SAN-LOG-007)
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }

    database_flags {
      name  = "pgaudit.log"
      value = "read,write,ddl"
    }
  }
}

# Read replica in Osaka.
resource "google_sql_database_instance" "karte_replica" {
  name                 = "${local.prefix}-karte-osaka"
  database_version     = "POSTGRES_16"
  region               = "asia-northeast2"
  master_instance_name = google_sql_database_instance.karte.name

  settings {
    tier        = "db-custom-4-16384"
    user_labels = local.data_labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/${var.project}/global/networks/hospital"
      ssl_mode        = "ENCRYPTED_ONLY"
    }
  }
}

# Billing: backups on, but nobody chose where they go.
resource "google_sql_database_instance" "billing" {
  name             = "${local.prefix}-billing"
  database_version = "MYSQL_8_0"
  region           = "asia-northeast1"

  settings {
    tier        = "db-custom-2-8192"
    user_labels = local.data_labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/${var.project}/global/networks/hospital"
      require_ssl     = true
    }

    backup_configuration {
      enabled = true
    }

    database_flags {
      name  = "cloudsql_mysql_audit"
      value = "ON"
    }
  }
}

# BI reporting copy, set up by a contractor in Iowa.
resource "google_sql_database_instance" "reporting" {
  name             = "${local.prefix}-reporting"
  database_version = "POSTGRES_15"
  region           = "us-central1"

  settings {
    tier        = "db-custom-2-8192"
    user_labels = local.data_labels

    ip_configuration {
      ipv4_enabled = true

      authorized_networks {
        name  = "anywhere"
        value = "0.0.0.0/0"
      }
    }
  }
}
