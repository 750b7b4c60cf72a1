"""The quarterly posture report as one model, built from saved scans; every format renders it.

Control metadata (title, severity, family, guideline source, remediation) is joined from the
catalog here, at render time: a saved scan holds only findings and resources.

Score: PASS / (PASS + FAIL + ERROR + UNKNOWN) over the *observed* findings of *automated*
controls (resources read from a system or code), one finding per control and resource.
NOT_APPLICABLE and MUTED (accepted with a reason and an expiry) are left out of the denominator;
UNKNOWN stays in it, so what could not be read never raises the score. Declared findings (read
from a hand-filled register) are tallied apart, with the same four counts and no percentage: a
register saying a control is in place is not a check, so a declared PASS never raises the score,
and a register never lowers it either. Attestation controls (attested) are reported apart and
never scored.

Changes: FAIL and ERROR findings ("open") of this period's latest scan are compared with those
of the nearest earlier recorded period's latest scan, by :attr:`SavedFinding.key`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from sansho.policies.catalog import FAMILIES, SEVERITY_RANK, Catalog
from sansho.reports.history.records import SavedFinding, SavedScan

REPORT_SCHEMA_VERSION = "1.2"  # 1.1: basis on every finding, score.declared, declared_controls; 1.2: listings
# bounded by max_resources, with totals and the full list in the resources file beside the report
OPEN = ("FAIL", "ERROR")
LISTED = ("FAIL", "ERROR", "UNKNOWN")  # what the full list beside the report (resources CSV / XLSX) holds
DEFAULT_MAX_RESOURCES = 20
_WORST = {"FAIL": 0, "ERROR": 1, "UNKNOWN": 2, "MANUAL": 3, "MUTED": 4, "PASS": 5, "NOT_APPLICABLE": 6}
_BASIS_RANK = {"observed": 0, "declared": 1, "attested": 2}
_SCORED = ("PASS", "FAIL", "ERROR", "UNKNOWN")
SCORE_DEFINITION = ("PASS / (PASS + FAIL + ERROR + UNKNOWN) over the observed findings (read from a system or "
                    "code) of automated controls, per resource; declared findings (hand-filled registers) are "
                    "counted apart under score.declared and never scored; attestations are not scored")


class History(Protocol):
    """What the report reads from the history store."""

    def latest(self, period: str | None = None, *, complete_only: bool = True) -> SavedScan | None: ...

    def periods(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class Score:
    passed: int = 0
    failed: int = 0
    errors: int = 0
    unknown: int = 0

    @property
    def judged(self) -> int:
        return self.passed + self.failed + self.errors + self.unknown

    @property
    def value(self) -> float | None:
        """Percent, one decimal; None when nothing automated was judged."""
        return round(100.0 * self.passed / self.judged, 1) if self.judged else None

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.value, "pass": self.passed, "fail": self.failed, "error": self.errors,
                "unknown": self.unknown}


@dataclass(frozen=True, slots=True)
class Row:
    """One finding joined with its control and resource, in the report's language."""

    control_id: str
    title: str
    family: str
    severity: str
    check: str
    status: str
    resource_kind: str
    resource_id: str
    resource_name: str
    provider: str
    account: str
    region: str
    source_type: str
    source_file: str
    source_line: int | None
    tags: dict[str, str]
    message: str
    basis: str = "declared"
    suppression: dict[str, Any] | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.control_id, self.resource_kind, self.resource_id)


class Listing(list):  # type: ignore[type-arg]
    """The first ``max_resources`` items of each control of a section, in order, with what was left out.

    A list of what is shown (so ``rep.new == []`` still reads naturally), plus ``total`` (every
    item of the section) and ``more`` (control ID -> items of that control not shown). A report
    stays the same size whatever the estate; the full list goes beside it (:mod:`.resource_list`).
    """

    def __init__(self, items: Sequence[Any] = (), total: int | None = None, more: dict[str, int] | None = None,
                 more_at: dict[int, int] | None = None):
        super().__init__(items)
        self.total = len(self) if total is None else total
        self.more = more or {}
        # index of the last shown item of each cut control -> how many of that control follow unseen
        self.more_at = more_at or {}

    @property
    def hidden(self) -> int:
        return self.total - len(self)


def bounded(items: Sequence[Any], limit: int | None, control_of: Any = None) -> Listing:
    """The first ``limit`` items of each control (items keep their order); None: all of them."""
    control_of = control_of or (lambda x: x.control_id)
    if limit is None:
        return Listing(items, len(items))
    seen: Counter[str] = Counter()
    shown: list[Any] = []
    more: Counter[str] = Counter()
    last: dict[str, int] = {}
    for item in items:
        cid = control_of(item)
        seen[cid] += 1
        if seen[cid] <= limit:
            last[cid] = len(shown)
            shown.append(item)
        else:
            more[cid] += 1
    return Listing(shown, len(items), dict(more), {last[cid]: n for cid, n in more.items()})


@dataclass(frozen=True, slots=True)
class FailingControl:
    control_id: str
    title: str
    family: str
    severity: str
    check: str
    source: str
    remediation: str
    rows: list[Row]  # the first max_resources, worst first
    total: int = -1  # every resource failing it (-1: len(rows), for a model built by hand)

    @property
    def count(self) -> int:
        return len(self.rows) if self.total < 0 else self.total

    @property
    def more(self) -> int:
        """Failing resources not listed in the report (they are in the resources file)."""
        return self.count - len(self.rows)


@dataclass(frozen=True, slots=True)
class Fixed:
    row: Row  # as it was in the previous period
    now: str  # this period's status of the same key, or "ABSENT" when the resource is gone


@dataclass(frozen=True, slots=True)
class DeclaredControl:
    """An automated control judged (partly) from registers: its declared results, never scored."""

    control_id: str
    title: str
    family: str
    severity: str
    score: Score  # counts only: declared results have no percentage
    sources: dict[str, int]  # register file -> results read from it


@dataclass(frozen=True, slots=True)
class Attested:
    control_id: str
    title: str
    severity: str
    status: str
    message: str
    attested_by: str
    attested_on: str
    evidence: str


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: str
    scan_id: int | None
    as_of: str
    score: Score
    fail: int
    unknown: int
    manual: int


@dataclass(frozen=True, slots=True)
class ProviderEstate:
    provider: str
    resources: int
    accounts: list[str]
    regions: list[str]


@dataclass
class PostureReport:
    lang: str
    period: str
    scan_id: int | None
    as_of: str
    scanned_at: str
    tool_version: str
    engine: str
    previous_period: str | None
    previous_scan_id: int | None
    overall: Score  # observed findings only
    families: dict[str, Score]
    declared: Score  # declared findings, counted apart and never scored
    declared_families: dict[str, Score]
    declared_controls: list[DeclaredControl]
    previous_overall: Score | None
    failing: list[FailingControl]
    new: Listing  # of Row
    fixed: Listing  # of Fixed
    still_open: Listing  # of Row
    trend: list[TrendPoint]
    unknown: Listing  # of Row
    attestations: list[Attested]
    muted: Listing  # of Row
    providers: list[ProviderEstate]
    source_types: dict[str, int]
    source_files: dict[str, int]
    kinds: dict[str, int]
    resource_count: int
    rows: Listing  # findings except NOT_APPLICABLE, for the filterable table: max_resources per control and status
    # catalog metadata of every control a row refers to, in the report's language (for JSON)
    controls: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # control IDs the catalog no longer has
    max_resources: int | None = DEFAULT_MAX_RESOURCES  # None: every resource listed
    listed_total: int = 0  # FAIL/ERROR/UNKNOWN findings: the rows of the resources file
    resources_file: str = ""  # the name of the full list beside the report, set by whoever writes it
    # every FAIL/ERROR/UNKNOWN finding, worst first: what the resources file holds (not rendered)
    listed: list[Row] = field(default_factory=list, repr=False)

    @property
    def severity_counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.failing)
        return {s: c[s] for s in SEVERITY_RANK if c[s]}

    @property
    def attested_count(self) -> int:
        return sum(1 for a in self.attestations if a.status == "MANUAL")


Tally = Sequence[tuple[str, str, str | None, int]]  # (control, status, basis, findings)
Lookup = Callable[[list[tuple[str, str, str]]], dict[tuple[str, str, str], str]]  # finding keys -> statuses


def tally_of(findings: Sequence[SavedFinding]) -> Tally:
    """Findings counted by (control, status, basis): what scores and trend points are made of."""
    return [(c, st, b, n) for (c, st, b), n in Counter((f.control_id, f.status, f.basis) for f in findings).items()]


def _tally(counted: Tally, catalog: Catalog, basis: str) -> tuple[Score, dict[str, Score]]:
    per: dict[str, Counter[str]] = {fam: Counter() for fam in FAMILIES}
    for cid, status, found_basis, n in counted:
        c = catalog.controls.get(cid)
        if c is None or c.check != "automated" or status not in _SCORED or found_basis != basis:
            continue
        per[c.family][status] += n

    def mk(counts: Counter[str]) -> Score:
        return Score(counts["PASS"], counts["FAIL"], counts["ERROR"], counts["UNKNOWN"])

    total: Counter[str] = sum(per.values(), Counter())
    return mk(total), {fam: mk(c) for fam, c in per.items() if sum(c.values())}


def score_of(findings: Sequence[SavedFinding], catalog: Catalog) -> tuple[Score, dict[str, Score]]:
    """Overall and per-family scores of one scan: automated controls, observed findings only."""
    return _tally(tally_of(findings), catalog, "observed")


def declared_of(findings: Sequence[SavedFinding], catalog: Catalog) -> tuple[Score, dict[str, Score]]:
    """The same counts over the declared findings (hand-filled registers): shown apart, never scored."""
    return _tally(tally_of(findings), catalog, "declared")


def trend_point(period: str, scan_id: int | None, as_of: str, counted: Tally, catalog: Catalog) -> TrendPoint:
    """One quarter of the trend from its latest scan's tally (counted in SQL by the store)."""
    statuses: Counter[str] = Counter()
    for cid, status, _basis, n in counted:
        if cid in catalog:
            statuses[status] += n
    return TrendPoint(period, scan_id, as_of, _tally(counted, catalog, "observed")[0], statuses["FAIL"],
                      statuses["UNKNOWN"], statuses["MANUAL"])


def _rows(scan: SavedScan, catalog: Catalog, lang: str, statuses: Sequence[str] | None = None,
          findings: Sequence[SavedFinding] | None = None,
          documents: Sequence[dict[str, Any]] | None = None) -> list[Row]:
    """``findings`` (default: every finding of ``scan``) joined with their control and with their
    resource among ``documents`` (default: the scan's). What a row takes from its control and
    from its resource is read once per control and per resource."""
    index = {(r["kind"], r["id"]): r for r in (scan.resources if documents is None else documents)}
    controls: dict[str, tuple[str, str, str, str] | None] = {}
    held: dict[tuple[str, str], tuple[str, str, str, str, str, str, Any, dict[str, str]]] = {}
    rows = []
    for f in scan.findings if findings is None else findings:
        if statuses is not None and f.status not in statuses:
            continue
        meta = controls.get(f.control_id, ())
        if meta == ():
            c = catalog.controls.get(f.control_id)
            meta = controls[f.control_id] = None if c is None else (c.title.get(lang), c.family, c.severity, c.check)
        if meta is None:
            continue
        at = (f.resource_kind, f.resource_id)
        res = held.get(at)
        if res is None:
            r = index.get(at, {})
            src = r.get("source") or {}
            res = held[at] = (
                str(r.get("name") or ""), str(r.get("provider") or ""), str(r.get("account") or ""),
                str(r.get("region") or ""), str(src.get("type") or ""), str(src.get("file") or ""), src.get("line"),
                {str(k): str(v) for k, v in (r.get("tags") or {}).items()})
        title, family, severity, check = meta
        name, provider, account, region, source_type, source_file, source_line, tags = res
        rows.append(Row(
            control_id=f.control_id, title=title, family=family, severity=severity, check=check,
            status=f.status, resource_kind=f.resource_kind, resource_id=f.resource_id,
            resource_name=name, provider=provider, account=account, region=region,
            source_type=source_type, source_file=source_file, source_line=source_line, tags=tags,
            message=f.message(lang), basis=f.basis or "declared", suppression=f.suppression,
        ))
    return rows


def listed_rows(scan: SavedScan, catalog: Catalog, lang: str) -> list[Row]:
    """Every FAIL, ERROR and UNKNOWN finding of ``scan``, worst first: the resources file's rows."""
    return sorted(_rows(scan, catalog, lang, LISTED), key=worst_first)


def worst_first(r: Row) -> tuple[Any, ...]:
    """The order of every listing and of the resources file: severity, control, then within a
    control the worst status, observed before declared, and the resource."""
    return (-SEVERITY_RANK[r.severity], r.control_id, _WORST.get(r.status, 9), _BASIS_RANK.get(r.basis, 9),
            r.resource_kind, r.resource_id)


def _finding_order(f: SavedFinding, catalog: Catalog) -> tuple[Any, ...]:
    """:func:`worst_first` of the row a saved finding becomes (its control is in ``catalog``)."""
    return (-SEVERITY_RANK[catalog.controls[f.control_id].severity], f.control_id, _WORST.get(f.status, 9),
            _BASIS_RANK.get(f.basis or "declared", 9), f.resource_kind, f.resource_id)


def _by_severity(rows: Sequence[Row]) -> list[Row]:
    return sorted(rows, key=worst_first)


def citation(catalog: Catalog, control_id: str) -> str:
    """The guideline source as a reader cites it: the primary record, with its unverified mark."""
    return catalog[control_id].source.cite()


def _failing(rows: Sequence[Row], catalog: Catalog, lang: str, limit: int | None) -> list[FailingControl]:
    grouped: dict[str, list[Row]] = {}
    for r in rows:
        if r.status in OPEN and r.check == "automated":
            grouped.setdefault(r.control_id, []).append(r)
    out = []
    for cid, items in grouped.items():
        c = catalog[cid]
        shown = sorted(items, key=worst_first)[:limit] if limit is not None else sorted(items, key=worst_first)
        out.append(FailingControl(cid, c.title.get(lang), c.family, c.severity, c.check, citation(catalog, cid),
                                  c.remediation.get(lang), shown, len(items)))
    out.sort(key=lambda fc: (-SEVERITY_RANK[fc.severity], -fc.count, fc.control_id))
    return out


def _declared_controls(rows: Sequence[Row], catalog: Catalog, lang: str) -> list[DeclaredControl]:
    grouped: dict[str, list[Row]] = {}
    for r in rows:
        if r.basis == "declared" and r.check == "automated" and r.status in _SCORED:
            grouped.setdefault(r.control_id, []).append(r)
    out = []
    for cid, items in grouped.items():
        c = catalog[cid]
        n = Counter(r.status for r in items)
        sources = dict(sorted(Counter(r.source_file or r.source_type for r in items).items()))
        out.append(DeclaredControl(cid, c.title.get(lang), c.family, c.severity,
                                   Score(n["PASS"], n["FAIL"], n["ERROR"], n["UNKNOWN"]), sources))
    # the ones that fail first, then by severity and ID
    out.sort(key=lambda d: (-(d.score.failed + d.score.errors + d.score.unknown), -SEVERITY_RANK[d.severity],
                            d.control_id))
    return out


def _attestations(scan: SavedScan, rows: Sequence[Row]) -> list[Attested]:
    index = scan.resource_index()
    out = []
    for r in rows:
        if r.check != "attestation" or r.status == "NOT_APPLICABLE":
            continue
        res = index.get((r.resource_kind, r.resource_id), {})
        out.append(Attested(r.control_id, r.title, r.severity, r.status, r.message,
                            str(res.get("attested_by") or ""), str(res.get("attested_on") or ""),
                            str(res.get("evidence") or "")))
    # failing attestations first, then by severity and ID
    out.sort(key=lambda a: (a.status == "MANUAL", -SEVERITY_RANK[a.severity], a.control_id))
    return out


def _estate(scan: SavedScan) -> tuple[list[ProviderEstate], dict[str, int], dict[str, int], dict[str, int]]:
    per: dict[str, dict[str, Any]] = {}
    types: Counter[str] = Counter()
    files: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for r in scan.resources:
        p = per.setdefault(str(r.get("provider") or "?"), {"n": 0, "accounts": set(), "regions": set()})
        p["n"] += 1
        if r.get("account"):
            p["accounts"].add(str(r["account"]))
        if r.get("region"):
            p["regions"].add(str(r["region"]))
        src = r.get("source") or {}
        types[str(src.get("type") or "?")] += 1
        if src.get("file"):
            files[str(src["file"])] += 1
        kinds[str(r.get("kind") or "?")] += 1
    providers = [ProviderEstate(name, v["n"], sorted(v["accounts"]), sorted(v["regions"]))
                 for name, v in sorted(per.items())]
    return providers, dict(sorted(types.items())), dict(sorted(files.items())), dict(sorted(kinds.items()))


def build(catalog: Catalog, current: SavedScan, previous: SavedScan | None,
          trend_scans: Sequence[SavedScan | TrendPoint],
          lang: str = "ja", max_resources: int | None = DEFAULT_MAX_RESOURCES,
          tallies: tuple[Tally | None, Tally | None] = (None, None),
          statuses_now: dict[tuple[str, str, str], str] | Lookup | None = None,
          previous_documents: Callable[[list[tuple[str, str]]], list[dict[str, Any]]] | None = None,
          joined: tuple[list[Row], list[Row]] | None = None) -> PostureReport:
    """The report of ``current``; ``previous`` is the scan to compare with, ``trend_scans`` the latest
    scan of each recorded period up to this one (in any order; or its :class:`TrendPoint`). Every listing shows the first
    ``max_resources`` resources of each control (None: all), with the count of the others.
    ``tallies`` are the findings of ``current`` and ``previous`` counted by the store (when their
    findings were read back only in part, :meth:`HistoryStore.get_listed`); None: count the findings.
    ``statuses_now`` gives the status of findings of ``current`` not read back (what a fixed one is
    now), or looks them up for the fixed findings shown; ``previous_documents`` looks up the
    documents of the previous scan's resources shown, for a ``previous`` read without them.
    ``joined``: :func:`joined_rows` of ``current``, when the caller already made them."""
    if max_resources is not None and max_resources < 1:
        raise ValueError("max_resources must be 1 or more")
    limit = max_resources
    rows, listed = joined if joined is not None else joined_rows(current, catalog, lang)
    counted = tallies[0] if tallies[0] is not None else tally_of(current.findings)
    overall, families = _tally(counted, catalog, "observed")
    declared, declared_families = _tally(counted, catalog, "declared")
    open_now = {r.key: r for r in rows if r.status in OPEN}
    new: list[Row] = []
    fixed: list[Fixed] = []
    still: list[Row] = []
    prev_overall = None
    fixed_listing = Listing()
    if previous is not None:
        # the previous scan's open findings; only the fixed ones a listing shows become rows
        prev_open = {f.key: f for f in previous.findings if f.status in OPEN and f.control_id in catalog.controls}
        new = _by_severity([r for k, r in open_now.items() if k not in prev_open])
        still = _by_severity([r for k, r in open_now.items() if k in prev_open])
        gone = sorted((f for k, f in prev_open.items() if k not in open_now),
                      key=lambda f: _finding_order(f, catalog))
        shown = bounded(gone, limit)
        keys = [f.key for f in shown]
        status_now = dict(statuses_now(keys) if callable(statuses_now) else statuses_now or {})
        status_now.update((r.key, r.status) for r in rows)
        docs = previous_documents([(k, i) for _c, k, i in keys]) if previous_documents is not None else None
        fixed = [Fixed(r, status_now.get(r.key, "ABSENT"))
                 for r in _rows(previous, catalog, lang, findings=shown, documents=docs)]
        fixed_listing = Listing(fixed, shown.total, shown.more, shown.more_at)
        prev_overall = _tally(tallies[1] if tallies[1] is not None else tally_of(previous.findings), catalog,
                              "observed")[0]
    trend = sorted((t if isinstance(t, TrendPoint) else
                    trend_point(t.period, t.id, t.as_of.isoformat(), tally_of(t.findings), catalog)
                    for t in trend_scans), key=lambda t: t.as_of)
    providers, types, files, kinds = _estate(current)
    left_out = sorted({f.control_id for f in current.findings if f.control_id not in catalog})
    used = sorted({r.control_id for r in rows} | {f.row.control_id for f in fixed})
    controls = {cid: {"title": catalog[cid].title.get(lang), "family": catalog[cid].family,
                      "severity": catalog[cid].severity, "check": catalog[cid].check,
                      "source": citation(catalog, cid), "remediation": catalog[cid].remediation.get(lang)}
                for cid in used}
    table = sorted((r for r in rows if r.status != "NOT_APPLICABLE"), key=lambda r: (
        _WORST.get(r.status, 9), -SEVERITY_RANK[r.severity], r.control_id, _BASIS_RANK.get(r.basis, 9),
        r.resource_kind, r.resource_id))
    return PostureReport(
        lang=lang, period=current.period, scan_id=current.id, as_of=current.as_of.isoformat(),
        scanned_at=current.scanned_at.isoformat(timespec="seconds"), tool_version=current.tool_version,
        engine=current.engine, previous_period=previous.period if previous else None,
        previous_scan_id=previous.id if previous else None, overall=overall, families=families,
        declared=declared, declared_families=declared_families,
        declared_controls=_declared_controls(rows, catalog, lang), previous_overall=prev_overall,
        failing=_failing(rows, catalog, lang, limit), new=bounded(new, limit),
        fixed=fixed_listing, still_open=bounded(still, limit), trend=trend,
        unknown=bounded([r for r in listed if r.status == "UNKNOWN"], limit),
        attestations=_attestations(current, rows),
        muted=bounded(_by_severity([r for r in rows if r.status == "MUTED"]), limit),
        providers=providers, source_types=types, source_files=files, kinds=kinds,
        resource_count=len(current.resources),
        rows=bounded(table, limit, lambda r: f"{r.control_id}|{r.status}"), controls=controls,
        notes=list(current.notes), left_out=left_out, max_resources=limit, listed_total=len(listed),
        listed=listed,
    )


def joined_rows(scan: SavedScan, catalog: Catalog, lang: str) -> tuple[list[Row], list[Row]]:
    """Every finding of ``scan`` as a row, and its FAIL/ERROR/UNKNOWN rows worst first (the full list)."""
    rows = _rows(scan, catalog, lang)
    return rows, _by_severity([r for r in rows if r.status in LISTED])


def from_history(history: History, period: str, catalog: Catalog, lang: str = "ja", *,
                 include_partial: bool = False,
                 max_resources: int | None = DEFAULT_MAX_RESOURCES,
                 on_listed: Callable[[list[Row]], None] | None = None) -> PostureReport | None:
    """The report of ``period`` from a history store; None when no scan was recorded in it.
    Only complete scans (no --family/--controls filter) are used unless ``include_partial``.
    ``on_listed(rows)`` is called once with the full list (:attr:`PostureReport.listed`) as soon
    as it is known, before the rest of the history is read: its writer can start meanwhile."""
    complete_only = not include_partial
    lean = all(hasattr(history, n) for n in ("latest_id", "tally", "summary", "get_listed"))
    if not lean:  # any History: read the scans back whole
        current = history.latest(period, complete_only=complete_only)
        if current is None:
            return None
        recorded = history.periods()
        earlier = (p for p in reversed(recorded) if p < period)
        previous = next((s for p in earlier if (s := history.latest(p, complete_only=complete_only)) is not None),
                        None)
        trend = [s for p in recorded if p <= period and (s := history.latest(p, complete_only=complete_only))]
        rep = build(catalog, current, previous, trend, lang, max_resources)
        if on_listed is not None:
            on_listed(rep.listed)
        return rep
    store: Any = history
    current_id = store.latest_id(period, complete_only=complete_only)
    if current_id is None:
        return None
    recorded = history.periods()
    previous_id = next((i for p in reversed(recorded) if p < period
                        if (i := store.latest_id(p, complete_only=complete_only)) is not None), None)
    # the findings a report lists, all of them; of the others (PASS, NOT_APPLICABLE) the few the
    # findings table shows; scores and counts come from the store's tally, never from rows
    per_control = max_resources if max_resources is not None else 2 ** 31
    current = store.get_listed(current_id, (*LISTED, "MUTED", "MANUAL"), per_control)
    joined = None
    if on_listed is not None:  # the full list is known now: its writer can start before the rest is read
        joined = joined_rows(current, catalog, lang)
        on_listed(joined[1])
    # of the previous scan, its open findings; the documents and current statuses of the fixed
    # ones shown are read once build knows which (a fixed finding's key is all it compares)
    previous = store.get_listed(previous_id, OPEN, 0, documents=False) if previous_id is not None else None
    tallies = (_complete_tally(store, current), _complete_tally(store, previous) if previous else None)
    trend: list[SavedScan | TrendPoint] = []
    for p in recorded:
        if p > period:
            continue
        scan = current if p == period else previous if previous is not None and p == previous.period else None
        if scan is not None:
            counted = tallies[0] if scan is current else tallies[1]
            trend.append(trend_point(scan.period, scan.id, scan.as_of.isoformat(), counted or (), catalog))
        elif (point := _trend_point(history, p, catalog, complete_only)) is not None:
            trend.append(point)
    loaded = (*LISTED, "MUTED", "MANUAL")
    now = None
    documents = None
    if previous is not None:
        def now(keys: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], str]:
            return store.statuses(current.id, loaded, keys)

        if not previous.resources:  # read without them (none had to derive a basis)
            def documents(keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
                return store.documents(previous.id, keys)
    return build(catalog, current, previous, trend, lang, max_resources, tallies, now, documents, joined)


def _complete_tally(store: Any, scan: SavedScan) -> Tally:
    """The store's count of every finding of ``scan``; a scan saved before the basis was kept was
    read back whole (get_listed keeps every finding without a basis), so it is counted here."""
    counted = store.tally(scan.id)
    return tally_of(scan.findings) if any(b is None for _c, _s, b, _n in counted) else counted


def _trend_point(history: History, period: str, catalog: Catalog, complete_only: bool) -> TrendPoint | None:
    """A quarter's trend point counted by the store in SQL when it can, else from the scan read back."""
    latest_id, tally, summary = (getattr(history, n, None) for n in ("latest_id", "tally", "summary"))
    if latest_id is None or tally is None or summary is None:
        s = history.latest(period, complete_only=complete_only)
        return None if s is None else trend_point(s.period, s.id, s.as_of.isoformat(), tally_of(s.findings), catalog)
    scan_id = latest_id(period, complete_only=complete_only)
    if scan_id is None:
        return None
    counted = tally(scan_id)
    if any(b is None for _c, _s, b, _n in counted):  # saved before the basis was kept: derive it on read
        s = history.latest(period, complete_only=complete_only)
        return None if s is None else trend_point(s.period, s.id, s.as_of.isoformat(), tally_of(s.findings), catalog)
    return trend_point(period, scan_id, summary(scan_id).as_of.isoformat(), counted, catalog)


def _row_json(r: Row) -> dict[str, Any]:
    d = asdict(r)
    d.pop("title")
    d.pop("family")
    d.pop("severity")
    d.pop("check")
    if d["suppression"] is None:
        d.pop("suppression")
    return d


def _counts(s: Score) -> dict[str, int]:
    """Declared tallies: the counts without a percentage (a register's word is not a score)."""
    return {"pass": s.passed, "fail": s.failed, "error": s.errors, "unknown": s.unknown}


def to_json(rep: PostureReport) -> dict[str, Any]:
    """The JSON contract of ``sansho report --format json`` (documented in docs/reports.md).

    Controls appear once, under ``controls``, with their catalog metadata; findings refer to them by ID.
    """
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "lang": rep.lang,
        "period": rep.period,
        "scan": {"id": rep.scan_id, "as_of": rep.as_of, "scanned_at": rep.scanned_at,
                 "tool_version": rep.tool_version, "engine": rep.engine},
        "previous": ({"period": rep.previous_period, "scan_id": rep.previous_scan_id,
                      "overall": rep.previous_overall.as_dict() if rep.previous_overall else None}
                     if rep.previous_period else None),
        "score": {
            "definition": SCORE_DEFINITION,
            "basis": "observed",
            "overall": rep.overall.as_dict(),
            "families": {fam: s.as_dict() for fam, s in rep.families.items()},
            "declared": {
                "overall": _counts(rep.declared),
                "families": {fam: _counts(s) for fam, s in rep.declared_families.items()},
            },
        },
        "controls": rep.controls,
        "failing_controls": [
            {"control_id": fc.control_id, "severity": fc.severity, "count": fc.count,
             "resources": [r.resource_id for r in fc.rows]}
            for fc in rep.failing
        ],
        "changes": {
            "new": [_row_json(r) for r in rep.new],
            "fixed": [{**_row_json(f.row), "now": f.now} for f in rep.fixed],
            "still_open": [_row_json(r) for r in rep.still_open],
        },
        "trend": [
            {"period": t.period, "scan_id": t.scan_id, "as_of": t.as_of, "score": t.score.value,
             "fail": t.fail, "unknown": t.unknown, "manual": t.manual}
            for t in rep.trend
        ],
        "declared_controls": [
            {"control_id": d.control_id, **_counts(d.score), "sources": d.sources} for d in rep.declared_controls
        ],
        "unknown": [_row_json(r) for r in rep.unknown],
        "attestations": [asdict(a) for a in rep.attestations],
        "muted": [_row_json(r) for r in rep.muted],
        "estate": {
            "resources": rep.resource_count,
            "providers": [asdict(p) for p in rep.providers],
            "source_types": rep.source_types,
            "source_files": rep.source_files,
            "kinds": rep.kinds,
        },
        "findings": [{**_row_json(r)} for r in rep.rows],
        "notes": rep.notes,
        "left_out_controls": rep.left_out,
        # each list above holds the first max_resources of each control (findings: of each control
        # and status); the totals count them all, and the resources file lists every FAIL, ERROR
        # and UNKNOWN finding
        "listing": {
            "max_resources": rep.max_resources, "resources_file": rep.resources_file or None,
            "resources_file_rows": rep.listed_total,
            "totals": {"new": rep.new.total, "fixed": rep.fixed.total, "still_open": rep.still_open.total,
                       "unknown": rep.unknown.total, "muted": rep.muted.total, "findings": rep.rows.total},
        },
    }
