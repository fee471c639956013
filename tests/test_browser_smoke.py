"""The browser harness itself: chromium starts offline, pages load, axe-core runs."""

from browser_support import run_axe


def test_home_page_loads_in_chromium_and_axe_runs(browser, site_url):
    page = browser.new_page()
    try:
        page.goto(site_url)
        assert page.locator("h1").first.inner_text() == "SEND Futures Plan 2020/21 to 2024/25"
        violations = run_axe(page)
        assert isinstance(violations, list)
        assert all({"id", "impact", "nodes"} <= set(v) for v in violations)
    finally:
        page.close()
