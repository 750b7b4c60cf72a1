"""What a saved scan is, independent of where it is stored.

The history store (:mod:`.store`) persists :class:`SavedScan` and the quarterly report, the
responsibility matrix and the evidence bundle read it back. A saved scan keeps the findings as
the engine produced them and the resources as they were judged (raw provider documents
included, as evidence); control metadata is never copied in: renderers join it from the
catalog, so a saved scan renders with the catalog of the day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sansho.policies.engine.core import ScanResult
from sansho.policies.findings import Finding, basis_of
from sansho.policies.model import Resource

_PERIOD = re.compile(r"^(\d{4})Q([1-4])$")


def quarter_of(day: dt.date) -> str:
    """The calendar quarter a date falls in, as ``2026Q4``."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a ``YYYYQn`` period; ValueError for anything else."""
    m = _PERIOD.match(period)
    if not m:
        raise ValueError(f"{period!r} is not a period (YYYYQ1–YYYYQ4, e.g. 2026Q4)")
    year, q = int(m.group(1)), int(m.group(2))
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return start, end


def previous_period(period: str) -> str:
    start, _ = period_bounds(period)
    return quarter_of(start - dt.timedelta(days=1))


@dataclass(frozen=True, slots=True)
class SavedFinding:
    control_id: str
    status: str
    resource_kind: str
    resource_id: str
    message_ja: str
    message_en: str
    rule: str = ""
    evidence: dict[str, Any] | None = None
    suppression: dict[str, Any] | None = None
    # observed, declared or attested (sansho.policies.findings.basis_of); None only in a finding
    # saved before the history kept it, until SavedScan derives it from the resource
    basis: str | None = None

    @classmethod
    def of(cls, f: Finding) -> SavedFinding:
        return cls(f.control_id, f.status, f.resource.kind, f.resource.id, f.message_ja, f.message_en, f.rule,
                   f.evidence, f.suppression, f.basis)

    def message(self, lang: str) -> str:
        return self.message_ja if lang == "ja" else self.message_en

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies "the same finding" across scans: control, resource kind and id."""
        return (self.control_id, self.resource_kind, self.resource_id)


def describe_selection(selection: dict[str, Any] | None) -> str:
    """How a filtered scan was run, as the user typed it: ``--family network``."""
    if not selection:
        return ""
    parts = []
    if selection.get("family"):
        parts.append(f"--family {selection['family']}")
    if selection.get("controls"):
        parts.append(f"--controls {','.join(selection['controls'])}")
    return " ".join(parts)


@dataclass(slots=True)
class SavedScan:
    scanned_at: dt.datetime
    as_of: dt.date
    tool_version: str
    engine: str
    controls: list[str]
    findings: list[SavedFinding]
    # Each resource as judged: ``Resource.model_dump(mode="json")``, raw document and source included.
    resources: list[dict[str, Any]]
    inputs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    id: int | None = None  # set by the store
    # The --family / --controls filter, e.g. {"family": "network"}; None: every control was judged.
    selection: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        # Findings saved before the history kept a basis (revision 0002) get it here, derived the
        # one way every basis is (basis_of), from the kind and source type of the resource saved
        # with them; a resource that is not there counts as declared, never as observed.
        if any(f.basis is None for f in self.findings):
            types = {(r.get("kind"), r.get("id")): (r.get("source") or {}).get("type") for r in self.resources}
            self.findings = [
                f if f.basis is not None else dataclasses.replace(
                    f, basis=basis_of(f.resource_kind, types.get((f.resource_kind, f.resource_id))))
                for f in self.findings
            ]

    @property
    def period(self) -> str:
        return quarter_of(self.as_of)

    @property
    def complete(self) -> bool:
        return self.selection is None

    def resource_index(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(r["kind"], r["id"]): r for r in self.resources}

    @classmethod
    def from_result(cls, result: ScanResult, *, tool_version: str, inputs: list[str] | None = None,
                    selection: dict[str, Any] | None = None) -> SavedScan:
        findings = [SavedFinding.of(f) for f in result.findings]
        return cls(
            scanned_at=result.scanned_at, as_of=result.today, tool_version=tool_version, engine=result.engine,
            controls=[c.id for c in result.controls], findings=findings,
            resources=[saved_resource(r) for r in result.resources],
            inputs=list(inputs or []), notes=list(result.notes), selection=selection or None,
        )


def saved_resource(r: Resource) -> dict[str, Any]:
    """A resource as the history keeps it: as judged, raw document and source included."""
    return r.model_dump(mode="json", exclude_none=True)
