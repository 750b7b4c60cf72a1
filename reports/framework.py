"""One view of a saved scan through any framework: requirement → controls → findings.

Every framework (mhlw6, ISMAP, SOC 2, ISO/IEC 27001, …) is a catalog file mapping its
requirement IDs to control IDs; this module is the one renderer for all of them (the evidence
bundle and its summary use it), so adding a framework is adding a file, never a module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sansho.policies.catalog import Catalog, Control, Framework, Requirement
from sansho.policies.errors import InputError
from sansho.policies.findings import BASES
from sansho.reports.history.records import SavedFinding, SavedScan

WORST_FIRST = ("FAIL", "ERROR", "UNKNOWN", "MANUAL", "MUTED", "PASS", "NOT_APPLICABLE")
NOT_SCANNED = "NOT_SCANNED"
NO_FINDINGS = "NO_FINDINGS"


def worst_status(statuses: Iterable[str]) -> str | None:
    """The worst of the statuses (FAIL before ERROR before UNKNOWN …), None when there are none."""
    return min(statuses, key=WORST_FIRST.index, default=None)


def framework_of(catalog: Catalog, framework_id: str) -> Framework:
    try:
        return catalog.frameworks[framework_id]
    except KeyError:
        raise InputError(f"--framework: unknown framework {framework_id!r} (choose from "
                         f"{', '.join(catalog.frameworks)}) / 不明なフレームワークです") from None


@dataclass(frozen=True, slots=True)
class ControlView:
    control: Control
    findings: tuple[SavedFinding, ...]  # every finding, or (read back in part) at least the worst ones
    status: str  # the worst finding status, NOT_SCANNED or NO_FINDINGS
    # (status, basis, count) of every finding of the control; None: counted from ``findings``
    counted: tuple[tuple[str, str, int], ...] | None = None

    def _counted(self) -> tuple[tuple[str, str, int], ...]:
        if self.counted is not None:
            return self.counted
        c = Counter((f.status, f.basis or "declared") for f in self.findings)
        return tuple((st, b, n) for (st, b), n in c.items())

    @property
    def total(self) -> int:
        return sum(n for _s, _b, n in self._counted())

    @property
    def counts(self) -> dict[str, int]:
        c: Counter[str] = Counter()
        for st, _b, n in self._counted():
            c[st] += n
        return dict(sorted(c.items()))

    @property
    def basis(self) -> tuple[str, ...]:
        """How the findings that carry the status are known (observed, declared, attested)."""
        found = {b for st, b, _n in self._counted() if st == self.status}
        return tuple(b for b in BASES if b in found)

    @property
    def basis_counts(self) -> dict[str, dict[str, int]]:
        """Findings by basis, then status: declared and attested results apart from observed ones."""
        out: dict[str, Counter[str]] = {}
        for st, b, n in self._counted():
            out.setdefault(b, Counter())[st] += n
        return {b: dict(sorted(out[b].items())) for b in BASES if b in out}


@dataclass(frozen=True, slots=True)
class RequirementView:
    requirement: Requirement
    controls: tuple[ControlView, ...]

    @property
    def status(self) -> str:
        judged = [c.status for c in self.controls if c.status in WORST_FIRST]
        return worst_status(judged) or (NOT_SCANNED if all(c.status == NOT_SCANNED for c in self.controls)
                                        else NO_FINDINGS)


@dataclass(frozen=True, slots=True)
class FrameworkView:
    framework: Framework
    scan: SavedScan
    requirements: tuple[RequirementView, ...]
    controls: dict[str, ControlView]  # every control the framework names, once


def build(catalog: Catalog, framework_id: str, scan: SavedScan,
          tally: Sequence[tuple[str, str, str | None, int]] | None = None) -> FrameworkView:
    """The view of ``scan`` through a framework. ``tally`` — (control, status, basis, count) as the
    history store counts it in SQL — gives the counts and statuses when ``scan`` holds only part of
    its findings (:meth:`HistoryStore.get_listed`)."""
    fw = framework_of(catalog, framework_id)
    per: dict[str, list[tuple[str, str, int]]] | None = None
    if tally is not None:
        per = {}
        for cid, st, b, n in tally:
            per.setdefault(cid, []).append((st, b or "declared", n))
    by_control: dict[str, list[SavedFinding]] = {}
    for f in scan.findings:
        by_control.setdefault(f.control_id, []).append(f)
    scanned = set(scan.controls)
    views: dict[str, ControlView] = {}
    for req in fw.requirements:
        for cid in req.controls:
            if cid in views:
                continue
            found = tuple(sorted(by_control.get(cid, []), key=lambda f: (f.resource_kind, f.resource_id)))
            counted = tuple(sorted(per.get(cid, []))) if per is not None else None
            if cid not in scanned:
                status = NOT_SCANNED
            elif counted is not None:
                status = worst_status(st for st, _b, _n in counted) or NO_FINDINGS
            else:
                status = worst_status(f.status for f in found) or NO_FINDINGS
            views[cid] = ControlView(catalog[cid], found, status, counted)
    reqs = tuple(RequirementView(req, tuple(views[cid] for cid in req.controls)) for req in fw.requirements)
    return FrameworkView(fw, scan, reqs, views)


STATUS_WORDS = {
    "ja": {"FAIL": "不適合", "ERROR": "エラー", "UNKNOWN": "判定不能", "MANUAL": "表明", "MUTED": "抑止中",
           "PASS": "適合", "NOT_APPLICABLE": "対象外", NOT_SCANNED: "未点検", NO_FINDINGS: "該当なし"},
    "en": {"FAIL": "FAIL", "ERROR": "ERROR", "UNKNOWN": "UNKNOWN", "MANUAL": "MANUAL (attested)", "MUTED": "MUTED",
           "PASS": "PASS", "NOT_APPLICABLE": "N/A", NOT_SCANNED: "not scanned", NO_FINDINGS: "no findings"},
}
BASIS_WORDS = {
    "ja": {"observed": "観測", "declared": "申告", "attested": "表明"},
    "en": {"observed": "observed", "declared": "declared", "attested": "attested"},
}
_BASIS_NOTE = {
    "ja": "根拠: 観測 = システム・コードから確認、申告 = 台帳(手入力)の記載で未検証、表明 = 担当者の回答。",
    "en": "Basis: observed = checked in a system or code; declared = what a hand-filled register says, not "
          "checked; attested = a person's answer.",
}
_HEAD = {
    "ja": ("# {name} 対応状況", "版: {edition} / スキャン: #{scan}({scanned_at}、判定基準日 {as_of})",
           "| 要求事項 | 内容 | 状況 | 管理策 |"),
    "en": ("# {name}: status by requirement", "Edition: {edition} / scan #{scan} ({scanned_at}, as of {as_of})",
           "| Requirement | Title | Status | Controls |"),
}


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(view: FrameworkView, lang: str) -> str:
    """A readable table of the view: what an auditor opens first in the bundle."""
    head, sub, table = _HEAD[lang]
    s = view.scan
    words = STATUS_WORDS[lang]
    lines = [head.format(name=_md(view.framework.name.get(lang))), "",
             sub.format(edition=_md(view.framework.edition), scan=s.id if s.id is not None else "-",
                        scanned_at=s.scanned_at.isoformat(), as_of=s.as_of.isoformat()), "",
             table, "|---|---|---|---|"]
    bases = BASIS_WORDS[lang]
    sep = "・" if lang == "ja" else ", "

    def control(c: ControlView) -> str:
        # MANUAL is always a person's answer, and its word says so already
        how = "" if c.status == "MANUAL" else "/".join(bases[b] for b in c.basis)
        return f"{c.control.id} ({words[c.status]}{sep + how if how else ''})"

    for rv in view.requirements:
        controls = ", ".join(control(c) for c in rv.controls)
        lines.append(f"| {_md(rv.requirement.id)} | {_md(rv.requirement.title.get(lang))} | {words[rv.status]} "
                     f"| {controls} |")
    lines += ["", _BASIS_NOTE[lang]]
    return "\n".join(lines) + "\n"
