# 電子カルテ database: private endpoint only, 14 days of point-in-time restore.
resource "azurerm_mssql_server" "karte" {
  name                          = "sql-${local.prefix}"
  resource_group_name           = azurerm_resource_group.hospital.name
  location                      = azurerm_resource_group.hospital.location
  version                       = "12.0"
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false

  azuread_administrator {
    login_username = "dba-group"
    object_id      = "11111111-1111-1111-1111-111111111111"
  }

  tags = local.common_tags
}

resource "azurerm_mssql_database" "karte" {
  name      = "karte"
  server_id = azurerm_mssql_server.karte.id
  sku_name  = "GP_Gen5_4"

  short_term_retention_policy {
    retention_days = 14
  }

  tags = local.data_tags
}

# Reporting server: opened to "everyone" during a BI tool trial and never closed again.
resource "azurerm_mssql_server" "reporting" {
  name                = "sql-${local.prefix}-reporting"
  resource_group_name = azurerm_resource_group.hospital.name
  location            = azurerm_resource_group.hospital.location
  version             = "12.0"
  minimum_tls_version = "1.2"
  tags                = local.common_tags
}

resource "azurerm_mssql_firewall_rule" "reporting_all" {
  name             = "AllowAll"
  server_id        = azurerm_mssql_server.reporting.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}

resource "azurerm_mssql_database" "reporting" {
  name                             = "reporting"
  server_id                        = azurerm_mssql_server.reporting.id
  sku_name                         = "S1"
  transparent_data_encryption_enabled = false
  storage_account_type             = "Local"

  short_term_retention_policy {
    retention_days = 3
  }

  tags = local.data_tags
}

# Imaging metadata in the vendor's region; only Azure services may connect.
resource "azurerm_mssql_server" "imaging" {
  name                = "sql-${local.prefix}-imaging"
  resource_group_name = azurerm_resource_group.imaging.name
  location            = var.imaging_location
  version             = "12.0"
  tags                = local.common_tags
}

resource "azurerm_mssql_firewall_rule" "imaging_azure_services" {
  name             = "AllowAzureServices"
  server_id        = azurerm_mssql_server.imaging.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}

resource "azurerm_mssql_database" "imaging" {
  name      = "imaging-index"
  server_id = azurerm_mssql_server.imaging.id
  sku_name  = "S0"
  tags      = local.data_tags
}

# Auditing (SAN-LOG-007): the 電子カルテ server audits every database to Log Analytics; the imaging
# index database has its own policy; nobody turned auditing on for the reporting server.
resource "azurerm_mssql_server_extended_auditing_policy" "karte" {
  server_id              = azurerm_mssql_server.karte.id
  log_monitoring_enabled = true
  retention_in_days      = 0
}

resource "azurerm_mssql_database_extended_auditing_policy" "imaging" {
  database_id            = azurerm_mssql_database.imaging.id
  log_monitoring_enabled = true
}
