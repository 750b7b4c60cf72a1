"""Reports at scale (issue #16): each control lists its first --max-resources resources, worst
first, and says how many more; every FAIL, ERROR and UNKNOWN finding goes to the CSV/XLSX beside
the report and into the evidence bundle, whose manifest hashes them like every other file."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest

from .support.cli import run

OPEN = [f"arn:aws:s3:::open-{i}" for i in range(7)]  # unencrypted: SAN-ENC-001 FAIL
UNREAD = [f"arn:aws:s3:::unread-{i}" for i in range(2)]  # encryption not read: SAN-ENC-001 UNKNOWN
BASE = {"kind": "storage.bucket", "provider": "aws", "account": "111122223333", "region": "ap-northeast-1",
        "public": False, "source": {"type": "live"}}
LISTED = {"FAIL", "ERROR", "UNKNOWN"}


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    d = tmp_path_factory.mktemp("scale")
    resources = [{**BASE, "id": rid, "encrypted": False} for rid in OPEN]
    # a formula in a name must reach the spreadsheets as text
    resources[0]["name"] = "=HYPERLINK(\"http://127.0.0.1/x\")"
    resources += [{**BASE, "id": rid, "read_errors": {"encrypted": "AccessDenied"}} for rid in UNREAD]
    inv = d / "inventory.json"
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": resources}))
    db = d / "history.db"
    p = run("scan", str(inv), "--save", "--history", str(db), "--as-of", "2026-11-01", "--format", "json",
            "-o", str(d / "findings.json"))
    assert p.returncode == 1, p.stderr
    findings = json.loads((d / "findings.json").read_text(encoding="utf-8"))["findings"]
    expected = {(f["control_id"], f["resource"]["id"], f["status"]) for f in findings if f["status"] in LISTED}
    return d, db, expected


def _control_section(html: str, cid: str) -> str:
    m = re.search(rf'<section class="control" data-control="{cid}">(.*?)</section>', html, re.S)
    assert m, cid
    return m.group(1)


def test_html_lists_the_first_n_and_says_how_many_more(estate):
    d, db, _ = estate
    out = d / "report.html"
    p = run("report", "--history", str(db), "-o", str(out), "--max-resources", "3", "--lang", "en")
    assert p.returncode == 0, p.stderr
    assert p.stderr.splitlines()[-1] == (f"{d / 'report-resources.csv'}, {d / 'report-resources.xlsx'}: "
                                         f"wrote all 54 FAIL, ERROR and UNKNOWN findings")
    html = out.read_text(encoding="utf-8")
    enc = _control_section(html, "SAN-ENC-001")
    shown = re.findall(r'<tr><td class="id">(arn:aws:s3:::[^<]+)', enc)
    assert shown == OPEN[:3]  # FAIL before UNKNOWN, then by resource
    assert re.findall(r'<tr class="more"><td colspan="3">([^<]+)</td>', enc) == [
        "… and 4 more (see report-resources.csv)"]
    assert "7 resources failing" in enc
    # the unknown table: SAN-ENC-001's two, then 3 of each other control with 6 more
    unknown = html[html.index('<section id="unknown">'):html.index('<section id="declared">')]
    assert unknown.count("… and 6 more (see report-resources.csv)") == 4
    assert '<div class="value" id="unknown-count">38</div>' in html


def test_japanese_line_and_markdown(estate):
    d, db, _ = estate
    out = d / "ja.md"
    p = run("report", "--history", str(db), "-o", str(out), "--format", "md", "--max-resources", "2")
    assert p.returncode == 0, p.stderr
    md = out.read_text(encoding="utf-8")
    block = md[md.index("SAN-ENC-001"):]
    block = block[:block.index("\n### ")]
    rows = [line for line in block.splitlines() if line.startswith("| arn")]
    assert len(rows) == 2
    assert "| … ほか 5 件(ja-resources.csv を参照) | | |" in block


def test_side_files_hold_exactly_every_failing_and_unknown_finding(estate):
    d, db, expected = estate
    out = d / "full.html"
    assert run("report", "--history", str(db), "-o", str(out), "--max-resources", "1", "--lang", "en").returncode == 0
    text = (d / "full-resources.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert {(r["control_id"], r["resource_id"], r["status"]) for r in rows} == expected
    assert len(rows) == len(expected) == 54
    assert rows[0]["resource_name"] == "'=HYPERLINK(\"http://127.0.0.1/x\")"  # CWE-1236: text, not a formula
    from openpyxl import load_workbook

    wb = load_workbook(d / "full-resources.xlsx", read_only=True)
    ws = wb.worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    head, body = values[0], values[1:]
    col = {name: i for i, name in enumerate(head)}
    assert {(r[col["control_id"]], r[col["resource_id"]], r[col["status"]]) for r in body} == expected
    assert len(body) == 54
    with zipfile.ZipFile(d / "full-resources.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "HYPERLINK" in sheet  # stored as a string cell, never a formula


def test_evidence_bundle_carries_the_full_list_and_verifies(estate):
    d, db, expected = estate
    bundle = d / "evidence.zip"
    p = run("evidence", "--framework", "mhlw6", "-o", str(bundle), "--history", str(db), "--max-resources", "2",
            "--lang", "en")
    assert p.returncode == 0, p.stderr
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
        listed = list(csv.DictReader(io.StringIO(z.read("resources.csv").decode("utf-8")[1:])))
        names = set(z.namelist())
    assert {(r["control_id"], r["resource_id"], r["status"]) for r in listed} == {
        e for e in expected if e[0] in manifest["controls"]}
    assert {"resources.csv", "resources.xlsx"} <= names
    hashed = {f["path"] for f in manifest["files"]}
    assert {"resources.csv", "resources.xlsx"} <= hashed
    enc = manifest["controls"]["SAN-ENC-001"]
    assert enc["findings_total"] == 9 and enc["counts"] == {"FAIL": 7, "UNKNOWN": 2}
    assert [f["resource"]["id"] for f in enc["findings"]] == OPEN[:2]
    assert manifest["listing"]["max_resources_per_control"] == 2 and manifest["listing"]["rows"] == len(listed)
    v = run("evidence", "verify", str(bundle))
    assert v.returncode == 0, v.stdout
    assert v.stdout.startswith(f"{bundle}: intact / 改ざんなし ({len(hashed)} files")
    # the same scan gives the same bytes, the XLSX inside included
    again = d / "again.zip"
    assert run("evidence", "--framework", "mhlw6", "-o", str(again), "--history", str(db),
               "--max-resources", "2", "--lang", "en").returncode == 0
    assert again.read_bytes() == bundle.read_bytes()


@pytest.mark.parametrize("command", [["report", "-o", "r.html"], ["evidence", "--framework", "mhlw6", "-o", "e.zip"]])
@pytest.mark.parametrize("value", ["0", "-3"])
def test_max_resources_below_one_is_one_clear_line(estate, command, value, tmp_path):
    _, db, _ = estate
    args = [a if a not in ("r.html", "e.zip") else str(tmp_path / a) for a in command]
    p = run(*args, "--history", str(db), "--max-resources", value)
    assert p.returncode == 2
    assert p.stderr.strip().splitlines() == [
        f"sansho: error: --max-resources: must be 1 or more (got {value}); the full list is always written to "
        f"the resources CSV/XLSX / --max-resources には 1 以上を指定してください"]
    assert not list(tmp_path.iterdir())
