# SAN-LOC-004 reads the merged tags of each data store.

resource "aws_s3_bucket" "records" {
  bucket = "dt-records"
}

# The resource's own tag wins over the provider's: marked as holding no medical information.
resource "aws_s3_bucket" "public_site" {
  bucket = "dt-public-site"
  tags = {
    "sansho:medical" = "false"
  }
}

# ... and an empty own value hides the provider's backup-frequency.
resource "aws_s3_bucket" "scratch" {
  bucket = "dt-scratch"
  tags = {
    backup-frequency = ""
  }
}

resource "aws_s3_bucket" "osaka_copy" {
  provider = aws.osaka
  bucket   = "dt-osaka-copy"
}

resource "aws_s3_bucket" "osaka_archive" {
  provider = aws.osaka
  bucket   = "dt-osaka-archive"
  tags = {
    backup-frequency = "weekly"
  }
}

resource "aws_s3_bucket" "unread" {
  provider = aws.unresolved
  bucket   = "dt-unread"
}

# The module's bucket inherits the default provider ...
module "primary" {
  source = "./modules/store"
  name   = "dt-primary-store"
}

# ... or takes the aliased one passed to it.
module "dr" {
  source = "./modules/store"
  name   = "dt-dr-store"
  providers = {
    aws = aws.osaka
  }
}
