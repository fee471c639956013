"""The one map of sections (clearplan.plan.sections) agrees with both bundled sites: the print pack has
exactly the site's pages that have a print section, and "Edit this page" on every page opens the
YAML behind it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clearplan.outputs.print_pack import plan_document
from clearplan.site.render import TEMPLATE_PACKAGE_DIR, PlanView, Renderer
from clearplan.plan.sections import SECTIONS, docs_pages
from conftest import build_site

SECTIONS_BY_PAGE = {section.page: section for section in SECTIONS}
PLANS = {"kingston": Path("."), "cambridgeshire": Path("examples/cambridgeshire")}


def built_pages(site: Path) -> dict[str, str]:
    """Each content page of a built site, by address ('' for home, 'risks/'), with its heading."""
    pages = {}
    for html in site.rglob("index.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.md-content__inner")
        if article is None or article.h1 is None:
            continue
        address = html.parent.relative_to(site).as_posix()
        pages["" if address == "." else address + "/"] = article.h1.get_text(" ", strip=True)
    return pages


def printed(plan: str, root: Path, loaded) -> list[tuple[str, str]]:
    """The whole-plan pack's parts: (section id, title) in print order."""
    renderer = Renderer(PlanView(loaded.data, loaded.files), [root / "overrides" / "clearplan"])
    return plan_document(renderer, root / PLANS[plan] / "docs").contents


def site_id(address: str) -> str:
    return address.strip("/").replace("/", "-") or "home"


def prints(address: str) -> bool:
    """Whether the sections map gives a built page's address a print section."""
    if re.fullmatch(r"workstreams/[^/]+/", address):
        return True
    return any(section.site_path == address and section.prints for section in SECTIONS)


@pytest.mark.parametrize("plan", list(PLANS))
def test_print_pack_has_exactly_the_site_pages_with_print_sections(request, root, plan):
    loaded = request.getfixturevalue(plan)
    site = request.getfixturevalue("site" if plan == "kingston" else "cambridgeshire_site")
    pages = built_pages(site)
    contents = printed(plan, root, loaded)
    expected = [site_id(address) for address in pages if prints(address)]
    assert sorted(section_id for section_id, _ in contents) == sorted(expected)
    # Each part has the title its site page shows.
    for section_id, title in contents:
        address = next(a for a in pages if site_id(a) == section_id)
        assert title == pages[address], section_id


def test_cambridgeshire_pack_prints_its_own_pages_not_measures(root, cambridgeshire, cambridgeshire_site):
    ids = [section_id for section_id, _ in printed("cambridgeshire", root, cambridgeshire)]
    assert "measures" not in ids and "measures/" not in built_pages(cambridgeshire_site)
    # In the site's order: money, then the programme plan, milestones and equality impact.
    assert ids.index("finance") < ids.index("programme-plan") < ids.index("milestones") < ids.index("equality") < ids.index("figures-check")


@pytest.mark.parametrize("plan", list(PLANS))
def test_every_page_under_docs_is_a_section_calling_its_template(root, plan):
    docs = root / PLANS[plan] / "docs"
    for page in docs_pages(docs):
        assert page in SECTIONS_BY_PAGE, f"{page} is not in clearplan.plan.sections.SECTIONS"
        source = (docs / page).read_text(encoding="utf-8")
        assert f'clearplan_page("{SECTIONS_BY_PAGE[page].template}")' in source, page


def test_every_section_template_exists():
    for section in SECTIONS:
        assert (TEMPLATE_PACKAGE_DIR / "pages" / f"{section.template}.md").is_file(), section.page


REPO = "https://github.com/example/cambridgeshire-send"


@pytest.fixture(scope="module")
def cambridgeshire_with_edit_links(root, tmp_path_factory) -> Path:
    """The Cambridgeshire site built with a repository named, so every page has "Edit this page"."""
    example = root / "examples" / "cambridgeshire"
    config = (example / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs", f"docs_dir: {example / 'docs'}\nrepo_url: {REPO}\nedit_uri: edit/main/docs/")
    config = config.replace("    - search.highlight\n", "    - search.highlight\n    - content.action.edit\n")
    config = config.replace("data_dir: data", f"data_dir: {example / 'data'}")
    work = tmp_path_factory.mktemp("cambridgeshire-edit")
    (work / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build_site(work / "mkdocs.yml", work / "site")
    assert result.returncode == 0, result.stderr
    return work / "site"


@pytest.mark.parametrize(
    "address, data_file",
    [
        ("equality/", "edit/main/data/equality.yaml"),
        ("milestones/", "edit/main/data/programme.yaml"),
        ("programme-plan/", "edit/main/data/programme.yaml"),
        ("risks/", "edit/main/data/risks.yaml"),
        ("workstreams/tuition/", "edit/main/data/workstreams/04-tuition.yaml"),
    ],
)
def test_cambridgeshire_edit_links_open_the_yaml(cambridgeshire_with_edit_links, address, data_file):
    soup = BeautifulSoup((cambridgeshire_with_edit_links / address / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = soup.select_one("a[rel=edit]")
    assert link is not None and link["href"] == f"{REPO}/{data_file}"


def test_every_cambridgeshire_page_edits_an_existing_data_file(root, cambridgeshire_with_edit_links):
    example = root / "examples" / "cambridgeshire"
    for html in cambridgeshire_with_edit_links.rglob("index.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one("article.md-content__inner") is None:
            continue
        link = soup.select_one("a[rel=edit]")
        assert link is not None, html
        target = link["href"].split("/main/", 1)[1]
        assert "/docs/" not in target and not target.endswith(".md"), (html, target)
        assert (example / "data" / target.split("data/", 1)[1]).exists(), (html, target)


def test_every_check_a_section_names_is_a_registered_rule():
    from clearplan.checks.section_checks import RULES

    named = {name for section in SECTIONS for name in section.checks}
    assert named <= RULES.keys(), named - RULES.keys()
    # Every rule belongs to a section but those that read every file, and the tags (generated pages).
    assert RULES.keys() - named == {"placeholder text", "easy read", "tags"}


def test_a_sections_downloads_folder_holds_the_tables_its_page_publishes(site):
    # The Risks page publishes its risk register tables as CSV and JSON in its downloads folder.
    risks = SECTIONS_BY_PAGE["risks.md"]
    assert risks.downloads == "data/risks/"
    published = sorted(path.name for path in (site / risks.downloads).iterdir())
    assert published and all(name.endswith((".csv", ".json")) for name in published)
    assert {"risks-1.csv", "risks-1.json"} <= set(published)
