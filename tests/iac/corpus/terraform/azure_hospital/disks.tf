resource "azurerm_disk_encryption_set" "pacs" {
  name                = "des-${local.prefix}-pacs"
  resource_group_name = azurerm_resource_group.hospital.name
  location            = azurerm_resource_group.hospital.location
  key_vault_key_id    = azurerm_key_vault_key.records.id

  identity {
    type = "SystemAssigned"
  }
}

# PACS cache, encrypted with the hospital's key.
resource "azurerm_managed_disk" "pacs_cache" {
  name                   = "disk-${local.prefix}-pacs"
  resource_group_name    = azurerm_resource_group.hospital.name
  location               = azurerm_resource_group.hospital.location
  storage_account_type   = "Premium_LRS"
  create_option          = "Empty"
  disk_size_gb           = 512
  disk_encryption_set_id = azurerm_disk_encryption_set.pacs.id
  tags                   = local.common_tags
}

# Render node scratch disk next to the imaging vendor.
resource "azurerm_managed_disk" "render_scratch" {
  name                 = "disk-${local.prefix}-render"
  resource_group_name  = azurerm_resource_group.imaging.name
  location             = azurerm_resource_group.imaging.location
  storage_account_type = "Standard_LRS"
  create_option        = "Empty"
  disk_size_gb         = 256
  tags                 = local.common_tags
}
