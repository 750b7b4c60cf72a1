"""Live and IaC verdicts agree for the same logical estate.

The Terraform below and the resources the live AWS collector emits for that estate once deployed
(built here the way collectors/aws builds them: ARNs as ids, `source: live`, the account known)
are judged by the same Engine; for every pair, every applicable control has the same status.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("checkov")

from sansho.policies.catalog import load_catalog  # noqa: E402
from sansho.policies.engine.core import Engine  # noqa: E402
from sansho.policies.iac import load  # noqa: E402
from sansho.policies.model import Database, FirewallRule, Key, ObjectStorage  # noqa: E402

TODAY = dt.date(2026, 11, 1)
ACCOUNT = "123456789012"
TAGS = {"sansho:medical": "true", "data-classification": "medical", "retention": "5y"}

TERRAFORM = """
provider "aws" { region = "ap-northeast-1" }
provider "aws" {
  alias  = "virginia"
  region = "us-east-1"
}
locals {
  tags = { "sansho:medical" = "true", "data-classification" = "medical", "retention" = "5y" }
}
resource "aws_kms_key" "records" {
  enable_key_rotation = true
}
resource "aws_kms_key" "legacy" {}

resource "aws_s3_bucket" "records" {
  bucket = "karte-records"
  tags   = local.tags
}
resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
  bucket = aws_s3_bucket.records.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.records.arn
    }
  }
}
resource "aws_s3_bucket_versioning" "records" {
  bucket = aws_s3_bucket.records.id
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket_public_access_block" "records" {
  bucket                  = aws_s3_bucket.records.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_policy" "records" {
  bucket = aws_s3_bucket.records.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TlsOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::karte-records", "arn:aws:s3:::karte-records/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket" "export" {
  provider = aws.virginia
  bucket   = "karte-export"
  tags     = local.tags
}
resource "aws_s3_bucket_policy" "export" {
  provider = aws.virginia
  bucket   = aws_s3_bucket.export.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::karte-export/*" }]
  })
}

resource "aws_db_instance" "karte" {
  identifier              = "karte"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t4g.medium"
  storage_encrypted       = false
  publicly_accessible     = true
  backup_retention_period = 1
  tags                    = local.tags
}

resource "aws_security_group" "bastion" {
  name = "bastion"
}
resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.bastion.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}
resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.bastion.id
  cidr_ipv4         = "10.0.0.0/8"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}
"""


def _arn(service: str, region: str, what: str) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{what}"


def live_estate() -> dict[str, object]:
    """What `sansho collect aws` reads from the deployed estate, by Terraform address."""
    tokyo, virginia = "ap-northeast-1", "us-east-1"
    key = _arn("kms", tokyo, "key/1111")
    common = {"provider": "aws", "account": ACCOUNT, "source": {"type": "live"}}
    return {
        "aws_kms_key.records": Key(id=key, name="records", region=tokyo, key_managed_by="customer",
                                   rotation_enabled=True, rotation_period_days=365, state="enabled", **common),
        "aws_kms_key.legacy": Key(id=_arn("kms", tokyo, "key/2222"), name="legacy", region=tokyo,
                                  key_managed_by="customer", rotation_enabled=False, state="enabled", **common),
        "aws_s3_bucket.records": ObjectStorage(
            id="arn:aws:s3:::karte-records", name="karte-records", region=tokyo, tags=TAGS, holds_medical_data=True,
            encrypted=True, key_managed_by="customer", kms_key_id=key, public=False, tls_required=True,
            min_tls_version="1.2", versioning=True, immutable=False, immutability_mode=None, retention_days=None,
            destinations=[], **common),
        "aws_s3_bucket.export": ObjectStorage(
            id="arn:aws:s3:::karte-export", name="karte-export", region=virginia, tags=TAGS, holds_medical_data=True,
            encrypted=True, key_managed_by="provider", public=True, tls_required=False, min_tls_version="1.2",
            versioning=False, immutable=False, destinations=[], **common),
        "aws_db_instance.karte": Database(
            id=_arn("rds", tokyo, "db:karte"), name="karte", region=tokyo, tags=TAGS, holds_medical_data=True,
            engine="postgres", encrypted=False, publicly_accessible=True, backup_retention_days=1,
            tls_required=True, destinations=[], **common),
        "aws_vpc_security_group_ingress_rule.ssh": FirewallRule(
            id=_arn("ec2", tokyo, "security-group-rule/sgr-1"), name="bastion", region=tokyo, direction="ingress",
            action="allow", protocol="tcp", sources=["0.0.0.0/0"], ports=[{"from_port": 22, "to_port": 22}],
            attached_to=[_arn("ec2", tokyo, "security-group/sg-1")], **common),
        "aws_vpc_security_group_ingress_rule.https": FirewallRule(
            id=_arn("ec2", tokyo, "security-group-rule/sgr-2"), name="bastion", region=tokyo, direction="ingress",
            action="allow", protocol="tcp", sources=["10.0.0.0/8"], ports=[{"from_port": 443, "to_port": 443}],
            attached_to=[_arn("ec2", tokyo, "security-group/sg-1")], **common),
    }


def statuses(resources, ids) -> dict[tuple[str, str], str]:
    result = Engine(load_catalog()).scan(resources, today=TODAY)
    return {(f.control_id, ids[f.resource.id]): f.status for f in result.findings if f.resource.id in ids}


def test_live_and_iac_verdicts_agree(tmp_path: Path):
    (tmp_path / "main.tf").write_text(TERRAFORM, encoding="utf-8")
    loaded = load([tmp_path], today=TODAY)
    assert loaded.not_scanned == []
    live = live_estate()
    iac_ids = {r.id: r.id for r in loaded.resources}
    assert set(live) == set(iac_ids), set(live) ^ set(iac_ids)
    from_iac = statuses(loaded.resources, iac_ids)
    from_live = statuses(list(live.values()), {r.id: addr for addr, r in live.items()})
    assert from_iac == from_live
    # the estate is not trivially compliant: the pairs agree on failures, not only on passes
    fails = {k for k, s in from_iac.items() if s == "FAIL"}
    assert {("SAN-NET-003", "aws_s3_bucket.export"), ("SAN-LOC-001", "aws_s3_bucket.export"),
            ("SAN-ENC-002", "aws_db_instance.karte"), ("SAN-NET-004", "aws_db_instance.karte"),
            ("SAN-ENC-006", "aws_kms_key.legacy"),
            ("SAN-NET-001", "aws_vpc_security_group_ingress_rule.ssh")} <= fails
    assert from_iac[("SAN-ENC-001", "aws_s3_bucket.records")] == "PASS"
