"""Accessibility checks of the built pages' HTML and of the pieces behind them: language, titles,
headings, status words and shapes, glossary terms explained where used, the accessibility statement."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pydantic import ValidationError

from clearplan.site.glossary_terms import explain_terms
from clearplan.plan.model import AccessibilityStatement, GlossaryTerm
from clearplan.site.render import STATUS_LABELS


def pages(site: Path) -> dict[str, BeautifulSoup]:
    found = {
        html.relative_to(site).as_posix(): BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser") for html in sorted(site.rglob("index.html"))
    }
    assert len(found) > 10, f"only {len(found)} pages in {site}"
    return found


def words(element) -> str:
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


def test_every_page_is_en_gb_with_a_unique_title_one_h1_and_no_skipped_heading_level(bundled_site):
    site = bundled_site
    titles = {}
    for name, soup in pages(site).items():
        assert soup.html["lang"] == "en-GB", name
        title = soup.title.get_text(strip=True)
        assert title not in titles, f"{name} and {titles.get(title)} share the title {title!r}"
        titles[title] = name
        headings = [int(h.name[1]) for h in soup.select("article h1, article h2, article h3, article h4, article h5, article h6")]
        assert headings.count(1) == 1 and headings[0] == 1, (name, headings)
        for before, after in zip(headings, headings[1:]):
            assert after <= before + 1, f"{name}: h{before} is followed by h{after}"


def test_every_status_and_rating_is_in_words_with_a_shape_that_differs_per_value(bundled):
    plan, site, _ = bundled
    shapes: dict[str, set[str]] = {}
    for name, soup in pages(site).items():
        for status in soup.select(".cp-status, .cp-rating"):
            icon = status.find("svg")
            assert icon is not None and icon.get("aria-hidden") == "true", (name, status)
            text = words(status)
            assert text, (name, status)
            if "cp-status" in status["class"]:
                assert text in STATUS_LABELS.values(), (name, text)
            kind = next(c for c in status["class"] if "--" in c)
            shapes.setdefault(kind, set()).add("".join(str(child) for child in icon.children))
    # Kingston has activities and risks at all three levels; Cambridgeshire only Amber and Red risks.
    expected = {"cp-status--planned", "cp-rating--0", "cp-rating--1", "cp-rating--2"} if plan == "kingston" else {"cp-rating--1", "cp-rating--2"}
    assert expected <= set(shapes)
    assert all(len(drawn) == 1 for drawn in shapes.values()), "one shape per status or level"
    ratings = [next(iter(drawn)) for kind, drawn in sorted(shapes.items()) if kind.startswith("cp-rating--")]
    assert len(set(ratings)) == len(ratings), "each risk level has its own shape"


def test_every_page_links_to_the_accessibility_statement_in_its_footer(bundled_site):
    site = bundled_site
    for name, soup in pages(site).items():
        link = soup.select_one("footer .cp-footer-links a")
        assert link and words(link) == "Accessibility statement", name
        assert (site / name).parent.joinpath(link["href"], "index.html").resolve() == (site / "accessibility" / "index.html").resolve()


def test_accessibility_statement_has_the_required_sections_and_facts(site, kingston):
    article = pages(site)["accessibility/index.html"].select_one("article")
    assert words(article.h1) == "Accessibility statement"
    assert [words(h) for h in article.find_all("h2")] == [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "How we tested this website",
        "What we are doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]
    text = words(article)
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018" in text
    assert "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert "This fails WCAG 2.2 success criterion 4.1.3 Status Messages." in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert article.find("a", href="https://www.equalityadvisoryservice.com/")
    assert "This statement was prepared on 22 November 2026. It was last reviewed on 3 December 2026." in text
    assert "This website was last tested on 3 December 2026." in text
    assert "large print, Easy Read, audio recording or braille" in text
    assert "within 10 working days" in text
    assert "Royal Borough of Kingston upon Thames is committed to making its website accessible" in text


def statement(**changes) -> dict:
    data = {
        "website": "W",
        "run_by": "rbk",
        "compliance": "partial",
        "issues": [{"problem": "P", "criterion": "4.1.3 Status Messages"}],
        "tested": {"date": "2026-01-01", "by": "Us", "how": "axe"},
        "prepared": "2026-01-01",
        "last_reviewed": "2026-02-01",
        "contact": {"email": "a@b.c", "reply_days": 5},
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"compliance": "full"}, "a fully compliant site lists no issues"),
        ({"issues": []}, "needs the issues"),
        ({"last_reviewed": "2025-01-01"}, "is before prepared"),
        ({"issues": [{"problem": "P", "criterion": "Status Messages"}]}, "String should match pattern"),
    ],
)
def test_accessibility_statement_data_is_checked(changes, message):
    AccessibilityStatement.model_validate(statement())
    with pytest.raises(ValidationError, match=re.escape(message)):
        AccessibilityStatement.model_validate(statement(**changes))


def test_check_reports_an_unknown_organisation_in_the_statement(tmp_path, root):
    import shutil

    from clearplan.checks.check import check_plan

    shutil.copytree(root / "data", tmp_path / "data")
    path = tmp_path / "data" / "accessibility.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("run_by: rbk", "run_by: nobody"), encoding="utf-8")
    errors = [str(p) for p in check_plan(tmp_path / "data").problems.errors]
    assert len(errors) == 1 and "accessibility.yaml:5:9: error: run_by: unknown organisation 'nobody'" in errors[0]


TERMS = [
    GlossaryTerm(term="EHCP", stands_for="Education, health and care plan", meaning="m"),
    GlossaryTerm(term="SEND", stands_for="Special educational needs and disability", meaning="m"),
    GlossaryTerm(term="SCIP", meaning="m"),
]


def mark(term: GlossaryTerm, text: str) -> str:
    return f"[{text}={term.term}]"


def test_explain_terms_marks_only_the_first_use_in_running_text():
    html = (
        '<h2 id="send">SEND help</h2><p>Children with SEND and EHCPs.</p><p>More SEND, EHCP, SCIP.</p>'
        '<table><caption>EHCP numbers</caption><tr><td><a href="x">SCIP</a> and SCIP</td></tr></table><br>'
        "<p>Special educational needs (SEND)</p><!-- EHCP --><code>EHCP</code>"
    )
    assert explain_terms(html, TERMS, mark) == (
        '<h2 id="send">SEND help</h2><p>Children with [SEND=SEND] and [EHCPs=EHCP].</p><p>More SEND, EHCP, SCIP.</p>'
        '<table><caption>EHCP numbers</caption><tr><td><a href="x">SCIP</a> and SCIP</td></tr></table><br>'
        "<p>Special educational needs (SEND)</p><!-- EHCP --><code>EHCP</code>".replace("More SEND, EHCP, SCIP.", "More SEND, EHCP, [SCIP=SCIP].")
    )


def test_explain_terms_leaves_an_explained_use_and_empty_glossaries_alone():
    assert explain_terms("<p>needs (SEND). SEND again</p>", TERMS, mark) == "<p>needs (SEND). SEND again</p>"
    assert explain_terms("<p>SEND</p>", [], mark) == "<p>SEND</p>"


def test_explain_terms_reads_past_tags_attributes_and_left_alone_elements():
    html = (
        '<p title="SEND and EHCP">Pre-SEND SEND-ready</p>'
        "<th><b>SEND</b><br>EHCP</th>"
        '<span role="img" aria-label="x">SCIP<img alt="SCIP"></span>'
        '<a href="#"><h3>SEND</h3> EHCP</a>'
        "<p>SENDs, then EHCP and SCIP</p><p>EHCP SEND SCIP</p>"
    )
    assert explain_terms(html, TERMS, mark) == (
        '<p title="SEND and EHCP">Pre-SEND SEND-ready</p>'
        "<th><b>SEND</b><br>EHCP</th>"
        '<span role="img" aria-label="x">SCIP<img alt="SCIP"></span>'
        '<a href="#"><h3>SEND</h3> EHCP</a>'
        "<p>[SENDs=SEND], then [EHCP=EHCP] and [SCIP=SCIP]</p><p>EHCP SEND SCIP</p>"
    )


def test_explain_terms_stops_at_an_unclosed_left_alone_element_or_tag():
    assert explain_terms("<p>EHCP</p><pre>SEND <p>SCIP</p>", TERMS, mark) == "<p>[EHCP=EHCP]</p><pre>SEND <p>SCIP</p>"
    assert explain_terms("<p>EHCP</p><SEND", TERMS, mark) == "<p>[EHCP=EHCP]</p><SEND"


def test_glossary_terms_are_explained_at_first_use_on_a_built_page_but_not_in_headings(site):
    soup = pages(site)["workstreams/participation/index.html"]
    article = soup.select_one("article")
    explained = article.select(".cp-term")
    assert explained, "the participation page uses SEND and other terms"
    first = explained[0]
    assert first.get_text() == "(Special educational needs and disability)"
    assert first.a["href"] == "../../glossary/#send"
    assert not article.select("h1 .cp-term, h2 .cp-term, h3 .cp-term, caption .cp-term, a .cp-term")
    assert len([t for t in explained if "Special educational needs" in words(t)]) == 1
    glossary_ids = {dt["id"] for dt in pages(site)["glossary/index.html"].select("dl.cp-glossary dt")}
    for term in explained:
        assert term.a["href"].split("#")[1] in glossary_ids
    assert not pages(site)["glossary/index.html"].select(".cp-term")
