variable "region" {
  description = "Primary AWS region"
  type        = string
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "record_retention_days" {
  description = "Object-lock retention of finalised medical records"
  type        = number
  default     = 1825
}

variable "db_backup_retention_days" {
  type    = number
  default = 7
}

variable "admin_cidr" {
  description = "Where administrators connect from"
  type        = string
}

variable "db_password" {
  type      = string
  sensitive = true
}
