variable "name" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "replication_type" {
  type    = string
  default = "LRS"
}

variable "retention_days" {
  type = number
}

variable "tags" {
  type    = map(string)
  default = {}
}
