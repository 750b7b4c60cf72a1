"""The full list beside a report (decision 39, issue #16 part 3): written by a forked process while
the report renders, by XlsxWriter when installed and openpyxl otherwise, with the same cells
either way; a failure of either file is one line and exit 2, and leaves no file behind — not
the list, not the report, not a temporary file."""

from __future__ import annotations

import json
import os
import signal
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sansho.policies.errors import InputError
from sansho.reports import resource_list
from sansho.reports.posture import Row

from .support import postgres
from .support.cli import run

store_url = postgres.store_url  # fixture: an empty store on SQLite and on PostgreSQL

BASE = {"kind": "storage.bucket", "provider": "aws", "account": "111122223333", "region": "ap-northeast-1",
        "public": False, "source": {"type": "live"}}


def _row(rid: str, **kw) -> Row:
    fields = dict(control_id="SAN-ENC-001", title="保存時の暗号化", family="encryption", severity="high",
                  check="automated", status="FAIL", resource_kind="storage.bucket", resource_id=rid,
                  resource_name="", provider="aws", account="111122223333", region="ap-northeast-1",
                  source_type="live", source_file="", source_line=None, tags={}, message="暗号化されていません",
                  basis="observed")
    fields.update(kw)
    return Row(**fields)


ROWS = [
    _row("arn:aws:s3:::a", resource_name="=HYPERLINK(\"http://127.0.0.1/x\")"),
    _row("arn:aws:s3:::b", resource_name="-1+2", region="", account=""),  # empty cells stay empty
    _row("arn:aws:s3:::c", status="UNKNOWN", message="  leading and trailing spaces  ",
         source_type="iac", source_file="main.tf", source_line=12),
]


def _cells(path: Path) -> tuple[str, list[tuple]]:
    wb = load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    return ws.title, list(ws.iter_rows(values_only=True))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_both_writers_give_the_same_cells_all_strings(tmp_path, lang):
    pytest.importorskip("xlsxwriter")  # the pdf extra; the openpyxl path is the same test's other half
    a, b = tmp_path / "openpyxl.xlsx", tmp_path / "xlsxwriter.xlsx"
    assert resource_list.write_xlsx(ROWS, a, lang, writer="openpyxl") == 3
    assert resource_list.write_xlsx(ROWS, b, lang, writer="xlsxwriter") == 3
    title, values = _cells(a)
    assert (title, values) == _cells(b)
    assert title == resource_list.SHEET[lang]
    assert values[0] == tuple(resource_list.COLUMNS[lang])
    assert [v[6] for v in values[1:]] == ["arn:aws:s3:::a", "arn:aws:s3:::b", "arn:aws:s3:::c"]
    assert values[1][7] == "=HYPERLINK(\"http://127.0.0.1/x\")" and values[2][7] == "-1+2"
    assert values[2][9] is None and values[2][10] is None  # "" is an empty cell in both
    assert values[3][11] == "main.tf:12" and values[3][12] == "  leading and trailing spaces  "
    for path in (a, b):
        with zipfile.ZipFile(path) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        assert "<f>" not in sheet and "HYPERLINK" in sheet  # a string cell, never a formula
        assert 'state="frozen"' in sheet and 'topLeftCell="A2"' in sheet  # the header row stays in view


def test_bundle_xlsx_is_the_same_bytes_each_time(tmp_path):
    first = dict(resource_list.bundle_files(ROWS, "ja"))
    second = dict(resource_list.bundle_files(ROWS, "ja"))
    assert first == second
    (tmp_path / "r.xlsx").write_bytes(first["resources.xlsx"])
    assert _cells(tmp_path / "r.xlsx")[1][1][6] == "arn:aws:s3:::a"


def test_the_files_appear_whole_when_the_block_ends(tmp_path):
    out = tmp_path / "report.html"
    with resource_list.written_beside(ROWS, out, "en", concurrent=True) as (csv_path, xlsx_path):
        out.write_text("report")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report-resources.csv", "report-resources.xlsx",
                                                         "report.html"]
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and lines[1].split(",")[7] == "\"'=HYPERLINK(\"\"http://127.0.0.1/x\"\")\""
    assert [v[6] for v in _cells(xlsx_path)[1][1:]] == ["arn:aws:s3:::a", "arn:aws:s3:::b", "arn:aws:s3:::c"]
    # the same bytes as written in this process, one after the other
    alone = tmp_path / "alone" / "report.html"
    resource_list.write_beside(ROWS, alone, "en")
    assert (alone.parent / "report-resources.csv").read_bytes() == csv_path.read_bytes()


class _KilledWhileWriting(list):
    """Rows whose reading kills the process that reads them (the forked writer, here)."""

    def __iter__(self):
        os.kill(os.getpid(), signal.SIGKILL)
        return super().__iter__()


def test_a_writer_killed_mid_way_is_one_line_and_leaves_nothing(tmp_path):
    out = tmp_path / "report.html"
    with pytest.raises(InputError) as e:
        with resource_list.written_beside(_KilledWhileWriting(ROWS), out, "ja", concurrent=True):
            pass
    assert str(e.value) == (f"{tmp_path / 'report-resources.xlsx'}: the writer of the full list of resources "
                            f"stopped (killed by signal 9)")
    assert list(tmp_path.iterdir()) == []


def test_a_failing_report_stops_the_writer_and_leaves_nothing(tmp_path):
    out = tmp_path / "report.pdf"
    with pytest.raises(InputError, match="^--format pdf: the report failed$"):
        with resource_list.written_beside(ROWS * 2000, out, "ja", concurrent=True):
            raise InputError("--format pdf: the report failed")
    assert list(tmp_path.iterdir()) == []


def test_cli_list_that_cannot_be_written_is_one_line_exit_2_and_no_report(tmp_path):
    resources = [{**BASE, "id": f"arn:aws:s3:::open-{i}", "encrypted": False} for i in range(3)]
    inv = tmp_path / "inventory.json"
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": resources}))
    db = tmp_path / "history.db"
    assert run("scan", str(inv), "--save", "--history", str(db), "--as-of", "2026-11-01").returncode == 1
    d = tmp_path / "out"
    (d / "report-resources.xlsx").mkdir(parents=True)  # where the XLSX goes is a folder
    for fmt in ("html", "json"):
        p = run("report", "--history", str(db), "-o", str(d / f"report.{fmt}"), "--format", fmt, "--lang", "en")
        assert p.returncode == 2, p.stderr
        assert p.stderr.splitlines() == [f"sansho: error: {d / 'report-resources.xlsx'}: cannot write: Is a directory"]
        # neither the CSV written before it, nor the report, nor a temporary file
        assert sorted(x.name for x in d.iterdir()) == ["report-resources.xlsx"]
        assert list((d / "report-resources.xlsx").iterdir()) == []
    (d / "report-resources.xlsx").rmdir()
    p = run("report", "--history", str(db), "-o", str(d / "report.html"), "--lang", "en")
    assert p.returncode == 0, p.stderr
    assert sorted(x.name for x in d.iterdir()) == ["report-resources.csv", "report-resources.xlsx", "report.html"]
    assert p.stderr.splitlines()[-1] == (f"{d / 'report-resources.csv'}, {d / 'report-resources.xlsx'}: "
                                         f"wrote all 18 FAIL, ERROR and UNKNOWN findings")
    assert len((d / "report-resources.csv").read_text(encoding="utf-8").splitlines()) == 1 + 18
    assert len(_cells(d / "report-resources.xlsx")[1]) == 1 + 18


def _saved(n: int):
    import datetime as dt

    from sansho.reports.history.records import SavedFinding, SavedScan

    docs = [{**BASE, "id": f"arn:aws:s3:::b{i}", "name": f"b{i}"} for i in range(n)]
    findings = [SavedFinding("SAN-ENC-001", "FAIL" if i % 2 else "PASS", "storage.bucket", f"arn:aws:s3:::b{i}",
                             "ja", "en", basis="observed") for i in range(n)]
    return SavedScan(scanned_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), as_of=dt.date(2026, 11, 1),
                     tool_version="0.1.0", engine="regorus", controls=["SAN-ENC-001"], findings=findings,
                     resources=docs)


def test_store_reads_only_the_documents_and_statuses_asked_for(store_url, monkeypatch):
    from sansho.reports.history import store as store_module

    monkeypatch.setattr(store_module, "KEYS_PER_QUERY", 2)  # several queries, as with thousands of keys
    with store_module.open_store(store_url) as s:
        scan_id = s.save(_saved(6))
        lean = s.get_listed(scan_id, ("FAIL",), 0, documents=False)
        assert lean.resources == [] and [f.resource_id for f in lean.findings] == [
            "arn:aws:s3:::b1", "arn:aws:s3:::b3", "arn:aws:s3:::b5"]
        asked = [("storage.bucket", "arn:aws:s3:::b4"), ("storage.bucket", "arn:aws:s3:::b0"),
                 ("storage.bucket", "arn:aws:s3:::b2"), ("storage.bucket", "arn:aws:s3:::nowhere")]
        assert [d["name"] for d in s.documents(scan_id, asked)] == ["b0", "b2", "b4"]  # in the scan's order
        keys = [("SAN-ENC-001", "storage.bucket", f"arn:aws:s3:::b{i}") for i in (0, 1, 2, 5)]
        assert s.statuses(scan_id, ("FAIL",), keys) == {keys[0]: "PASS", keys[2]: "PASS"}
        assert s.statuses(scan_id, (), keys) == {keys[0]: "PASS", keys[1]: "FAIL", keys[2]: "PASS", keys[3]: "FAIL"}


def test_without_xlsxwriter_openpyxl_writes_the_same_list(tmp_path):
    """The core install (no pdf extra): the same CSV bytes and XLSX cells, written by openpyxl."""
    import subprocess
    import sys

    pytest.importorskip("xlsxwriter")
    resources = [{**BASE, "id": f"arn:aws:s3:::open-{i}", "encrypted": False, "name": f"=open-{i}"} for i in range(3)]
    inv = tmp_path / "inventory.json"
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": resources}))
    db = tmp_path / "history.db"
    assert run("scan", str(inv), "--save", "--history", str(db), "--as-of", "2026-11-01").returncode == 1
    with_it = run("report", "--history", str(db), "-o", str(tmp_path / "a" / "r.html"))
    assert with_it.returncode == 0, with_it.stderr
    code = ("import sys\nsys.modules['xlsxwriter'] = None\nsys.argv = ['sansho', *sys.argv[1:]]\n"
            "from sansho.policies.cli import main\nmain()\n")
    without = subprocess.run([sys.executable, "-c", code, "report", "--history", str(db), "-o",
                              str(tmp_path / "b" / "r.html")], capture_output=True, text=True, timeout=120)
    assert without.returncode == 0, without.stderr
    a, b = tmp_path / "a", tmp_path / "b"
    assert (a / "r-resources.csv").read_bytes() == (b / "r-resources.csv").read_bytes()
    assert (a / "r.html").read_bytes() == (b / "r.html").read_bytes()
    cells_a, cells_b = _cells(a / "r-resources.xlsx"), _cells(b / "r-resources.xlsx")
    assert cells_a == cells_b and len(cells_a[1]) == 1 + 18
    with zipfile.ZipFile(a / "r-resources.xlsx") as za, zipfile.ZipFile(b / "r-resources.xlsx") as zb:
        assert b"Openpyxl" in zb.read("docProps/app.xml")  # it really was openpyxl there
        assert b"Openpyxl" not in za.read("docProps/app.xml")  # and XlsxWriter here


def test_a_report_that_fails_after_the_list_started_leaves_nothing(tmp_path):
    """The writer starts as soon as the list is known; the PDF then fails (no weasyprint): one
    line, exit 2, and the writer's files are gone with it."""
    import subprocess
    import sys

    resources = [{**BASE, "id": f"arn:aws:s3:::open-{i}", "encrypted": False} for i in range(3)]
    inv = tmp_path / "inventory.json"
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": resources}))
    db = tmp_path / "history.db"
    assert run("scan", str(inv), "--save", "--history", str(db), "--as-of", "2026-11-01").returncode == 1
    code = ("import sys\nsys.modules['weasyprint'] = None\nsys.argv = ['sansho', *sys.argv[1:]]\n"
            "from sansho.policies.cli import main\nmain()\n")
    out = tmp_path / "out"
    out.mkdir()
    p = subprocess.run([sys.executable, "-c", code, "report", "--history", str(db), "--format", "pdf", "-o",
                        str(out / "r.pdf")], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and p.stderr.startswith(
        "sansho: error: --format pdf needs weasyprint and Pango: pip install 'sansho[pdf]'"), p.stderr
    assert list(out.iterdir()) == []
