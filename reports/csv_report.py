"""CSV of findings, one row each, for spreadsheets (Excel opens UTF-8 with BOM correctly)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TextIO

from sansho.policies.catalog import Catalog
from sansho.policies.engine.core import ScanResult
from sansho.policies.findings import Finding

from .spreadsheet import csv_row

# basis: observed (read from a system or code), declared (a hand-filled register) or attested (a person's answer)
COLUMNS = ["control_id", "status", "basis", "severity", "family", "title", "resource_id", "resource_kind", "provider",
           "account", "region", "country", "file", "line", "message"]


def write(result: ScanResult, catalog: Catalog, lang: str, out: TextIO) -> None:
    """Write the CSV to ``out`` row by row (a big scan's CSV is never held whole in memory)."""
    findings = result.findings
    write_from((piece(findings[i:i + 4096], catalog, lang) for i in range(0, len(findings), 4096)), out)


def write_from(pieces: Iterable[str], out: TextIO) -> None:
    """The CSV from its rows as :func:`piece` texts."""
    out.write("\ufeff")
    csv.writer(out, lineterminator="\n").writerow(COLUMNS)
    for text in pieces:
        out.write(text)


def piece(findings: Iterable[Finding], catalog: Catalog, lang: str) -> str:
    """Findings as CSV rows."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    titles = {}
    for f in findings:
        cid = f.control_id
        if cid not in titles:
            c = catalog[cid]
            titles[cid] = (c.severity, c.family, c.title.get(lang))
        severity, family, title = titles[cid]
        r = f.resource
        w.writerow(csv_row([cid, f.status, f.basis, severity, family, title, r.id, r.kind,
                            r.provider, r.account or "", r.region or "", r.country or "", r.source.file or "",
                            r.source.line or "", f.message(lang)]))
    return buf.getvalue()


def render(result: ScanResult, catalog: Catalog, lang: str) -> str:
    buf = io.StringIO()
    write(result, catalog, lang, buf)
    return buf.getvalue()
