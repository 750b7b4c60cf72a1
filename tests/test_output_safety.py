"""Outputs a user can trust: no cell becomes a formula (CWE-1236), and no file is ever left
half-written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
import textwrap

import pytest
from openpyxl import load_workbook

from sansho.policies.engine.core import Engine
from sansho.policies.errors import InputError
from sansho.policies.model import ObjectStorage, VendorContract
from sansho.policies.output import atomic_file, write_output
from sansho.reports import csv_report
from sansho.reports import matrix as mx
from sansho.reports.history.records import SavedScan
from sansho.reports.spreadsheet import csv_cell

AS_OF = dt.date(2026, 11, 1)
FORMULA = '=HYPERLINK("http://127.0.0.1/x","click")'


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_starts_are_neutralised(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["arn:aws:s3:::ok", "", "1-2", 12, None])
def test_other_values_are_left_alone(value):
    assert csv_cell(value) == value


def test_findings_csv_never_writes_a_formula(catalog):
    bucket = ObjectStorage(id=FORMULA, provider="aws", region="ap-northeast-1", encrypted=False)
    result = Engine(catalog).scan([bucket], [catalog["SAN-ENC-001"]], today=AS_OF)
    rows = list(csv.DictReader(io.StringIO(csv_report.render(result, catalog, "en").lstrip("\ufeff"))))
    assert [(r["resource_id"], r["status"]) for r in rows] == [("'" + FORMULA, "FAIL")]


def test_matrix_xlsx_and_csv_write_contract_ids_as_text(catalog, tmp_path):
    contract = VendorContract(id=FORMULA, provider="vendor", vendor="=2+3", service_model="saas",
                              responsibility_agreed=True, responsibility_overrides={"SAN-LOC-001": "customer"})
    result = Engine(catalog).scan([contract], [catalog["SAN-VEN-006"]], today=AS_OF)
    scan = SavedScan.from_result(result, tool_version="0.1.0")
    m = mx.build(catalog, "saas", scan, vendor="=2+3")
    out = tmp_path / "matrix.xlsx"
    mx.render_xlsx(m, catalog, "en", out, today=AS_OF)
    wb = load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    starts = {c.value: c.data_type for c in cells if c.value.startswith(("=", "+"))}
    assert starts == {"=2+3": "s", FORMULA: "s"}
    text = mx.render_csv(m, catalog, "en")
    assert not any(cell.startswith(("=", "+", "-", "@"))
                   for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row)


def test_a_failed_write_leaves_the_old_file(tmp_path):
    out = tmp_path / "findings.csv"
    out.write_text("old,complete\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_file(out) as tmp:
        tmp.write_text("new,half", encoding="utf-8")
        raise RuntimeError("renderer crashed")
    assert out.read_text(encoding="utf-8") == "old,complete\n"
    assert [p.name for p in tmp_path.iterdir()] == ["findings.csv"]


def test_a_killed_writer_leaves_the_old_file(tmp_path):
    """SIGKILL-like: the process ends inside the write, before the file is in place."""
    out = tmp_path / "findings.csv"
    out.write_text("old,complete\n", encoding="utf-8")
    code = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from sansho.policies.output import atomic_file
        with atomic_file(Path({str(out)!r})) as tmp:
            with tmp.open("w") as f:
                f.write("control_id,status\\n" * 1000)
                f.flush()
                os._exit(137)
    """)
    done = subprocess.run([sys.executable, "-c", code], timeout=60)
    assert done.returncode == 137
    assert out.read_text(encoding="utf-8") == "old,complete\n"


def test_write_output_replaces_in_one_step_and_keeps_a_normal_mode(tmp_path):
    out = tmp_path / "sub" / "report.json"
    write_output('{"ok": true}', out)
    assert out.read_text(encoding="utf-8") == '{"ok": true}'
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert [p.name for p in out.parent.iterdir()] == ["report.json"]


def test_unwritable_output_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"^.*/file/out\.json: cannot write: "):
        write_output("{}", blocker / "out.json")


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask
