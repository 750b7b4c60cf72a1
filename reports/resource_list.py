"""The full list of failing and unreadable resources, beside a report and inside evidence bundles.

A report lists the first ``--max-resources`` resources of each control and says how many more
there are; this file lists every FAIL, ERROR and UNKNOWN finding, worst first (severity, control,
status, basis, resource), as CSV (UTF-8 with a BOM, which Excel opens correctly) and XLSX. Rows
are streamed: the csv module writes as it goes and openpyxl runs in write-only mode, so an estate
of 100k failing resources never holds a spreadsheet in memory. Text from the estate is escaped
as in every other spreadsheet sansho writes (:mod:`.spreadsheet`, CWE-1236).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .posture import Row
from .posture_render import source_at
from .spreadsheet import csv_row, write_only_text_row

CSV_NAME = "resources.csv"
XLSX_NAME = "resources.xlsx"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

COLUMNS = {
    "ja": ["判定", "根拠", "重要度", "管理策", "管理策名", "資源種別", "資源 ID", "資源名", "提供元", "アカウント等",
           "リージョン", "取得元", "内容"],
    "en": ["status", "basis", "severity", "control_id", "title", "resource_kind", "resource_id", "resource_name",
           "provider", "account", "region", "source", "message"],
}
SHEET = {"ja": "不適合・判定不能の資源", "en": "Failing and unknown"}


def side_paths(output: Path) -> tuple[Path, Path]:
    """Where the full list goes beside a report: ``report.html`` → ``report-resources.csv`` / ``.xlsx``."""
    stem = output.name[: -len(output.suffix)] if output.suffix else output.name
    return output.with_name(f"{stem}-resources.csv"), output.with_name(f"{stem}-resources.xlsx")


def cells(r: Row) -> list[Any]:
    return [r.status, r.basis, r.severity, r.control_id, r.title, r.resource_kind, r.resource_id, r.resource_name,
            r.provider, r.account, r.region, source_at(r), r.message]


def write_csv(rows: Iterable[Row], out: IO[str], lang: str) -> int:
    """Stream the rows to a text file opened with ``newline=""``; returns the number of rows."""
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS[lang])
    n = 0
    for r in rows:
        w.writerow(csv_row(cells(r)))
        n += 1
    return n


def write_xlsx(rows: Iterable[Row], out: Any, lang: str) -> int:
    """Stream the rows into a write-only workbook saved to ``out`` (a path or a binary file)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET[lang])
    ws.freeze_panes = "A2"
    ws.append(write_only_text_row(ws, COLUMNS[lang]))
    n = 0
    for r in rows:
        ws.append(write_only_text_row(ws, cells(r)))
        n += 1
    wb.save(out)
    return n


def write_beside(rows: list[Row], output: Path, lang: str) -> tuple[Path, Path]:
    """Write both files beside ``output`` (atomically, as every output); returns their paths."""
    from sansho.policies.output import atomic_file

    csv_path, xlsx_path = side_paths(output)
    with atomic_file(csv_path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        write_csv(rows, fh, lang)
    with atomic_file(xlsx_path) as tmp:
        write_xlsx(rows, tmp, lang)
    return csv_path, xlsx_path


def _fixed_zip(data: bytes) -> bytes:
    """The XLSX (a zip) with its entries' timestamps fixed and its creation time removed, so
    the same rows give the same bytes (an evidence bundle is reproducible byte for byte)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _without_times(body)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            dst.writestr(fixed, body)
    return out.getvalue()


def _without_times(core: bytes) -> bytes:
    import re

    return re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", core)


def bundle_files(rows: list[Row], lang: str) -> Iterator[tuple[str, bytes]]:
    """The two files as an evidence bundle holds them: (name, bytes), reproducible."""
    text = io.StringIO(newline="")
    write_csv(rows, text, lang)
    yield CSV_NAME, text.getvalue().encode("utf-8")
    raw = io.BytesIO()
    write_xlsx(rows, raw, lang)
    yield XLSX_NAME, _fixed_zip(raw.getvalue())
