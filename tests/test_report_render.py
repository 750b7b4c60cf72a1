"""The posture report as its readers see it: the HTML in Debian's headless Chromium (one browser
for the session) and the PDF through poppler's pdftoppm and pdftotext.

The history is the one of tests/test_report.py: its 2026Q4 scan holds a bucket whose id, name,
account and tag are ``<script>alert(1)</script>`` and ``<img src=x onerror=…>``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from sansho.policies.errors import InputError
from sansho.reports import posture_render
from sansho.reports.history.store import open_store
from sansho.reports.posture import from_history
from sansho.reports.posture_render import JAPANESE_FONT, render_html, render_pdf
from tests.support.browser import Browser
from tests.test_report import IMG, INJECTED_ID, LAB, SCRIPT, build_history

TITLE_JA = "医療情報システム 安全管理状況 四半期報告書"


@pytest.fixture(scope="module")
def report(tmp_path_factory, catalog):
    history = build_history(tmp_path_factory)
    with open_store(history.url) as store:
        return from_history(store, "2026Q4", catalog, "ja")


@pytest.fixture(scope="session")
def browser():
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def page(browser, report, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    page, log = browser.open_page(path.as_uri())
    yield page, log, path
    page.close()


def _visible_rows(page) -> int:
    return page.locator("#findings-table tbody tr:not([hidden])").count()


def test_html_loads_with_no_errors_no_network_and_no_injection(page, tmp_path):
    pg, log, path = page
    shot = tmp_path / "report.png"
    pg.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000  # a rendered page, not a blank one
    assert log.console_errors == [] and log.page_errors == [] and log.dialogs == []
    assert log.requests == [path.as_uri()]  # self-contained: nothing else was fetched
    assert pg.evaluate("window.__xss") is None and pg.title().startswith(TITLE_JA)
    assert pg.evaluate("document.querySelectorAll('img').length") == 0
    assert pg.evaluate("document.querySelectorAll('script').length") == 2
    # the payloads are there, as text: in the failing-controls section, its tags, and the table
    enc = pg.locator('section.control[data-control="SAN-ENC-001"]')
    text = enc.inner_text()
    assert INJECTED_ID in text and IMG in text and f"{SCRIPT}={IMG}" in text
    pg.fill("#findings-filter", SCRIPT)
    assert _visible_rows(pg) > 0
    cells = pg.locator("#findings-table tbody tr:not([hidden]) td:nth-child(6)").all_inner_texts()  # resource
    assert all(c.startswith(INJECTED_ID) and IMG in c for c in cells)
    assert pg.evaluate("window.__xss") is None and log.dialogs == [] and log.console_errors == []


def test_the_checks_above_catch_an_unescaped_payload(browser, tmp_path):
    """The same detectors, on a page that does not escape: they must report it."""
    bad = tmp_path / "bad.html"
    bad.write_text(f"<html><body><p>{IMG}</p><p>{SCRIPT}</p></body></html>", encoding="utf-8")
    pg, log = browser.open_page(bad.as_uri())
    pg.wait_for_function("window.__xss === 1")
    assert log.dialogs == ["1"] and pg.evaluate("document.querySelectorAll('img').length") == 1
    assert SCRIPT not in pg.inner_text("body")
    pg.close()


def test_filter_and_sort(page, report):
    pg, _, _ = page
    total = len(report.rows)
    pg.fill("#findings-filter", "")
    pg.select_option("#findings-status", "")
    assert _visible_rows(pg) == total and pg.inner_text("#findings-count") == str(total)
    pg.fill("#findings-filter", "sakura-lab-results-export")
    lab_rows = [r for r in report.rows if r.resource_id == LAB]
    assert _visible_rows(pg) == len(lab_rows) > 0
    pg.select_option("#findings-status", "FAIL")
    assert _visible_rows(pg) == sum(1 for r in lab_rows if r.status == "FAIL")
    pg.fill("#findings-filter", "")
    assert _visible_rows(pg) == sum(1 for r in report.rows if r.status == "FAIL")
    pg.select_option("#findings-status", "")
    # the basis choice keeps what registers declare apart from what was observed
    for basis in ("declared", "attested", "observed"):
        pg.select_option("#findings-basis", basis)
        assert _visible_rows(pg) == sum(1 for r in report.rows if r.basis == basis) > 0
        shown = pg.locator("#findings-table tbody tr:not([hidden]) td:nth-child(2)").all_inner_texts()
        assert set(shown) == {{"declared": "申告", "attested": "表明", "observed": "観測"}[basis]}
    pg.select_option("#findings-basis", "")
    header = pg.locator("#findings-table thead th").nth(3)  # control ID
    header.click()
    first = pg.locator("#findings-table tbody tr").first.locator("td").nth(3).inner_text()
    assert first == min(r.control_id for r in report.rows)
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    first = pg.locator("#findings-table tbody tr").first.locator("td").nth(3).inner_text()
    assert first == max(r.control_id for r in report.rows)


@pytest.fixture(scope="module")
def pdf(report, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    render_pdf(report, out)
    return out


def test_pdf_text_holds_the_japanese_title_and_a_failing_control(pdf, catalog):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    assert "".join(f"{TITLE_JA} 2026Q4".split()) in flat
    assert "SAN-ENC-001" in flat and "".join(catalog["SAN-ENC-001"].title.ja.split()) in flat
    assert "sakura-lab-results-export" in flat
    assert "自己点検(アテステーション)" in flat and "判定不能" in flat


def test_pdf_pages_render_to_png(pdf, tmp_path):
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    (png,) = tmp_path.glob("page-*.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-JP" in fonts  # the Japanese text is set in Noto Sans CJK, not a fallback


def test_fontconfig_finds_the_japanese_font():
    assert JAPANESE_FONT in posture_render.font_families()


def test_missing_japanese_font_is_one_clear_error(report, tmp_path, monkeypatch):
    monkeypatch.setattr(posture_render, "font_families", lambda: {"DejaVu Sans"})
    with pytest.raises(InputError) as e:
        render_pdf(report, tmp_path / "x.pdf")
    assert str(e.value) == ("--format pdf: the Japanese font 'Noto Sans CJK JP' is not installed; install Debian's "
                            "fonts-noto-cjk (apt-get install fonts-noto-cjk) / PDF に必要な日本語フォント "
                            "Noto Sans CJK JP がありません")
    assert not (tmp_path / "x.pdf").exists()
