"""Plan data never becomes code (issue 12): text with Jinja, HTML, attr_list and shell payloads in
the fields that once reached a template engine, a theme partial or Markdown unescaped is shown
literally on the built site. One build of a copy of the Cambridgeshire example carries every payload."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_site

# Each payload starts with its own marker, so a test can find where a field's text landed.
JINJA = "{{ 7*7 }} {{ lipsum.__globals__.os.popen(dict(id=1)|first).read() }} {# {% raw %}"
HTML = "<img src=x onerror=alert(1)> </title><script>alert(1)</script>"
ATTR_LIST = "{: tabindex=0 autofocus onfocus=alert(1) }"
WORKSTREAM_TITLE = f'Wstitle {JINJA} {HTML} Parents\' "forum" & co 🎉 {ATTR_LIST}'
EASY_READ_TITLE = f"Ertitle {JINJA} {HTML} {ATTR_LIST}"
GROUP_TITLE = f"Grouptitle Parents' and carers' forum {HTML} {ATTR_LIST}"
LIKELIHOOD_LABEL = f"likelihood {HTML} {ATTR_LIST}"
# A file name a pull request could add: a quote would end the edit link's href attribute.
WORKSTREAM_FILE = '01-x" onmouseover="alert(1).yaml'
FEEDBACK_URL = "https://example.org/feedback?plan=send&from=site"
EVALUATED = ("49", "uid=")  # what {{ 7*7 }} and the shell command `id` print


def yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The Cambridgeshire example with a payload in each field; its site, built with --strict."""
    tmp = tmp_path_factory.mktemp("injection")
    project = tmp / "examples" / "hostile"
    shutil.copytree(ROOT / "examples" / "cambridgeshire", project)
    data = project / "data"
    workstream = data / "workstreams" / "01-changing-the-conversation.yaml"
    replace_once(workstream, "title: Changing the Conversation\n", f"title: {yaml_string(WORKSTREAM_TITLE)}\n")
    replace_once(workstream, "easy_read:\n  title: Changing the Conversation\n", f"easy_read:\n  title: {yaml_string(EASY_READ_TITLE)}\n")
    with workstream.open("a", encoding="utf-8") as stream:
        stream.write(
            f"activity_groups:\n  - title: {yaml_string(GROUP_TITLE)}\n    activities:\n      - id: forum-01\n        text: Meet the forum.\n"
        )
    workstream.rename(workstream.with_name(WORKSTREAM_FILE))
    replace_once(data / "plan.yaml", "likelihood_label: probability", f"likelihood_label: {yaml_string(LIKELIHOOD_LABEL)}")
    replace_once(
        project / "mkdocs.yml",
        "docs_dir: docs\n",
        "docs_dir: docs\nrepo_url: https://github.com/example/plan\nedit_uri: edit/main/docs/\n"
        f"extra:\n  feedback:\n    url: {yaml_string(FEEDBACK_URL)}\n",
    )
    replace_once(project / "mkdocs.yml", "    - search.highlight\n", "    - search.highlight\n    - content.action.edit\n")
    site = tmp / "site"
    result = build_site(project / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    return site


def pages(site: Path) -> dict[str, BeautifulSoup]:
    return {str(path.relative_to(site)): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser") for path in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def parsed(hostile_site) -> dict[str, BeautifulSoup]:
    return pages(hostile_site)


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


WORKSTREAM_PAGE = "workstreams/changing-the-conversation/index.html"
EASY_READ_PAGE = "easy-read/workstreams/changing-the-conversation/index.html"
WORKSTREAM_LABEL = f"Workstream 1: {WORKSTREAM_TITLE}"


def test_jinja_in_plan_text_is_shown_not_run(parsed):
    page = parsed[WORKSTREAM_PAGE]
    assert text_of(page.h1) == WORKSTREAM_LABEL
    assert text_of(page.title) == f"{WORKSTREAM_LABEL} - Cambridgeshire SEND Transformation Programme"
    assert text_of(page.select_one(".md-header__topic[data-md-component=header-topic]")) == WORKSTREAM_LABEL
    # Every page's navigation names the workstream as written.
    for name, soup in parsed.items():
        if soup.select(".md-nav--primary"):
            links = [text_of(a) for a in soup.select(".md-nav--primary a.md-nav__link")]
            assert WORKSTREAM_LABEL in links, name
        text = soup.get_text(" ")
        for marker in ("Wstitle", "Ertitle"):
            assert f"{marker} 49" not in text and "uid=" not in text, name


def test_html_and_attr_list_in_plan_text_make_no_elements_or_attributes(parsed):
    for name, soup in parsed.items():
        assert not soup.select('img[src="x"]'), name
        assert not [s for s in soup.find_all("script") if "alert(1)" in s.get_text()], name
        for element in soup.find_all(True):
            injected = [a for a in element.attrs if a.startswith("on") or a == "autofocus"]
            assert not injected, (name, element.name, injected)
    risks = parsed["risks/index.html"]
    heading = next(h for h in risks.find_all("h2") if text_of(h).startswith("Risks by"))
    assert text_of(heading) == f"Risks by {LIKELIHOOD_LABEL} and impact"
    assert set(heading.attrs) == {"id"}


def test_group_titles_show_as_written_in_the_page_and_its_contents(parsed):
    page = parsed[WORKSTREAM_PAGE]
    assert GROUP_TITLE in [text_of(h) for h in page.find_all("h3")]
    contents = [text_of(a) for a in page.select(".md-nav--secondary a")]
    assert GROUP_TITLE in contents
    assert not [text for text in contents if "&#" in text or "&amp;" in text]


def test_an_emoji_in_a_title_shows_as_itself(parsed):
    page = parsed[WORKSTREAM_PAGE]
    assert "🎉" in text_of(page.h1)
    assert not [h for h in page.find_all(["h1", "h2"]) if text_of(h).startswith("title:")]


def test_easy_read_title_is_text_in_the_header_and_the_search_index(parsed, hostile_site):
    page = parsed[EASY_READ_PAGE]
    title = f"Easy Read: {EASY_READ_TITLE}"
    assert text_of(page.select_one(".md-header__topic[data-md-component=header-topic]")) == title
    assert text_of(page.h1) == EASY_READ_TITLE
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [e for e in index["docs"] if e["location"].startswith("easy-read/workstreams/changing-the-conversation/")]
    assert entries
    for entry in entries:
        shown = BeautifulSoup(entry["title"], "html.parser")  # the search shows titles as HTML
        assert not shown.find_all(True), entry["title"]
    assert title in [text_of(BeautifulSoup(e["title"], "html.parser")) for e in entries]


def test_the_edit_link_quotes_the_file_name(parsed):
    link = parsed[WORKSTREAM_PAGE].select_one("a[rel=edit]")
    assert set(link.attrs) == {"href", "title", "class", "rel"}
    assert unquote(link["href"]) == "https://github.com/example/plan/edit/main/data/workstreams/" + WORKSTREAM_FILE


def test_the_feedback_link_keeps_its_address(parsed):
    link = parsed[WORKSTREAM_PAGE].select_one(".cp-feedback a")
    assert link["href"].startswith(FEEDBACK_URL + "&page=")
    assert unquote(link["href"].removeprefix(FEEDBACK_URL + "&page=")) == WORKSTREAM_LABEL


def test_template_sources_are_not_published(hostile_site):
    assert (hostile_site / "feed.xml").is_file()
    assert not (hostile_site / "clearplan").exists()


def test_the_check_refuses_an_email_with_more_than_an_address(tmp_path, capsys):
    from diff_support import apply_edits, copy_data

    from clearplan.cli.cli import main

    data = apply_edits(
        copy_data(tmp_path / "data"),
        [
            (
                "plan.yaml",
                "  email: ashley.whittaker@achievingforchildren.org.uk\n",
                "  email: 'x@example.org?body=\"><img src=x onerror=alert(1)>'\n",
            ),
            ("accessibility.yaml", "  email: ashley.whittaker@achievingforchildren.org.uk\n", "  email: javascript:alert(1)\n"),
        ],
    )
    assert main(["check", "--data", str(data)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{data}/plan.yaml:38:10: error: contact.email: 'x@example.org?body=\"><img src=x onerror=alert(1)>' "
        "is not an email address; write the address alone, like name@example.org"
    ) in out
    assert f"{data}/accessibility.yaml:40:10: error: contact.email: 'javascript:alert(1)' is not an email address" in out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        'https://example.org/"><script>',
        "example.org/page",
        "https:///page",
        "http://[example.org/",
    ],
)
def test_a_web_address_must_be_http_or_https_and_whole(address):
    from clearplan.plan.model import check_web_address

    with pytest.raises(ValueError, match="is not a web address; write it in full"):
        check_web_address(address)


def test_a_whole_web_address_is_accepted():
    from clearplan.plan.model import check_web_address

    assert check_web_address(FEEDBACK_URL) == FEEDBACK_URL


def test_the_picture_manifest_refuses_a_script_link_at_its_line(tmp_path):
    from clearplan.checks.easy_read import PICTURES_DIR, load_pictures

    pictures = tmp_path / "pictures"
    shutil.copytree(PICTURES_DIR, pictures)
    replace_once(pictures / "manifest.yaml", "    url: https://openmoji.org/\n", "    url: javascript:alert(1)\n")
    problems = load_pictures(pictures).problems.items
    assert [(p.field, p.line) for p in problems] == [("sets[0].url", 7)]
    assert "'javascript:alert(1)' is not a web address" in problems[0].message
