"""The MHLW 「医療機関におけるサイバーセキュリティ対策チェックリスト」, pre-answered from a saved scan.

The items of each edition, their numbers, device scopes, public sources and the sansho controls
whose findings answer them live in ``policies/catalog/checklists/<year>.yaml`` (data only: adding a
control to an item needs no code change). What no public page confirms is ``verified: false``
there and 「未確認 / unverified」 in every output.

An item is answered from the findings of its controls in one scan (:func:`answer_of`):

* いいえ when any of them is FAIL (the hospital must then enter a 目標日 within the fiscal year);
* はい only when every mapped control was judged in the scan and every finding is PASS;
* blank otherwise: no control maps the item, the controls found nothing to judge, or a finding is
  UNKNOWN, ERROR, MANUAL (a person's word: sansho does not answer for them) or MUTED.

NOT_APPLICABLE findings are left out. The answer shows its basis (observed / declared / attested,
:func:`sansho.policies.findings.basis_of`, carried by every saved finding) and the findings behind it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sansho.policies.catalog import Catalog
from sansho.policies.console import BASIS_JA, STATUS_JA
from sansho.policies.errors import InputError
from sansho.policies.findings import STATUSES

from .history.records import SavedFinding, SavedScan
from .spreadsheet import set_text

SHEETS = ("hospital", "vendor")
SCOPES = ("general", "server", "terminal", "network")
YES, NO = "yes", "no"
FIRST_RESOURCES = 3  # resources named per control in the findings column


# -- the data files ----------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Text(_Strict):
    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


class _Checked(_Strict):
    """``verified: false`` must say why (``note``, ja and en): the outputs print the note."""
    verified: bool = True
    note: Text | None = None

    @model_validator(mode="after")
    def _unverified_has_note(self) -> _Checked:
        if not self.verified and not self.note:
            raise ValueError("verified: false needs a note saying what is not verified")
        return self


class Section(_Checked):
    number: int | None
    title: Text


class Item(_Checked):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    number: str | None
    section: int | None
    text: Text
    wording: Literal["quoted", "summary"]
    scope: tuple[Literal["general", "server", "terminal", "network"], ...] | None
    references: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)
    controls: tuple[str, ...]
    mapping_note: Text | None = None

    @model_validator(mode="after")
    def _unnumbered_is_unverified(self) -> Item:
        if self.number is None and self.verified:
            raise ValueError(f"item {self.id}: an item without a number must be verified: false")
        if any(not s.startswith("https://") for s in self.sources):
            raise ValueError(f"item {self.id}: every source is an https:// URL")
        return self


class Sheet(_Checked):
    title: Text
    complete: bool
    sections: tuple[Section, ...]
    items: tuple[Item, ...]

    @model_validator(mode="after")
    def _items_in_sections(self) -> Sheet:
        known = {s.number for s in self.sections}
        for it in self.items:
            if it.section not in known:
                raise ValueError(f"item {it.id}: section {it.section} is not among the sheet's sections")
        ids = [it.id for it in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError("item ids repeat")
        if not self.complete and not self.note:
            raise ValueError("complete: false needs a note")
        return self


class AnswerFormat(_Checked):
    source: str


class FiscalYear(_Strict):
    start: dt.date
    end: dt.date


class Edition(_Strict):
    edition: int
    name: Text
    published: str
    fiscal_year: FiscalYear
    sources: tuple[str, ...] = Field(min_length=1)
    answer_format: AnswerFormat
    scope_columns: _Checked
    sheets: dict[Literal["hospital", "vendor"], Sheet]


def _folder():
    return resources.files("sansho.policies") / "catalog" / "checklists"


@cache
def editions() -> tuple[int, ...]:
    """The fiscal years there is a data file for, in order."""
    return tuple(sorted(int(p.name.removesuffix(".yaml")) for p in _folder().iterdir()
                        if p.name.endswith(".yaml") and p.name.removesuffix(".yaml").isdigit()))


@cache
def load_edition(year: int) -> Edition:
    """The edition for fiscal ``year`` (a bad data file is our bug: ValueError naming it)."""
    path = _folder() / f"{year}.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        ed = Edition.model_validate(doc)
    except Exception as e:  # pydantic's ValidationError or a YAML error: name the file
        raise ValueError(f"checklists/{year}.yaml: {e}") from None
    if ed.edition != year:
        raise ValueError(f"checklists/{year}.yaml: edition is {ed.edition}, not {year}")
    return ed


def check_year_and_sheet(year: int, sheet: str) -> None:
    known = editions()
    if year not in known:
        raise InputError(f"--year: {year} is not an edition sansho has ({', '.join(map(str, known))}) / "
                         f"チェックリストの年度は {' か '.join(map(str, known))} を指定してください")
    if sheet not in SHEETS:
        raise InputError(f"--sheet: {sheet!r} is not a sheet ({' or '.join(SHEETS)}) / "
                         f"シートは hospital(医療機関確認用)か vendor(事業者確認用)を指定してください")


def unknown_controls(ed: Edition, catalog: Catalog) -> list[tuple[str, str]]:
    """(item id, control id) pairs whose control is not in the catalog."""
    return [(it.id, c) for sheet in ed.sheets.values() for it in sheet.items for c in it.controls if c not in catalog]


# -- answers -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ControlPart:
    """What one mapped control's findings say about an item."""
    control_id: str
    judged: bool  # the scan judged this control (a filtered scan may not have)
    counts: dict[str, int]  # status → findings (NOT_APPLICABLE left out)
    resources: tuple[str, ...]  # the first few resources behind the answer
    behind: int  # how many findings are behind the answer (FAIL for いいえ, PASS for はい, the rest for blank)


@dataclass(frozen=True, slots=True)
class Row:
    item: Item
    answer: str | None  # "yes", "no" or None (blank: a person answers)
    why: str  # the reason code of a blank answer or the answer itself (see WORDS)
    parts: tuple[ControlPart, ...]
    basis: dict[str, int]  # observed / declared / attested → findings
    checked_on: dt.date | None  # 確認日: the scan date, for an answered item

    @property
    def target_required(self) -> bool:
        return self.answer == NO


@dataclass
class Checklist:
    edition: Edition
    sheet_name: str
    scan: SavedScan
    rows: list[Row] = field(default_factory=list)

    @property
    def sheet(self) -> Sheet:
        return self.edition.sheets[self.sheet_name]  # type: ignore[index]

    @property
    def outside_fiscal_year(self) -> bool:
        """The scan date is not in the edition's fiscal year (an older edition, or a scan from another year)."""
        fy = self.edition.fiscal_year
        return not fy.start <= self.scan.as_of <= fy.end

    def target_window(self) -> tuple[dt.date, dt.date | None]:
        """目標日 bounds: from the scan date to the end of the fiscal year; open-ended when the scan
        is already past it (the sheet then says so)."""
        fy = self.edition.fiscal_year
        start = max(self.scan.as_of, fy.start)
        return (start, fy.end) if start <= fy.end else (start, None)

    def counts(self) -> dict[str, int]:
        c = Counter(r.answer or "blank" for r in self.rows)
        return {k: c.get(k, 0) for k in (YES, NO, "blank")}


_DRIVES = {YES: ("PASS",), NO: ("FAIL",)}


def answer_of(item: Item, scan: SavedScan, by_control: dict[str, list[SavedFinding]]) -> Row:
    judged = set(scan.controls)
    parts = []
    found: list[SavedFinding] = []
    for cid in item.controls:
        fs = [f for f in by_control.get(cid, []) if f.status != "NOT_APPLICABLE"]
        found.extend(fs)
        parts.append((cid, cid in judged, fs))
    statuses = Counter(f.status for f in found)
    if not item.controls:
        answer, why = None, "unmapped"
    elif statuses["FAIL"]:
        answer, why = NO, NO
    elif not all(j for _, j, _ in parts):
        answer, why = None, "not_judged"
    elif not found:
        answer, why = None, "nothing_found"
    elif set(statuses) == {"PASS"}:
        answer, why = YES, YES
    else:
        answer, why = None, "needs_person"
    drives = _DRIVES.get(answer or "", ("UNKNOWN", "ERROR", "MANUAL", "MUTED"))
    out = []
    for cid, was_judged, fs in parts:
        counts = dict(sorted(Counter(f.status for f in fs).items(), key=lambda kv: STATUSES.index(kv[0])))
        behind = [f.resource_id for f in fs if f.status in drives]
        out.append(ControlPart(cid, was_judged, counts, tuple(behind[:FIRST_RESOURCES]), len(behind)))
    basis = Counter(f.basis or "declared" for f in found)
    return Row(item, answer, why, tuple(out), {b: basis[b] for b in ("observed", "declared", "attested") if basis[b]},
               scan.as_of if answer else None)


def build(year: int, sheet: str, scan: SavedScan, catalog: Catalog) -> Checklist:
    check_year_and_sheet(year, sheet)
    ed = load_edition(year)
    by_control: dict[str, list[SavedFinding]] = {}
    for f in scan.findings:
        by_control.setdefault(f.control_id, []).append(f)
    cl = Checklist(ed, sheet, scan)
    cl.rows = [answer_of(it, scan, by_control) for it in ed.sheets[sheet].items]  # type: ignore[index]
    return cl


# -- words -------------------------------------------------------------------------------------

SCOPE_UNKNOWN = "?"
ANSWER_WORDS = {YES: "はい", NO: "いいえ"}  # the sheet's own words, in both languages
SCOPE_WORDS = {"general": ("医療情報システム全般", "All medical information systems"),
               "server": ("サーバ", "Servers"), "terminal": ("端末PC", "Terminal PCs"),
               "network": ("ネットワーク機器", "Network devices")}
SCOPE_SHORT = {"general": ("全般", "All"), "server": ("サーバ", "Servers"), "terminal": ("端末PC", "PCs"),
               "network": ("NW機器", "Network")}
WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "tool_title": "sansho による事前回答",
        "edition": "版", "sheet": "シート", "published": "公表日", "fiscal_year": "年度",
        "scan": "基準としたスキャン", "scan_line": "#{id} {scanned_at}(判定基準日 {as_of}、sansho {version})",
        "sources": "公開元", "answers": "回答の件数", "counts": "はい {yes} / いいえ {no} / 空欄 {blank}",
        "no": "番号", "item": "確認事項", "answer": "回答(はい/いいえ)", "checked_on": "確認日",
        "target": "目標日(いいえの場合は必須)", "scope_h": "対象機器",
        "basis": "根拠(観測/申告/表明)", "findings": "根拠とした点検結果", "why": "sansho の判定",
        "note": "注記(未確認事項・対応付け)", "sources_h": "出典",
        "unverified": "未確認", "number_unverified": "番号未確認", "scope_unknown": "対象機器未確認",
        "wording_summary": "文言は公開資料の要約(原文未確認)", "mapping": "対応付け",
        "yes": "全ての点検結果が適合", "no_why": "不適合の点検結果あり:目標日を記入してください",
        "unmapped": "対応する sansho の管理策なし:担当者が回答してください",
        "not_judged": "対応する管理策の一部がこのスキャンで未判定(絞り込みスキャン)",
        "nothing_found": "対応する管理策の判定対象なし:担当者が回答してください",
        "needs_person": "判定不能・表明・抑止の結果あり:担当者が確認してください",
        "not_in_scan": "未判定",
        "legend": "凡例",
        "legend_text": "赤:いいえ(目標日が必須)。回答が空欄の項目は担当者が確認して記入してください。"
                       "sansho は判定不能(UNKNOWN)・表明(MANUAL)から「はい」を付けません。",
        "basis_legend": "根拠:観測=システム・コードから確認、申告=台帳(手入力)の記載で未検証、表明=担当者の回答",
        "incomplete": "このシートは公開資料で確認できた項目のみです",
        "scope_columns": "対象機器の列",
        "target_prompt": "いいえの場合は年度内の目標日を入力してください",
        "target_title": "目標日",
        "answer_prompt": "はい/いいえを選択",
        "generated": "作成日",
        "outside_fy_h": "注意",
        "outside_fy": "スキャンの判定基準日 {as_of} はこの版の年度外です。該当年度の版があればそちらを使ってください"
                      "(目標日は判定基準日以降の日付のみ入力できます)",
    },
    "en": {
        "tool_title": "Pre-answered by sansho",
        "edition": "Edition", "sheet": "Sheet", "published": "Published", "fiscal_year": "Fiscal year",
        "scan": "Scan used", "scan_line": "#{id} {scanned_at} (as of {as_of}, sansho {version})",
        "sources": "Published at", "answers": "Answers", "counts": "はい {yes} / いいえ {no} / blank {blank}",
        "no": "No.", "item": "Item", "answer": "Answer (はい/いいえ)", "checked_on": "Checked on (確認日)",
        "target": "Target date (目標日, required for いいえ)", "scope_h": "Device scope",
        "basis": "Basis (observed/declared/attested)", "findings": "Findings behind the answer",
        "why": "sansho's reading", "note": "Notes (unverified facts, mapping)", "sources_h": "Sources",
        "unverified": "unverified", "number_unverified": "number unverified", "scope_unknown": "scope unverified",
        "wording_summary": "wording summarised from public pages (original not verified)", "mapping": "mapping",
        "yes": "every finding passes", "no_why": "a finding fails: enter a target date",
        "unmapped": "no sansho control shows this item; a person answers it",
        "not_judged": "some mapped controls were not judged in this scan (a filtered scan)",
        "nothing_found": "the mapped controls found nothing to judge; a person answers it",
        "needs_person": "left blank: findings are UNKNOWN, attested (MANUAL) or muted; a person checks them",
        "not_in_scan": "not judged",
        "legend": "Legend",
        "legend_text": "Red: いいえ (a target date is required). A person checks and fills in every blank answer. "
                       "sansho never answers はい from an UNKNOWN or an attestation (MANUAL).",
        "basis_legend": "Basis: observed = checked in a system or code; declared = what a hand-filled register "
                        "says, not checked; attested = a person's answer",
        "incomplete": "This sheet holds only the items public pages confirm",
        "scope_columns": "Device-scope columns",
        "target_prompt": "For いいえ, enter a target date within the fiscal year",
        "target_title": "Target date",
        "answer_prompt": "Choose はい or いいえ",
        "generated": "Generated",
        "outside_fy_h": "Note",
        "outside_fy": "The scan date {as_of} is outside this edition's fiscal year; use that year's edition if "
                      "there is one (target dates accept any day from the scan date)",
    },
}


def _why(row: Row, lang: str) -> str:
    w = WORDS[lang]
    return w["no_why"] if row.why == NO else w[row.why]


def number_text(item: Item, lang: str) -> str:
    return item.number if item.number is not None else f"({WORDS[lang]['number_unverified']})"


def scope_marks(item: Item, lang: str) -> list[str]:
    """One cell per device-scope column: ○ where the item asks for it, ? where no public page says."""
    if item.scope is None:
        return [SCOPE_UNKNOWN] * len(SCOPES)
    return ["○" if s in item.scope else "" for s in SCOPES]


def basis_text(row: Row, lang: str) -> str:
    if lang == "ja":
        return " / ".join(f"{BASIS_JA[b]} {n}" for b, n in row.basis.items())
    return " / ".join(f"{b} {n}" for b, n in row.basis.items())


def findings_text(row: Row, lang: str) -> str:
    lines = []
    for p in row.parts:
        if not p.judged:
            lines.append(f"{p.control_id}: {WORDS[lang]['not_in_scan']}")
            continue
        counts = " ".join(f"{STATUS_JA[s] if lang == 'ja' else s} {n}" for s, n in p.counts.items()) or "—"
        more = p.behind - len(p.resources)
        res = f" ({', '.join(p.resources)}{f', … +{more}' if more else ''})" if p.resources else ""
        lines.append(f"{p.control_id}: {counts}{res}")
    return "\n".join(lines)


def notes_text(cl: Checklist, row: Row, lang: str) -> str:
    w = WORDS[lang]
    it = row.item
    out = []
    if not it.verified and it.note is not None:
        out.append(f"[{w['unverified']}] {it.note.get(lang)}")
    if it.wording == "summary":
        out.append(w["wording_summary"])
    if it.scope is None:
        out.append(w["scope_unknown"])
    if it.mapping_note is not None:
        out.append(f"{w['mapping']}: {it.mapping_note.get(lang)}")
    if it.references:
        out.append(f"▶ {it.references}")
    return "\n".join(out)


def scan_line(scan: SavedScan, lang: str) -> str:
    return WORDS[lang]["scan_line"].format(id=scan.id if scan.id is not None else "-",
                                           scanned_at=scan.scanned_at.isoformat(timespec="seconds"),
                                           as_of=scan.as_of.isoformat(), version=scan.tool_version)


def summary_lines(cl: Checklist, lang: str) -> list[tuple[str, str]]:
    w = WORDS[lang]
    ed, sh = cl.edition, cl.sheet
    lines = [
        (w["edition"], ed.name.get(lang)),
        (w["sheet"], sh.title.get(lang)),
        (w["published"], ed.published),
        (w["fiscal_year"], f"{ed.fiscal_year.start.isoformat()} – {ed.fiscal_year.end.isoformat()}"),
        (w["sources"], "\n".join(ed.sources)),
        (w["scan"], scan_line(cl.scan, lang)),
        (w["answers"], w["counts"].format(**cl.counts())),
    ]
    if cl.outside_fiscal_year:
        lines.append((w["outside_fy_h"], w["outside_fy"].format(as_of=cl.scan.as_of.isoformat())))
    if not sh.complete and sh.note is not None:
        lines.append((w["incomplete"], f"[{w['unverified']}] {sh.note.get(lang)}"))
    if not ed.scope_columns.verified and ed.scope_columns.note is not None:
        lines.append((w["scope_columns"], f"[{w['unverified']}] {ed.scope_columns.note.get(lang)}"))
    return lines


def section_title(cl: Checklist, number: int | None, lang: str) -> str:
    s = next(s for s in cl.sheet.sections if s.number == number)
    head = f"{number}. {s.title.get(lang)}" if number is not None else s.title.get(lang)
    return head + (f" [{WORDS[lang]['unverified']}]" if not s.verified else "")


def grouped(cl: Checklist) -> list[tuple[int | None, list[Row]]]:
    """Rows by section, in the sheet's section order (unnumbered items last)."""
    return [(s.number, [r for r in cl.rows if r.item.section == s.number]) for s in cl.sheet.sections
            if any(r.item.section == s.number for r in cl.rows)]


def headers(lang: str, *, short: bool = False) -> list[str]:
    w = WORDS[lang]
    scope_words = SCOPE_SHORT if short else SCOPE_WORDS
    return [w["no"], w["item"], w["answer"], w["checked_on"], w["target"],
            *(scope_words[s][0 if lang == "ja" else 1] for s in SCOPES),
            w["basis"], w["findings"], w["why"], w["note"], w["sources_h"]]


def cells(cl: Checklist, row: Row, lang: str) -> list[Any]:
    # the sheet's own Japanese always; in English with a gloss under it
    text = row.item.text.ja if lang == "ja" else f"{row.item.text.ja}\n{row.item.text.en}"
    return [number_text(row.item, lang), text,
            ANSWER_WORDS[row.answer] if row.answer else "", row.checked_on, None,
            *scope_marks(row.item, lang), basis_text(row, lang), findings_text(row, lang), _why(row, lang),
            notes_text(cl, row, lang), "\n".join(row.item.sources)]


# -- XLSX --------------------------------------------------------------------------------------

ANSWER_COL, CHECKED_COL, TARGET_COL, FINDINGS_COL = 3, 4, 5, 11
WIDTHS = (11, 46, 12, 12, 16, 10, 8, 8, 10, 16, 44, 30, 40, 40)
# percent of the page per column in HTML/PDF (A4 landscape); resource IDs and URLs break anywhere
HTML_WIDTHS = (4, 15, 5, 7, 7, 3, 3, 3, 3, 5, 18, 8, 9, 10)
RED = "FFC7CE"
HEADER = "1F4E78"
SECTION = "DDEBF7"


def _xl_date(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def render_xlsx(cl: Checklist, lang: str, output: Path, today: dt.date | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    w = WORDS[lang]
    wb = Workbook()
    ws = wb.active
    ws.title = cl.sheet.title.ja  # 医療機関確認用 / 事業者確認用: the official sheet names
    set_text(ws.cell(1, 1), cl.edition.name.get(lang)).font = Font(bold=True, size=14)
    set_text(ws.cell(2, 1), f"{cl.sheet.title.get(lang)} — {w['tool_title']}").font = Font(bold=True, size=12)
    r = 3
    for label, value in [*summary_lines(cl, lang), (w["generated"], (today or dt.date.today()).isoformat()),
                         (w["legend"], w["legend_text"]), ("", w["basis_legend"])]:
        set_text(ws.cell(r, 1), label).font = Font(bold=True)
        set_text(ws.cell(r, 2), value).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=len(WIDTHS))
        r += 1
    r += 1
    head_row = r
    for col, text in enumerate(headers(lang), start=1):
        cell = set_text(ws.cell(head_row, col), text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    answer_rows: list[int] = []
    r = head_row + 1
    for number, rows in grouped(cl):
        cell = set_text(ws.cell(r, 1), section_title(cl, number, lang))
        cell.font = Font(bold=True)
        for col in range(1, len(WIDTHS) + 1):
            ws.cell(r, col).fill = PatternFill("solid", fgColor=SECTION)
        r += 1
        for row in rows:
            for col, value in enumerate(cells(cl, row, lang), start=1):
                cell = set_text(ws.cell(r, col), value)
                cell.alignment = wrap
            ws.cell(r, CHECKED_COL).number_format = "yyyy-mm-dd"
            ws.cell(r, TARGET_COL).number_format = "yyyy-mm-dd"
            answer_rows.append(r)
            r += 1
    last = r - 1
    ws.freeze_panes = ws.cell(head_row + 1, 3)
    a, t = get_column_letter(ANSWER_COL), get_column_letter(TARGET_COL)
    answers = DataValidation(type="list", formula1='"はい,いいえ"', allow_blank=True, showErrorMessage=True,
                             showInputMessage=True, promptTitle=w["answer"], prompt=w["answer_prompt"])
    start, end = cl.target_window()
    window = {"operator": "between", "formula2": _xl_date(end)} if end else {"operator": "greaterThanOrEqual"}
    targets = DataValidation(
        type="date", allow_blank=True, showErrorMessage=True, showInputMessage=True, formula1=_xl_date(start),
        promptTitle=w["target_title"], prompt=w["target_prompt"], errorTitle=w["target_title"],
        error=f"{start.isoformat()} – {end.isoformat() if end else ''}", **window)
    checked = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                             showErrorMessage=True, error="YYYY-MM-DD")
    for n in answer_rows:
        answers.add(f"{a}{n}")
        targets.add(f"{t}{n}")
        checked.add(f"{get_column_letter(CHECKED_COL)}{n}")
    for dv in (answers, targets, checked):
        ws.add_data_validation(dv)
    first = head_row + 1
    # いいえ with no 目標日: the target cell turns red until it is filled (required)
    ws.conditional_formatting.add(
        f"{t}{first}:{t}{last}",
        FormulaRule(formula=[f'AND(${a}{first}="いいえ",ISBLANK(${t}{first}))'],
                    fill=PatternFill("solid", fgColor=RED, bgColor=RED), stopIfTrue=False))
    ws.conditional_formatting.add(
        f"{a}{first}:{a}{last}",
        FormulaRule(formula=[f'${a}{first}="いいえ"'], fill=PatternFill("solid", fgColor=RED, bgColor=RED)))
    ws.auto_filter.ref = f"A{head_row}:{get_column_letter(len(WIDTHS))}{last}"
    # printed as the official sheet is: A4 landscape, one page wide, the header row on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{head_row}:{head_row}"
    from sansho.policies.output import atomic_file

    with atomic_file(output) as tmp:
        wb.save(tmp)


# -- HTML and PDF ------------------------------------------------------------------------------

def _context(cl: Checklist, lang: str, today: dt.date | None) -> dict[str, Any]:
    sections = []
    for number, rows in grouped(cl):
        sections.append({
            "title": section_title(cl, number, lang),
            "rows": [{"id": r.item.id, "answer": r.answer, "cells": cells(cl, r, lang),
                      "required": r.target_required} for r in rows],
        })
    return {"lang": lang, "w": WORDS[lang], "title": f"{cl.edition.name.get(lang)} — {cl.sheet.title.get(lang)}",
            "summary": summary_lines(cl, lang), "headers": headers(lang, short=True), "sections": sections,
            "widths": HTML_WIDTHS,
            "generated": (today or dt.date.today()).isoformat(), "answer_col": ANSWER_COL - 1,
            "target_col": TARGET_COL - 1, "findings_col": FINDINGS_COL - 1,
            "scope_cols": range(TARGET_COL, TARGET_COL + len(SCOPES))}


def render_html(cl: Checklist, lang: str, today: dt.date | None = None) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("sansho.reports") / "templates")),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    return env.get_template("checklist.html.j2").render(_context(cl, lang, today))


def render_pdf(cl: Checklist, lang: str, output: Path, today: dt.date | None = None) -> None:
    from .posture_render import write_pdf

    write_pdf(lambda: render_html(cl, lang, today), output)
