"""Published versions: `make publish` run twice in a throwaway git repository (never pushed), then
the gh-pages branch served and read in chromium as a reader would use it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from browser_support import serve
from clearplan.outputs.print_pack import kilobytes

PROJECT_FILES = ["mkdocs.yml", "Makefile", "pyproject.toml", "requirements.lock", "docs", "data", "overrides", "src", "macros", "schema"]
PUBLISHED_AT = "https://send-plan.example.org/"
LOCAL_OFFER = "https://www.kingston.gov.uk/localoffer"
KEEP_VENV = ["-o", ".venv/.installed"]


def run(command: list[str], cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "NO_MKDOCS_2_WARNING": "1",
    }
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="session")
def published(tmp_path_factory, root):
    """Two versions published with `make publish`; yields the served gh-pages branch and facts."""
    repo = tmp_path_factory.mktemp("publish-repo")
    for name in PROJECT_FILES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, repo / name)
    # The venv is shared with the test run: make is told (-o) never to remake its install stamp, so
    # `make publish` cannot reinstall into it, whatever the files' times.
    (repo / ".venv").symlink_to(root / ".venv")
    # A council sets site_url to where it publishes (README); Material's selector needs the sitemap
    # it makes to stay on the same page. Here the address is a made-up one, not the test server's.
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(f"site_url: {PUBLISHED_AT}\n{config}", encoding="utf-8")
    (repo / ".gitignore").write_text(".venv\nbuild/\nsite/\n", encoding="utf-8")
    run(["git", "init", "-q", "-b", "main"], repo)
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-q", "-m", "July 2020 draft"], repo)
    installed = (root / ".venv" / ".installed").stat().st_mtime_ns
    run(["make", *KEEP_VENV, "publish", "VERSION=2020-07", "TITLE=July 2020 draft"], repo)
    first_tree = run(["git", "rev-parse", "gh-pages:2020-07"], repo).strip()

    edit(repo / "data" / "plan.yaml", "label: July 2020 draft\n  date: 2020-07-01", "label: January 2021 update\n  date: 2021-01-15")
    edit(
        repo / "data" / "workstreams" / "01-participation.yaml",
        "including the new Parent Carer Forum.",
        f"including the new Parent Carer Forum and the [Local Offer]({LOCAL_OFFER}).",
    )
    run(["git", "commit", "-q", "-am", "January 2021 update"], repo)
    run(["make", *KEEP_VENV, "publish", "VERSION=2021-01"], repo)

    assert (root / ".venv" / ".installed").stat().st_mtime_ns == installed, "make publish reinstalled the shared venv"
    served = tmp_path_factory.mktemp("gh-pages")
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(served)], input=archive, check=True)
    with serve(served) as url:
        yield {"repo": repo, "served": served, "url": url, "first_tree": first_tree}


def test_publishing_keeps_the_older_version_and_moves_latest(published):
    repo, served = published["repo"], published["served"]
    assert run(["git", "rev-parse", "gh-pages:2020-07"], repo).strip() == published["first_tree"], "2020-07 was touched"
    versions = json.loads((served / "versions.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["title"], v["aliases"]) for v in versions] == [("2021-01", "2021-01", ["latest"]), ("2020-07", "July 2020 draft", [])]
    for version in ("latest", "2021-01"):
        assert "January 2021 update" in (served / version / "index.html").read_text(encoding="utf-8"), version
    assert "July 2020 draft" in (served / "2020-07" / "index.html").read_text(encoding="utf-8")
    assert run(["git", "branch", "--list"], repo).split() == ["gh-pages", "*", "main"]
    assert run(["git", "remote"], repo).strip() == "", "nothing to push to"


def open_page(browser, url: str):
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector(".md-version__current")  # Material draws the selector from versions.json
    return page


def test_both_versions_are_served_with_a_selector_listing_both(browser, published):
    for version, label in (("2020-07", "July 2020 draft"), ("2021-01", "January 2021 update")):
        page = open_page(browser, f"{published['url']}{version}/")
        try:
            assert label in page.locator("article").inner_text()
            items = page.locator(".md-version__list .md-version__link").all_inner_texts()
            assert [item.strip() for item in items] == ["2021-01", "July 2020 draft"]
        finally:
            page.close()
    root = browser.new_page()
    try:
        root.goto(published["url"])
        root.wait_for_url(re.compile(r"/latest/$"))
    finally:
        root.close()


def test_the_selector_opens_the_same_page_in_the_other_version(browser, published):
    page = open_page(browser, f"{published['url']}2020-07/measures/")
    try:
        page.locator(".md-version__current").focus()  # the list opens on focus, as for a keyboard user
        page.locator(".md-version__link", has_text="2021-01").click(force=True)
        page.wait_for_url(re.compile(r"/2021-01/measures/$"))
        assert page.locator("h1").first.inner_text() == "Measures"
    finally:
        page.close()


def test_the_older_version_shows_a_banner_linking_to_the_latest(browser, published):
    old = open_page(browser, f"{published['url']}2020-07/risks/")
    try:
        banner = old.locator(".md-banner--warning")
        banner.wait_for(state="visible")
        assert "older version" in banner.inner_text()
        banner.get_by_role("link", name="Read the latest version").click()
        old.wait_for_url(re.compile(r"/(latest|2021-01)/$"))
    finally:
        old.close()
    new = open_page(browser, f"{published['url']}2021-01/risks/")
    try:
        assert new.locator(".md-banner--warning").is_hidden()  # hidden, or not there at all
    finally:
        new.close()


def test_home_page_links_the_print_pack_with_its_size(browser, published):
    page = open_page(browser, f"{published['url']}2021-01/")
    try:
        link = page.get_by_role("link", name=re.compile(r"The whole plan to print \(PDF, [\d,]+ KB\)"))
        href = link.get_attribute("href")
        size = int(re.search(r"([\d,]+) KB", link.inner_text()).group(1).replace(",", ""))
    finally:
        page.close()
    with urllib.request.urlopen(f"{published['url']}2021-01/{href}") as response:
        body = response.read()
    assert body.startswith(b"%PDF") and kilobytes(len(body)) == size


def test_a_web_page_prints_without_navigation_and_with_link_addresses(browser, published):
    page = open_page(browser, f"{published['url']}2021-01/workstreams/participation/")
    try:
        page.emulate_media(media="print")
        for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
            assert not page.locator(chrome).first.is_visible(), chrome
        link = page.locator(f"article a[href='{LOCAL_OFFER}']")
        after = link.evaluate("a => getComputedStyle(a, '::after').content")
        assert LOCAL_OFFER in after
        assert page.locator("h1").first.is_visible()
    finally:
        page.close()
