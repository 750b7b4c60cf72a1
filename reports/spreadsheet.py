"""Cells that a spreadsheet shows as text, never runs as a formula (CWE-1236).

Findings carry text from the estate itself (resource names, tag values, messages quoting them),
so a bucket named ``=HYPERLINK(...)`` must not become a live formula in the CSV or XLSX a
hospital opens. CSV has no cell types: a value that Excel, LibreOffice or Google Sheets would
read as a formula is prefixed with an apostrophe, the convention they all show as text. XLSX
cells are written with the string type set explicitly, which no application evaluates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell: strings that would start a formula get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def append_text_row(ws: Any, values: Iterable[Any]) -> None:
    """``ws.append`` for an openpyxl sheet, with every string cell typed as a string."""
    ws.append(list(values))
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def set_text(cell: Any, value: Any) -> Any:
    """Assign ``value`` to an openpyxl cell; a string is typed as a string, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def write_only_text_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """Values for ``ws.append`` on a write-only openpyxl sheet. openpyxl types a string as a
    formula only when it starts with ``=``; such a string becomes a cell typed as a string (the
    others stay plain values: a cell object per value would double the cost of a long sheet)."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(value)
    return out
