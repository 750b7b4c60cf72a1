data "azurerm_client_config" "current" {}

resource "azurerm_key_vault" "hospital" {
  name                          = "kv-${local.prefix}"
  location                      = azurerm_resource_group.hospital.location
  resource_group_name           = azurerm_resource_group.hospital.name
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "premium"
  purge_protection_enabled      = true
  soft_delete_retention_days    = 90
  public_network_access_enabled = false
  tags                          = local.common_tags
}

resource "azurerm_key_vault_key" "records" {
  name         = "records"
  key_vault_id = azurerm_key_vault.hospital.id
  key_type     = "RSA-HSM"
  key_size     = 3072
  key_opts     = ["wrapKey", "unwrapKey"]

  rotation_policy {
    expire_after         = "P2Y"
    notify_before_expiry = "P30D"

    automatic {
      time_after_create = "P90D"
    }
  }
}

# Created by hand in 2021 and imported; nobody set up rotation.
resource "azurerm_key_vault_key" "legacy" {
  name         = "legacy-backup"
  key_vault_id = azurerm_key_vault.hospital.id
  key_type     = "RSA"
  key_size     = 2048
  key_opts     = ["wrapKey", "unwrapKey"]
}
