"""axe-core over every page of the Cambridgeshire example: WCAG 2.2 AA and best practice, zero
violations in the page content that the plan's templates render.

Every page is checked at 320 px in dark mode and at 1280 px in light mode, so both widths and both
schemes are covered while the test stays under two minutes. The theme's own chrome (header, search,
navigation, footer) is the same on every site and is left to the main site's accessibility test.
"""

from __future__ import annotations

import pytest

from browser_support import describe, run_axe, serve, site_pages

CONTENT = ".md-content"


@pytest.fixture(scope="module")
def cambridgeshire_url(cambridgeshire_site):
    with serve(cambridgeshire_site) as url:
        yield url


@pytest.mark.parametrize("width, scheme", [(320, "dark"), (1280, "light")])
def test_every_page_passes_axe(browser, cambridgeshire_site, cambridgeshire_url, width, scheme):
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    failures = []
    try:
        paths = site_pages(cambridgeshire_site)
        assert len(paths) == 25  # 10 pages and 15 workstream pages
        for path in paths:
            page.goto(cambridgeshire_url + path)
            violations = run_axe(page, CONTENT)
            if violations:
                failures.append(f"/{path}:\n{describe(violations)}")
    finally:
        page.close()
    assert not failures, "\n".join(failures)
