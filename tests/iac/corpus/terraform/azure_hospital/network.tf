resource "azurerm_network_security_group" "web" {
  name                = "nsg-${local.prefix}-web"
  location            = azurerm_resource_group.hospital.location
  resource_group_name = azurerm_resource_group.hospital.name

  security_rule {
    name                       = "https-in"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "rdp-jump"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = var.admin_source
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "ssh-block"
    priority                   = 120
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "all-out"
    priority                   = 100
    direction                  = "Outbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  tags = local.common_tags
}

resource "azurerm_network_security_group" "data" {
  name                = "nsg-${local.prefix}-data"
  location            = azurerm_resource_group.hospital.location
  resource_group_name = azurerm_resource_group.hospital.name
  tags                = local.common_tags
}

# The lab-system vendor needs SQL Server and PostgreSQL "from their office".
resource "azurerm_network_security_rule" "db_vendor" {
  name                        = "db-vendor"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["1433", "5432"]
  source_address_prefix       = "*"
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = azurerm_resource_group.hospital.name
  network_security_group_name = azurerm_network_security_group.data.name
}

resource "azurerm_network_security_rule" "ssh_vpn" {
  name                        = "ssh-vpn"
  priority                    = 210
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefixes     = ["10.20.0.0/16", "10.30.0.0/16"]
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = azurerm_resource_group.hospital.name
  network_security_group_name = "nsg-${local.prefix}-data"
}

# The PACS vendor's remote maintenance until the site-to-site VPN is delivered.
# sansho:ignore SAN-NET-001 reason="vendor maintenance window, change request CR-2291" until=2027-03-31
resource "azurerm_network_security_group" "pacs_maintenance" {
  name                = "nsg-${local.prefix}-pacs-maint"
  location            = azurerm_resource_group.hospital.location
  resource_group_name = azurerm_resource_group.hospital.name

  security_rule {
    name                       = "vendor-ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "0.0.0.0/0"
    destination_address_prefix = "*"
  }

  tags = local.common_tags
}
