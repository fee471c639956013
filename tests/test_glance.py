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

from clearplan import compute
from clearplan.check import check_plan
from clearplan.easy_read_glance import dashboard_points
from clearplan.feed import build_feed
from clearplan.model import ActivityStatus
from clearplan.render import PlanView

ATOM = "{http://www.w3.org/2005/Atom}"


def article(site: Path, path: str):
    soup = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article.md-content__inner")


def text(element) -> str:
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


def table_rows(element, table_id: str) -> list[list[str]]:
    return [[text(c) for c in tr.find_all(["th", "td"])] for tr in element.select(f"#{table_id} tbody tr")]


def test_dashboard_counts_equal_the_data(site, kingston):
    page = article(site, "dashboard")
    data = kingston.data
    activities = table_rows(page, "dashboard-activities")
    for row, ws in zip(activities, data.workstreams):
        acts = compute.activities(ws)
        assert row == [PlanView(data).workstream_label(ws), *(str(sum(1 for a in acts if a.status == s)) for s in ActivityStatus), str(len(acts))]
    assert activities[-1] == ["The whole plan", "100", "0", "0", "0", "100"]
    measures = table_rows(page, "dashboard-measures")
    assert [row[-1] for row in measures] == [str(len(ws.measures)) for ws in data.workstreams] + ["38"]
    assert measures[-1] == ["The whole plan", "0", "0", "38", "38"]
    assert "No measure has a latest figure yet" in text(page)
    risks = table_rows(page, "dashboard-risks")
    assert risks[-1] == ["The whole plan", "6", "9", "2", "17"]
    scheme = data.plan.risk_scheme
    for row, ws in zip(risks, data.workstreams):
        names = [compute.rating(r, scheme).name for r in ws.risks]
        assert row[1:] == [str(names.count(level)) for level in ("High", "Moderate", "Low")] + [str(len(ws.risks))]
    assert [text(li) for li in page.select(".cp-key-figures li")][:4] == ["5 workstreams", "100 things we will do", "38 measures of success", "17 risks we are managing"]


def test_easy_read_dashboard_says_it_in_sentences_with_pictures(site, kingston):
    page = article(site, "easy-read/dashboard")
    rows = page.select(".cp-easy__row")
    expected = [p.text for p in dashboard_points(PlanView(kingston.data))]
    assert [text(r.p) for r in rows] == expected
    assert "The plan has 100 things to do." in expected
    assert "We know about 17 things that could go wrong. 6 of them are high risk." in expected
    for row in rows:
        svg = row.find("svg")
        assert svg["aria-hidden"] == "true" and svg.find("path")


def test_you_said_page_shows_every_entry_and_links_its_activities(site, kingston):
    page = article(site, "you-said")
    entries = kingston.data.you_said
    assert 4 <= len(entries) <= 6
    sections = page.select("section.cp-you-said")
    assert [s["id"] for s in sections] == [e.id for e in entries]
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
    assert found["ws1-07"] == "Changed because children and young people told us: “It is frustrating when you do not know what the words mean, or the writing is too small to read.”"
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
    path.write_text(original.replace("activities: [ws1-07]", "activities: [ws1-99]").replace("id: moving-to-secondary", "id: clear-words"), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = [str(p) for p in check_plan(data).problems.errors]
    bad_line = next(i for i, line in enumerate(lines, 1) if "ws1-99" in line)
    dup_line = [i for i, line in enumerate(lines, 1) if "id: clear-words" in line][1]
    assert any(p.startswith(f"{path}:{bad_line}:") and "unknown activity 'ws1-99'" in p for p in problems), problems
    assert any(p.startswith(f"{path}:{dup_line}:") and "already used" in p for p in problems), problems
    path.write_text(original.replace("who: families", "who: Mrs Smith", 1), encoding="utf-8")
    problems = [str(p) for p in check_plan(data).problems.errors]
    assert any("who: expected one of" in p for p in problems), problems


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


@pytest.mark.parametrize("feedback, expected, error", [
    ({"url": "https://forms.example.org/plan?x=1"}, "https://forms.example.org/plan?x=1&page=Money", None),
    ({"wrong": 1}, None, "extra.feedback in mkdocs.yml must give an email"),
    ({"email": 'x@example.org?body="><img src=x onerror=alert(1)>'}, None,
     "extra.feedback in mkdocs.yml: 'x@example.org?body=\"><img src=x onerror=alert(1)>' is not an email address"),
    ({"url": "javascript:alert(1)"}, None, "extra.feedback in mkdocs.yml: 'javascript:alert(1)' is not a web address"),
])
def test_feedback_address_from_mkdocs_config(tmp_path, root, feedback, expected, error):
    from conftest import build_site

    config = root / f"mkdocs-feedback-test-{tmp_path.name}.yml"
    import yaml

    settings = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["extra"] = {"feedback": feedback}
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    try:
        result = build_site(config, tmp_path / "site")
    finally:
        config.unlink()
    if error is not None:
        assert result.returncode != 0 and error in result.stderr
        assert "Traceback" not in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        soup = BeautifulSoup((tmp_path / "site" / "finance" / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert soup.select_one(".cp-feedback a")["href"] == expected
