"""Terminal output with rich: the control list, the scan summary and its findings."""

from __future__ import annotations

import contextlib
import io
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .catalog import FAMILIES, SEVERITY_RANK, Catalog, Control
from .engine.core import ScanResult
from .findings import BASES, STATUSES, Finding

STATUS_STYLE = {
    "FAIL": "bold red", "ERROR": "bold magenta", "UNKNOWN": "yellow", "MANUAL": "cyan",
    "MUTED": "dim", "PASS": "green", "NOT_APPLICABLE": "dim",
}
STATUS_JA = {
    "FAIL": "不適合", "ERROR": "エラー", "UNKNOWN": "判定不能", "MANUAL": "表明", "MUTED": "抑止",
    "PASS": "適合", "NOT_APPLICABLE": "対象外",
}
# How a verdict is known (Finding.basis): 観測 read from a system or code, 申告 what a hand-filled
# register says, 表明 a person's answer (the word the attestation results already use).
BASIS_JA = {"observed": "観測", "declared": "申告", "attested": "表明"}
BASIS_STYLE = {"observed": "", "declared": "yellow", "attested": "cyan"}
BASIS_LONG = {
    "observed": ("観測(確認済み)", "observed"),
    "declared": ("申告(台帳・未検証)", "declared"),
    "attested": ("表明(担当者)", "attested"),
}


def basis_word(basis: str, lang: str) -> str:
    return BASIS_JA[basis] if lang == "ja" else basis


FAMILY_JA = {
    "storage-location": "保存場所", "jurisdiction": "国外法・準拠法", "encryption": "暗号化",
    "network": "ネットワーク", "access-control": "アクセス制御", "logging": "証跡・ログ",
    "backup": "バックアップ", "malware": "不正ソフトウェア対策", "vendor": "委託先管理",
    "physical": "物理的安全", "operations": "運用管理", "records": "記録の真正性",
    "provider": "提供事業者",
}


def _document_short(c: Control) -> str | None:
    """The short name of a source that has no 編: the provider guideline (「提供事業者GL 第1.1版 4.1 表4-1」)."""
    return c.source.edition if c.source.edition.startswith("提供事業者GL") else None


class _FileText(io.StringIO):
    """A table rendered for a file: written in one step (atomically) when closed."""

    def __init__(self, output: Path) -> None:
        super().__init__()
        self.output = output

    def close(self) -> None:
        if not self.closed:
            from .output import write_output

            write_output(self.getvalue(), self.output)
        super().close()


def _console(output: Path | None) -> tuple[Console, object]:
    if output is None:
        return Console(), None
    fh = _FileText(output)
    return Console(file=fh, width=160, no_color=True), fh


_QUIET = False


def set_quiet(quiet: bool) -> None:
    """``--quiet``: no progress display, whatever the terminal."""
    global _QUIET
    _QUIET = quiet


@contextlib.contextmanager
def progress(label: str) -> Iterator[Callable[[str], None]]:
    """A spinner with the elapsed time on stderr for a long step, shown only to a person at a
    terminal (never in CI logs or a pipe) and not with ``--quiet``. The block gets a function that
    changes the label (a step that knows how far it is says so)."""
    if _QUIET or not sys.stderr.isatty():
        yield lambda _label: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda new: bar.update(task, description=new)


def collected_ja(resources: int, unread: int) -> str:
    """The Japanese half of a collector's one summary line (the English half names the source)."""
    return (f" / 資源 {resources} 件を収集、読み取れなかった項目 {unread} 件"
            + ("(理由とともに判定不能として扱います)" if unread else ""))


class ProgressBar:
    """A progress bar on stderr for collectors' many small reads, shown only when asked for and
    stderr is a terminal (silent under CI)."""

    def __init__(self, label: str, wanted: bool, total: int = 0):
        self.p = None
        if wanted and sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.p = Progress(TextColumn(label + " {task.description}"), BarColumn(), MofNCompleteColumn(),
                              console=Console(stderr=True), transient=True)
            self.p.start()
            self.task = self.p.add_task("reading", total=total)

    def add(self, n: int) -> None:
        if self.p is not None:
            self.p.update(self.task, total=(self.p.tasks[0].total or 0) + n)

    def advance(self, what: str) -> None:
        if self.p is not None:
            self.p.update(self.task, advance=1, description=what[:40])

    def close(self) -> None:
        if self.p is not None:
            self.p.stop()


def controls_table(controls: Sequence[Control], lang: str, output: Path | None) -> None:
    console, fh = _console(output)
    t = Table(title="管理策カタログ / control catalog" if lang == "ja" else "Control catalog", show_lines=False)
    for col in ("ID", "family", "severity", "check", "title", "source"):
        t.add_column(col, overflow="fold")
    for c in controls:
        t.add_row(c.id, FAMILY_JA[c.family] if lang == "ja" else c.family, c.severity, c.check,
                  c.title.get(lang), " ".join(p for p in (c.source.volume or _document_short(c), c.source.section, c.source.item) if p))
    console.print(t)
    console.print(f"{len(controls)} controls")
    if fh:
        fh.close()  # type: ignore[attr-defined]


def basis_counts(findings: Sequence[Finding]) -> dict[str, Counter[str]]:
    """Findings by basis, then status: every basis present, in BASES order."""
    counts: dict[str, Counter[str]] = {b: Counter() for b in BASES}
    for f in findings:
        counts[f.basis][f.status] += 1
    return counts


def basis_table(result: ScanResult, lang: str, statuses: Sequence[str]) -> Table:
    """Observed results apart from declared and attested ones: a declared PASS is what a register
    says, not something sansho checked."""
    ja = lang == "ja"
    t = Table(title="判定の根拠別 / by basis" if ja else "By basis: observed (read from a system or code), "
              "declared (a hand-filled register), attested (a person's answer)")
    t.add_column("根拠" if ja else "basis", no_wrap=True)
    for s in statuses:
        t.add_column(STATUS_JA[s] if ja else s, justify="right", style=STATUS_STYLE[s])
    for basis, counts in basis_counts(result.findings).items():
        label = BASIS_LONG[basis][0 if ja else 1]
        t.add_row(label, *[str(counts[s] or "") for s in statuses])
    return t


def declared_pass_line(result: ScanResult, lang: str) -> str | None:
    """One sentence when some PASS results rest on a register rather than on what sansho read."""
    counts = basis_counts(result.findings)
    passed = sum(c["PASS"] for c in counts.values())
    declared = counts["declared"]["PASS"]
    if not declared:
        return None
    if lang == "ja":
        return (f"適合 {passed} 件のうち {declared} 件は台帳の申告によるもので、sansho は確認していません"
                f"(確認済みの適合は観測の {counts['observed']['PASS']} 件)。")
    return (f"{declared} of {passed} PASS results are declared in a register and were not checked by sansho "
            f"(checked: {counts['observed']['PASS']} observed).")


def scan_report(result: ScanResult, catalog: Catalog, lang: str, output: Path | None, fail_on: str,
                limit: int = 200) -> None:
    console, fh = _console(output)
    ja = lang == "ja"
    by_family: dict[str, Counter[str]] = defaultdict(Counter)
    for f in result.findings:
        by_family[catalog[f.control_id].family][f.status] += 1
    shown_statuses = [s for s in STATUSES if any(c[s] for c in by_family.values())]
    t = Table(title="判定結果の概要 / summary by family" if ja else "Summary by family")
    t.add_column("分類" if ja else "family")
    for s in shown_statuses:
        t.add_column(STATUS_JA[s] if ja else s, justify="right", style=STATUS_STYLE[s])
    for fam in FAMILIES:
        if fam in by_family:
            t.add_row(FAMILY_JA[fam] if ja else fam, *[str(by_family[fam][s] or "") for s in shown_statuses])
    total = Counter(f.status for f in result.findings)
    t.add_row("合計" if ja else "total", *[str(total[s]) for s in shown_statuses], style="bold")
    console.print(t)
    console.print(basis_table(result, lang, shown_statuses))
    if (line := declared_pass_line(result, lang)) is not None:
        console.print(f"[yellow]{line}[/]", highlight=False)

    problems = [f for f in result.findings if f.status in ("FAIL", "ERROR", "UNKNOWN")]
    problems.sort(key=lambda f: (-SEVERITY_RANK[catalog[f.control_id].severity],
                                 {"FAIL": 0, "ERROR": 1, "UNKNOWN": 2}[f.status], f.control_id, f.resource.id))
    if problems:
        ft = Table(title="要対応の指摘 / findings to act on" if ja else "Findings to act on", show_lines=False)
        for col in ("status", "basis", "severity", "control", "resource", "message"):
            ft.add_column(col, overflow="fold")
        for f in problems[:limit]:
            c = catalog[f.control_id]
            where = f.resource.id
            if f.resource.source.file:
                where += f"\n{f.resource.source.file}:{f.resource.source.line or ''}".rstrip(":")
            basis = f.basis
            ft.add_row(f"[{STATUS_STYLE[f.status]}]{f.status}[/]",
                       f"[{BASIS_STYLE[basis]}]{basis_word(basis, lang)}[/]" if BASIS_STYLE[basis]
                       else basis_word(basis, lang),
                       c.severity, f"{c.id}\n{c.title.get(lang)}", where, f.message(lang))
        console.print(ft)
        if len(problems) > limit:
            console.print(f"… {len(problems) - limit} more; use --format json or csv for all findings")
    for sup in result.expired_suppressions:
        console.print(f"[yellow]期限切れの抑止 / expired suppression[/]: {sup.control} {sup.resource} "
                      f"(expired {sup.expires}); it no longer mutes findings")
    for note in result.notes:
        console.print(f"[cyan]note[/]: {note}")
    failing = [f for f in result.findings if f.status in ("FAIL", "ERROR")
               and SEVERITY_RANK[catalog[f.control_id].severity] >= SEVERITY_RANK[fail_on]]
    for where, why in result.unparsed:
        console.print(f"[red]解析できないファイル / not parsed[/]: {where}: {why}")
    unparsed = f", {len(result.unparsed)} file(s) not parsed and not judged" if result.unparsed else ""
    console.print(
        f"{len(result.resources):,} resources, {len(result.controls)} controls, as of {result.today}: "
        f"{len(failing)} FAIL/ERROR at or above '{fail_on}'{unparsed}."
    )
    if fh:
        fh.close()  # type: ignore[attr-defined]
