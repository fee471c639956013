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


# What the reader sees of the focused element. "uncovered" samples nine points over the on-screen
# part of it: WCAG 2.4.11 holds if at any of them the topmost thing that can be seen is the element
# itself (or inside or around it) rather than a header, drawer or overlay. For the sampling every element takes pointer events,
# so nothing that covers it escapes hit-testing; fully transparent things cover nothing.
WALK = """async () => {
    // 2.4.11 is about where things come to rest: let transitions that move, show or hide things
    // finish first (colour changes cannot cover anything, and waiting for them costs minutes).
    const moving = document.getAnimations().filter(a => a instanceof CSSTransition && !/color|shadow/.test(a.transitionProperty));
    await Promise.race([Promise.all(moving.map(a => a.finished.catch(() => null))), new Promise(r => setTimeout(r, 1000))]);
    // and let Material's scroll handlers (which size the sidebars) run on the scroll that focus caused.
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const opaque = node => {
        for (let n = node; n && n.nodeType === 1; n = n.parentElement) if (parseFloat(getComputedStyle(n).opacity) < 0.05) return false;
        return true;
    };
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const left = Math.max(box.left, 0), right = Math.min(box.right, innerWidth);
    const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
    const covers = [];
    let uncovered = false;
    if (right > left && bottom > top) {
        const hitAll = document.createElement('style');
        hitAll.textContent = '*, *::before, *::after { pointer-events: auto !important; }';
        document.head.append(hitAll);
        for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.1, 0.5, 0.9]) {
            const hit = document.elementsFromPoint(left + (right - left) * fx, top + (bottom - top) * fy).find(opaque);
            if (hit && (hit === el || el.contains(hit) || hit.contains(el))) { uncovered = true; break; }
            if (hit) covers.push(hit.tagName + '.' + String(hit.className).split(' ')[0]);
        }
        hitAll.remove();
    }
    return {
        tag: el.tagName, href: el.getAttribute('href'), id: el.id, cls: el.className && String(el.className),
        inDrawer: !!el.closest('.md-sidebar--primary'), expanded: el.getAttribute('aria-expanded'),
        width: box.width, height: box.height, uncovered, covers: [...new Set(covers)],
        outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor,
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


def focus_problems(focus: dict) -> list[str]:
    """What is wrong with how the focused element shows: no indicator (2.4.7), or hidden (2.4.11)."""
    problems = []
    if focus["outline"] == "none" or focus["outlineWidth"] < 2 or focus["outlineColor"] in ("transparent", "rgba(0, 0, 0, 0)"):
        problems.append(f"no visible focus indicator: {focus}")
    if not focus["uncovered"]:
        problems.append(f"focused element hidden (off screen or under {focus['covers']}): {focus}")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("plan, path", [(plan, path) for plan, paths in PAGE_TYPES.items() for path in paths])
def test_keyboard_walk_reaches_every_link_visibly_focused_and_never_hidden(browser, request, plan, path, width):
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
            problems += focus_problems(focus)
        else:
            pytest.fail("the Tab key never left the page")
        assert links <= reached, f"links never reached by keyboard: {sorted(links - reached)}"
        assert not problems, "\n".join(problems[:10])
    finally:
        page.close()


def chromium_role_and_name(page, selector: str) -> tuple[str, str]:
    """The role and accessible name chromium itself gives an element."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"][0]
        return ax["role"]["value"], ax["name"]["value"]
    finally:
        cdp.detach()


# The drawer has finished sliding: its sidebar runs no transition and has not moved over two frames.
DRAWER_AT_REST = """() => new Promise(done => {
    const sidebar = document.querySelector('.md-sidebar--primary');
    const before = sidebar.getBoundingClientRect().x;
    requestAnimationFrame(() => requestAnimationFrame(() =>
        done(sidebar.getAnimations().length === 0 && sidebar.getBoundingClientRect().x === before)));
})"""


def drawer_state(page) -> dict:
    """Whether the drawer is open, once its slide has finished, and the links it then shows."""
    page.wait_for_function(DRAWER_AT_REST)
    return page.evaluate("""() => ({open: document.getElementById('__drawer').checked,
        links: [...document.querySelectorAll('.md-sidebar--primary a[href]')]
            .filter(a => a.getClientRects().length && getComputedStyle(a).visibility === 'visible')
            .map(a => a.getAttribute('href'))})""")


MENU = '.md-header__button[data-cp-for="__drawer"]'


@pytest.mark.parametrize("key", ["Enter", "Space"])
@pytest.mark.parametrize("plan, path", [("kingston", "workstreams/participation/"), ("cambridgeshire", "risks/")])
def test_at_320_px_the_keyboard_opens_the_navigation_drawer_walks_it_and_leaves_it(browser, request, plan, path, key):
    site_url = request.getfixturevalue("site_url" if plan == "kingston" else "cambridgeshire_url")
    page = open_page(browser, site_url + path, "light", 320)
    try:
        # Closed, the drawer takes no focus: Tab reaches its menu button, a named button in the header.
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({json.dumps(MENU)})"):
                break
            assert not page.evaluate(WALK)["inDrawer"]
        else:
            pytest.fail("the menu button was never reached")
        menu = page.evaluate(WALK)
        assert not focus_problems(menu) and menu["expanded"] == "false", menu
        assert chromium_role_and_name(page, MENU) == ("button", "Navigation")
        page.keyboard.press(key)
        state = drawer_state(page)
        assert state["open"] and page.get_attribute(MENU, "aria-expanded") == "true"
        assert len(state["links"]) >= 10
        reached, problems = set(), []
        for _ in range(len(state["links"]) + 5):
            focus = page.evaluate(WALK)
            if not focus["inDrawer"]:
                break
            reached.add(focus["href"])
            problems += focus_problems(focus)
            page.keyboard.press("Tab")
        else:
            pytest.fail("focus never left the drawer")
        assert set(state["links"]) <= reached, f"drawer links never reached: {sorted(set(state['links']) - reached)}"
        assert not problems, "\n".join(problems[:10])
        # Leaving the drawer closes it: the next thing focused is in the page, not under the drawer.
        after = page.evaluate(WALK)
        assert not drawer_state(page)["open"] and not focus_problems(after), after
        # Escape closes an open drawer and returns focus to the menu button.
        page.focus(MENU)
        page.keyboard.press(key)
        assert drawer_state(page)["open"] and page.evaluate(WALK)["inDrawer"]
        page.keyboard.press("Escape")
        assert not drawer_state(page)["open"] and page.evaluate(f"document.activeElement.matches({json.dumps(MENU)})")
    finally:
        page.close()


def test_at_320_px_search_opens_from_the_keyboard_and_closes_when_focus_leaves_it(browser, site_url):
    page = open_page(browser, site_url + "risks/", "light", 320)
    search_button = '.md-header__button[data-cp-for="__search"]'
    try:
        assert chromium_role_and_name(page, search_button) == ("button", "Search")
        page.focus(search_button)
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.matches('.md-search__input')")
        page.keyboard.type("panel")
        page.wait_for_selector(".md-search-result__item")
        assert page.is_visible(".md-search-result__item")
        page.keyboard.press("Escape")
        assert not page.evaluate("document.getElementById('__search').checked")
        assert page.evaluate(f"document.activeElement.matches({json.dumps(search_button)})")
        page.keyboard.press("Tab")  # search closed: nothing of it covers what takes focus next
        after = page.evaluate(WALK)
        assert not focus_problems(after), after
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
}).map(el => {
    // Where the region's name (its table's caption) shows, at the start and at the end of the scroll.
    const name = document.getElementById(el.getAttribute('aria-labelledby') || '');
    const seen = () => {
        const box = el.getBoundingClientRect();
        const text = document.createRange();
        if (name) text.selectNodeContents(name);
        return [...(name ? text.getClientRects() : [])].every(r => r.width === 0 || (r.left >= box.left - 1 && r.right <= box.right + 1));
    };
    const atStart = seen();
    el.scrollLeft = el.scrollWidth;
    const atEnd = seen();
    el.scrollLeft = 0;
    return {cls: String(el.className), focusable: el.getAttribute('tabindex') === '0', role: el.getAttribute('role'),
            named: !!name && name.textContent.trim() !== '', nameSeen: atStart && atEnd, table: (el.querySelector('table') || {}).id};
})"""


def test_nothing_scrolls_sideways_at_320_px_except_focusable_named_regions_whose_captions_stay_in_view(browser, bundled):
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
                    if not scroller["nameSeen"]:  # a caption wider than the screen scrolls out of view with its table
                        problems.append(f"/{path}: the caption of {scroller['table']} is cut off at the screen's edge, or scrolls away")
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
