resource "azurerm_storage_account" "this" {
  name                            = var.name
  resource_group_name             = var.resource_group_name
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = var.replication_type
  allow_nested_items_to_be_public = false

  blob_properties {
    versioning_enabled = true
  }

  immutability_policy {
    allow_protected_append_writes = false
    state                         = "Locked"
    period_since_creation_in_days = var.retention_days
  }

  tags = var.tags
}

resource "azurerm_storage_container" "records" {
  name                  = "records"
  storage_account_id    = azurerm_storage_account.this.id
  container_access_type = "private"
}
