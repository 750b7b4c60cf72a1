"""Write-once means a lock nobody can lift (システム運用編 17 ②・18): every IaC reader carries the mode.

S3 Object Lock in GOVERNANCE mode, AWS Backup Vault Lock without ``changeable_for_days`` (governance
mode), unlocked Azure vault immutability and an unlocked GCS retention policy used to count as
write-once; a privileged user can lift each of them, so SAN-REC-001, SAN-LOG-003, SAN-BKP-002 (and the
``worm`` backup method of SAN-BKP-007/010) now fail them, through Terraform, CloudFormation and the
Pulumi adapter alike.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("checkov")

from sansho.collectors.iac import load  # noqa: E402
from sansho.collectors.iac.pulumi import normalize  # noqa: E402
from sansho.policies.catalog import load_catalog  # noqa: E402
from sansho.policies.engine.core import Engine  # noqa: E402

TODAY = dt.date(2026, 11, 1)
CONTROLS = ("SAN-REC-001", "SAN-LOG-003", "SAN-BKP-002", "SAN-BKP-007", "SAN-BKP-010")


def judge(resources) -> dict[tuple[str, str], tuple[str, str, str]]:
    cat = load_catalog()
    result = Engine(cat).scan(resources, [cat[c] for c in CONTROLS], today=TODAY)
    return {(f.control_id, f.resource.id): (f.status, f.message_en, f.message_ja) for f in result.findings}


def status(verdicts, control: str, rid: str) -> str:
    return verdicts[(control, rid)][0]


TERRAFORM = """
provider "aws" { region = "ap-northeast-1" }

locals { records = { "sansho-records" = "finalised" } }

resource "aws_s3_bucket" "governance" {
  bucket              = "records-governance"
  object_lock_enabled = true
  tags                = local.records
}
resource "aws_s3_bucket_object_lock_configuration" "governance" {
  bucket = aws_s3_bucket.governance.id
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 3650
    }
  }
}
resource "aws_s3_bucket" "compliance" {
  bucket              = "records-compliance"
  object_lock_enabled = true
  tags                = local.records
}
resource "aws_s3_bucket_object_lock_configuration" "compliance" {
  bucket = aws_s3_bucket.compliance.id
  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 3650
    }
  }
}
resource "aws_cloudtrail" "governance" {
  name           = "trail-governance"
  s3_bucket_name = aws_s3_bucket.governance.id
}
resource "aws_cloudtrail" "compliance" {
  name           = "trail-compliance"
  s3_bucket_name = aws_s3_bucket.compliance.id
}

resource "aws_backup_vault" "governance" { name = "vault-governance" }
resource "aws_backup_vault_lock_configuration" "governance" {
  backup_vault_name  = aws_backup_vault.governance.name
  min_retention_days = 7
}
resource "aws_backup_vault" "compliance" { name = "vault-compliance" }
resource "aws_backup_vault_lock_configuration" "compliance" {
  backup_vault_name   = aws_backup_vault.compliance.name
  min_retention_days  = 7
  changeable_for_days = 3
}
resource "aws_backup_vault" "unresolved" { name = "vault-unresolved" }
resource "aws_backup_vault_lock_configuration" "unresolved" {
  backup_vault_name   = aws_backup_vault.unresolved.name
  changeable_for_days = var.grace_days
}
variable "grace_days" {}

resource "aws_backup_plan" "governance" {
  name = "plan-governance"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.governance.name
    schedule          = "cron(0 17 ? * * *)"
    lifecycle { delete_after = 35 }
  }
}
resource "aws_backup_plan" "compliance" {
  name = "plan-compliance"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.compliance.name
    schedule          = "cron(0 17 ? * * *)"
    lifecycle { delete_after = 35 }
  }
}
"""

AZURE_GOOGLE = """
provider "azurerm" {
  features {}
}
provider "google" {
  region = "asia-northeast1"
}

resource "azurerm_recovery_services_vault" "unlocked" {
  name                = "rsv-unlocked"
  location            = "japaneast"
  resource_group_name = "rg"
  sku                 = "Standard"
  immutability        = "Unlocked"
}
resource "azurerm_recovery_services_vault" "locked" {
  name                = "rsv-locked"
  location            = "japaneast"
  resource_group_name = "rg"
  sku                 = "Standard"
  immutability        = "Locked"
}
resource "google_storage_bucket" "unlocked" {
  name     = "records-retention-unlocked"
  location = "ASIA-NORTHEAST1"
  labels   = { "sansho-records" = "finalised" }
  retention_policy {
    retention_period = 157680000
  }
}
resource "google_storage_bucket" "locked" {
  name     = "records-retention-locked"
  location = "ASIA-NORTHEAST1"
  labels   = { "sansho-records" = "finalised" }
  retention_policy {
    retention_period = 157680000
    is_locked        = true
  }
}
"""

CLOUDFORMATION = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  GovernanceRecords:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: records-governance-cfn
      ObjectLockEnabled: true
      ObjectLockConfiguration:
        ObjectLockEnabled: Enabled
        Rule:
          DefaultRetention:
            Mode: GOVERNANCE
            Years: 10
      Tags:
        - Key: sansho-records
          Value: finalised
  GovernanceVault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: vault-governance-cfn
      LockConfiguration:
        MinRetentionDays: 7
  ComplianceVault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: vault-compliance-cfn
      BackupVaultTags:
        sansho:medical: "true"
      LockConfiguration:
        MinRetentionDays: 7
        ChangeableForDays: 3
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / ("template.yaml" if name == "cfn" else "main.tf")).write_text(textwrap.dedent(text), encoding="utf-8")
    return d


def test_terraform_aws_governance_mode_is_read_and_fails(tmp_path):
    loaded = load([_write(tmp_path, "aws", TERRAFORM)], today=TODAY)
    assert loaded.not_scanned == []
    r = {x.id: x for x in loaded.resources}
    assert (r["aws_s3_bucket.governance"].immutable, r["aws_s3_bucket.governance"].immutability_mode) == (
        True, "governance")
    assert r["aws_cloudtrail.governance"].destination_immutability_mode == "governance"
    assert {a: (r[a].immutable, r[a].immutability_mode) for a in (
        "aws_backup_vault.governance", "aws_backup_vault.compliance", "aws_backup_vault.unresolved")} == {
        "aws_backup_vault.governance": (True, "governance"), "aws_backup_vault.compliance": (True, "compliance"),
        "aws_backup_vault.unresolved": (True, None)}
    assert "changeable_for_days" in r["aws_backup_vault.unresolved"].read_errors["immutability_mode"]
    assert (r["aws_backup_plan.governance"].methods, r["aws_backup_plan.compliance"].methods) == (
        ["online"], ["online", "worm"])
    v = judge(loaded.resources)
    assert {(c, rid): status(v, c, rid) for c, rid in (
        ("SAN-REC-001", "aws_s3_bucket.governance"), ("SAN-REC-001", "aws_s3_bucket.compliance"),
        ("SAN-LOG-003", "aws_cloudtrail.governance"), ("SAN-LOG-003", "aws_cloudtrail.compliance"),
        ("SAN-BKP-002", "aws_backup_vault.governance"), ("SAN-BKP-002", "aws_backup_vault.compliance"),
        ("SAN-BKP-002", "aws_backup_vault.unresolved"),
        ("SAN-BKP-010", "aws_backup_plan.governance"), ("SAN-BKP-010", "aws_backup_plan.compliance"),
    )} == {
        ("SAN-REC-001", "aws_s3_bucket.governance"): "FAIL", ("SAN-REC-001", "aws_s3_bucket.compliance"): "PASS",
        ("SAN-LOG-003", "aws_cloudtrail.governance"): "FAIL", ("SAN-LOG-003", "aws_cloudtrail.compliance"): "PASS",
        ("SAN-BKP-002", "aws_backup_vault.governance"): "FAIL", ("SAN-BKP-002", "aws_backup_vault.compliance"): "PASS",
        ("SAN-BKP-002", "aws_backup_vault.unresolved"): "UNKNOWN",
        ("SAN-BKP-010", "aws_backup_plan.governance"): "FAIL", ("SAN-BKP-010", "aws_backup_plan.compliance"): "PASS",
    }
    _, en, ja = v[("SAN-LOG-003", "aws_cloudtrail.governance")]
    assert "governance mode, which a privileged user can lift" in en and "書換え・削除不能とはいえません" in ja


def test_terraform_azure_and_google_unlocked_policies_fail(tmp_path):
    loaded = load([_write(tmp_path, "azgcp", AZURE_GOOGLE)], today=TODAY)
    assert loaded.not_scanned == []
    r = {x.id: x for x in loaded.resources}
    assert (r["azurerm_recovery_services_vault.unlocked"].immutable,
            r["azurerm_recovery_services_vault.unlocked"].immutability_mode) == (True, "unlocked")
    assert r["google_storage_bucket.unlocked"].immutability_mode == "unlocked"
    v = judge(loaded.resources)
    assert status(v, "SAN-BKP-002", "azurerm_recovery_services_vault.unlocked") == "FAIL"
    assert status(v, "SAN-BKP-002", "azurerm_recovery_services_vault.locked") == "PASS"
    assert status(v, "SAN-REC-001", "google_storage_bucket.unlocked") == "FAIL"
    assert status(v, "SAN-REC-001", "google_storage_bucket.locked") == "PASS"
    _, en, ja = v[("SAN-REC-001", "google_storage_bucket.unlocked")]
    assert "immutability policy is unlocked" in en and "ロックされておらず" in ja


def test_cloudformation_object_lock_mode_and_vault_lock(tmp_path):
    loaded = load([_write(tmp_path, "cfn", CLOUDFORMATION) / "template.yaml"], today=TODAY, cfn_region="ap-northeast-1")
    assert loaded.not_scanned == []
    r = {x.id: x for x in loaded.resources}
    assert (r["GovernanceRecords"].immutable, r["GovernanceRecords"].immutability_mode) == (True, "governance")
    assert (r["GovernanceVault"].immutable, r["GovernanceVault"].immutability_mode) == (True, "governance")
    assert (r["ComplianceVault"].immutable, r["ComplianceVault"].immutability_mode,
            r["ComplianceVault"].holds_medical_data) == (True, "compliance", True)
    v = judge(loaded.resources)
    assert status(v, "SAN-REC-001", "GovernanceRecords") == "FAIL"
    assert status(v, "SAN-BKP-002", "GovernanceVault") == "FAIL"
    assert status(v, "SAN-BKP-002", "ComplianceVault") == "PASS"


def test_pulumi_adapter_reads_the_modes():
    provider = {"type": "pulumi:providers:aws", "name": "tokyo", "urn": "urn:pulumi:dev::p::pulumi:providers:aws::tokyo",
                "inputs": {"region": "ap-northeast-1"}}
    pref = provider["urn"] + "::prov-id"

    def res(token: str, name: str, inputs: dict) -> dict:
        return {"type": token, "name": name, "urn": f"urn:pulumi:dev::p::{token}::{name}", "inputs": inputs,
                "provider": pref}

    resources = [
        provider,
        res("aws:s3/bucket:Bucket", "records", {"bucket": "records-pulumi", "objectLockEnabled": True,
                                                 "tags": {"sansho-records": "finalised"}}),
        res("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "records-lock",
            {"bucket": "records-pulumi", "rule": {"defaultRetention": {"mode": "GOVERNANCE", "days": 365}}}),
        res("aws:backup/vault:Vault", "vault", {"name": "vault-pulumi"}),
        res("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "vault-lock",
            {"backupVaultName": "vault-pulumi", "minRetentionDays": 7}),
        res("aws:backup/vault:Vault", "vault-c", {"name": "vault-pulumi-c"}),
        res("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "vault-c-lock",
            {"backupVaultName": "vault-pulumi-c", "minRetentionDays": 7, "changeableForDays": 3.0}),
    ]
    got = {r.id.rsplit("::", 1)[-1]: r for r in normalize(resources)}
    assert (got["records"].immutable, got["records"].immutability_mode) == (True, "governance")
    assert (got["vault"].immutability_mode, got["vault-c"].immutability_mode) == ("governance", "compliance")
    v = {(c, rid.rsplit("::", 1)[-1]): s for (c, rid), (s, _, _) in judge(list(got.values())).items()}
    assert (v[("SAN-REC-001", "records")], v[("SAN-BKP-002", "vault")], v[("SAN-BKP-002", "vault-c")]) == (
        "FAIL", "FAIL", "PASS")
