# VM and SQL-in-VM backups: locked immutability, geo-redundant to Japan West.
resource "azurerm_recovery_services_vault" "karte" {
  name                = "rsv-${local.prefix}"
  location            = azurerm_resource_group.hospital.location
  resource_group_name = azurerm_resource_group.hospital.name
  sku                 = "Standard"
  immutability        = "Locked"
  cross_region_restore_enabled = true
  tags                = local.common_tags
}

# Blob backups of the imaging account, in the vendor's region.
resource "azurerm_data_protection_backup_vault" "imaging" {
  name                = "bv-${local.prefix}-imaging"
  resource_group_name = azurerm_resource_group.imaging.name
  location            = azurerm_resource_group.imaging.location
  datastore_type      = "VaultStore"
  redundancy          = "GeoRedundant"
  soft_delete         = "Off"
  tags                = local.common_tags
}
