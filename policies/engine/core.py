"""Evaluate the catalog over an inventory: Rego and Python rules in, one list of findings out.

The engine, not the rules, guarantees the safety properties:

* every automated control gets one finding per applicable resource; a resource no rule gave a
  verdict becomes UNKNOWN (a forgotten branch never passes);
* when rules disagree the worse verdict stands;
* a Python rule that raises becomes ERROR for that resource, not a crashed scan;
* suppressions mute only while unexpired.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from ..catalog import Catalog, Control
from ..config import Config, Suppression
from ..findings import Finding, worse
from ..model import RESOURCE_CLASSES, Resource
from ..rules.registry import PythonRule, RuleContext, Verdict, python_rules
from .attestations import judge_attestations
from .rego import OpaBackend, RegorusBackend, rego_files, rule_annotations

NO_VERDICT = Verdict(
    "UNKNOWN",
    "no rule reached a verdict for this resource, so it is not judged compliant",
    "この資源について判定したルールがないため、適合とはみなしません",
)

RULE_STATUSES = frozenset({"PASS", "FAIL", "UNKNOWN", "NOT_APPLICABLE", "ERROR"})

# Fields the rules never read; leaving them out keeps the Rego input small.
_NOT_FOR_RULES = {"raw", "read_errors"}


@dataclass
class ScanResult:
    findings: list[Finding]
    controls: list[Control]
    resources: list[Resource]
    scanned_at: dt.datetime
    today: dt.date
    engine: str
    expired_suppressions: list[Suppression] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # (file[:line], reason) of the input files that could not be parsed (`iac --skip-unparsable`)
    unparsed: list[tuple[str, str]] = field(default_factory=list)


def group_by_kind(resources: Sequence[Resource]) -> dict[str, list[Resource]]:
    by_kind: dict[str, list[Resource]] = defaultdict(list)
    for r in resources:
        by_kind[r.kind].append(r)
    return by_kind


def rego_input(by_kind: dict[str, list[Resource]]) -> str:
    """The JSON the Rego rules see: ``{"resources": {kind: [resource, …]}}``.

    Serialised kind by kind in pydantic's Rust core; ``None`` fields are left out, which the
    rules read as "not read" exactly like an explicit null.
    """
    parts = []
    for kind, items in by_kind.items():
        adapter = _adapter(kind)
        body = adapter.dump_json(items, exclude_none=True, exclude={"__all__": _NOT_FOR_RULES}).decode()
        parts.append(f'"{kind}":{body}')
    return '{"resources":{' + ",".join(parts) + "}}"


_ADAPTERS: dict[str, TypeAdapter] = {}


def _adapter(kind: str) -> TypeAdapter:
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(list[RESOURCE_CLASSES[kind]])  # type: ignore[valid-type]
    return _ADAPTERS[kind]


class VerdictTable:
    """Verdicts by control and kind, then resource id; the worse of two verdicts stands.

    Nested dicts rather than (control, kind, id) tuple keys: the lookup runs once per
    applicable resource per control, hundreds of thousands of times on a large estate.
    """

    def __init__(self) -> None:
        self._by: dict[tuple[str, str], dict[str, tuple[str, str, str, str]]] = defaultdict(dict)

    def put(self, control: str, kind: str, rid: str, status: str, en: str, ja: str, rule: str) -> None:
        judged = self._by[(control, kind)]
        old = judged.get(rid)
        if old is None or worse(status, old[0]):
            judged[rid] = (status, en, ja, rule)

    def of(self, control: str, kind: str) -> dict[str, tuple[str, str, str, str]]:
        return self._by.get((control, kind), {})


class Engine:
    def __init__(self, catalog: Catalog, config: Config | None = None, engine: str = "regorus",
                 opa_url: str | None = None, opa_push: bool = False, opa_insecure: bool = False):
        self.catalog = catalog
        self.config = config or Config()
        self.engine_name = engine
        files = rego_files()
        refs = rule_annotations(files)
        self.rego_controls = {a.control_id for a in refs}
        self.rego_package_controls: dict[str, set[str]] = defaultdict(set)
        for a in refs:
            self.rego_package_controls[a.package].add(a.control_id)
        self.python_rules: list[PythonRule] = python_rules()
        data = {"sansho": {"controls": catalog.rego_data(self.config.parameters)}}
        if engine == "regorus":
            self.backend: RegorusBackend | OpaBackend = RegorusBackend(files, data)
        elif engine == "opa":
            if not opa_url:
                from ..errors import InputError

                raise InputError("--engine opa needs --opa-url URL")
            self.backend = OpaBackend(files, data, opa_url, push=opa_push, insecure=opa_insecure)
        else:
            from ..errors import InputError

            raise InputError(f"--engine: unknown engine {engine!r} (choose regorus or opa)")

    def params(self, control: Control) -> dict[str, Any]:
        return {**control.parameters, **self.config.parameters.get(control.id, {})}

    def scan(self, resources: Sequence[Resource], controls: Sequence[Control] | None = None,
             today: dt.date | None = None) -> ScanResult:
        now = dt.datetime.now(dt.UTC)
        today = today or now.date()
        controls = list(controls) if controls is not None else list(self.catalog)
        by_kind = group_by_kind(resources)
        automated = [c for c in controls if c.check == "automated"]

        table = VerdictTable()
        wanted = {c.id for c in automated}
        if wanted & self.rego_controls and resources:
            self._rego_verdicts(table, by_kind, wanted)
        self._python_verdicts(table, by_kind, wanted, RuleContext(today=today, by_kind=by_kind))

        none = (NO_VERDICT.status, NO_VERDICT.en, NO_VERDICT.ja, "engine")
        findings: list[Finding] = []
        append = findings.append
        for control in automated:
            cid = control.id
            for kind in control.applies_to:
                judged = table.of(cid, kind)
                for r in by_kind.get(kind, ()):
                    status, en, ja, rule_name = judged.get(r.id, none)
                    if status == "UNKNOWN" and r.read_errors:
                        why = "; ".join(f"{k}: {m}" for k, m in sorted(r.read_errors.items()))
                        en, ja = f"{en} ({why})", f"{ja}({why})"
                    append(Finding(cid, status, r, en, ja, rule_name))

        notes: list[str] = []
        attestation_controls = [c for c in controls if c.check == "attestation"]
        if attestation_controls:
            if by_kind.get("attestation"):
                findings.extend(judge_attestations(attestation_controls, by_kind["attestation"], today))
            else:
                notes.append(
                    f"{len(attestation_controls)} attestation controls were not judged: the inventory holds "
                    "no attestation register / 証跡(アテステーション)台帳がないため、組織的対策の管理策は判定していません"
                )

        expired = self._apply_suppressions(findings, today)
        # Findings stay in catalog order, then inventory order: deterministic without a sort
        # over hundreds of thousands of items.
        return ScanResult(findings, controls, list(resources), now, today, self.engine_name, expired, notes)

    def _rego_verdicts(self, table: VerdictTable, by_kind: dict[str, list[Resource]], wanted: set[str]) -> None:
        rego_name = f"rego:{self.backend.name}"
        # Verdicts each package will give: balances the workers, and a package with none is skipped.
        weights = {
            pkg: sum(len(by_kind.get(k, ())) for cid in cids & wanted for k in self.catalog[cid].applies_to)
            for pkg, cids in self.rego_package_controls.items()
        }
        rego_verdicts, rego_errors = self.backend.verdicts(rego_input(by_kind), weights)
        for pkg, why in rego_errors.items():
            # A policy that cannot be evaluated judges nothing: its controls become ERROR.
            for cid in self.rego_package_controls.get(pkg, set()) & wanted:
                for kind in self.catalog[cid].applies_to:
                    for r in by_kind.get(kind, ()):
                        table.put(cid, kind, r.id, "ERROR", f"Rego evaluation of {pkg} failed: {why}",
                                  f"Rego ポリシー {pkg} の評価に失敗しました: {why}", rego_name)
        put = table.put
        for control, kind, rid, status, en, ja in rego_verdicts:
            if control not in wanted:
                continue
            if status not in RULE_STATUSES:  # a rule bug: say so rather than guess
                en, ja = f"rule returned invalid status {status!r}", f"ルールが不正な判定 {status!r} を返しました"
                status = "ERROR"
            put(control, kind, rid, status, en, ja, rego_name)

    def _python_verdicts(self, table: VerdictTable, by_kind: dict[str, list[Resource]], wanted: set[str],
                         ctx: RuleContext) -> None:
        for pr in self.python_rules:
            if pr.control_id not in wanted:
                continue
            control = self.catalog[pr.control_id]
            params = self.params(control)
            for kind in control.applies_to:
                for r in by_kind.get(kind, ()):
                    try:
                        pv = pr.func(r, params, ctx) or NO_VERDICT
                        if pv.status not in RULE_STATUSES:
                            raise ValueError(f"invalid status {pv.status!r}")
                    except Exception as e:  # a rule bug must not take the scan down
                        pv = Verdict("ERROR", f"rule {pr.name} failed: {type(e).__name__}: {e}",
                                     f"ルール {pr.name} の実行に失敗しました: {type(e).__name__}: {e}")
                    table.put(control.id, kind, r.id, pv.status, pv.en, pv.ja, f"python:{pr.name}")

    def _apply_suppressions(self, findings: list[Finding], today: dt.date) -> list[Suppression]:
        sups = self.config.suppressions
        if not sups:
            return []
        expired = [s for s in sups if s.expired(today)]
        live = [s for s in sups if not s.expired(today)]
        for f in findings:
            if f.status not in ("FAIL", "UNKNOWN"):
                continue
            for s in live:
                if s.matches(f.control_id, f.resource.id):
                    f.suppression = {"reason": s.reason, "expires": s.expires.isoformat(), "was": f.status}
                    f.status = "MUTED"
                    break
        return expired
