"""axe-core on the pages with charts, the dashboard and the "You said, we did" pages, at 320 and
1280 pixels wide in light and dark schemes; and the feedback link reached from the keyboard."""

from __future__ import annotations

import pytest

from browser_support import SCHEMES, WIDTHS, describe, run_axe

PAGES = ["finance/", "risks/", "measures/", "workstreams/participation/", "dashboard/", "you-said/", "easy-read/dashboard/", "easy-read/you-said/"]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_glance_pages_pass_axe(browser, site_url, width, scheme):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": width, "height": 900})
        page.add_init_script("localStorage.clear()")  # Material remembers a scheme; let the media query choose
        page.emulate_media(color_scheme=scheme)
        failures = []
        for path in PAGES:
            page.goto(site_url + path)
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
            violations = run_axe(page)
            if violations:
                failures.append(f"{path}:\n{describe(violations)}")
        assert not failures, "\n".join(failures)
    finally:
        page.close()


def test_chart_colours_follow_the_scheme(browser, site_url):
    page = browser.new_page()
    try:
        page.add_init_script("localStorage.clear()")
        fills = {}
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            page.goto(site_url + "finance/")
            fills[scheme] = page.eval_on_selector_all(
                "#finance-history .cp-chart__bar", "bars => [...new Set(bars.map(b => getComputedStyle(b).backgroundColor))]"
            )
        assert fills["light"] == ["rgb(18, 67, 109)", "rgb(244, 106, 37)"]
        assert fills["dark"] == ["rgb(107, 172, 230)", "rgb(30, 32, 41)"]
    finally:
        page.close()


def test_feedback_link_is_reached_by_keyboard(browser, site_url):
    page = browser.new_page()
    try:
        page.goto(site_url + "dashboard/")
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('.cp-feedback') !== null"):
                break
        else:
            pytest.fail("Tab never reached the feedback link")
        assert page.evaluate("document.activeElement.textContent") == "Email us about the page “Progress at a glance”"
    finally:
        page.close()
