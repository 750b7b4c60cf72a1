provider "aws" {
  region = "ap-northeast-1"
}

module "archive" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.2"
  bucket  = "karte-archive"
}

module "local_missing" {
  source = "./modules/does-not-exist"
}

resource "aws_kms_key" "archive" {
  description         = "archive"
  enable_key_rotation = true
}
