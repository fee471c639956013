"""The built site, read as a reader sees it: parsed HTML, visible text and counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def content(soup: BeautifulSoup):
    return soup.select_one("article.md-content__inner")


def text(element) -> str:
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


def test_home_shows_vision_outcomes_and_computed_key_figures(site, kingston):
    article = content(page(site, ""))
    assert article.h1.get_text(strip=True) == "SEND Futures Plan 2020/21 to 2024/25"
    body = text(article)
    assert kingston.data.plan.vision in body
    for outcome in kingston.data.plan.outcomes:
        assert outcome in body
    figures = [text(li) for li in article.select(".cp-key-figures li")]
    assert figures == [
        "5 workstreams",
        "100 things we will do",
        "38 measures of success",
        "17 risks we are managing",
        "£19.25m overspend on high needs by 2019/20",
    ]
    assert "ashley.whittaker@achievingforchildren.org.uk" in body


def built_pages(site: Path, name: str = "index.html") -> list[Path]:
    """Every built page of the site; a site with no pages fails here rather than passing a loop."""
    pages = sorted(site.rglob(name))
    assert len(pages) > 10, f"only {len(pages)} pages in {site}"
    return pages


# Counted in each workstream file (the source document's action plan and risk register): activities,
# their ids' prefix, measures and risks.
WORKSTREAM_ITEMS = [
    ("partnership-board", "pb", 7, 0, 4),
    ("participation", "ws1", 13, 5, 1),
    ("joint-commissioning", "ws2", 21, 5, 2),
    ("local-provision", "ws3", 27, 10, 3),
    ("early-intervention", "ws4", 18, 9, 3),
    ("assessment-planning", "ws5", 14, 9, 4),
]


@pytest.mark.parametrize("workstream_id, prefix, activities, measures, risks", WORKSTREAM_ITEMS)
def test_each_workstream_page_shows_all_its_activities_measures_and_risks(site, kingston, workstream_id, prefix, activities, measures, risks):
    ws = next(w for w in kingston.data.workstreams if w.id == workstream_id)
    article = content(page(site, f"workstreams/{workstream_id}"))
    activity_ids = [tr["id"] for tr in article.select("tr[id]") if re.fullmatch(rf"{prefix}-\d\d", tr["id"])]
    assert activity_ids == [f"{prefix}-{n:02d}" for n in range(1, activities + 1)]
    assert len(article.select(f"#{workstream_id}-measures tbody tr")) == measures
    assert len(article.select(f"#{workstream_id}-risks tbody tr")) == risks
    for lead in ws.leads:
        if lead.name:
            assert lead.name in text(article)


def test_activities_with_no_lead_say_so_in_words(site, kingston):
    missing = 0
    for ws in kingston.data.workstreams:
        article = content(page(site, f"workstreams/{ws.id}"))
        missing += sum(1 for td in article.select("td") if text(td) == "Lead not yet named")
    assert missing == 6


def test_all_activities_measures_and_risks_appear_across_the_site(site):
    # Activities are listed on their workstream's page, each once: 100 in all.
    activity_rows = [
        tr["id"]
        for ws_id, prefix, *_ in WORKSTREAM_ITEMS
        for tr in content(page(site, f"workstreams/{ws_id}")).select("table.cp-table tbody tr[id]")
        if re.fullmatch(rf"{prefix}-\d\d", tr["id"])
    ]
    assert len(activity_rows) == len(set(activity_rows)) == 100
    pages = [content(page(site, p)) for p in ["measures", "risks"]]
    # Rows of the registers themselves (data tables), not of a chart's data.
    rows = [p.select("table.cp-table--cards tbody tr") for p in pages]
    assert len(rows[0]) == 38
    assert len(rows[1]) == 17
    # Highest risks first.
    assert [h.get_text(strip=True) for h in pages[1].find_all("h2")] == ["High risks", "Moderate risks", "Low risks"]


def test_every_table_has_a_caption_scoped_headers_and_no_empty_cells(bundled_site):
    """Both bundled plans' sites."""
    for html in built_pages(bundled_site):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for table in soup.select("article table"):
            assert table.caption and text(table.caption), html
            for th in table.find_all("th"):
                assert th.get("scope") in ("col", "row"), (html, th)
            for cell in table.find_all(["td", "th"]):
                assert text(cell), (html, table.caption)


def test_finance_tables_show_money_with_units_in_headers(site):
    article = content(page(site, "finance"))
    history = article.select_one("#history")
    assert "(£ millions)" in text(history.thead)
    last = [text(td) for td in history.select("tbody tr")[-1].find_all("td")]
    assert last == ["23.62", "29.66", "0.86", "\u22125.18", "\u221214.07", "\u221219.25"]
    forecast = article.select_one("#forecast")
    first = [text(td) for td in forecast.select("tbody tr")[0].find_all("td")]
    assert first == ["30,973", "1,470", "21,070", "4,677", "23,927"]
    assert len(article.select("#opportunities tbody tr")) == 26


def test_figures_check_page_lists_each_difference(site):
    article = content(page(site, "figures-check"))
    rows = [[text(c) for c in tr.find_all(["th", "td"])] for tr in article.select("#differences tbody tr")]
    assert len(rows) == 9
    assert ["Average spend per EHCP, 2020/21", "£21,076", "£21,070", "\u2212£6"] in rows
    assert ["Cumulative funding gap, end of 2024/25", "£55,779,000", "£55,777,000", "\u2212£2,000"] in rows


def test_glossary_has_the_thirteen_terms(site):
    article = content(page(site, "glossary"))
    assert len(article.select("dl.cp-glossary dt")) == 13
    assert "EHCP: Education, health and care plan" in text(article)


def test_no_error_text_or_unrendered_macro_reaches_a_page(bundled_site):
    for html in built_pages(bundled_site, "*.html"):
        body = html.read_text(encoding="utf-8")
        assert "{{" not in body and "{%" not in body, html
        assert "Traceback" not in body and "Macro Rendering Error" not in body, html
