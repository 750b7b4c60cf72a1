"""The flattened CSV layout of the vendor register, turned into the nested YAML shape.

* Nested keys are dotted column names: ``clauses.patient_notice``, ``foreign_law.exposed``,
  ``foreign_law.decision``, ``foreign_law.assessed_on``, ``external_audit.auditor_qualification``,
  ``external_audit.date``. The column ``external_audit`` holds only ``none`` (no external audit).
* ``certifications``: ``SCHEME:REGISTRATION_ID:EXPIRES`` items separated by ``;``, e.g.
  ``ISMAP:C-0123:2027-03-31;SOC2::2026-12-31`` (an empty part is not read).
* ``subcontractors``: ``NAME:yes|no`` items separated by ``;`` (``NAME`` alone: not read whether
  it reports).
* ``responsibility_overrides``: ``CONTROL_ID=provider|customer|shared`` items separated by ``;``.
* In every list cell the word ``none`` means "read, and there are none"; an empty cell is not read.
"""

from __future__ import annotations

from typing import Any

from .messages import Issue
from .readers import Record

NESTED = ("external_audit", "foreign_law", "clauses")
_NONE = ("none", "なし")


def _items(cell: str) -> list[str] | None:
    if cell.strip() == "":
        return None
    if cell.strip().lower() in _NONE:
        return []
    return [p.strip() for p in cell.split(";") if p.strip()]


def items_cell(cell: str) -> list[str] | None:
    """The ``;``-separated items of a list cell; ``none`` is the empty list, an empty cell None (not read)."""
    return _items(cell)


def certifications_cell(cell: str, rel: str, line: int, column: str, issues: list[Issue]) -> list[dict[str, str]] | None:
    """``SCHEME:REGISTRATION_ID:EXPIRES`` items separated by ``;``; a malformed item is reported and left out."""
    items = _items(cell)
    if items is None:
        return None
    certs = []
    for item in items:
        if item.count(":") < 2:
            issues.append(Issue(rel, line, column, "cell_certification", {"value": item}))
            continue
        scheme, rest_ = item.split(":", 1)
        reg, expires = rest_.rsplit(":", 1)
        certs.append({"scheme": scheme, "registration_id": reg, "expires": expires})
    return certs


def unflatten(record: Record, rel: str, issues: list[Issue]) -> dict[str, Any]:
    """The nested values of a CSV vendor row. A cell that cannot be split is reported and left out,
    so the rest of the row is still checked."""
    out: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for column, cell in record.values.items():
        prefix, dot, rest = column.partition(".")
        if dot and prefix in NESTED and rest:
            if cell.strip():
                nested.setdefault(prefix, {})[rest] = cell
            continue
        if column == "certifications":
            certs = certifications_cell(cell, rel, record.line, column, issues)
            if certs is not None:
                out[column] = certs
        elif column == "subcontractors":
            items = _items(cell)
            if items is None:
                continue
            subs = []
            for item in items:
                name, colon, reports = item.rpartition(":")
                subs.append({"name": name, "reports_to_contractor": reports} if colon else {"name": item})
            out[column] = subs
        elif column == "responsibility_overrides":
            items = _items(cell)
            if items is None:
                continue
            overrides: dict[str, str] = {}
            for item in items:
                cid, eq, who = item.partition("=")
                if not eq or not cid.strip():
                    issues.append(Issue(rel, record.line, column, "cell_override", {"value": item}))
                    continue
                overrides[cid.strip()] = who
            out[column] = overrides
        elif column == "external_audit":
            if cell.strip() == "":
                continue
            if cell.strip().lower() not in _NONE:
                issues.append(Issue(rel, record.line, column, "cell_external_audit"))
                continue
            out[column] = "none"
        else:
            out[column] = cell
    for prefix, values in nested.items():
        if prefix == "external_audit" and out.get("external_audit") == "none":
            issues.append(Issue(rel, record.line, "external_audit", "audit_conflict"))
            continue
        out[prefix] = values
    return out
