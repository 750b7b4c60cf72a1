"""The SaaS / PaaS / IaaS responsibility matrix (責任分界表): who owns each control, and where it stands.

Ownership comes from the catalog record's ``responsibility`` (システム運用編 3.4) unless a vendor's
register entry overrides it (``responsibility_overrides`` of its ``vendor.contract``). The status
comes from the latest saved scan. A row is a gap when nobody owns it (the provider's part is not
backed by an agreed responsibility split, システム運用編 3.3) or when its findings hold a FAIL,
ERROR or UNKNOWN. Beside the status, 現状の根拠 (status basis) says how the findings that carry
that status are known: observed, declared (a hand-filled register says so; sansho did not check)
or attested (a person's answer). The XLSX is the copy hospital staff fill in and keep; HTML and
CSV carry the same rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sansho.policies.catalog import Catalog, Control
from sansho.policies.console import FAMILY_JA
from sansho.policies.errors import InputError
from sansho.policies.findings import BASES
from sansho.reports.framework import NO_FINDINGS, NOT_SCANNED, worst_status
from sansho.reports.history.records import SavedScan
from sansho.reports.posture import citation
from sansho.reports.posture_text import SEVERITY_LABEL
from sansho.reports.spreadsheet import append_text_row, csv_row, set_text

MODELS = ("saas", "paas", "iaas")
# "provider": the rows a provider answers for (owner provider or shared), for a provider scanning its
# own estate; "all": every control, as the hospital keeps the matrix.
VIEWS = ("all", "provider")
OWNER = {"customer": {"ja": "病院", "en": "Hospital"}, "provider": {"ja": "事業者", "en": "Provider"},
         "shared": {"ja": "共同", "en": "Shared"}}
# ERROR joins UNKNOWN: both mean no verdict could be reached, and neither is ever a pass.
COUNTED = ("FAIL", "UNKNOWN", "PASS", "MANUAL")
_COUNT_AS = {"FAIL": "FAIL", "ERROR": "UNKNOWN", "UNKNOWN": "UNKNOWN", "PASS": "PASS", "MANUAL": "MANUAL"}
GAP_NO_OWNER = "no_owner"
GAP_FAILING = "failing"
STATUS_WORDS = {
    NOT_SCANNED: {"ja": "未点検", "en": "not scanned"},
    NO_FINDINGS: {"ja": "該当なし", "en": "no findings"},
    "FAIL": {"ja": "不適合", "en": "FAIL"}, "ERROR": {"ja": "エラー", "en": "ERROR"},
    "UNKNOWN": {"ja": "判定不能", "en": "UNKNOWN"}, "MANUAL": {"ja": "表明", "en": "MANUAL"},
    "MUTED": {"ja": "抑止中", "en": "MUTED"}, "PASS": {"ja": "適合", "en": "PASS"},
    "NOT_APPLICABLE": {"ja": "対象外", "en": "N/A"},
}
GAP_WORDS = {
    GAP_NO_OWNER: {"ja": "責任主体なし(事業者との責任分界が未合意)",
                   "en": "nobody owns it (no agreed responsibility split with a provider)"},
    GAP_FAILING: {"ja": "責任主体に不適合・判定不能あり", "en": "the owner has FAIL/UNKNOWN findings"},
}
PROGRESS = {"ja": ("未着手", "対応中", "対応済", "対象外"), "en": ("not started", "in progress", "done", "not applicable")}


@dataclass(frozen=True, slots=True)
class MatrixRow:
    control: Control
    owner: str  # provider | customer | shared
    overridden_by: tuple[str, ...]  # vendor.contract IDs whose register entry set the owner
    counts: dict[str, int]
    status: str  # the worst finding status, NOT_SCANNED or NO_FINDINGS
    gaps: tuple[str, ...]
    conflict: tuple[str, ...] = ()  # contracts that disagree about this control
    basis: tuple[str, ...] = ()  # how the findings that carry the status are known, in BASES order

    @property
    def is_gap(self) -> bool:
        return bool(self.gaps)


@dataclass(slots=True)
class Matrix:
    model: str
    vendor: str | None
    scan: SavedScan | None
    rows: list[MatrixRow]
    agreed_contracts: list[str] = field(default_factory=list)
    model_mismatch: list[str] = field(default_factory=list)  # the vendor's contracts of another service model
    view: str = "all"

    @property
    def gaps(self) -> list[MatrixRow]:
        return [r for r in self.rows if r.is_gap]


def known_vendors(scan: SavedScan | None) -> list[str]:
    if scan is None:
        return []
    return sorted({r["vendor"] for r in _contracts(scan) if r.get("vendor")})


def _contracts(scan: SavedScan) -> list[dict[str, Any]]:
    return sorted((r for r in scan.resources if r.get("kind") == CONTRACT_KIND), key=lambda r: r["id"])


CONTRACT_KIND = "vendor.contract"


def build(catalog: Catalog, model: str, scan: SavedScan | None, vendor: str | None = None,
          tally: Sequence[tuple[str, str, str | None, int]] | None = None, view: str = "all") -> Matrix:
    """The matrix of ``model`` with ``scan``'s status. ``tally`` — (control, status, basis, count)
    as the history store counts it in SQL — stands for ``scan.findings`` when given, so a big
    scan's findings need not be read (the scan then needs only its vendor.contract resources).
    ``view="provider"`` keeps the controls the provider answers for (owner provider or shared):
    what the guidelines put on a provider scanning its own estate, where "nobody owns it" cannot
    arise (the provider owns every row)."""
    if model not in MODELS:
        raise InputError(f"--model: {model!r} is not one of {', '.join(MODELS)}")
    if view not in VIEWS:
        raise InputError(f"--view: {view!r} is not one of {', '.join(VIEWS)}")
    contracts: list[dict[str, Any]] = []
    if vendor is not None:
        known = known_vendors(scan)
        if scan is None:
            raise InputError(f"--vendor: no saved scan to read the vendor register from / "
                             f"委託先の登録を読むためのスキャン履歴がありません ({vendor})")
        if vendor not in known:
            listed = ", ".join(known) if known else "(none / なし)"
            raise InputError(f"--vendor: unknown vendor {vendor!r}; known vendors: {listed} / "
                             f"委託先 {vendor!r} は登録にありません")
        contracts = [r for r in _contracts(scan) if r.get("vendor") == vendor]
    elif scan is not None:
        contracts = [r for r in _contracts(scan) if r.get("service_model") == model]
    # Only an explicit `true` backs the provider's part: an unread or refused agreement is no owner.
    agreed = [r["id"] for r in contracts if r.get("responsibility_agreed") is True]
    mismatch = [r["id"] for r in contracts if vendor is not None and r.get("service_model") not in (None, model)]

    overrides: dict[str, dict[str, str]] = {}
    for r in contracts if vendor is not None else []:
        for cid, owner in (r.get("responsibility_overrides") or {}).items():
            overrides.setdefault(cid, {})[r["id"]] = owner

    by_control: dict[str, list[str]] = {}
    bases: dict[tuple[str, str], set[str]] = {}  # (control, status) -> bases of those findings
    if scan is not None:
        counted = tally if tally is not None else [(f.control_id, f.status, f.basis, 1) for f in scan.findings]
        for cid, st, basis, n in counted:
            by_control.setdefault(cid, []).extend([st] * n)
            bases.setdefault((cid, st), set()).add(basis or "declared")
    scanned = set(scan.controls) if scan is not None else set()

    rows = []
    for c in catalog:
        owner = getattr(c.responsibility, model)
        by: tuple[str, ...] = ()
        conflict: tuple[str, ...] = ()
        if c.id in overrides:
            votes = overrides[c.id]
            by = tuple(sorted(votes))
            values = set(votes.values())
            # Two contracts of one vendor that disagree leave both parties on the hook.
            owner = values.pop() if len(values) == 1 else "shared"
            conflict = by if len(set(votes.values())) > 1 else ()
        statuses = by_control.get(c.id, [])
        counts = Counter(_COUNT_AS[s] for s in statuses if s in _COUNT_AS)
        if scan is None or c.id not in scanned:
            status = NOT_SCANNED
        else:
            status = worst_status(statuses) or NO_FINDINGS
        if view == "provider" and owner == "customer":
            continue
        gaps = []
        if scan is not None and owner in ("provider", "shared") and not agreed and view == "all":
            gaps.append(GAP_NO_OWNER)
        if counts["FAIL"] or counts["UNKNOWN"]:
            gaps.append(GAP_FAILING)
        basis = tuple(b for b in BASES if b in bases.get((c.id, status), ()))
        rows.append(MatrixRow(c, owner, by, {k: counts.get(k, 0) for k in COUNTED}, status, tuple(gaps), conflict,
                              basis))
    return Matrix(model, vendor, scan, rows, agreed, mismatch, view)


# -- words ------------------------------------------------------------------------------------

HEADERS = {
    "ja": ["管理策ID", "管理策", "分類", "重要度", "点検方法", "ガイドライン出典", "責任主体(病院/事業者/共同)",
           "責任主体の根拠", "現状", "現状の根拠(観測/申告/表明)", "FAIL", "UNKNOWN", "PASS", "MANUAL", "ギャップ",
           "担当者", "対応状況", "対応予定日", "備考"],
    "en": ["Control ID", "Control", "Family", "Severity", "Check", "Guideline source",
           "Responsible (Hospital/Provider/Shared)", "Responsibility from", "Status",
           "Status basis (observed/declared/attested)", "FAIL", "UNKNOWN", "PASS", "MANUAL", "Gap",
           "Person in charge", "Progress", "Planned date", "Notes"],
}
# The columns hospital staff fill in (and the owner column, which they may correct once agreed).
FILL_IN = (15, 16, 17, 18)
OWNER_COL = 6
SHOWN = 15  # the columns HTML shows: everything up to the gap, none of the fill-in ones
WIDTHS = (13, 44, 16, 9, 10, 44, 16, 22, 12, 14, 7, 10, 7, 9, 30, 16, 12, 13, 30)
BASIS_WORDS = {"observed": {"ja": "観測", "en": "observed"}, "declared": {"ja": "申告", "en": "declared"},
               "attested": {"ja": "表明", "en": "attested"}}

WORDS = {
    "ja": {
        "title": "責任分界表({model})", "sheet": "責任分界表", "cover": "概要",
        "title_provider": "事業者が責任を負う管理策({model})", "view": "表示",
        "view_all": "すべての管理策", "view_provider": "事業者ビュー(責任主体が事業者又は共同の管理策)",
        "heading": "3省2ガイドライン 管理策の責任分界表", "model": "サービス類型", "vendor": "委託先事業者",
        "all_vendors": "(指定なし:カタログの責任分界)", "scan": "基準としたスキャン",
        "no_scan": "スキャン履歴なし:カタログの責任分界のみから作成しました。現状は「未点検」です。",
        "scan_line": "#{id} {scanned_at}(判定基準日 {as_of}、sansho {version})",
        "controls": "管理策数", "owners": "責任主体ごとの件数", "gaps": "ギャップ(要対応)",
        "agreed": "責任分界を合意した契約", "none": "なし", "legend": "凡例",
        "legend_fail": "赤:責任主体に不適合・判定不能がある", "legend_owner": "橙:責任主体がいない(事業者との責任分界が未合意)",
        "legend_basis": "現状の根拠:観測=システム・コードから確認、申告=台帳(手入力)の記載で未検証、表明=担当者の回答",
        "howto": "記入方法", "howto_text": "「責任分界表」シートの担当者・対応状況・対応予定日・備考を記入し、"
                                        "委託先事業者と合意した責任主体に合わせて「責任主体」列を修正して保管してください。",
        "catalog": "カタログ", "register": "委託先登録", "conflict": "委託先登録の契約間で責任主体が異なる",
        "mismatch": "注意:次の契約のサービス類型は{model}ではありません", "automated": "自動", "attestation": "表明",
        "generated": "作成日",
    },
    "en": {
        "title": "Responsibility matrix ({model})", "sheet": "Matrix", "cover": "Summary",
        "title_provider": "Controls the provider answers for ({model})", "view": "View",
        "view_all": "every control", "view_provider": "provider view (controls owned by the provider or shared)",
        "heading": "3省2ガイドライン controls: responsibility matrix", "model": "Service model", "vendor": "Vendor",
        "all_vendors": "(none: the catalog's split)", "scan": "Scan used",
        "no_scan": "No scan history: made from the catalog's responsibility split alone. Status is 'not scanned'.",
        "scan_line": "#{id} {scanned_at} (as of {as_of}, sansho {version})",
        "controls": "Controls", "owners": "Controls per owner", "gaps": "Gaps (to act on)",
        "agreed": "Contracts with an agreed responsibility split", "none": "none", "legend": "Legend",
        "legend_fail": "Red: the owner has FAIL/UNKNOWN findings",
        "legend_owner": "Orange: nobody owns it (no agreed split with a provider)",
        "legend_basis": "Status basis: observed = checked in a system or code; declared = what a hand-filled "
                        "register says, not checked; attested = a person's answer",
        "howto": "How to fill in", "howto_text": "Fill in person in charge, progress, planned date and notes on the "
                                               "Matrix sheet; correct the owner column to what you agreed with the "
                                               "vendor, and keep the file.",
        "catalog": "catalog", "register": "vendor register", "conflict": "contracts in the register disagree",
        "mismatch": "Note: these contracts are not {model}", "automated": "automated", "attestation": "attestation",
        "generated": "Generated",
    },
}


def _cells(m: Matrix, r: MatrixRow, catalog: Catalog, lang: str) -> list[Any]:
    w = WORDS[lang]
    c = r.control
    source = f"{w['register']}: {', '.join(r.overridden_by)}" if r.overridden_by else w["catalog"]
    notes = f"{w['conflict']}: {', '.join(r.conflict)}" if r.conflict else ""
    gap = " / ".join(GAP_WORDS[g][lang] for g in r.gaps)
    family = FAMILY_JA.get(c.family, c.family) if lang == "ja" else c.family
    severity = SEVERITY_LABEL[c.severity][0 if lang == "ja" else 1]
    basis = "・".join(BASIS_WORDS[b][lang] for b in r.basis) if lang == "ja" else \
        ", ".join(BASIS_WORDS[b][lang] for b in r.basis)
    return [c.id, c.title.get(lang), family, severity, w[c.check], citation(catalog, c.id),
            OWNER[r.owner][lang], source, STATUS_WORDS[r.status][lang], basis, *(r.counts[k] for k in COUNTED),
            gap, "", "", None, notes]


def _scan_line(m: Matrix, lang: str) -> str:
    if m.scan is None:
        return WORDS[lang]["no_scan"]
    s = m.scan
    return WORDS[lang]["scan_line"].format(id=s.id if s.id is not None else "-", scanned_at=s.scanned_at.isoformat(),
                                           as_of=s.as_of.isoformat(), version=s.tool_version)


def title(m: Matrix, lang: str) -> str:
    return WORDS[lang]["title_provider" if m.view == "provider" else "title"].format(model=m.model.upper())


def summary_lines(m: Matrix, lang: str) -> list[tuple[str, str]]:
    w = WORDS[lang]
    owners = Counter(r.owner for r in m.rows)
    lines = [(w["view"], w["view_provider"])] if m.view == "provider" else []
    lines += [
        (w["model"], m.model.upper()),
        (w["vendor"], m.vendor or w["all_vendors"]),
        (w["scan"], _scan_line(m, lang)),
        (w["controls"], str(len(m.rows))),
        (w["owners"], " / ".join(f"{OWNER[o][lang]} {owners.get(o, 0)}" for o in ("customer", "provider", "shared"))),
        (w["gaps"], str(len(m.gaps))),
        (w["agreed"], ", ".join(m.agreed_contracts) or w["none"]),
    ]
    if m.model_mismatch:
        lines.append((w["mismatch"].format(model=m.model.upper()), ", ".join(m.model_mismatch)))
    return lines


# -- XLSX -------------------------------------------------------------------------------------

RED = "FFC7CE"
ORANGE = "FFE4B5"
HEADER = "1F4E78"


def render_xlsx(m: Matrix, catalog: Catalog, lang: str, output: Path, today: dt.date | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    w = WORDS[lang]
    wb = Workbook()
    cover = wb.active
    cover.title = w["cover"]
    cover["A1"] = w["heading"]
    cover["A1"].font = Font(bold=True, size=14)
    cover["A2"] = title(m, lang)
    cover["A2"].font = Font(bold=True, size=12)
    row = 4
    for label, value in [*summary_lines(m, lang), (w["generated"], (today or dt.date.today()).isoformat())]:
        set_text(cover.cell(row, 1), label).font = Font(bold=True)
        set_text(cover.cell(row, 2), value).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    cover.cell(row, 1, w["legend"]).font = Font(bold=True)
    cover.cell(row, 2, w["legend_fail"]).fill = PatternFill("solid", fgColor=RED)
    cover.cell(row + 1, 2, w["legend_owner"]).fill = PatternFill("solid", fgColor=ORANGE)
    cover.cell(row + 2, 2, w["legend_basis"]).alignment = Alignment(wrap_text=True, vertical="top")
    cover.cell(row + 4, 1, w["howto"]).font = Font(bold=True)
    cover.cell(row + 4, 2, w["howto_text"]).alignment = Alignment(wrap_text=True, vertical="top")
    cover.column_dimensions["A"].width = 30
    cover.column_dimensions["B"].width = 100

    ws = wb.create_sheet(w["sheet"])
    headers = HEADERS[lang]
    ws.append(headers)
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
        head = ws.cell(1, col)
        head.font = Font(bold=True, color="FFFFFF")
        head.fill = PatternFill("solid", fgColor=HEADER)
        head.alignment = Alignment(wrap_text=True, vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    for r in m.rows:
        append_text_row(ws, _cells(m, r, catalog, lang))
        n = ws.max_row
        fill = None
        if GAP_FAILING in r.gaps:
            fill = PatternFill("solid", fgColor=RED)
        elif GAP_NO_OWNER in r.gaps:
            fill = PatternFill("solid", fgColor=ORANGE)
        for col in range(1, len(headers) + 1):
            cell = ws.cell(n, col)
            cell.alignment = wrap
            if fill is not None:
                cell.fill = fill
        ws.cell(n, FILL_IN[2] + 1).number_format = "yyyy-mm-dd"
    last = ws.max_row
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"

    def column_range(i: int) -> str:
        letter = get_column_letter(i + 1)
        return f"{letter}2:{letter}{max(last, 2)}"

    owners = DataValidation(type="list", formula1='"' + ",".join(OWNER[o][lang] for o in ("customer", "provider", "shared")) + '"',
                            allow_blank=True, showErrorMessage=True)
    owners.add(column_range(OWNER_COL))
    progress = DataValidation(type="list", formula1='"' + ",".join(PROGRESS[lang]) + '"', allow_blank=True,
                              showErrorMessage=True)
    progress.add(column_range(FILL_IN[1]))
    dates = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                           showErrorMessage=True, error="YYYY-MM-DD")
    dates.add(column_range(FILL_IN[2]))
    person = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="100", allow_blank=True)
    person.add(column_range(FILL_IN[0]))
    for dv in (owners, progress, dates, person):
        ws.add_data_validation(dv)
    wb.active = 1
    from sansho.policies.output import atomic_file

    with atomic_file(output) as tmp:
        wb.save(tmp)


# -- CSV and HTML -------------------------------------------------------------------------------

def render_csv(m: Matrix, catalog: Catalog, lang: str) -> str:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(HEADERS[lang])
    for r in m.rows:
        out.writerow(csv_row("" if v is None else v for v in _cells(m, r, catalog, lang)))
    # Excel opens UTF-8 with a BOM correctly, as for the findings CSV.
    return "\ufeff" + buf.getvalue()


def render_html(m: Matrix, catalog: Catalog, lang: str) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("sansho.reports") / "templates")),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    rows = [{"cells": _cells(m, r, catalog, lang)[:SHOWN],
             "css": "failing" if GAP_FAILING in r.gaps else ("no-owner" if GAP_NO_OWNER in r.gaps else "")}
            for r in m.rows]
    return env.get_template("matrix.html.j2").render(
        lang=lang, w=WORDS[lang], title=title(m, lang),
        summary=summary_lines(m, lang), headers=HEADERS[lang][:SHOWN], rows=rows)
