"""Browser testing support: serve a built site on 127.0.0.1 and drive Debian's chromium.

No tool downloads a browser: Playwright launches /usr/bin/chromium (installed by `make test`).
axe-core is the copy bundled with axe-playwright-python (pinned in pyproject.toml), used offline.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import socketserver
import threading
from contextlib import contextmanager
from pathlib import Path

import axe_playwright_python

# One launcher for the tests and for printing PDFs: see clearplan.outputs.chromium.
from clearplan.outputs.chromium import CHROMIUM, CHROMIUM_ARGS, chromium  # noqa: E402,F401

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = (320, 1280)
SCHEMES = ("light", "dark")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output readable
        pass


class _GzipHandler(_QuietHandler):
    """Text gzipped when the browser accepts it, as any web host (GitHub Pages, a council's server) does."""

    TEXT = (".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt")

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in self.TEXT or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(directory: Path, compress: bool = False):
    """Serve `directory` on a free port of 127.0.0.1 (gzipped if `compress`); yields the base URL."""
    handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=str(directory))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


def start_axe(page, include: str | None = None) -> None:
    """Start axe-core on the loaded page (or only inside the CSS selector `include`) without
    waiting, so pages in other tabs (each its own renderer process) are checked at the same time;
    `axe_violations` collects the result."""
    page.evaluate(AXE_SOURCE)
    page.evaluate(
        "([tags, include]) => { window.__clearplanAxe = axe.run(include ? {include: [include]} : document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}); }",
        [AXE_TAGS, include],
    )


def axe_violations(page) -> list[dict]:
    return page.evaluate("() => window.__clearplanAxe.then(result => result.violations)")


def run_axe(page, include: str | None = None) -> list[dict]:
    """axe-core violations on the loaded page (or only inside the CSS selector `include`), with the
    WCAG 2.2 AA and best-practice tags."""
    start_axe(page, include)
    return axe_violations(page)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        for node in violation["nodes"][:5]:
            lines.append(f"{violation['id']} ({violation['impact']}): {node['target']} {node.get('failureSummary', '')[:200]}")
    return "\n".join(lines) or json.dumps(violations)[:2000]


def site_pages(site: Path) -> list[str]:
    """Every built page's path relative to the site root, as a URL path."""
    pages = []
    for html in sorted(site.rglob("index.html")):
        relative = html.parent.relative_to(site).as_posix()
        pages.append("" if relative == "." else relative + "/")
    assert len(pages) > 10, f"only {len(pages)} pages in {site}"
    return pages
