resource "azurerm_resource_group" "hospital" {
  name     = "rg-${local.prefix}"
  location = var.location
  tags     = local.common_tags
}

resource "azurerm_resource_group" "imaging" {
  name     = "rg-${local.prefix}-imaging"
  location = var.imaging_location
  tags     = local.common_tags
}
