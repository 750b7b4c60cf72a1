"""``sansho report``: the quarterly posture report from the scan history (HTML, PDF, Markdown, JSON)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .options import DEFAULT_LANG, ConfigOpt, HistoryOpt, IncludePartialOpt, LangOpt

DEFAULT_MAX_RESOURCES = 20  # = sansho.reports.posture.DEFAULT_MAX_RESOURCES (reports load only when a command runs)
MaxResourcesOpt = Annotated[int, typer.Option(
    "--max-resources", metavar="N",
    help="List the first N resources of each control (worst first); every failing or unknown one goes "
         "to the resources CSV/XLSX. / 管理策ごとに掲載する資源の数")]


def check_max_resources(n: int) -> int:
    from ..errors import InputError

    if n < 1:
        raise InputError(f"--max-resources: must be 1 or more (got {n}); the full list is always written to the "
                         f"resources CSV/XLSX / --max-resources には 1 以上を指定してください")
    return n


class ReportFormat(str, Enum):
    html = "html"
    pdf = "pdf"
    md = "md"
    json = "json"


def report(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    period: Annotated[str | None, typer.Option(
        "--period", help="Quarter to report, e.g. 2026Q4 (default: the latest recorded).")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", help="html, pdf, md or json.")] = ReportFormat.html,
    lang: LangOpt = DEFAULT_LANG,
    history: HistoryOpt = None,
    config: ConfigOpt = None,
    include_partial: IncludePartialOpt = False,
    max_resources: MaxResourcesOpt = DEFAULT_MAX_RESOURCES,
) -> None:
    """Write the quarterly posture report from the scan history. / 四半期の安全管理状況報告書を作成します。

    Scores by family, failing controls by severity, changes since the previous recorded quarter, the trend, UNKNOWN and attested items apart, and the estate covered. Each control lists its first --max-resources resources; every FAIL, ERROR and UNKNOWN finding is written beside the report as OUTPUT-resources.csv and .xlsx.
    """
    import contextlib
    import sys

    from sansho.reports.history.records import period_bounds
    from sansho.reports.history.store import open_configured
    from sansho.reports.history.view import partial_note
    from sansho.reports.posture import from_history

    from ..catalog import load_catalog
    from ..errors import InputError
    from ..output import write_output

    check_max_resources(max_resources)
    if period is not None:
        try:
            period_bounds(period)
        except ValueError:
            raise InputError(f"--period: {period!r} is not a quarter (YYYYQ1–YYYYQ4, e.g. 2026Q4) / "
                             f"期間は 2026Q4 のように指定してください") from None
    catalog = load_catalog()
    from sansho.reports import posture_render, resource_list

    csv_path, xlsx_path = resource_list.side_paths(output)
    # the full list is written (by a forked process, on Linux) from the moment it is known, while
    # the rest of the history is read and the report renders; the report is written last, once
    # both files are: if the list fails, neither it nor the report appears
    content: str | bytes
    with contextlib.ExitStack() as side:
        def write_list(rows: list) -> None:
            side.enter_context(resource_list.written_beside(rows, output, lang.value))

        with open_configured(history, config, create=False) as store:
            recorded = store.periods()
            if not recorded:
                raise InputError(f"{store.label}: no scan recorded yet (run `sansho scan --save`) / "
                                 f"記録された点検結果がありません")
            chosen = period or recorded[-1]
            rep = from_history(store, chosen, catalog, lang.value, include_partial=include_partial,
                               max_resources=max_resources, on_listed=write_list)
            used = store.summary(rep.scan_id) if rep is not None else None
            skipped = [] if include_partial else store.partial_newer_than(
                used.as_of if used else None, used.id if used else None, chosen)
            if rep is None:
                only = (" apart from filtered scans (" + ", ".join(f"#{s.id}" for s in skipped) + "; "
                        "--include-partial uses them)") if skipped else ""
                raise InputError(f"--period {chosen}: no scan recorded in that quarter{only} (recorded: "
                                 f"{', '.join(recorded)}) / {chosen} に記録された点検結果がありません")
        rep.resources_file = csv_path.name
        if format == ReportFormat.pdf:
            content = posture_render.pdf_bytes(rep)
        elif format == ReportFormat.html:
            content = posture_render.render_html(rep)
        elif format == ReportFormat.md:
            content = posture_render.render_markdown(rep)
        else:
            content = posture_render.render_json(rep)
    note = partial_note(skipped, lang.value)
    if note:
        sys.stderr.write(note + "\n")
    write_output(content, output)
    if lang.value == "ja":
        line = f"{output}: {chosen} の報告書を作成しました(点検記録 #{rep.scan_id}、スコア {_pct(rep.overall.value)})"
    else:
        line = f"{output}: report for {chosen} written (scan #{rep.scan_id}, score {_pct(rep.overall.value)})"
    sys.stderr.write(line + "\n")
    if lang.value == "ja":
        sys.stderr.write(f"{csv_path}, {xlsx_path}: 不適合・エラー・判定不能の全 {rep.listed_total} 件を書き出しました\n")
    else:
        sys.stderr.write(f"{csv_path}, {xlsx_path}: wrote all {rep.listed_total} FAIL, ERROR and UNKNOWN findings\n")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def register(app: typer.Typer) -> None:
    app.command("report")(report)
