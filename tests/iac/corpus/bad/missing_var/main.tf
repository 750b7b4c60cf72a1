variable "region" {
  type = string
}

variable "encrypt_database" {
  type = bool
}

provider "aws" {
  region = var.region
}

resource "aws_db_instance" "karte" {
  identifier              = "karte"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t4g.large"
  storage_encrypted       = var.encrypt_database
  backup_retention_period = 14
}
