"""On-premises registers: a folder of YAML/CSV files → normalized inventory resources.

``collect(directory)`` reads every register file in ``directory`` (``sites``, ``networks``,
``flows``, ``devices``, ``accounts``, ``backups``, ``vendors``, ``attestations``, each
``.yaml``/``.yml`` or ``.csv``), validates every row, and either returns the resources or raises
one :class:`InputError` listing every problem of every file, one per line:

    <file>:<line>: field '<column>': <message>

The file formats are documented in docs/onprem.md. Only local files are read.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sansho.policies.errors import InputError
from sansho.policies.model import Resource

from . import normalize
from . import provider as prv
from .messages import Issue, render_all
from .readers import Record, line_of, read_csv, read_yaml
from .rows import (
    REGISTERS,
    REQUIRED_COLUMNS,
    ZONE_ALIASES,
    ZONES,
    AccountRow,
    AttestationRow,
    BackupRow,
    CertificationRow,
    ClausesRow,
    DeviceRow,
    ExternalAuditRow,
    FlowRow,
    ForeignLawRow,
    NetworkRow,
    Row,
    SiteRow,
    SubcontractorRow,
    VendorRow,
    columns,
)
from .values import choice
from .vendor_csv import NESTED, unflatten

__all__ = ["ALL_REGISTERS", "REGISTERS", "collect", "write_templates"]

# The hospital's registers and a provider's own (`sansho init --provider`): one folder may hold both.
ALL_REGISTERS: dict[str, type[Row]] = {**REGISTERS, prv.SERVICES: prv.ProviderServiceRow, prv.RISKS: prv.ProviderRiskRow}
REQUIRED: dict[type[Row], tuple[str, ...]] = {
    **REQUIRED_COLUMNS, prv.ProviderServiceRow: ("id",), prv.ProviderRiskRow: ("id", "service")}

REGISTER_SUFFIXES = (".yaml", ".yml", ".csv")
# Files that are clearly not registers and are left alone: notes and documents kept beside them.
IGNORED_SUFFIXES = (".md", ".txt", ".pdf", ".docx", ".doc", ".json")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

# Nested models of the vendor register, for naming the known keys of an unknown one.
NESTED_MODELS: dict[str, type[Row]] = {
    "certifications": CertificationRow, "external_audit": ExternalAuditRow, "foreign_law": ForeignLawRow,
    "clauses": ClausesRow, "subcontractors": SubcontractorRow,
}


def write_templates(directory: Path, lang: str = "ja", fmt: str = "yaml", force: bool = False,
                    provider: bool = False) -> list[Path]:
    from .templates import write_templates as _write

    return _write(directory, lang=lang, fmt=fmt, force=force, provider=provider)


def _expected() -> str:
    return ", ".join(f"{r}.yaml|.yml|.csv" for r in ALL_REGISTERS)


def discover(directory: Path, issues: list[Issue]) -> dict[str, Path]:
    """The register file of each register present. Unknown files are reported."""
    found: dict[str, Path] = {}
    for p in sorted(directory.iterdir()):
        name = p.name
        if p.is_dir() or name.startswith((".", "~$")) or name.upper().startswith("README"):
            continue
        stem, suffix = p.stem.lower(), p.suffix.lower()
        shown = str(p)
        if suffix in SPREADSHEET_SUFFIXES:
            issues.append(Issue(shown, 0, None, "xlsx"))
        elif stem in ALL_REGISTERS and suffix in REGISTER_SUFFIXES:
            if stem in found:
                issues.append(Issue(shown, 0, None, "two_files", {"other": found[stem].name}))
            else:
                found[stem] = p
        elif stem in ALL_REGISTERS:
            issues.append(Issue(shown, 0, None, "wrong_suffix", {"register": stem}))
        elif suffix in IGNORED_SUFFIXES:
            continue
        else:
            close = difflib.get_close_matches(stem, list(ALL_REGISTERS), n=1, cutoff=0.6)
            if close:
                issues.append(Issue(shown, 0, None, "unknown_file_suggest",
                                    {"expected": _expected(), "suggestion": close[0] + suffix}))
            else:
                issues.append(Issue(shown, 0, None, "unknown_file", {"expected": _expected()}))
    return found


def _loc_text(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for an error in a mapping key
            continue
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _known(model: type[Row], loc: tuple[Any, ...]) -> str:
    strs = [p for p in loc[:-1] if isinstance(p, str)]
    nested = NESTED_MODELS if model is VendorRow else prv.NESTED_MODELS if model is prv.ProviderServiceRow else {}
    target = nested.get(strs[-1]) if strs else None
    known = ", ".join(columns(target or model))
    register = {prv.ProviderServiceRow: prv.SERVICES, prv.ProviderRiskRow: prv.RISKS}.get(model)
    if register is not None:  # the Japanese names are column names too
        ja = prv.EN_TO_JA_NESTED if target else prv.EN_TO_JA[register]
        known += " / " + ", ".join(ja.get(c, c) for c in columns(target or model))
    return known


def _issue_from(error: Any, model: type[Row], record: Record, values: Any, file: str) -> Issue:
    loc = tuple(error["loc"])
    line = line_of(record, values, loc)
    field = _loc_text(loc) or None
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    if kind in ("extra_forbidden",):
        return Issue(file, line, field, "unknown_field", {"known": _known(model, loc)})
    if kind == "missing":
        return Issue(file, line, field, "required")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Issue(file, line, field, "mapping", {"value": error.get("input")})
    if kind == "list_type":
        return Issue(file, line, field, "list", {"value": error.get("input")})
    from .messages import MESSAGES

    if kind in MESSAGES:
        return Issue(file, line, field, kind, ctx)
    return Issue(file, line, field, "invalid", {"detail": error.get("msg", kind)})


def _allowed_csv_columns(model: type[Row]) -> set[str]:
    allowed = set(columns(model))
    if model is VendorRow:
        for prefix in NESTED:
            allowed |= {f"{prefix}.{c}" for c in columns(NESTED_MODELS[prefix])}
    return allowed


def _read_register(register: str, path: Path, issues: list[Issue],
                   written: dict[str, str] | None = None) -> list[tuple[Row, Record]]:
    """The rows of one register file; every problem goes to ``issues``, naming the column as written
    (``written``: English column -> as the file wrote it, for the provider registers' Japanese names)."""
    written = {} if written is None else written
    start = len(issues)
    rows = _read_rows(register, path, issues, written)
    if written:
        issues[start:] = [Issue(i.file, i.line, prv.shown_field(i.field, written), i.code, i.params)
                          for i in issues[start:]]
    return rows


def _english(register: str, record: Record, written: dict[str, str], twice: list[str]) -> None:
    """A provider register's record with its Japanese keys in English (and the key lines with them)."""
    record.values = prv.to_english(register, record.values, written, twice)
    names = prv.JA_COLUMNS[register]
    record.key_lines = {names.get(k, k): line for k, line in record.key_lines.items()}


def _read_rows(register: str, path: Path, issues: list[Issue], written: dict[str, str]) -> list[tuple[Row, Record]]:
    model = ALL_REGISTERS[register]
    file = str(path)
    skip_required: set[str] = set()
    localised = register in prv.JA_COLUMNS
    if path.suffix.lower() == ".csv":
        read = read_csv(path, file, issues)
        if read is None:
            return []
        header, records = read
        if localised:
            for h in prv.duplicate_columns(register, header):
                issues.append(Issue(file, 1, h, "both_languages", {"column": prv.JA_COLUMNS[register].get(h, h)}))
            header = [prv.JA_COLUMNS[register].get(h, h) for h in header]
            twice: list[str] = []
            for r in records:
                _english(register, r, written, twice)
        allowed = _allowed_csv_columns(model)
        unknown = [h for h in header if h not in allowed]
        known = ", ".join(columns(model))
        if localised:
            known += " / " + ", ".join(prv.EN_TO_JA[register].get(c, c) for c in columns(model))
        for h in unknown:
            issues.append(Issue(file, 1, h, "unknown_field", {"known": known}))
        for column in REQUIRED[model]:
            if column not in header:
                issues.append(Issue(file, 1, column, "missing_column", {"column": column}))
                skip_required.add(column)
        for r in records:  # each unknown column is reported once, at the header
            for h in unknown:
                r.values.pop(h, None)
    else:
        records_or_none = read_yaml(path, file, issues)
        if records_or_none is None:
            return []
        records = records_or_none
        if localised:
            for record in records:
                both: list[str] = []
                _english(register, record, written, both)
                for key in both:
                    issues.append(Issue(file, record.line, key, "both_languages",
                                        {"column": prv.JA_COLUMNS[register].get(key, key)}))
    out: list[tuple[Row, Record]] = []
    for record in records:
        values: dict[str, Any] = record.values
        if model is VendorRow and record.csv:
            values = unflatten(record, file, issues)
        elif model is prv.ProviderServiceRow and record.csv:
            values = prv.unflatten(record, file, issues, written)
        try:
            out.append((model.model_validate(values), record))
        except ValidationError as e:
            for error in e.errors(include_url=False):
                if error["type"] == "required" or error["type"] == "missing":
                    if tuple(error["loc"]) and error["loc"][0] in skip_required and len(error["loc"]) == 1:
                        continue
                issues.append(_issue_from(error, model, record, values, file))
    return out


def _row_id(register: str, row: Row) -> str:
    if isinstance(row, AttestationRow):
        return row.id or row.control_id
    return row.id  # type: ignore[attr-defined, no-any-return]


def collect(directory: Path | str, lang: str = "ja") -> list[Resource]:
    """Read, validate and normalize every register in ``directory``; raise one InputError listing
    every problem when anything is wrong."""
    directory = Path(directory)
    issues: list[Issue] = []
    if not directory.is_dir():
        raise InputError(Issue(str(directory), 0, None, "not_a_directory").render(lang))
    files = discover(directory, issues)
    if not files and not issues:
        raise InputError(Issue(str(directory), 0, None, "no_registers", {"expected": _expected()}).render(lang))

    rows: dict[str, list[tuple[Row, Record]]] = {}
    written: dict[str, dict[str, str]] = {}  # per register: English column -> as written
    for register, path in files.items():
        rows[register] = _read_register(register, path, issues, written.setdefault(register, {}))
        if register == "flows":
            continue
        seen: dict[str, int] = {}
        for row, record in rows[register]:
            rid = _row_id(register, row)
            if rid in seen:
                column = "id" if not isinstance(row, AttestationRow) or row.id else "control_id"
                issues.append(Issue(str(path), record.line, written[register].get(column, column),
                                    "duplicate_id", {"value": rid, "line": seen[rid]}))
            else:
                seen[rid] = record.line

    def rel(register: str) -> str:
        return files[register].name

    def shown(register: str) -> str:
        return str(files[register])

    # Cross references: sites named by devices and segments, endpoints of flows.
    sites: dict[str, SiteRow] = {r.id: r for r, _ in rows.get("sites", []) if isinstance(r, SiteRow)}

    def site_country(register: str, row: DeviceRow | NetworkRow, record: Record) -> str | None:
        """The row's own country, else its site's. A site missing from sites.* is an error."""
        if row.site is None or "sites" not in rows:
            return row.country
        if row.site not in sites:
            issues.append(Issue(shown(register), record.line, "site", "unknown_site",
                                {"value": row.site, "known": ", ".join(sites) or "-"}))
            return row.country
        return row.country if row.country is not None else sites[row.site].country

    segments = {r.id: (r.zone, r.remote_auth_method) for r, _ in rows.get("networks", []) if isinstance(r, NetworkRow)}
    reach: dict[str, list[str]] | None = None
    if "flows" in rows:
        if "networks" not in rows:
            issues.append(Issue(shown("flows"), 0, None, "flows_without_networks"))
        zone_of: Callable[[Any], str | None] = choice(ZONES, ZONE_ALIASES)
        flows: list[FlowRow] = []
        for row, record in rows["flows"]:
            assert isinstance(row, FlowRow)
            ends = {}
            for column, value in (("from", row.from_), ("to", row.to)):
                if value in segments:
                    ends[column] = value
                    continue
                try:
                    ends[column] = zone_of(value)  # type: ignore[assignment]
                except Exception:
                    issues.append(Issue(shown("flows"), record.line, column, "unknown_endpoint",
                                        {"value": value, "zones": ", ".join(ZONES)}))
            if len(ends) == 2:
                flows.append(FlowRow.model_validate({"from": ends["from"], "to": ends["to"]}))
        reach = normalize.reachability(segments, flows)

    resources: list[Resource] = []
    for register in REGISTERS:
        if register not in rows or register == "flows":
            continue
        for row, record in rows[register]:
            file, line = rel(register), record.line
            if isinstance(row, SiteRow):
                resources.append(normalize.site(row, file, line))
            elif isinstance(row, NetworkRow):
                country = site_country(register, row, record)
                resources.append(normalize.segment(row, file, line, country,
                                                   None if reach is None else reach.get(row.id)))
            elif isinstance(row, DeviceRow):
                resources.append(normalize.device(row, file, line, site_country(register, row, record)))
            elif isinstance(row, AccountRow):
                resources.append(normalize.account(row, file, line))
            elif isinstance(row, BackupRow):
                if row.country and row.location is None:
                    issues.append(Issue(shown(register), record.line, "country", "country_without_location"))
                elif row.country and len(row.country) > 1 and len(row.country) != len(row.location or []):
                    issues.append(Issue(shown(register), record.line, "country", "country_count",
                                        {"countries": len(row.country), "locations": len(row.location or [])}))
                else:
                    resources.append(normalize.backup(row, file, line))
            elif isinstance(row, VendorRow):
                resources.append(normalize.vendor(row, file, line))
            elif isinstance(row, AttestationRow):
                resources.append(normalize.attestation(row, file, line))

    resources += _provider_resources(rows, files, issues, written.get(prv.RISKS, {}))
    if issues:
        raise InputError(render_all(issues, lang))
    return resources


def _provider_resources(rows: dict[str, list[tuple[Row, Record]]], files: dict[str, Path],
                        issues: list[Issue], risk_columns: dict[str, str]) -> list[Resource]:
    """The provider registers' resources. Each service gets the ids of its risks (None without a risk
    register: not read); a risk naming a service that provider_services does not hold is an error
    (checked once provider_services itself reads cleanly: a row it refused is not "unknown")."""
    services = [(r, rec) for r, rec in rows.get(prv.SERVICES, []) if isinstance(r, prv.ProviderServiceRow)]
    risks = [(r, rec) for r, rec in rows.get(prv.RISKS, []) if isinstance(r, prv.ProviderRiskRow)]
    known = {r.id for r, _ in services}
    check = prv.SERVICES in rows and not any(i.file == str(files[prv.SERVICES]) for i in issues)
    by_service: dict[str, list[str]] = {}
    risk_resources: list[Resource] = []
    for row, record in risks:
        if check and row.service not in known:
            issues.append(Issue(str(files[prv.RISKS]), record.line, risk_columns.get("service", "service"),
                                "unknown_service",
                                {"value": row.service, "known": ", ".join(sorted(known)) or "-"}))
            continue
        by_service.setdefault(row.service, []).append(prv.resource_id(prv.RISKS, row.id))
        risk_resources.append(prv.risk(row, files[prv.RISKS].name, record.line))
    service_resources: list[Resource] = [
        prv.service(row, files[prv.SERVICES].name, record.line, by_service.get(row.id, []) if prv.RISKS in rows else None)
        for row, record in services]
    return service_resources + risk_resources
