"""What ``sansho history list`` and ``sansho history show`` print (table or JSON).

Control metadata (family, severity, title) is joined from today's catalog, as every renderer
does; a control the catalog no longer has is shown by its ID under family ``unknown``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import PurePath
from typing import Any

from rich.console import Console
from rich.table import Table

from sansho.policies.catalog import FAMILIES, SEVERITY_RANK, Catalog
from sansho.policies.console import BASIS_LONG, FAMILY_JA, STATUS_JA, STATUS_STYLE, basis_word
from sansho.policies.findings import BASES, STATUSES

from .records import SavedScan
from .store import ScanSummary

ACT_ON = ("FAIL", "ERROR", "UNKNOWN")  # what `show` lists finding by finding


def _when(s: ScanSummary) -> str:
    return s.scanned_at.strftime("%Y-%m-%d %H:%M UTC")


def _wide() -> Console:
    # a pipe gets rich's 80 columns: too narrow for the counts, and ARNs would fold mid-word
    c = Console()
    return c if c.is_terminal else Console(width=160)


def list_json(summaries: list[ScanSummary]) -> str:
    return json.dumps([s.to_dict() for s in summaries], ensure_ascii=False, indent=1)


def list_table(summaries: list[ScanSummary], lang: str, label: str) -> None:
    console = _wide()
    ja = lang == "ja"
    if not summaries:
        console.print(f"履歴にスキャンはありません ({label})" if ja else f"no saved scans ({label})", highlight=False)
        return
    statuses = [st for st in STATUSES if any(st in s.counts for s in summaries)]
    t = Table(title=f"スキャン履歴 / scan history ({label})" if ja else f"Scan history ({label})")
    for col, ja_col in (("ID", "ID"), ("scanned at", "実行日時"), ("as of", "基準日"), ("period", "期間")):
        t.add_column(ja_col if ja else col, no_wrap=True)
    for head, style in [*((STATUS_JA[st] if ja else st, STATUS_STYLE[st]) for st in statuses),
                        ("資源" if ja else "resources", ""), ("管理策" if ja else "controls", "")]:
        t.add_column(head, justify="right", style=style, min_width=len(head))
    # file names only: full paths would squeeze the counts; `history show` prints them whole
    t.add_column("入力" if ja else "inputs", overflow="ellipsis", max_width=28, no_wrap=True)
    for s in summaries:
        controls = str(s.controls) if s.selection is None else f"{s.controls} ({'絞込' if ja else 'filtered'})"
        t.add_row(str(s.id), _when(s), str(s.as_of), s.period, *[str(s.counts.get(st, "")) for st in statuses],
                  str(s.resources), controls, ", ".join(PurePath(i).name or i for i in s.inputs))
    console.print(t)


def by_family(scan: SavedScan, catalog: Catalog) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for f in scan.findings:
        counts[catalog[f.control_id].family if f.control_id in catalog else "unknown"][f.status] += 1
    order = [*FAMILIES, "unknown"]
    return {fam: {st: counts[fam][st] for st in STATUSES if counts[fam][st]} for fam in order if fam in counts}


def show_json(summary: ScanSummary, scan: SavedScan, catalog: Catalog) -> str:
    doc: dict[str, Any] = {
        "scan": summary.to_dict(),
        "controls": scan.controls,
        "notes": scan.notes,
        "by_family": by_family(scan, catalog),
        "findings": [asdict(f) for f in scan.findings],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


def show_table(summary: ScanSummary, scan: SavedScan, catalog: Catalog, lang: str) -> None:
    console = _wide()
    ja = lang == "ja"
    s = summary
    if ja:
        console.print(f"[bold]スキャン #{s.id}[/]  実行 {_when(s)}  基準日 {s.as_of} ({s.period})  "
                      f"sansho {s.tool_version}  エンジン {s.engine}  資源 {s.resources:,}  管理策 {s.controls}",
                      highlight=False)
        console.print("入力: " + (", ".join(s.inputs) or "-"), highlight=False)
    else:
        console.print(f"[bold]Scan #{s.id}[/]  scanned {_when(s)}  as of {s.as_of} ({s.period})  "
                      f"sansho {s.tool_version}  engine {s.engine}  {s.resources:,} resources  {s.controls} controls",
                      highlight=False)
        console.print("inputs: " + (", ".join(s.inputs) or "-"), highlight=False)
    families = by_family(scan, catalog)
    statuses = [st for st in STATUSES if st in s.counts]
    t = Table(title="分類別の判定結果 / summary by family" if ja else "Summary by family")
    t.add_column("分類" if ja else "family")
    for st in statuses:
        t.add_column(STATUS_JA[st] if ja else st, justify="right", style=STATUS_STYLE[st])
    for fam, counts in families.items():
        t.add_row(FAMILY_JA.get(fam, fam) if ja else fam, *[str(counts.get(st, "")) for st in statuses])
    t.add_row("合計" if ja else "total", *[str(s.counts[st]) for st in statuses], style="bold")
    console.print(t)
    bases: dict[str, Counter[str]] = {b: Counter() for b in BASES}
    for f in scan.findings:
        bases[f.basis or "declared"][f.status] += 1
    bt = Table(title="判定の根拠別 / by basis" if ja else "By basis")
    bt.add_column("根拠" if ja else "basis", no_wrap=True)
    for st in statuses:
        bt.add_column(STATUS_JA[st] if ja else st, justify="right", style=STATUS_STYLE[st])
    for b, counts in bases.items():
        bt.add_row(BASIS_LONG[b][0 if ja else 1], *[str(counts[st] or "") for st in statuses])
    console.print(bt)

    def rank(cid: str) -> int:
        return SEVERITY_RANK[catalog[cid].severity] if cid in catalog else 0

    problems = sorted((f for f in scan.findings if f.status in ACT_ON),
                      key=lambda f: (ACT_ON.index(f.status), -rank(f.control_id), f.control_id, f.resource_id))
    if problems:
        ft = Table(title="要対応・判定不能の指摘 / FAIL and UNKNOWN findings" if ja else "FAIL and UNKNOWN findings")
        for col in ("status", "basis", "severity", "control", "resource", "message"):
            ft.add_column(col, overflow="fold")
        for f in problems:
            c = catalog.controls.get(f.control_id)
            ft.add_row(f"[{STATUS_STYLE[f.status]}]{f.status}[/]", basis_word(f.basis or "declared", lang),
                       c.severity if c else "?",
                       f"{f.control_id}\n{c.title.get(lang)}" if c else f.control_id,
                       f"{f.resource_id}\n({f.resource_kind})", f.message(lang))
        console.print(ft)
    for note in scan.notes:
        console.print(f"[cyan]{'注記' if ja else 'note'}[/]: {note}", highlight=False)


def partial_note(skipped: Sequence[ScanSummary], lang: str) -> str | None:
    """One line saying which filtered scans a report, matrix or evidence bundle left out."""
    if not skipped:
        return None
    from .records import describe_selection

    which = ", ".join(f"#{s.id} ({describe_selection(s.selection)})" for s in skipped)
    if lang == "ja":
        return (f"注: 絞り込んだスキャン {which} は使用していません。報告書・責任分界表・証跡は全管理策を判定した"
                "スキャンのみを使います(--include-partial で含めます)")
    return (f"note: filtered scan(s) {which} left out: reports, matrices and evidence use complete scans only "
            "(--include-partial to use them)")
