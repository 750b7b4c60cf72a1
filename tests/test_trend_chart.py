"""The quarterly trend shows the score and the failures each on its own scale, with a legend,
and the score change never stands alone: a better score with more failures shows both."""

from __future__ import annotations

import dataclasses
import re

from sansho.reports.posture import Score, TrendPoint
from sansho.reports.posture_render import _count_ticks, render_html, render_markdown, trend_chart

from .test_report import history, report  # noqa: F401 - fixtures

__all__ = ["history"]


def _more_failures_better_score(rep):
    """2026Q3: 600 of 1000 pass, 115 FAIL; 2026Q4: 1600 of 2400 pass (+6.7 pt), 119 FAIL."""
    q3, q4 = Score(passed=600, failed=115, unknown=285), Score(passed=1600, failed=119, unknown=681)
    trend = [TrendPoint("2026Q3", 1, "2026-08-01", q3, 115, 285, 0), TrendPoint("2026Q4", 2, "2026-11-01", q4, 119, 681, 0)]
    return dataclasses.replace(rep, overall=q4, previous_overall=q3, trend=trend)


def test_each_panel_has_its_own_scale(report):  # noqa: F811
    chart = trend_chart(_more_failures_better_score(report))
    assert [g["label"] for g in chart["score_grid"]] == ["0%", "25%", "50%", "75%", "100%"]
    assert [g["label"] for g in chart["fail_grid"]] == ["0", "50", "100", "150"]
    assert all("%" not in g["label"] for g in chart["fail_grid"])
    bars = [p["bar_h"] for p in chart["points"]]
    assert bars[0] < bars[1] and chart["max_fail"] == 150


def test_html_shows_two_charts_with_legends_and_the_failure_change(report):  # noqa: F811
    html = render_html(dataclasses.replace(_more_failures_better_score(report), lang="en"))
    trend = html[html.index('<section id="trend">'):html.index('</section>', html.index('<section id="trend">'))]
    assert trend.count('<svg class="chart"') == 2
    assert 'id="trend-score"' in trend and 'id="trend-fail"' in trend
    assert "Overall score (%, left axis)" in html and "FAIL findings (count, left axis)" in html
    change = re.search(r'<span id="fail-change">(.*?)</span></span>', html, re.S).group(1)
    assert change == 'FAIL findings 115 → 119 <span class="down">(+4)'
    assert '<span class="up">+6.7 pt</span>' in html


def test_markdown_puts_the_failures_beside_the_score(report):  # noqa: F811
    md = render_markdown(dataclasses.replace(_more_failures_better_score(report), lang="ja"))
    assert "前期比 +6.7 pt; 不適合の件数 115 → 119 (+4)" in md


def test_count_axis_ticks():
    assert _count_ticks(0) == [0, 1]
    assert _count_ticks(3) == [0, 1, 2, 3]
    assert _count_ticks(119) == [0, 50, 100, 150]
    assert _count_ticks(3947) == [0, 1000, 2000, 3000, 4000]
