"""CSV of findings, one row each, for spreadsheets (Excel opens UTF-8 with BOM correctly)."""

from __future__ import annotations

import csv
import io

from sansho.policies.catalog import Catalog
from sansho.policies.engine.core import ScanResult

from .spreadsheet import csv_row

# basis: observed (read from a system or code), declared (a hand-filled register) or attested (a person's answer)
COLUMNS = ["control_id", "status", "basis", "severity", "family", "title", "resource_id", "resource_kind", "provider",
           "account", "region", "country", "file", "line", "message"]


def render(result: ScanResult, catalog: Catalog, lang: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for f in result.findings:
        c = catalog[f.control_id]
        r = f.resource
        w.writerow(csv_row([f.control_id, f.status, f.basis, c.severity, c.family, c.title.get(lang), r.id, r.kind,
                            r.provider, r.account or "", r.region or "", r.country or "", r.source.file or "",
                            r.source.line or "", f.message(lang)]))
    return "\ufeff" + buf.getvalue()
