"""Debian's chromium driven by Playwright: one launcher for printing PDFs and for the browser tests.

No tool downloads a browser: Playwright launches /usr/bin/chromium (installed by `make test`).
Playwright is imported only when a browser is started, so loading and checking a plan never need it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright is missing: a clear message instead of a traceback."""


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian chromium with a fresh profile, driven by Playwright; yields a browser context."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise BrowserUnavailable("Playwright is not installed: run `make install`") from None

    with tempfile.TemporaryDirectory(prefix="clearplan-chromium-") as profile, sync_playwright() as playwright:
        try:
            context = playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except Error as error:
            raise BrowserUnavailable(
                f"could not start {CHROMIUM} (install Debian's chromium, or run `make test`): {str(error).splitlines()[0]}"
            ) from None
        try:
            yield context
        finally:
            context.close()
