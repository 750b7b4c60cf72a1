"""``sansho checklist``: the MHLW サイバーセキュリティ対策チェックリスト, pre-answered from the latest scan
in the history (XLSX laid out like the official sheet, HTML or PDF)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .options import DEFAULT_LANG, ConfigOpt, HistoryOpt, IncludePartialOpt, LangOpt


class ChecklistFormat(str, Enum):
    xlsx = "xlsx"
    html = "html"
    pdf = "pdf"


def checklist(
    year: Annotated[int, typer.Option(
        "--year", help="Fiscal year of the edition: 2024 (令和6年度版) or 2025 (令和7年度版).")],
    sheet: Annotated[str, typer.Option(
        "--sheet", help="hospital (医療機関確認用) or vendor (事業者確認用).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    format: Annotated[ChecklistFormat | None, typer.Option(
        "--format", help="xlsx, html or pdf (default: from the file name, else xlsx).")] = None,
    lang: LangOpt = DEFAULT_LANG,
    history: HistoryOpt = None,
    config: ConfigOpt = None,
    include_partial: IncludePartialOpt = False,
) -> None:
    """Write the サイバーセキュリティ対策チェックリスト pre-answered from the latest saved scan.
    / 医療機関におけるサイバーセキュリティ対策チェックリストを最新の点検結果から作成します。

    はい only when every finding behind an item passes; いいえ when one fails (enter a 目標日); blank
    where no control shows the item or a finding is UNKNOWN or attested. See docs/checklist.md.
    """
    from sansho.reports import checklist as ck

    from ..catalog import load_catalog
    from ..errors import InputError
    from ..output import write_output

    ck.check_year_and_sheet(year, sheet)  # a bad option fails before the history is opened
    fmt = format.value if format else (output.suffix.lstrip(".").lower() if output.suffix.lower() in
                                       (".xlsx", ".html", ".pdf") else "xlsx")
    catalog = load_catalog()
    from sansho.reports.history.store import open_configured
    from sansho.reports.history.view import partial_note

    with open_configured(history, config, create=False) as store:
        scan = store.latest(complete_only=not include_partial)
        note = None if include_partial else partial_note(
            store.partial_newer_than(scan.as_of if scan else None, scan.id if scan else None), lang.value)
        label = store.label
    if scan is None:
        partial = (" that judged every control (filtered scans are left out; --include-partial uses them)"
                   if note else "")
        raise InputError(f"{label}: no saved scan{partial} (run `sansho scan --save` first) / "
                         f"記録された点検結果がありません")
    if note:
        sys.stderr.write(note + "\n")
    cl = ck.build(year, sheet, scan, catalog)
    if cl.outside_fiscal_year:
        fy = cl.edition.fiscal_year
        sys.stderr.write(f"note: the scan date {scan.as_of} is outside the FY{year} edition's fiscal year "
                         f"({fy.start} – {fy.end}) / 判定基準日が{cl.edition.name.ja}の年度外です\n")
    if fmt == "xlsx":
        ck.render_xlsx(cl, lang.value, output)
    elif fmt == "html":
        write_output(ck.render_html(cl, lang.value), output)
    else:
        ck.render_pdf(cl, lang.value, output)
    n = cl.counts()
    if lang.value == "ja":
        sys.stderr.write(f"{output}: {cl.edition.name.ja} {cl.sheet.title.ja}を作成しました(スキャン #{scan.id}、"
                         f"はい {n['yes']}、いいえ {n['no']}、空欄 {n['blank']})\n")
    else:
        sys.stderr.write(f"{output}: wrote the FY{year} checklist, {sheet} sheet (scan #{scan.id}; "
                         f"はい {n['yes']}, いいえ {n['no']}, blank {n['blank']})\n")


def register(app: typer.Typer) -> None:
    app.command("checklist")(checklist)
