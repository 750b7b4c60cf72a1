provider "aws" {
  region = "ap-northeast-1"
}

resource "aws_s3_bucket" "ok" {
  bucket = "karte-ok"
}
