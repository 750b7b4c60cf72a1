variable "project" {
  type    = string
  default = "hospital-prod-000000"
}

variable "region" {
  type        = string
  description = "Default region (Tokyo)"
}

variable "records_location" {
  type        = string
  description = "Bucket location of the finalised records"
}

# The research team sets this when they need the scratch bucket; no value in this repository.
variable "scratch_location" {
  type = string
}

variable "record_retention_seconds" {
  type    = number
  default = 157680000 # 5 years
}
