output "id" {
  value = azurerm_storage_account.this.id
}
