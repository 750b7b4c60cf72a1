"""`sansho checkov-checks`: real checkov runs sansho's controls and agrees with `sansho iac`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

pytest.importorskip("checkov")

from sansho.collectors.iac.checkov_checks import KIND_TYPES, check_id, control_types  # noqa: E402
from sansho.collectors.iac.normalize import block_address, supported_types  # noqa: E402
from sansho.policies.catalog import load_catalog  # noqa: E402
from sansho.policies.model import RESOURCE_CLASSES  # noqa: E402

from ..support.cli import run  # noqa: E402

ESTATE = Path(__file__).parent / "corpus" / "terraform" / "estate"
AZURE = Path(__file__).parent / "corpus" / "terraform" / "azure_hospital"
GCP = Path(__file__).parent / "corpus" / "terraform" / "gcp_hospital"
AS_OF = "2026-11-01"
CHECKOV = str(Path(sys.executable).with_name("checkov"))


def test_check_ids_and_types_follow_the_catalog_and_the_adapter():
    assert check_id("SAN-ENC-001") == "CKV_SANSHO_ENC_001"
    assert set(KIND_TYPES) <= set(RESOURCE_CLASSES)
    assert {t for ts in KIND_TYPES.values() for t in ts} <= supported_types()
    covered = [c for c in load_catalog() if c.check == "automated" and control_types(c.applies_to)]
    assert {"SAN-ENC-001", "SAN-NET-001", "SAN-BKP-001", "SAN-LOG-003"} <= {c.id for c in covered}


def test_prints_the_bundled_folder_and_writes_a_copy(tmp_path):
    r = run("checkov-checks")
    assert r.returncode == 0, r.stderr
    bundled = Path(r.stdout.strip())
    assert (bundled / "__init__.py").is_file() and (bundled / "sansho_checks.py").is_file()
    r = run("checkov-checks", "-o", str(tmp_path / "ckv"))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "ckv").iterdir()) == ["__init__.py", "sansho_checks.py"]


def _sansho_statuses(path: Path) -> dict[tuple[str, str], str]:
    """`sansho iac` verdicts per (check id, checkov resource): the rules of one security group, network
    security group or firewall are one checkov resource (FAIL if any rule fails, PASS if all the rules
    the control applies to pass)."""
    r = run("iac", str(path), "--format", "json", "--as-of", AS_OF, "--lang", "en")
    assert r.returncode in (0, 1), r.stderr
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in json.loads(r.stdout)["findings"]:
        grouped[(check_id(f["control_id"]), block_address(f["resource"]["id"]))].append(f["status"])
    out = {}
    for key, all_st in grouped.items():
        st = {s for s in all_st if s != "NOT_APPLICABLE"} or set(all_st)
        out[key] = ("FAIL" if "FAIL" in st else "PASS" if st == {"PASS"} else
                    "MUTED" if st <= {"PASS", "MUTED"} else "UNKNOWN")
    return out


def _checkov(directory: Path, tmp_path: Path) -> dict:
    checks = tmp_path / "checks"
    assert run("checkov-checks", "-o", str(checks)).returncode == 0
    env = {k: v for k, v in os.environ.items() if k not in ("SANSHO_LANG", "SANSHO_CONFIG")}
    env.update(SANSHO_AS_OF=AS_OF, BC_SKIP_MAPPING="TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false")
    p = subprocess.run(
        [CHECKOV, "-d", str(directory), "--external-checks-dir", str(checks), "--framework", "terraform",
         "-o", "json", "--check", "CKV_SANSHO_*", "--compact"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert p.returncode in (0, 1), p.stderr[-2000:]
    return json.loads(p.stdout)["results"]


def _checkov_statuses(results: dict) -> dict[tuple[str, str], str]:
    got: dict[tuple[str, str], str] = {}
    for name, status in (("passed_checks", "PASS"), ("failed_checks", "FAIL"), ("skipped_checks", "MUTED")):
        for rec in results[name]:
            assert rec["check_id"].startswith("CKV_SANSHO_")
            got[(rec["check_id"], rec["resource"])] = status
    return got


def test_real_checkov_gives_the_same_verdicts_as_sansho_iac(tmp_path):
    results = _checkov(ESTATE, tmp_path)
    got = _checkov_statuses(results)
    expected = _sansho_statuses(ESTATE)
    # checkov leaves UNKNOWN out of its report: every judged pair is in sansho's, with its status
    assert {k: v for k, v in expected.items() if v != "UNKNOWN"} == got
    fails = {k for k, v in got.items() if v == "FAIL"}
    assert ("CKV_SANSHO_NET_001", "aws_security_group.bastion") in fails
    assert ("CKV_SANSHO_ENC_004", "aws_s3_bucket.trail") in fails  # a joined S3 setting, judged on the bucket
    assert ("CKV_SANSHO_BKP_005", "aws_db_instance.karte") not in fails  # muted by sansho:ignore
    muted = [r for r in results["skipped_checks"] if r["resource"] == "aws_db_instance.karte"]
    assert muted and "3-day PITR accepted" in muted[0]["check_result"]["suppress_comment"]
    # findings keep checkov's file and line of the resource block
    one = next(r for r in results["failed_checks"] if r["check_id"] == "CKV_SANSHO_NET_001")
    assert one["file_path"] == "/network.tf" and one["file_line_range"][0] >= 1


def test_real_checkov_agrees_with_sansho_iac_on_azurerm_and_google(tmp_path):
    # Both roots under one directory: one checkov run (each root is read and judged once by sansho).
    both = tmp_path / "multicloud"
    for src in (AZURE, GCP):
        shutil.copytree(src, both / src.name)
    results = _checkov(both, tmp_path)
    got = _checkov_statuses(results)
    expected = _sansho_statuses(both)
    assert {k: v for k, v in expected.items() if v != "UNKNOWN"} == got
    fails = {k for k, v in got.items() if v == "FAIL"}
    # inline NSG rules and firewall allow blocks are judged on their resource block
    assert ("CKV_SANSHO_NET_001", "azurerm_network_security_group.web") in fails
    assert ("CKV_SANSHO_NET_002", "google_compute_firewall.lab_vendor") in fails
    assert ("CKV_SANSHO_NET_003", "google_storage_bucket.imaging_archive") in fails  # joined IAM member
    assert ("CKV_SANSHO_NET_004", "azurerm_mssql_database.reporting") in fails  # joined server firewall rule
    assert got[("CKV_SANSHO_LOC_002", "module.records.azurerm_storage_account.this")] == "PASS"  # GRS → japanwest
    assert got[("CKV_SANSHO_LOC_001", "module.records.google_storage_bucket.this")] == "PASS"  # ASIA1
    # UNKNOWN in sansho (an unresolved location) is left out of checkov's report, never PASS
    assert expected[("CKV_SANSHO_LOC_001", "azurerm_storage_account.exports")] == "UNKNOWN"
    assert ("CKV_SANSHO_LOC_001", "azurerm_storage_account.exports") not in got
    one = next(r for r in results["failed_checks"] if r["resource"] == "azurerm_storage_account.imaging")
    assert one["file_path"] == "/azure_hospital/storage.tf" and one["file_line_range"][0] == 14
