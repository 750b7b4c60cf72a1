variable "subscription_id" {
  type        = string
  description = "Hospital production subscription"
  default     = "00000000-0000-0000-0000-000000000000"
}

variable "environment" {
  type = string
}

variable "location" {
  type        = string
  description = "Primary region (東日本)"
}

variable "imaging_location" {
  type        = string
  description = "Where the imaging vendor's tenant lives"
}

# Set per environment by the pipeline (TF_VAR_archive_location); no value in this repository.
variable "archive_location" {
  type = string
}

variable "admin_source" {
  type        = string
  description = "Where RDP to the jump host may come from"
}

variable "records_retention_days" {
  type    = number
  default = 1825
}
