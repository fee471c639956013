"""The components, each from its named examples (components/examples.yaml), rendered with the
Renderer alone (no MkDocs) and checked in Debian's chromium: axe at 320, 760 and 1280 px; on a
320 px screen each data table read as cards, and at every width nothing scrolls sideways."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from browser_support import describe, run_axe
from component_support import COMPONENTS, examples, page

EXAMPLES = examples()
DOCUMENTATION = (COMPONENTS / "README.md").read_text(encoding="utf-8")


def test_every_component_with_examples_is_documented_with_its_examples():
    for example in EXAMPLES:
        section = DOCUMENTATION.split(f"## {example.component}\n", 1)
        assert len(section) == 2, f"components/README.md has no section for {example.component}"
        assert f"- {example.name}\n" in section[1].split("\n## ", 1)[0], (example.component, example.name)


def test_the_documented_data_table_components_all_have_examples():
    documented = set(re.findall(r"^## (\w+)\n", DOCUMENTATION, re.MULTILINE))
    assert documented == {example.component for example in EXAMPLES} | {"table"}


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.component != "chart"], ids=lambda e: f"{e.component}: {e.name}")
def test_a_data_table_shows_its_downloads_column_names_and_labels_every_cell(example):
    table = BeautifulSoup(example.html, "html.parser").select_one("table.cp-table--cards")
    headings = [th.get_text() for th in table.thead.find_all("th")]
    assert all(th["scope"] == "col" for th in table.thead.find_all("th"))
    rows = table.tbody.find_all("tr")
    assert rows
    for row in rows:
        assert [cell["data-label"] for cell in row.find_all(["th", "td"], recursive=False)] == headings
    if example.page_path is not None:  # published: the downloads name the same columns, the page shows those it can
        published = example.renderer.tables.published[(example.page_path, table["id"])]
        assert [c.header for c in published.columns if c.page] == headings
        assert [header for header in published.headers if header in headings] == headings
        assert len(published.rows) == len(rows)


# The table as Chromium's accessibility tree has it: its roles, and each cell's name.
ACCESSIBILITY_TREE = "Accessibility.getFullAXTree"


def table_tree(cdp) -> dict[str, list[str]]:
    nodes = cdp.send(ACCESSIBILITY_TREE)["nodes"]
    found: dict[str, list[str]] = {"table": [], "columnheader": [], "cells": []}
    for node in nodes:
        role = node.get("role", {}).get("value")
        if role in ("table", "columnheader", "rowheader", "cell"):
            found["cells" if role in ("rowheader", "cell") else role].append(node.get("name", {}).get("value", ""))
    return found


TABLES_AT_320 = """() => [...document.querySelectorAll('table.cp-table--cards')].map(table => {
    const region = table.closest('.cp-table-region');
    const headings = [...table.tHead.rows[0].cells].map(cell => cell.textContent);
    return {sideways: region.scrollWidth - region.clientWidth, page: document.documentElement.scrollWidth,
            headingsShown: table.tHead.getBoundingClientRect().height > 1,
            labels: [...table.tBodies[0].rows].map(row => [...row.cells].map(cell => getComputedStyle(cell, '::before').content)),
            cells: [...table.rows].filter(row => row.parentElement !== table.tHead).flatMap(row => [...row.cells].map(cell =>
                [cell.dataset.label, cell.textContent.trim()])),
            headings};
})"""


@pytest.mark.parametrize("width", [320, 760, 1280])
def test_every_example_passes_axe_and_reads_as_cards_on_a_phone(browser, width):
    tab = browser.new_page()
    tab.set_viewport_size({"width": width, "height": 700})
    cdp = browser.new_cdp_session(tab)
    problems = []
    try:
        for example in EXAMPLES:
            tab.set_content(page(example))
            where = f"{example.component}: {example.name} at {width} px"
            if violations := run_axe(tab):
                problems.append(f"{where}: {describe(violations)}")
            if example.component == "chart":
                continue
            tree = table_tree(cdp)
            (table,) = tab.evaluate(TABLES_AT_320)
            # Still a table with column headings to a screen reader, at either width.
            assert len(tree["table"]) == 1 and tree["columnheader"] == table["headings"], where
            # A cell's name is its value alone: the card's label is not read out again.
            assert len(tree["cells"]) == len(table["cells"]), where
            assert not [
                name for name, (label, text) in zip(tree["cells"], table["cells"]) if label and name.startswith(label) and not text.startswith(label)
            ], where
            if width == 320:
                assert table["sideways"] == 0 and table["page"] == 320, where
                assert not table["headingsShown"], where
                for labels in table["labels"]:  # each value under its column's name (alternative text "": said once, by the table)
                    assert labels == [f'"{heading}" / ""' for heading in table["headings"]], where
            else:
                assert table["headingsShown"] and all(label == "none" for labels in table["labels"] for label in labels), where
                # Columns take the width their words need: a table as wide as the text column of a desktop
                # page with both sidebars (about 700 px) wraps its text rather than scroll.
                assert table["sideways"] == 0, f"{where}: scrolls sideways by {table['sideways']} px"
    finally:
        tab.close()
    assert not problems, "\n".join(problems)


CHART_TEXT = """() => {
    const body = parseFloat(getComputedStyle(document.querySelector('.md-typeset > p')).fontSize);
    return [...document.querySelectorAll('.cp-chart__plot')].map(plot => {
        const box = plot.getBoundingClientRect();
        const texts = [...plot.querySelectorAll('.cp-chart__label, .cp-chart__value')];
        // The size on screen: an SVG's text is scaled with its drawing, HTML text is not.
        const scale = t => (t.getScreenCTM ? t.getScreenCTM().a : 1) * (t.getBoundingClientRect().height > 0);
        return {body, texts: texts.map(t => t.textContent),
                smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale(t))),
                outside: texts.filter(t => { const r = t.getBoundingClientRect(); return r.left < box.left || r.right > box.right + 0.5; })
                              .map(t => t.textContent)};
    });
}"""


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_chart_labels_are_body_text_size_and_on_screen_at_every_width(browser, width):
    tab = browser.new_page()
    tab.set_viewport_size({"width": width, "height": 700})
    try:
        for example in (e for e in EXAMPLES if e.component == "chart"):
            tab.set_content(page(example))
            (chart,) = tab.evaluate(CHART_TEXT)
            expected = [text.get_text() for text in BeautifulSoup(example.html, "html.parser").select(".cp-chart__label, .cp-chart__value")]
            assert chart["texts"] == expected and len(expected) >= 4, example.name
            assert chart["body"] == 16  # Material's body text: 0.8rem of a 20 px root
            assert chart["smallest"] >= chart["body"], (example.name, chart)
            assert chart["outside"] == [], example.name
    finally:
        tab.close()
