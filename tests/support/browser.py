"""Debian's headless Chromium, driven by Playwright (its driver ships in the wheel; no browser is
downloaded: Playwright is pointed at /usr/bin/chromium). One browser per test session.

``open_page`` records what a report must never do: console errors, page errors, dialogs
(``alert``), and any request other than the page itself (the report is one self-contained file).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@dataclass
class PageLog:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


class Browser:
    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        if not CHROMIUM.exists():
            raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium")
        self._profile = tempfile.TemporaryDirectory(prefix="sansho-chromium-")
        self._pw = sync_playwright().start()
        try:
            self.context = self._pw.chromium.launch_persistent_context(
                self._profile.name, executable_path=str(CHROMIUM), headless=True, args=ARGS,
                viewport={"width": 1280, "height": 900}, locale="ja-JP",
            )
        except BaseException:
            self._pw.stop()
            self._profile.cleanup()
            raise

    def open_page(self, url: str) -> tuple[Any, PageLog]:
        log = PageLog()
        page = self.context.new_page()
        page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: log.page_errors.append(str(e)))

        def _dialog(d: Any) -> None:
            log.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", _dialog)
        page.on("request", lambda r: log.requests.append(r.url))
        page.goto(url, wait_until="load")
        return page, log

    def close(self) -> None:
        try:
            self.context.close()
        finally:
            self._pw.stop()
            self._profile.cleanup()
