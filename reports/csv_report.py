"""CSV of findings, one row each, for spreadsheets (Excel opens UTF-8 with BOM correctly)."""

from __future__ import annotations

import csv
import io
from typing import TextIO

from sansho.policies.catalog import Catalog
from sansho.policies.engine.core import ScanResult

from .spreadsheet import csv_row

# basis: observed (read from a system or code), declared (a hand-filled register) or attested (a person's answer)
COLUMNS = ["control_id", "status", "basis", "severity", "family", "title", "resource_id", "resource_kind", "provider",
           "account", "region", "country", "file", "line", "message"]


def write(result: ScanResult, catalog: Catalog, lang: str, out: TextIO) -> None:
    """Write the CSV to ``out`` row by row (a big scan's CSV is never held whole in memory)."""
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    titles = {c.id: (c.severity, c.family, c.title.get(lang)) for c in catalog}
    for f in result.findings:
        severity, family, title = titles[f.control_id]
        r = f.resource
        w.writerow(csv_row([f.control_id, f.status, f.basis, severity, family, title, r.id, r.kind,
                            r.provider, r.account or "", r.region or "", r.country or "", r.source.file or "",
                            r.source.line or "", f.message(lang)]))


def render(result: ScanResult, catalog: Catalog, lang: str) -> str:
    buf = io.StringIO()
    write(result, catalog, lang, buf)
    return buf.getvalue()
