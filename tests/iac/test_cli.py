"""`sansho iac` as a CI gate runs it: exit codes, file and line in SARIF, unreadable inputs."""

from __future__ import annotations

import json
from pathlib import Path

from ..support.cli import run

CORPUS = Path(__file__).parent / "corpus"
ESTATE = CORPUS / "terraform" / "estate"


def test_estate_fails_the_gate_with_file_and_line_in_sarif(tmp_path):
    out = tmp_path / "iac.sarif"
    r = run("iac", str(ESTATE), "--format", "sarif", "-o", str(out), "--as-of", "2026-11-01")
    assert r.returncode == 1, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    results = doc["runs"][0]["results"]
    fails = [x for x in results if x["kind"] == "fail"]
    assert fails
    for res in fails:
        phys = res["locations"][0]["physicalLocation"]
        assert phys["artifactLocation"]["uri"].endswith(".tf")
        assert phys["region"]["startLine"] >= 1
    # invalid inline suppressions are reported, not silently ignored
    assert "does not mute (expired)" in r.stderr and "does not mute (no reason)" in r.stderr


def test_fail_on_critical_still_fails_on_internet_ssh():
    r = run("iac", str(ESTATE), "--controls", "SAN-NET-001", "--fail-on", "critical", "--format", "json",
            "--as-of", "2026-11-01")
    doc = json.loads(r.stdout)
    failing = {f["resource"]["id"] for f in doc["findings"] if f["status"] == "FAIL"}
    assert r.returncode == (1 if failing else 0)


def test_unreadable_input_is_reported_and_the_rest_scanned(tmp_path):
    # A file that cannot be parsed stops the gate (tests/iac/test_unparsable.py) unless
    # --skip-unparsable asks for the rest to be judged.
    bad = CORPUS / "bad" / "invalid.yaml"
    r = run("iac", str(bad), str(ESTATE), "--format", "json", "--as-of", "2026-11-01", "--skip-unparsable")
    assert r.returncode in (0, 1), r.stderr
    assert "invalid.yaml:7: not scanned" in r.stderr and "sansho: warning: " in r.stderr
    assert json.loads(r.stdout)["findings"]


def test_nothing_scannable_is_exit_2(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    r = run("iac", str(junk))
    assert (r.returncode, r.stderr) == (
        2, f"sansho: error: {junk}: cannot parse: binary file, not Terraform, a plan or a CloudFormation template\n")
    r = run("iac", str(junk), "--skip-unparsable")
    assert r.returncode == 2
    assert "sansho: error: nothing could be scanned" in r.stderr
    assert "Traceback" not in r.stderr
