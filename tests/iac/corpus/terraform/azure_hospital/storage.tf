# Finalised medical records (確定した診療録): Tokyo, geo-redundant to Osaka, WORM.
module "records" {
  source = "./modules/records_store"

  name                = "${local.prefix}records"
  resource_group_name = azurerm_resource_group.hospital.name
  location            = azurerm_resource_group.hospital.location
  replication_type    = "GRS"
  retention_days      = var.records_retention_days
  tags                = local.records_tags
}

# DICOM images shared with the imaging vendor, whose tenant is in the US.
resource "azurerm_storage_account" "imaging" {
  name                     = "${local.prefix}imaging"
  resource_group_name      = azurerm_resource_group.imaging.name
  location                 = azurerm_resource_group.imaging.location
  account_tier             = "Standard"
  account_replication_type = "GRS"
  min_tls_version          = "TLS1_0" # the vendor's viewer is old
  tags                     = local.data_tags
}

resource "azurerm_storage_container" "imaging_public" {
  name                  = "viewer"
  storage_account_id    = azurerm_storage_account.imaging.id
  container_access_type = "blob"
}

# Nightly exports for the regional health network; the region is decided by the pipeline.
resource "azurerm_storage_account" "exports" {
  name                            = "${local.prefix}exports"
  resource_group_name             = azurerm_resource_group.hospital.name
  location                        = var.archive_location
  account_tier                    = "Standard"
  account_replication_type        = "RAGRS"
  https_traffic_only_enabled      = false
  allow_nested_items_to_be_public = false

  blob_properties {
    versioning_enabled = true
  }

  tags = local.common_tags
}

# Referral letters, encrypted with the hospital's own key.
resource "azurerm_storage_account" "referrals" {
  name                            = "${local.prefix}referrals"
  resource_group_name             = azurerm_resource_group.hospital.name
  location                        = "Japan East"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  allow_nested_items_to_be_public = false

  identity {
    type = "SystemAssigned"
  }

  blob_properties {
    versioning_enabled = true
  }

  tags = local.data_tags
}

resource "azurerm_storage_account_customer_managed_key" "referrals" {
  storage_account_id = azurerm_storage_account.referrals.id
  key_vault_id       = azurerm_key_vault.hospital.id
  key_name           = azurerm_key_vault_key.records.name
}
