"""The streamed scan outputs (issue #16): `--format json` written finding by finding, `--format
jsonl` for big runs, and the CSV row by row — each equal to the document a user read before."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sansho.policies.scanning import demo_files
from sansho.reports.scan_json import FindingJSON, ScanDocument

from .support.cli import run

AS_OF = "2026-11-01"


@pytest.fixture(scope="module")
def demo_outputs(tmp_path_factory):
    """The demo estate scanned once per format, as a user runs it."""
    files, config = demo_files()
    out = tmp_path_factory.mktemp("streamed")
    for fmt in ("json", "jsonl", "csv"):
        r = run("scan", *map(str, files), "--config", str(config), "--as-of", AS_OF, "--format", fmt,
                "-o", str(out / f"findings.{fmt}"), "--no-save")
        assert r.returncode == 1, r.stderr  # the demo has high FAILs
    return out


def test_json_document_validates_against_its_schema(demo_outputs):
    doc = json.loads((demo_outputs / "findings.json").read_text(encoding="utf-8"))
    ScanDocument.model_validate(doc)
    assert doc["summary"]["total"] == len(doc["findings"]) > 900
    assert doc["summary"]["by_status"] == {s: sum(f["status"] == s for f in doc["findings"])
                                           for s in doc["summary"]["by_status"]}


def test_jsonl_is_the_scan_line_then_one_line_per_finding_equal_to_the_json_findings(demo_outputs):
    doc = json.loads((demo_outputs / "findings.json").read_text(encoding="utf-8"))
    lines = (demo_outputs / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    head = json.loads(lines[0])
    assert head.pop("record") == "scan"
    assert {k: v for k, v in head.items() if k != "scanned_at"} == {
        k: v for k, v in doc.items() if k not in ("findings", "scanned_at")}
    findings = [json.loads(line) for line in lines[1:]]
    assert {f.pop("record") for f in findings} == {"finding"}
    for f in findings:
        FindingJSON.model_validate(f)
    assert findings == doc["findings"]


def test_csv_has_one_row_per_finding_in_the_json_order(demo_outputs):
    doc = json.loads((demo_outputs / "findings.json").read_text(encoding="utf-8"))
    text = (demo_outputs / "findings.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeffcontrol_id,status,basis,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["control_id"], r["status"], r["resource_id"]) for r in rows] == [
        (f["control_id"], f["status"], f["resource"]["id"]) for f in doc["findings"]]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_a_scan_with_no_finding_is_still_a_whole_document(tmp_path, fmt):
    inv = tmp_path / "inventory.json"
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": [
        {"id": "disk-1", "kind": "compute.disk", "provider": "aws", "account": "111122223333",
         "region": "ap-northeast-1"}]}))
    r = run("scan", str(inv), "--controls", "SAN-ENC-001", "--format", fmt, "--as-of", AS_OF, "--no-save")
    assert r.returncode == 0, r.stderr
    if fmt == "json":
        doc = json.loads(r.stdout)
        assert doc["findings"] == [] and doc["summary"]["total"] == 0
    else:
        lines = r.stdout.splitlines()
        assert len(lines) == 1 and json.loads(lines[0])["summary"]["total"] == 0


def test_stdout_and_file_outputs_are_the_same_text(tmp_path):
    files, config = demo_files()
    args = ["scan", *map(str, files), "--config", str(config), "--as-of", AS_OF, "--format", "jsonl", "--no-save",
            "--lang", "en"]
    printed = run(*args).stdout.splitlines()
    run(*args, "-o", str(tmp_path / "f.jsonl"))
    written = (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(printed) == len(written) > 900
    assert printed[1:] == written[1:]  # the first line carries the scan time


def test_an_output_that_is_a_pipe_is_written_into_not_replaced(tmp_path):
    """`-o /dev/null` or a named pipe: the atomic rename would put a regular file in its place."""
    import os
    import stat
    import threading

    fifo = tmp_path / "findings.pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    files, config = demo_files()
    r = run("scan", *map(str, files), "--config", str(config), "--as-of", AS_OF, "--format", "jsonl",
            "-o", str(fifo), "--no-save")
    reader.join(timeout=60)
    assert r.returncode == 1, r.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert len(got[0].decode().splitlines()) > 900
