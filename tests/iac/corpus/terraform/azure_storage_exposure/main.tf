# Storage accounts whose exposure the account's own settings decide (SAN-NET-003), as Azure's
# benchmark judges them, and the ones where the containers (or unresolved values) decide.
terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm", version = "~> 4.0" }
  }
}

provider "azurerm" {
  features {}
}

variable "allow_public" {
  type = bool # no default: unresolved
}

locals {
  tags = { "sansho:medical" = "false" }
}

# Nothing set: anonymous access and every network are the provider's defaults (both allowed).
resource "azurerm_storage_account" "defaults" {
  name                     = "stdefaults"
  resource_group_name      = "rg-web"
  location                 = "japaneast"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags                     = local.tags
}

# Spelled out: anonymous access allowed, network rules letting every network in.
resource "azurerm_storage_account" "open" {
  name                            = "stopen"
  resource_group_name             = "rg-web"
  location                        = "japaneast"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  allow_nested_items_to_be_public = true
  network_rules {
    default_action = "Allow"
  }
  tags = local.tags
}

resource "azurerm_storage_container" "open_private" {
  name                  = "uploads"
  storage_account_id    = azurerm_storage_account.open.id
  container_access_type = "private"
}

# No public network access: no internet address reaches it.
resource "azurerm_storage_account" "private_endpoint_only" {
  name                          = "stprivate"
  resource_group_name           = "rg-web"
  location                      = "japaneast"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = false
  tags                          = local.tags
}

# A firewall letting one partner range in: the (private) container decides.
resource "azurerm_storage_account" "partner" {
  name                     = "stpartner"
  resource_group_name      = "rg-web"
  location                 = "japaneast"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  network_rules {
    default_action = "Deny"
    ip_rules       = ["203.0.113.0/24"]
  }
  tags = local.tags
}

resource "azurerm_storage_container" "partner_drop" {
  name                  = "drop"
  storage_account_id    = azurerm_storage_account.partner.id
  container_access_type = "private"
}

# Network rules as their own resource: deny by default, no address range.
resource "azurerm_storage_account" "separate_rules" {
  name                     = "stseparate"
  resource_group_name      = "rg-web"
  location                 = "japaneast"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags                     = local.tags
}

resource "azurerm_storage_account_network_rules" "separate_rules" {
  storage_account_id = azurerm_storage_account.separate_rules.id
  default_action     = "Deny"
}

# Anonymous access from a variable with no value, and a public container: not known.
resource "azurerm_storage_account" "unresolved" {
  name                            = "stunresolved"
  resource_group_name             = "rg-web"
  location                        = "japaneast"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  allow_nested_items_to_be_public = var.allow_public
  tags                            = local.tags
}

resource "azurerm_storage_container" "unresolved_public" {
  name                  = "viewer"
  storage_account_id    = azurerm_storage_account.unresolved.id
  container_access_type = "blob"
}
