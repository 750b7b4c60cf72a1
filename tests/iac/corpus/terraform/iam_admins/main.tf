# IAM users and groups with full administrative rights (SAN-IAM-011), as the live collector reads them.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "ap-northeast-1"
}

variable "deploy_policy_arn" {
  type = string # no default: unresolved
}

data "aws_iam_policy_document" "everything" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

# An inline policy allowing *:* under an MFA condition: still everything.
resource "aws_iam_user" "ops" {
  name = "ops-suzuki"
}

resource "aws_iam_user_policy" "ops_all" {
  name = "everything"
  user = aws_iam_user.ops.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "*:*"
      Resource  = "*"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

# AdministratorAccess through a group.
resource "aws_iam_group" "infra_admins" {
  name = "infra-admins"
}

resource "aws_iam_group_policy_attachment" "infra_admins" {
  group      = aws_iam_group.infra_admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "infra" {
  name = "infra-tanaka"
}

resource "aws_iam_group_membership" "infra_admins" {
  name  = "infra-admins"
  group = aws_iam_group.infra_admins.name
  users = [aws_iam_user.infra.name]
}

# A policy of this configuration that allows everything, attached to a CI user.
resource "aws_iam_policy" "everything" {
  name   = "everything"
  policy = data.aws_iam_policy_document.everything.json
}

resource "aws_iam_user" "ci" {
  name = "ci-deployer"
  tags = { "sansho:purpose" = "service" }
}

resource "aws_iam_policy_attachment" "everything" {
  name       = "everything"
  users      = [aws_iam_user.ci.name]
  policy_arn = aws_iam_policy.everything.arn
}

# Read-only, directly and through a group: not administrative.
resource "aws_iam_user" "reader" {
  name = "ward-reader"
}

resource "aws_iam_user_policy_attachment" "reader" {
  user       = aws_iam_user.reader.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_group" "readers" {
  name = "ward-readers"
}

resource "aws_iam_group_policy" "readers" {
  name  = "read-records"
  group = aws_iam_group.readers.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::karte-records/*" }]
  })
}

resource "aws_iam_user_group_membership" "reader" {
  user   = aws_iam_user.reader.name
  groups = [aws_iam_group.readers.name]
}

# The break-glass user holds AdministratorAccess: judged by the emergency-account procedures.
resource "aws_iam_user" "emergency" {
  name = "break-glass"
  tags = { "sansho:purpose" = "break_glass" }
}

resource "aws_iam_user_policy_attachment" "emergency" {
  user       = aws_iam_user.emergency.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# A policy ARN that cannot be resolved: not known.
resource "aws_iam_user" "deployer" {
  name = "release-deployer"
}

resource "aws_iam_user_policy_attachment" "deployer" {
  user       = aws_iam_user.deployer.name
  policy_arn = var.deploy_policy_arn
}
