# Classification tags set once, in the provider: AWS puts them on every resource the provider
# creates, under the resource's own tags (a key both set takes the resource's value).

variable "classification" {
  default = "medical"
}

# No value anywhere: the default tag it feeds cannot be read.
variable "backup_frequency" {}

provider "aws" {
  region = "ap-northeast-1"
  default_tags {
    tags = {
      "sansho:medical"    = "true"
      data-classification = var.classification
      retention           = "5y"
      backup-frequency    = "daily"
    }
  }
}

# Osaka: the disaster-recovery copies; its default tags lack backup-frequency.
provider "aws" {
  alias  = "osaka"
  region = "ap-northeast-3"
  default_tags {
    tags = {
      "sansho:medical"    = "true"
      data-classification = "medical"
      retention           = "5y"
    }
  }
}

provider "aws" {
  alias  = "unresolved"
  region = "ap-northeast-1"
  default_tags {
    tags = {
      "sansho:medical"    = "true"
      data-classification = "medical"
      retention           = "5y"
      backup-frequency    = var.backup_frequency
    }
  }
}
