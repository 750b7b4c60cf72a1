"""Renderers of the posture report: HTML (one self-contained file), PDF (weasyprint, from the same
HTML), GitHub-flavoured Markdown and JSON.

Everything that comes from an inventory is text to these renderers: jinja2 autoescapes it in
HTML, the findings the page script sorts and filters travel as ``|tojson`` (which escapes ``<``,
``>``, ``&`` and quotes) and the script writes them with ``textContent`` only; a Content
Security Policy that allows only this file's own script (by hash) stops anything that slipped.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sansho.policies.catalog import FAMILIES, SEVERITY_RANK
from sansho.policies.errors import InputError

from .posture import PostureReport, Row, Score, to_json
from .posture_text import Words

JAPANESE_FONT = "Noto Sans CJK JP"
_STATUS_ORDER = {"FAIL": 0, "ERROR": 1, "UNKNOWN": 2, "MANUAL": 3, "MUTED": 4, "PASS": 5, "NOT_APPLICABLE": 6}
_BASIS_ORDER = {"observed": 0, "declared": 1, "attested": 2}


@cache
def _asset(name: str) -> str:
    return (resources.files("sansho.reports") / "templates" / name).read_text(encoding="utf-8")


def _env(autoescape: bool):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("sansho.reports") / "templates")),
        autoescape=autoescape, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pct"] = _pct
    env.filters["md"] = md_escape
    return env


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def md_escape(value: object) -> str:
    """Text from an inventory as inert GitHub-flavoured Markdown: no markup, no HTML, no table breaks."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = []
    for ch in text:
        out.append("\\" + ch if ch in "\\`*_[]|~#!" else ch)
    return "".join(out)


def where(r: Row) -> str:
    return " / ".join(p for p in (r.provider, r.account, r.region) if p)


def source_at(r: Row) -> str:
    if not r.source_file:
        return r.source_type
    return f"{r.source_file}:{r.source_line}" if r.source_line else r.source_file


def _count_ticks(top_value: int) -> list[int]:
    """0 and up to four round steps that reach ``top_value`` (the FAIL axis: counts, not %)."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000):
        step = candidate
        if top_value / candidate <= 4:
            break
    else:
        step = -(-top_value // 4)
    return list(range(0, top_value + step, step))[:6] if top_value else [0, 1]


def trend_chart(rep: PostureReport, width: int = 640, height: int = 170) -> dict[str, Any]:
    """Geometry of the trend: two panels on one period axis, each with its own scale and legend
    — the score line on 0–100 %, and the FAIL findings as bars on a count axis. One axis for
    both once drew 119 failures as "119 %"."""
    left, right, top, bottom = 52, 16, 24, 30
    n = len(rep.trend)
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(n, 1)
    ticks = _count_ticks(max([t.fail for t in rep.trend] + [0]))
    fail_top = max(ticks[-1], 1)
    points = []
    for i, t in enumerate(rep.trend):
        x = left + step * (i + 0.5)
        bar_h = plot_h * t.fail / fail_top
        score = t.score.value
        points.append({
            "x": round(x, 1), "label": t.period, "score": score, "fail": t.fail,
            "y": None if score is None else round(top + plot_h * (1 - score / 100), 1),
            "bar_x": round(x - step * 0.3, 1), "bar_w": round(step * 0.6, 1),
            "bar_y": round(top + plot_h - bar_h, 1), "bar_h": round(bar_h, 1),
        })
    line = " ".join(f"{p['x']},{p['y']}" for p in points if p["y"] is not None)
    score_grid = [{"y": round(top + plot_h * (1 - v / 100), 1), "label": f"{v}%"} for v in (0, 25, 50, 75, 100)]
    fail_grid = [{"y": round(top + plot_h * (1 - v / fail_top), 1), "label": f"{v:,}"} for v in ticks]
    return {"width": width, "height": height, "points": points, "line": line, "score_grid": score_grid,
            "fail_grid": fail_grid, "left": left, "right": width - right, "top": top, "base": top + plot_h,
            "max_fail": fail_top}


def changes_since_previous(rep: PostureReport) -> dict[str, Any] | None:
    """The score change in points and the FAIL count before and after, shown side by side: a
    better score can come with more failures (more resources judged), and a reader must see both."""
    if rep.previous_overall is None:
        return None
    before, after = rep.previous_overall, rep.overall
    delta = None
    if after.value is not None and before.value is not None:
        delta = round(after.value - before.value, 1)
    return {"delta": delta, "fail_before": before.failed, "fail_after": after.failed,
            "fail_change": after.failed - before.failed}


def _table_rows(rep: PostureReport, t: Words) -> list[list[Any]]:
    """The filterable table's data: display text plus a sort key per column."""
    return [
        [r.status, t.status(r.status), _STATUS_ORDER.get(r.status, 9), t.severity(r.severity),
         -SEVERITY_RANK[r.severity], r.control_id, r.title, r.resource_id, r.resource_name, where(r), r.message,
         r.basis, t.basis(r.basis), _BASIS_ORDER.get(r.basis, 9)]
        for r in sorted(rep.rows, key=lambda r: (_STATUS_ORDER.get(r.status, 9), -SEVERITY_RANK[r.severity],
                                                  r.control_id, r.resource_id))
    ]


def _context(rep: PostureReport) -> dict[str, Any]:
    t = Words(rep.lang)
    # every family with an observed score or declared results; declared counts sit beside the score
    fam_scores = [{"family": fam, "label": t.family(fam), "score": rep.families.get(fam, Score()),
                   "declared": rep.declared_families.get(fam, Score())}
                  for fam in FAMILIES if fam in rep.families or fam in rep.declared_families]
    change = changes_since_previous(rep)
    return {"r": rep, "t": t, "fam_scores": fam_scores, "delta": change["delta"] if change else None,
            "change": change, "trend": trend_chart(rep),
            "new_keys": {r.key for r in rep.new},
            "where": where, "source_at": source_at, "font": JAPANESE_FONT}


def render_html(rep: PostureReport, *, for_print: bool = False) -> str:
    import markupsafe

    ctx = _context(rep)
    script = _asset("posture.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    ctx.update(
        css=markupsafe.Markup(_asset("posture.css")),
        script=markupsafe.Markup(script),
        script_hash=f"sha256-{digest}",
        table_rows=_table_rows(rep, ctx["t"]),
        for_print=for_print,
    )
    return _env(autoescape=True).get_template("posture.html.j2").render(ctx)


def render_markdown(rep: PostureReport) -> str:
    return _env(autoescape=False).get_template("posture.md.j2").render(_context(rep))


def render_json(rep: PostureReport) -> str:
    return json.dumps(to_json(rep), ensure_ascii=False, indent=1) + "\n"


def font_families() -> set[str]:
    """Families fontconfig resolves ``JAPANESE_FONT`` to (the match's family names)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    fc = ctypes.CDLL(name)
    fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    fc.FcNameParse.restype = ctypes.c_void_p
    fc.FcNameParse.argtypes = [ctypes.c_char_p]
    fc.FcConfigSubstitute.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
    fc.FcDefaultSubstitute.argtypes = [ctypes.c_void_p]
    fc.FcFontMatch.restype = ctypes.c_void_p
    fc.FcFontMatch.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
    fc.FcPatternGetString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    fc.FcPatternDestroy.argtypes = [ctypes.c_void_p]
    fc.FcConfigDestroy.argtypes = [ctypes.c_void_p]
    config = fc.FcInitLoadConfigAndFonts()
    pattern = fc.FcNameParse(JAPANESE_FONT.encode())
    fc.FcConfigSubstitute(config, pattern, 0)  # FcMatchPattern
    fc.FcDefaultSubstitute(pattern)
    result = ctypes.c_int()
    match = fc.FcFontMatch(config, pattern, ctypes.byref(result))
    families: set[str] = set()
    if match:
        value = ctypes.c_char_p()
        i = 0
        while fc.FcPatternGetString(match, b"family", i, ctypes.byref(value)) == 0:  # FcResultMatch
            families.add((value.value or b"").decode("utf-8", "replace"))
            i += 1
        fc.FcPatternDestroy(match)
    fc.FcPatternDestroy(pattern)
    fc.FcConfigDestroy(config)
    return families


def check_japanese_font() -> None:
    try:
        found = JAPANESE_FONT in font_families()
    except OSError as e:
        raise InputError(f"--format pdf: fontconfig cannot be loaded ({e}); install Debian libpango-1.0-0") from None
    if not found:
        raise InputError(
            f"--format pdf: the Japanese font '{JAPANESE_FONT}' is not installed; install Debian's fonts-noto-cjk "
            f"(apt-get install fonts-noto-cjk) / PDF に必要な日本語フォント {JAPANESE_FONT} がありません")


def render_pdf(rep: PostureReport, output: Path) -> None:
    write_pdf(lambda: render_html(rep, for_print=True), output)


def pdf_bytes(rep: PostureReport) -> bytes:
    """The PDF of the report, in memory: for a caller that writes it once other files are done."""
    return print_pdf(lambda: render_html(rep, for_print=True))


def print_pdf(html: Callable[[], str]) -> bytes:
    """Print the HTML that ``html()`` makes to PDF bytes with weasyprint (the Japanese font and
    weasyprint are checked first, each a one-line error)."""
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html()).write_pdf()


def _weasyprint() -> Any:
    check_japanese_font()
    try:
        import weasyprint
    except (ImportError, OSError) as e:
        raise InputError(f"--format pdf needs weasyprint and Pango: pip install 'sansho[pdf]' ({e})") from None
    return weasyprint


def write_pdf(html: Callable[[], str], output: Path) -> None:
    """Print the HTML that ``html()`` makes to a PDF with weasyprint (the Japanese font and
    weasyprint are checked first, each a one-line error)."""
    weasyprint = _weasyprint()
    page = html()
    from sansho.policies.output import atomic_file

    with atomic_file(output) as tmp:
        weasyprint.HTML(string=page).write_pdf(tmp)
