"""The command line as users meet it: exit codes, one-line errors, the JSON contracts."""

from __future__ import annotations

import json
import tarfile

import pytest

from .support.cli import run

BUCKETS = {
    "schema_version": "1.0",
    "resources": [
        {"id": "arn:aws:s3:::plain", "kind": "storage.bucket", "provider": "aws", "account": "111122223333",
         "region": "ap-northeast-1", "encrypted": False, "source": {"type": "terraform", "file": "s3.tf", "line": 7}},
        {"id": "arn:aws:s3:::sealed", "kind": "storage.bucket", "provider": "aws", "account": "111122223333",
         "region": "ap-northeast-1", "encrypted": True},
        {"id": "arn:aws:s3:::unread", "kind": "storage.bucket", "provider": "aws", "account": "111122223333",
         "region": "ap-northeast-1", "read_errors": {"encrypted": "AccessDenied"}},
    ],
}


@pytest.fixture
def inv(tmp_path):
    p = tmp_path / "inventory.json"
    p.write_text(json.dumps(BUCKETS))
    return p


def test_help_and_version():
    r = run("--help")
    assert r.returncode == 0 and "scan" in r.stdout
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("sansho ")


def test_controls_json_contract():
    r = run("controls", "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert len(doc) >= 45
    for c in doc:
        for key in ("id", "family", "severity", "check", "title", "source", "applies_to", "responsibility"):
            assert key in c, (c["id"], key)
        assert c["title"]["ja"] and c["title"]["en"]
        assert set(c["responsibility"]) == {"saas", "paas", "iaas"}
    assert len({c["family"] for c in doc}) == 13


def test_controls_family_filter_and_bad_family():
    r = run("controls", "--format", "json", "--family", "encryption")
    assert {c["family"] for c in json.loads(r.stdout)} == {"encryption"}
    r = run("controls", "--family", "crypto")
    assert r.returncode == 2
    assert r.stderr.strip().startswith("sansho: error: --family: unknown family 'crypto'")


def test_scan_json_contract_and_exit_code(inv):
    r = run("scan", str(inv), "--controls", "SAN-ENC-001", "--format", "json", "--lang", "en", "--as-of", "2026-11-01")
    assert r.returncode == 1, r.stderr  # a high FAIL
    doc = json.loads(r.stdout)
    for key in ("schema_version", "tool_version", "scanned_at", "summary", "findings"):
        assert key in doc
    assert doc["summary"]["by_status"]["FAIL"] == 1
    assert doc["summary"]["by_family"] == {"encryption": {"FAIL": 1, "UNKNOWN": 1, "PASS": 1}}
    by_id = {f["resource"]["id"]: f for f in doc["findings"]}
    assert {i: f["status"] for i, f in by_id.items()} == {
        "arn:aws:s3:::plain": "FAIL", "arn:aws:s3:::sealed": "PASS", "arn:aws:s3:::unread": "UNKNOWN"}
    plain = by_id["arn:aws:s3:::plain"]
    assert plain["control_id"] == "SAN-ENC-001"
    assert plain["message"] == "bucket is not encrypted at rest"
    assert plain["resource"] == {
        "id": "arn:aws:s3:::plain", "kind": "storage.bucket", "name": None, "provider": "aws",
        "account": "111122223333", "region": "ap-northeast-1", "country": "JP",
        "source": {"type": "terraform", "file": "s3.tf", "line": 7}}


def test_fail_on_threshold(inv):
    assert run("scan", str(inv), "--controls", "SAN-ENC-001", "--fail-on", "critical").returncode == 0
    assert run("scan", str(inv), "--controls", "SAN-ENC-001", "--fail-on", "medium").returncode == 1


def test_suppression_via_config(inv, tmp_path):
    cfg = tmp_path / "sansho.yaml"
    cfg.write_text("suppressions:\n  - control: SAN-ENC-001\n    resource: 'arn:aws:s3:::plain'\n"
                   "    reason: 移行中\n    expires: 2026-12-31\n")
    r = run("scan", str(inv), "--controls", "SAN-ENC-001", "--config", str(cfg), "--as-of", "2026-11-01",
            "--format", "json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["summary"]["by_status"]["MUTED"] == 1
    r = run("scan", str(inv), "--controls", "SAN-ENC-001", "--config", str(cfg), "--as-of", "2027-01-01")
    assert r.returncode == 1
    assert "expired" in r.stdout


@pytest.mark.parametrize("args,expected", [
    (["scan", "missing.json"], "sansho: error: missing.json: file not found"),
    (["scan", "{inv}", "--controls", "SAN-ENC-001,SAN-NOPE-001"],
     "sansho: error: --controls: unknown control ID(s) SAN-NOPE-001"),
    (["scan", "{inv}", "--as-of", "yesterday"], "sansho: error: --as-of: 'yesterday' is not a date"),
    (["scan", "{inv}", "--engine", "opa"], "sansho: error: --engine opa needs --opa-url URL"),
    (["scan", "{inv}", "--engine", "opa", "--opa-url", "http://127.0.0.1:9"],
     "sansho: error: --opa-url: cannot connect to OPA at http://127.0.0.1:9"),
])
def test_bad_input_is_one_line_exit_2(inv, args, expected):
    r = run(*[a.replace("{inv}", str(inv)) for a in args])
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stderr.startswith(expected), r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


@pytest.mark.parametrize("config,expected", [
    ("suppressions:\n  - control: SAN-XYZ-001\n    resource: '*'\n    reason: r\n    expires: 2027-01-01\n",
     "field 'suppressions[0].control': unknown control ID 'SAN-XYZ-001'"),
    ("suppressions:\n  - control: SAN-ENC-001\n    resource: '*'\n    expires: 2027-01-01\n",
     "field 'suppressions[0].reason': Field required"),
    ("suppressions:\n  - control: SAN-ENC-001\n    resource: '*'\n    reason: r\n",
     "field 'suppressions[0].expires': Field required"),
    ("parameters:\n  SAN-ENC-001:\n    foo: 1\n", "field 'parameters.SAN-ENC-001.foo': SAN-ENC-001 has no parameter 'foo'"),
    ("colour: blue\n", "field 'colour': Extra inputs are not permitted"),
])
def test_bad_config_is_one_line_exit_2(inv, tmp_path, config, expected):
    cfg = tmp_path / "sansho.yaml"
    cfg.write_text(config)
    r = run("scan", str(inv), "--config", str(cfg))
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith(f"sansho: error: {cfg}: "), r.stderr
    assert expected in r.stderr


def test_other_formats(inv, tmp_path):
    for fmt in ("sarif", "junit", "csv", "table"):
        out = tmp_path / f"out.{fmt}"
        r = run("scan", str(inv), "--controls", "SAN-ENC-001", "--format", fmt, "-o", str(out), "--lang", "en")
        assert r.returncode == 1, r.stderr
        assert "arn:aws:s3:::plain" in out.read_text(encoding="utf-8")


def test_schema_commands():
    for name in ("inventory", "catalog", "config"):
        r = run("schema", name)
        assert r.returncode == 0
        assert json.loads(r.stdout)["title"]


def test_rego_bundle(tmp_path):
    out = tmp_path / "bundle.tar.gz"
    r = run("rego", "bundle", "-o", str(out))
    assert r.returncode == 0, r.stderr
    with tarfile.open(out) as t:
        names = t.getnames()
        data = json.load(t.extractfile("/sansho/data.json"))
        manifest = json.load(t.extractfile("/.manifest"))
    assert "/sansho/lib/lib.rego" in names
    assert "/sansho/encryption/encryption.rego" in names
    assert not [n for n in names if n.endswith("_test.rego")]
    assert data["controls"]["SAN-ENC-001"]["applies_to"] == ["storage.bucket"]
    assert manifest["roots"] == ["sansho"]
