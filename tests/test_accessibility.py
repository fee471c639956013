"""Accessibility, proven in Debian's chromium: axe-core on every built page in both colour schemes
at 320 and 1280 px, a keyboard-only walk, reflow at 320 px, target sizes, and every page read and
reached with JavaScript switched off."""

from __future__ import annotations

import json
from urllib.parse import urljoin, urlparse

import pytest

from browser_support import SCHEMES, WIDTHS, axe_violations, describe, site_pages, start_axe

# Material keeps the reader's palette choice in localStorage under the site scope ("/." here);
# both it and the browser's colour-scheme preference are set, so the scheme is really applied.
PALETTES = {
    "light": {"index": 0, "color": {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo", "accent": "indigo"}},
    "dark": {"index": 1, "color": {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo", "accent": "indigo"}},
}
# One page of each kind for the slower checks (the keyboard walk, target sizes), per bundled plan.
PAGE_TYPES = {
    "kingston": ["", "workstreams/", "workstreams/participation/", "risks/", "finance/", "glossary/", "accessibility/"],
    "cambridgeshire": ["workstreams/changing-the-conversation/", "risks/", "finance/", "programme-plan/", "milestones/", "equality/"],
}


def open_page(browser, url: str, scheme: str = "light", width: int = 1280):
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 640 if width < 600 else 800})
    page.emulate_media(color_scheme=scheme)
    page.add_init_script(f"localStorage.setItem('/.__palette', {json.dumps(json.dumps(PALETTES[scheme]))})")
    page.goto(url)
    return page


def applied_scheme(page) -> tuple[str, float]:
    """Material's scheme on <body>, and the relative luminance of the page background."""
    return page.evaluate("""() => {
        const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+(\\.\\d+)?/g).map(Number);
        const lin = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return [document.body.dataset.mdColorScheme, 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)];
    }""")


def test_axe_finds_no_violation_on_any_page_in_either_scheme_at_either_width(browser, bundled):
    """Every built page, light and dark, 320 and 1280 px: one tab per combination, checked at once."""
    _, site, site_url = bundled
    paths = site_pages(site)
    assert "accessibility/" in paths and len(paths) >= 15
    tabs = {(scheme, width): open_page(browser, site_url, scheme, width) for scheme in SCHEMES for width in WIDTHS}
    failures = []
    try:
        for path in paths:
            for (scheme, width), tab in tabs.items():
                tab.goto(site_url + path)
                name, luminance = applied_scheme(tab)
                assert (name, luminance > 0.5) == (("slate", False) if scheme == "dark" else ("default", True)), (path, scheme, name, luminance)
                start_axe(tab)
            for (scheme, width), tab in tabs.items():
                violations = axe_violations(tab)
                if violations:
                    failures.append(f"/{path} ({scheme}, {width} px):\n{describe(violations)}")
    finally:
        for tab in tabs.values():
            tab.close()
    assert not failures, "\n".join(failures)


WALK = """() => {
    const el = document.activeElement;
    const header = document.querySelector('.md-header').getBoundingClientRect();
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
        tag: el.tagName, href: el.getAttribute('href'), id: el.id, cls: el.className && String(el.className),
        inHeader: !!el.closest('.md-header'), inSidebar: !!el.closest('.md-sidebar'),
        top: box.top, bottom: box.bottom, width: box.width, height: box.height, headerBottom: header.bottom,
        viewport: innerHeight, outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
        outlineColor: style.outlineColor, shadow: style.boxShadow,
        key: el.tagName + '|' + (el.getAttribute('href') || '') + '|' + (el.id || '') + '|' + box.x + ',' + (box.y + scrollY),
    };
}"""


def visible_links(page) -> list[str]:
    """Every link a sighted reader can see (Material's drawer and hidden parts left out), by href."""
    return page.evaluate("""() => [...document.querySelectorAll('a[href]')].filter(a => {
        const box = a.getBoundingClientRect(), style = getComputedStyle(a);
        return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && box.right > 0 && box.left < innerWidth
            && !a.closest('[hidden]');
    }).map(a => a.getAttribute('href'))""")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("plan, path", [(plan, path) for plan, paths in PAGE_TYPES.items() for path in paths])
def test_keyboard_walk_reaches_every_link_with_a_visible_focus_indicator(browser, request, plan, path, width):
    site_url = request.getfixturevalue("site_url" if plan == "kingston" else "cambridgeshire_url")
    page = open_page(browser, site_url + path, "light", width)
    try:
        links = set(visible_links(page))
        assert links
        reached, seen, problems = set(), set(), []
        for _ in range(400):
            page.keyboard.press("Tab")
            focus = page.evaluate(WALK)
            if focus["tag"] == "BODY":
                # Focus falls to <body> at the page's end, or for a moment when Material hides the
                # back-to-top button; Tab goes on from there, and a wrap to the start ends the walk.
                continue
            if focus["key"] in seen:
                break
            seen.add(focus["key"])
            if focus["href"]:
                reached.add(focus["href"])
            if focus["width"] == 0 or focus["height"] == 0:
                continue  # Material's skip link and hidden radio inputs move focus on, nothing to see
            if focus["outline"] == "none" or focus["outlineWidth"] < 2 or focus["outlineColor"] in ("transparent", "rgba(0, 0, 0, 0)"):
                problems.append(f"no visible focus indicator: {focus}")
        else:
            pytest.fail("the Tab key never left the page")
        assert links <= reached, f"links never reached by keyboard: {sorted(links - reached)}"
        assert not problems, "\n".join(problems[:10])
    finally:
        page.close()


TARGETS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, label[for], [tabindex="0"]')]
    .map(el => {
        const box = el.getBoundingClientRect(), style = getComputedStyle(el);
        const block = el.parentElement.closest('p, li, td, dd, th');
        // WCAG 2.5.8 "inline": a link inside a sentence or a line of text is exempt.
        const inline = style.display === 'inline' && block && block.textContent.trim() !== el.textContent.trim();
        return {html: el.outerHTML.slice(0, 120), width: box.width, height: box.height, inline,
                shown: box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.opacity !== '0'
                       && box.right > 0 && box.left < innerWidth};
    }).filter(t => t.shown && !t.inline)"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_interactive_target_is_at_least_24_px(browser, bundled, width):
    plan, _, site_url = bundled
    page = open_page(browser, site_url, "light", width)
    small = []
    try:
        for path in PAGE_TYPES[plan]:
            page.goto(site_url + path)
            targets = page.evaluate(TARGETS)
            assert targets
            small += [f"/{path}: {t['width']:.0f}x{t['height']:.0f} {t['html']}" for t in targets if t["width"] < 24 or t["height"] < 24]
    finally:
        page.close()
    assert not small, "\n".join(small[:20])


SCROLLERS = """() => [...document.querySelectorAll('body *')].filter(el => {
    const style = getComputedStyle(el);
    return ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1 && el.getBoundingClientRect().width > 0;
}).map(el => ({cls: String(el.className), focusable: el.getAttribute('tabindex') === '0', role: el.getAttribute('role'),
               named: !!el.getAttribute('aria-labelledby')}))"""


def test_nothing_scrolls_sideways_at_320_px_except_focusable_named_regions(browser, bundled):
    _, site, site_url = bundled
    page = open_page(browser, site_url, "light", 320)
    problems, regions = [], 0
    try:
        for path in site_pages(site):
            page.goto(site_url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                problems.append(f"/{path} is {width} px wide")
            for scroller in page.evaluate(SCROLLERS):
                # Tables and the timeline need both dimensions (1.4.10 allows that), in a named region a keyboard can scroll.
                if scroller["focusable"] and scroller["role"] == "region" and scroller["named"]:
                    regions += 1
                else:
                    problems.append(f"/{path} scrolls sideways in {scroller}")
    finally:
        page.close()
    assert not problems, "\n".join(problems)
    assert regions > 0  # the wide tables do scroll, inside their regions


def test_every_page_is_read_and_reached_with_javascript_off(browser, bundled):
    _, site, site_url = bundled
    page = browser.new_page()
    cdp = browser.new_cdp_session(page)
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        queue, reached = [site_url], set()
        while queue:
            url = queue.pop()
            path = urlparse(url).path.lstrip("/")
            if path in reached:
                continue
            reached.add(path)
            page.goto(url)
            # Material's script swaps no-js for js: still no-js means no script ran.
            assert page.evaluate("document.documentElement.className") == "no-js", path
            assert page.locator("article h1").count() == 1, path
            assert len(page.locator("article").inner_text()) > 100, path
            assert page.locator(".md-nav--primary a[href]").count() >= 10, path
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
                target = urljoin(url, href).split("#")[0]
                if target.startswith(site_url) and target.endswith("/"):
                    queue.append(target)
    finally:
        cdp.detach()
        page.close()
    assert set(site_pages(site)) <= reached
