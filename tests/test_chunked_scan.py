"""`sansho scan FILES --format json|jsonl|csv` reads and judges its inventories a chunk at a time
(issue #16, decision 40): the same bytes as a scan held in memory, the same one-line errors, and
no output at all when an input is refused halfway."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from sansho.policies import inventory as inventory_module
from sansho.policies.catalog import load_catalog
from sansho.policies.config import load_config
from sansho.policies.inventory import InventoryStream, load_inventory
from sansho.policies.scanning import demo_files, exit_code, render, scan_files

from .support.cli import run

AS_OF = "2026-11-01"


def in_memory(files: list[Path], config: Path | None, fmt: str, out: Path) -> int:
    """The scan as `--save` and `--cluster` run it: every resource and finding in memory."""
    catalog = load_catalog()
    cfg = load_config(config, catalog)
    result = scan_files(files, cfg, catalog, list(catalog), as_of=dt.date.fromisoformat(AS_OF))
    render(result, catalog, fmt, "ja", out, "high")
    return exit_code(result, catalog, "high")


def without_time(text: str) -> str:
    return re.sub(r'"scanned_at": ?"[^"]*"', '"scanned_at": ""', text)


def chunked(*args: str, chunk: int = 3) -> object:
    save = [] if "--save" in args else ["--no-save"]
    return run("scan", *args, "--as-of", AS_OF, *save, env_extra={"SANSHO_CHUNK": str(chunk)})


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_the_demo_estate_judged_three_resources_at_a_time_gives_the_bytes_of_a_scan_in_memory(tmp_path, fmt):
    # seven files: clouds, on-prem registers (devices, segments), vendors, attestations
    files, config = demo_files()
    r = chunked(*map(str, files), "--config", str(config), "--format", fmt, "-o", str(tmp_path / "chunked"))
    assert r.returncode == in_memory(files, config, fmt, tmp_path / "memory") == 1, r.stderr
    chunked_text = (tmp_path / "chunked").read_text(encoding="utf-8")
    assert without_time(chunked_text) == without_time((tmp_path / "memory").read_text(encoding="utf-8"))
    assert len(chunked_text) > 200_000


def rule(rid: str, group: str, source: str) -> dict:
    return {"id": rid, "kind": "network.firewall_rule", "provider": "aws", "account": "111111111111",
            "region": "ap-northeast-1", "direction": "ingress", "action": "allow", "protocol": "tcp",
            "sources": [source], "ports": [{"from_port": 22, "to_port": 22}], "group": group}


def bucket(i: int) -> dict:
    return {"id": f"arn:aws:s3:::b{i}", "kind": "storage.bucket", "provider": "aws", "account": "111111111111",
            "region": "ap-northeast-1", "encrypted": True}


def test_a_security_groups_rules_in_different_chunks_are_still_judged_together(tmp_path):
    # Each /7 is under 1 % of the public IPv4 space (SAN-NET-001's internet_share); sg-1's two
    # rules together reach 1.8 %, so both FAIL; sg-2's one rule alone PASSes.
    resources = [rule("sgr-a", "sg-1", "44.0.0.0/7"), *map(bucket, range(4)), rule("sgr-b", "sg-1", "46.0.0.0/7"),
                 bucket(9), rule("sgr-c", "sg-2", "48.0.0.0/7")]
    inv = tmp_path / "inv.json"
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": resources}))
    r = chunked(str(inv), "--controls", "SAN-NET-001", "--format", "json", "-o", str(tmp_path / "out.json"), chunk=1)
    assert r.returncode == 1, r.stderr
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert {f["resource"]["id"]: f["status"] for f in doc["findings"]} == {
        "sgr-a": "FAIL", "sgr-b": "FAIL", "sgr-c": "PASS"}


def resources_text(n: int) -> list[str]:
    return [json.dumps(bucket(i)) for i in range(n)]


def document(items: list[str], head: str = '"schema_version": "1.0"', tail: str = "") -> str:
    return "{" + head + ', "resources": [' + ", ".join(items) + "]" + tail + "}"


MALFORMED = {
    # name: (file text, the one line `sansho scan` says)
    "duplicate key in the 8th resource": (
        document(resources_text(7) + ['{"id": "x", "kind": "storage.bucket", "provider": "aws", '
                                      '"encrypted": true, "encrypted": false}']),
        "{path}:1: duplicate key 'encrypted' in a JSON object (a key may appear once)"),
    "unknown kind in the 9th resource": (
        document(resources_text(8) + ['{"id": "x", "kind": "storage.blob", "provider": "aws"}']),
        "{path}: field 'resources[8](id=x).kind': unknown resource kind 'storage.blob' (known: "),
    "wrong type in the 7th resource": (
        document(resources_text(6) + ['{"id": "x", "kind": "storage.bucket", "provider": "aws", "encrypted": "yes"}']),
        "{path}: field 'resources[6](id=x).encrypted': "),
    "cut short in the 6th resource": (document(resources_text(9))[:700], "{path}: malformed JSON: "),
    "schema version after the resources": (
        document(resources_text(9), head='"generator": "t"', tail=', "schema_version": "2.0"'),
        "{path}: field 'schema_version' is '2.0'; this sansho reads '1.0'"),
    "text after the object": (document(resources_text(9)) + " {}", "{path}: malformed JSON: "),
    "the same resource twice, chunks apart": (
        document(resources_text(9) + [json.dumps(bucket(1))]),
        "{path}: field 'resources(id=arn:aws:s3:::b1).id': storage.bucket 'arn:aws:s3:::b1' is already in {path}"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_an_input_refused_halfway_gives_the_whole_file_readers_line_and_writes_nothing(tmp_path, name):
    text, said = MALFORMED[name]
    inv = tmp_path / "inv.json"
    inv.write_text(text, encoding="utf-8")
    out = tmp_path / "out.json"
    streamed = chunked(str(inv), "--format", "json", "-o", str(out), chunk=2)
    whole = run("scan", str(inv), "--as-of", AS_OF, "--no-save", "--format", "table")  # read whole, in memory
    assert streamed.returncode == whole.returncode == 2
    line = streamed.stderr.strip()
    assert line == whole.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.removeprefix("sansho: error: ").startswith(said.format(path=inv)), line
    assert not out.exists() and list(tmp_path.iterdir()) == [inv]  # nothing written, not even a temporary file


def test_the_same_resource_in_two_files_is_refused_naming_both(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(document(resources_text(5)))
    b.write_text(document([json.dumps(bucket(7)), json.dumps(bucket(3))]))
    r = chunked(str(a), str(b), "--format", "jsonl", "-o", str(tmp_path / "out.jsonl"), chunk=2)
    assert r.returncode == 2
    assert r.stderr.strip().removeprefix("sansho: error: ") == (
        f"{b}: field 'resources(id=arn:aws:s3:::b3).id': storage.bucket 'arn:aws:s3:::b3' is already in {a}")
    assert not (tmp_path / "out.jsonl").exists()


def test_a_chunk_size_that_is_not_a_number_is_one_line(tmp_path):
    files, config = demo_files()
    r = run("scan", str(files[0]), "--format", "json", "-o", str(tmp_path / "o.json"), "--no-save",
            env_extra={"SANSHO_CHUNK": "lots"})
    assert r.returncode == 2
    assert r.stderr.strip().removeprefix("sansho: error: ") == (
        "SANSHO_CHUNK='lots': give a number of resources ≥ 1 / 1 以上の資源数を指定してください")


def test_a_text_read_in_tiny_blocks_gives_the_resources_of_a_whole_file_read(tmp_path, monkeypatch):
    # Blocks of 5 characters cut keys, numbers, escapes and Japanese (multi-byte UTF-8) names.
    items = [{**bucket(i), "name": f"電子カルテ \\\" {i}", "tags": {"部門": "放射線科"}} for i in range(11)]
    items.insert(4, rule("sgr-a", "sg-1", "44.0.0.0/7"))
    items.insert(8, rule("sgr-b", "sg-1", "46.0.0.0/7"))
    inv = tmp_path / "inv.json"
    inv.write_text(json.dumps({"generator": "t", "resources": items, "schema_version": "1.0",
                               "errors": [{"service": "s3", "api": "GetBucketPolicy", "reason": "AccessDenied"}]},
                              ensure_ascii=False, indent=2), encoding="utf-8")
    monkeypatch.setattr(inventory_module, "READ_BLOCK", 5)
    stream = InventoryStream(inv, chunk=3)
    chunks = list(stream)
    whole = load_inventory(inv)
    # chunks of three as read, less the firewall rules, which come last, together
    assert [len(c) for c in chunks] == [3, 2, 2, 3, 1, 2]
    got = sorted((r.model_dump() for c in chunks for r in c), key=lambda d: d["id"])
    assert got == sorted((r.model_dump() for r in whole.resources), key=lambda d: d["id"])
    assert [r.internet_share for r in chunks[-1]] == [r.internet_share for r in whole.resources
                                                      if r.kind == "network.firewall_rule"]
    assert stream.errors == whole.errors and len(stream.errors) == 1


def test_a_yaml_inventory_is_read_whole_and_judged_in_chunks(tmp_path):
    inv = tmp_path / "inv.yaml"
    inv.write_text("schema_version: '1.0'\nresources:\n" + "".join(
        f"  - {{id: 'arn:aws:s3:::y{i}', kind: storage.bucket, provider: aws, region: ap-northeast-1, "
        f"encrypted: {str(i != 2).lower()}}}\n" for i in range(5)))
    r = chunked(str(inv), "--controls", "SAN-ENC-001", "--format", "json", "-o", str(tmp_path / "o.json"), chunk=2)
    doc = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert r.returncode == 1, r.stderr
    assert [(f["resource"]["id"], f["status"]) for f in doc["findings"]] == [
        (f"arn:aws:s3:::y{i}", "FAIL" if i == 2 else "PASS") for i in range(5)]


def saved(db: Path) -> tuple[list, list, list]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        scans = conn.execute("SELECT as_of, period, tool_version, engine, controls, inputs, notes, selection "
                             "FROM scans").fetchall()
        findings = conn.execute("SELECT position, control_id, status, resource_kind, resource_id, message_ja, "
                                "message_en, rule, evidence, suppression, basis FROM findings "
                                "ORDER BY scan_id, position").fetchall()
        resources = conn.execute("SELECT position, kind, resource_id, document FROM resources "
                                 "ORDER BY scan_id, position").fetchall()
    return scans, findings, resources


def test_a_chunked_scan_saves_the_history_rows_of_a_scan_in_memory(tmp_path):
    files, config = demo_files()
    args = [*map(str, files), "--config", str(config), "--save"]
    r = chunked(*args, "--history", str(tmp_path / "chunked.db"), "--format", "jsonl", "-o", str(tmp_path / "o.jsonl"))
    assert r.returncode == 1
    assert r.stderr == f"履歴にスキャン #1 を保存しました ({tmp_path / 'chunked.db'})\n"
    m = run("scan", *args, "--history", str(tmp_path / "memory.db"), "--as-of", AS_OF, "--format", "table")
    assert m.returncode == 1, m.stderr
    scans, findings, resources = saved(tmp_path / "chunked.db")
    assert (scans, findings, resources) == saved(tmp_path / "memory.db")
    assert len(scans) == 1 and len(findings) > 900 and len(resources) == 258
    assert [p for p, *_ in findings] == list(range(len(findings)))


def test_findings_wait_beside_the_output_and_a_full_disk_is_one_line(tmp_path, monkeypatch):
    import tempfile

    from sansho.policies import spool as spool_module
    from sansho.policies.errors import InputError
    from sansho.policies.scanning import scan_streamed

    files, config = demo_files()
    catalog = load_catalog()
    cfg = load_config(config, catalog)
    folders = []

    def on_a_full_disk(prefix: str, dir: str):  # the kernel's own "No space left on device"
        folders.append(dir)
        return open("/dev/full", "w+b")

    monkeypatch.setattr(tempfile, "TemporaryFile", on_a_full_disk)
    out = tmp_path / "findings.json"
    with pytest.raises(InputError) as e:
        scan_streamed(files, cfg, catalog, list(catalog), format="json", lang="ja", output=out, fail_on="high",
                      fail_on_unknown=False, as_of=dt.date.fromisoformat(AS_OF), chunk=50)
    assert folders == [str(tmp_path)]
    assert str(e.value) == (
        "/dev: cannot keep the findings on disk while the scan runs: No space left on device (they take about the "
        "size of the output; write the output on a disk with room, or set TMPDIR) / 判定結果を一時保存できません")
    assert not out.exists()
    assert spool_module.tempfile.TemporaryFile is on_a_full_disk
