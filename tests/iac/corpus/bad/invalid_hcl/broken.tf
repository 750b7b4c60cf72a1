resource "aws_s3_bucket" "broken" {
  bucket = "karte-broken"
  tags = {
    owner = "records"
  # the closing braces are missing
