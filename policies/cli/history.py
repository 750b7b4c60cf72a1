"""``sansho history list|show``: the scans recorded by ``sansho scan --save``.

Registered from cli.py by :func:`register`. Nothing here imports SQLAlchemy until a command
runs, so ``sansho --help`` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .options import DEFAULT_LANG, ConfigOpt, HistoryOpt, LangOpt, ListFormat

FormatOpt = Annotated[ListFormat, typer.Option("--format", help="table or json.")]


def _list(history: HistoryOpt = None, config: ConfigOpt = None, format: FormatOpt = ListFormat.table,
          lang: LangOpt = DEFAULT_LANG) -> None:
    """List saved scans, newest first. / 保存したスキャンを新しい順に一覧表示します。"""
    from sansho.reports.history import view
    from sansho.reports.history.store import open_configured

    with open_configured(history, config, create=False) as store:
        summaries = store.list()
        label = store.label
    if format == ListFormat.json:
        typer.echo(view.list_json(summaries))
    else:
        view.list_table(summaries, lang.value, label)


def _show(scan_id: Annotated[int, typer.Argument(metavar="ID", help="Scan ID (see `sansho history list`).")],
          history: HistoryOpt = None, config: ConfigOpt = None, format: FormatOpt = ListFormat.table,
          lang: LangOpt = DEFAULT_LANG) -> None:
    """Show one saved scan: summary by status and family, inputs, notes, FAIL/UNKNOWN findings.
    / 保存したスキャンの内容を表示します。"""
    from sansho.reports.history import view
    from sansho.reports.history.store import open_configured

    from ..catalog import load_catalog

    with open_configured(history, config, create=False) as store:
        summary = store.summary(scan_id)
        scan = store.get(scan_id)
    catalog = load_catalog()
    if format == ListFormat.json:
        typer.echo(view.show_json(summary, scan, catalog))
    else:
        view.show_table(summary, scan, catalog, lang.value)


def register(app: typer.Typer) -> None:
    history_app = typer.Typer(help="Saved scans (sansho scan --save). / スキャン履歴", no_args_is_help=True)
    history_app.command("list")(_list)
    history_app.command("show")(_show)
    app.add_typer(history_app, name="history")

