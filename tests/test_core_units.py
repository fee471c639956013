"""Quick tests of the core's small functions, called directly on literal inputs: the escaping
helpers, the model's field checks, the Easy Read lint's parts and the figures' expressions. They
are what `make mutation` tries most mutants on, so each runs in milliseconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearplan.outputs.cells import csv_original, csv_text
from clearplan.site.edit_links import edit_url, page_data_files

# --- Escaping: "Edit this page" links ---------------------------------------------------------


def test_edit_url_reaches_the_data_file_from_docs():
    assert edit_url("https://github.com/council/plan", "edit/main/docs/", Path("/site/docs"), Path("/site/data"),
                    "plan.yaml") == "https://github.com/council/plan/edit/main/data/plan.yaml"


def test_edit_url_opens_a_folder_in_the_browse_view():
    assert edit_url("https://github.com/council/plan/", "edit/main/docs/", Path("/site/docs"), Path("/site/data"),
                    "workstreams/") == "https://github.com/council/plan/tree/main/data/workstreams/"


def test_edit_url_changes_only_the_first_edit_of_a_folder_link():
    assert edit_url("https://example.org/r", "edit/edit/docs/", Path("/s/docs"), Path("/s/data"),
                    "workstreams/") == "https://example.org/r/tree/edit/data/workstreams/"


def test_edit_url_without_a_closing_slash_on_edit_uri():
    assert edit_url("https://example.org/r", "edit/main/docs", Path("/s/docs"), Path("/s/data"),
                    "plan.yaml") == "https://example.org/r/edit/main/data/plan.yaml"


def test_edit_url_percent_encodes_a_file_name():
    assert edit_url("https://example.org/r", "edit/main/docs/", Path("/s/docs"), Path("/s/data"),
                    'a "b"<c>.yaml') == "https://example.org/r/edit/main/data/a%20%22b%22%3Cc%3E.yaml"


def test_edit_url_from_an_example_plan_below_the_docs():
    assert edit_url("https://example.org/r", "edit/main/examples/x/docs/", Path("/s/examples/x/docs"),
                    Path("/s/examples/x/data"), "finance.yaml") == "https://example.org/r/edit/main/examples/x/data/finance.yaml"


def test_page_data_files_names_each_page_its_file():
    data = Path("/plan/data")
    pages = page_data_files(data, ["/plan/data/plan.yaml", "/plan/data/risks.yaml", "/plan/data/finance.yaml"],
                            {"ws1": "/plan/data/workstreams/ws1-early.yaml"},
                            {"easy-read/ws1.md": "/plan/data/workstreams/ws1-early.yaml"})
    assert pages == {
        "index.md": "plan.yaml", "dashboard.md": "workstreams/", "workstreams/index.md": "workstreams/",
        "measures.md": "workstreams/", "risks.md": "risks.yaml", "you-said.md": "you-said.yaml",
        "finance.md": "finance.yaml", "programme-plan.md": "programme.yaml", "milestones.md": "programme.yaml",
        "equality.md": "equality.yaml", "figures-check.md": "finance.yaml", "what-changed.md": "plan.yaml",
        "glossary.md": "glossary.yaml", "about.md": "plan.yaml", "accessibility.md": "accessibility.yaml",
        "workstreams/ws1.md": "workstreams/ws1-early.yaml",
        "easy-read/dashboard.md": "workstreams/", "easy-read/you-said.md": "you-said.yaml",
        "easy-read/ws1.md": "workstreams/ws1-early.yaml",
    }


def test_page_data_files_takes_the_first_file_the_plan_has():
    # risks.md reads risks.yaml, then the workstreams: a plan without risks.yaml edits the folder.
    pages = page_data_files(Path("/plan/data"), ["/plan/data/plan.yaml"], {}, {})
    assert pages["risks.md"] == "workstreams/"
    assert pages["index.md"] == "plan.yaml"


# --- Escaping: spreadsheet cells --------------------------------------------------------------


@pytest.mark.parametrize("text, written", [
    ("=1+1", "'=1+1"), ("+x", "'+x"), ("-x", "'-x"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("-19.25", "-19.25"), ("+5", "+5"), ("12", "12"), ("-1.", "'-1."), ("--1", "'--1"), ("-1.5.5", "'-1.5.5"),
    ("'=x", "''=x"), ("''+1a", "'''+1a"), ("'plain", "'plain"), ("plain", "plain"), ("", ""), ("a=b", "a=b"),
])
def test_csv_text_marks_exactly_the_text_a_spreadsheet_would_run(text, written):
    assert csv_text(text) == written
    assert csv_original(written) == text
