"""At a glance: the dashboard's counts against the data, the "You said, we did" register and its
links, the check of its references, the feedback link on every page, and the Atom feed."""

from __future__ import annotations

import re
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clearplan.checks.check import check_plan
from clearplan.outputs.feed import build_feed
from clearplan.site.render import PlanView

ATOM = "{http://www.w3.org/2005/Atom}"


def article(site: Path, path: str):
    soup = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article.md-content__inner")


def text(element) -> str:
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


def table_rows(element, table_id: str) -> list[list[str]]:
    return [[text(c) for c in tr.find_all(["th", "td"])] for tr in element.select(f"#{table_id} tbody tr")]


# Counted from the plan's workstream files (the source document's action plans and risk registers):
# activities, measures, and risks by level (High, Moderate, Low). Every activity is still planned and
# no measure has a latest figure.
WORKSTREAM_COUNTS = [
    ("SEND Partnership Board", 7, 0, (2, 1, 1)),
    ("Workstream 1: Participation, Engagement and Co-production", 13, 5, (0, 1, 0)),
    ("Workstream 2: Joint Commissioning", 21, 5, (0, 2, 0)),
    ("Workstream 3: Local Provision", 27, 10, (0, 2, 1)),
    ("Workstream 4: Early Intervention and Transition", 18, 9, (0, 3, 0)),
    ("Workstream 5: Assessment and Planning", 14, 9, (4, 0, 0)),
]


def test_dashboard_counts_equal_the_data(site):
    page = article(site, "dashboard")
    assert table_rows(page, "dashboard-activities") == [[name, str(acts), "0", "0", "0", str(acts)] for name, acts, _, _ in WORKSTREAM_COUNTS] + [
        ["The whole plan", "100", "0", "0", "0", "100"]
    ]
    assert table_rows(page, "dashboard-measures") == [
        [name, "0", "0", str(measures), str(measures)] for name, _, measures, _ in WORKSTREAM_COUNTS
    ] + [["The whole plan", "0", "0", "38", "38"]]
    assert "No measure has a latest figure yet" in text(page)
    assert table_rows(page, "dashboard-risks") == [[name, *map(str, levels), str(sum(levels))] for name, _, _, levels in WORKSTREAM_COUNTS] + [
        ["The whole plan", "6", "9", "2", "17"]
    ]
    assert [text(li) for li in page.select(".cp-key-figures li")][:4] == [
        "5 workstreams",
        "100 things we will do",
        "38 measures of success",
        "17 risks we are managing",
    ]


def test_easy_read_dashboard_says_it_in_sentences_with_pictures(site):
    page = article(site, "easy-read/dashboard")
    rows = page.select(".cp-easy__row")
    assert [text(r.p) for r in rows] == [
        "This page shows how the plan is going.",
        "The plan has 100 things to do.",
        "0 are done. 0 are being done now. 100 have not started yet. 0 are stopped for now.",
        *(f"{name}: {acts} things to do. 0 are done." for name, acts, _, _ in WORKSTREAM_COUNTS),
        "We have 38 ways to check if the plan is working. We do not have new numbers for them yet.",
        "We know about 17 things that could go wrong. 6 of them are high risk.",
        "By 2019/20 we had spent £19.25m more than we had for children with high needs.",
    ]
    for row in rows:
        svg = row.find("svg")
        assert svg["aria-hidden"] == "true" and svg.find("path")


def test_you_said_page_shows_every_entry_and_links_its_activities(site, kingston):
    page = article(site, "you-said")
    entries = kingston.data.you_said
    sections = page.select("section.cp-you-said")
    assert [s["id"] for s in sections] == [
        "clear-words",
        "speech-and-language-waits",
        "coordinator-at-reviews",
        "moving-to-secondary",
        "school-in-local-community",
        "short-breaks-in-borough",
    ]
    for section, entry in zip(sections, entries):
        body = text(section)
        assert entry.theme == text(section.h2) and entry.said in body and "Before July 2020" in body
        links = [a["href"] for a in section.select("dd a")]
        if entry.response:
            assert entry.response.text in body
            assert [link.split("#")[1] for link in links] == entry.response.activities
        else:
            assert links == [] and "We have not yet agreed an action" in body


def test_each_linked_activity_says_what_changed_it(site, kingston):
    by_activity = {a: e for e in kingston.data.you_said if e.response for a in e.response.activities}
    found = {}
    for ws in kingston.data.workstreams:
        page = article(site, f"workstreams/{ws.id}")
        for note in page.select(".cp-changed"):
            activity_id = note.find_parent("tr")["id"]
            found[activity_id] = text(note)
            assert note.a["href"] == f"../../you-said/#{by_activity[activity_id].id}"
    assert set(found) == set(by_activity)
    assert (
        found["ws1-07"]
        == "Changed because children and young people told us: “It is frustrating when you do not know what the words mean, or the writing is too small to read.”"
    )
    assert found["ws2-17"].startswith("Changed because families told us: “It sometimes takes too long")


def test_easy_read_you_said_has_each_entry(site, kingston):
    page = article(site, "easy-read/you-said")
    for entry in kingston.data.you_said:
        rows = page.select(f"#{entry.id} .cp-easy__row")
        assert entry.said in text(rows[0])
        assert (entry.response.text if entry.response else "We have not decided") in text(rows[1])


def test_check_reports_unknown_activities_and_duplicate_entries_with_lines(tmp_path, root):
    data = tmp_path / "data"
    shutil.copytree(root / "data", data)
    path = data / "you-said.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original.replace("activities: [ws1-07]", "activities: [ws1-99]").replace("id: moving-to-secondary", "id: clear-words"), encoding="utf-8"
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = [str(p) for p in check_plan(data).problems.errors]
    bad_line = next(i for i, line in enumerate(lines, 1) if "ws1-99" in line)
    dup_line = [i for i, line in enumerate(lines, 1) if "id: clear-words" in line][1]
    assert problems == [
        f"{path}:{bad_line}:18: error: [0].response.activities[0]: unknown activity 'ws1-99'; use the id of an activity in data/workstreams/",
        f"{path}:{dup_line}:7: error: [3].id: id 'clear-words' is already used by entry 1; ids must be unique",
    ]
    path.write_text(original.replace("who: families", "who: Mrs Smith", 1), encoding="utf-8")
    who_line = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "Mrs Smith" in line)
    assert [str(p) for p in check_plan(data).problems.errors] == [
        f"{path}:{who_line}:8: error: [1].who: expected one of 'children_and_young_people', 'families' or 'schools', got 'Mrs Smith'"
    ]


def test_feedback_link_on_every_page_names_the_page(site):
    pages = [p for p in site.rglob("index.html") if p.parent.name != "404"]
    assert len(pages) > 10
    for html in pages:
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one(".cp-feedback a")
        assert link is not None, html
        address = urllib.parse.urlparse(link["href"])
        assert address.scheme == "mailto" and address.path == "ashley.whittaker@achievingforchildren.org.uk"
        subject = urllib.parse.parse_qs(address.query)["subject"][0]
        # Material titles a page "Page - Site", and the home page just "Site": its page is "Home".
        head = soup.title.get_text()
        title = head.rsplit(" - ", 1)[0] if " - " in head else "Home"
        assert f"“{title}”" in subject, (html, subject)
        assert title in text(link)


def test_atom_feed_is_valid_and_lists_the_version_and_each_entry(site, kingston):
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for child in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{child}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1 + len(kingston.data.you_said)
    for entry in entries:
        for child in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{child}").text, child
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", entry.find(f"{ATOM}updated").text)
        href = entry.find(f"{ATOM}link").get("href")
        assert (site / href.split("#")[0] / "index.html").exists(), href
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert "New version: July 2020 draft" in titles
    assert len({e.find(f"{ATOM}id").text for e in entries}) == len(entries)
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one('head link[rel="alternate"][type="application/atom+xml"]')["href"] == "feed.xml"
    assert home.select_one('article a[href="feed.xml"]') is not None


def test_feed_links_are_absolute_when_the_site_address_is_known(kingston):
    feed = build_feed(PlanView(kingston.data), "https://plan.example.org/send")
    assert feed.self_link == "https://plan.example.org/send/feed.xml"
    assert all(e.link.startswith("https://plan.example.org/send/") for e in feed.entries)


@pytest.mark.parametrize(
    "feedback, expected, error",
    [
        ({"url": "https://forms.example.org/plan?x=1"}, "https://forms.example.org/plan?x=1&page=Money", None),
        ({"wrong": 1}, None, "extra.feedback in mkdocs.yml must give an email"),
        (
            {"email": 'x@example.org?body="><img src=x onerror=alert(1)>'},
            None,
            "extra.feedback in mkdocs.yml: 'x@example.org?body=\"><img src=x onerror=alert(1)>' is not an email address",
        ),
        ({"url": "javascript:alert(1)"}, None, "extra.feedback in mkdocs.yml: 'javascript:alert(1)' is not a web address"),
    ],
)
def test_feedback_address_from_mkdocs_config(tmp_path, root, feedback, expected, error):
    import yaml

    from conftest import build_site

    # The bundled configuration, written under tmp_path: its relative folders made absolute.
    settings = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["docs_dir"] = str(root / "docs")
    settings["theme"]["custom_dir"] = str(root / "overrides")
    settings["watch"] = [str(root / "data")]
    plugin = next(p for p in settings["plugins"] if isinstance(p, dict) and "clearplan" in p)
    plugin["clearplan"]["data_dir"] = str(root / "data")
    settings["extra"] = {"feedback": feedback}
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    result = build_site(config, tmp_path / "site")
    if error is not None:
        assert result.returncode != 0 and error in result.stderr
        assert "Traceback" not in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        soup = BeautifulSoup((tmp_path / "site" / "finance" / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert soup.select_one(".cp-feedback a")["href"] == expected
