variable "name" {
  type = string
}

variable "location" {
  type = string
}

variable "kms_key" {
  type    = string
  default = null
}

variable "retention_seconds" {
  type = number
}

variable "labels" {
  type    = map(string)
  default = {}
}
