variable "bucket_name" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "object_lock_days" {
  type = number
}

variable "replica_bucket_arn" {
  description = "Bucket to replicate into; null for no replication"
  type        = string
  default     = null
}

variable "replication_role_arn" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
