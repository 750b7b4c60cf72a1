terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

# Tokyo: the primary region, taken from var.region (set in terraform.tfvars).
provider "aws" {
  region = var.region
  default_tags {
    tags = {
      system = "karte"
    }
  }
}

# Osaka: disaster-recovery copies.
provider "aws" {
  alias  = "osaka"
  region = "ap-northeast-3"
}

# N. Virginia: only for global services (the CloudFront certificate, a stray log bucket).
provider "aws" {
  alias  = "virginia"
  region = "us-east-1"
}
