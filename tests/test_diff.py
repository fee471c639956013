"""`clearplan diff` and the changes it finds, from two directories and from git refs."""

from __future__ import annotations

import re

import pytest
from diff_support import apply_edits, copy_data, git, site_repo

from clearplan.checks.check import check_plan
from clearplan.cli.cli import main
from clearplan.editing.diff import Change, VersionError, describe, diff_plans, easy_read_sentences, load_version

WS1 = "Workstream 1: Participation, Engagement and Co-production"


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    base = tmp_path_factory.mktemp("versions")
    old = copy_data(base / "old")
    new = apply_edits(copy_data(base / "new"))
    return old, new


@pytest.fixture(scope="module")
def changes(versions):
    old, new = (check_plan(d).data for d in versions)
    return diff_plans(old, new).changes


def test_each_kind_of_change_is_found_with_old_and_new_values(changes):
    found = {(c.kind, c.area, c.item_id, c.field, c.old, c.new) for c in changes}
    assert ("changed", "activity", "ws1-01", "Lead", "Programme Director AfC", "Head of Participation AfC") in found
    assert ("changed", "activity", "ws1-01", "Status", "Planned", "In progress") in found
    assert ("changed", "activity", "ws1-01", "Due", "No date set", "September 2021") in found
    assert ("changed", "measure", "ws1-m01", "Target", "75%", "80%") in found
    assert ("changed", "risk", "ws1-r01", "Rating", "Moderate", "High") in found
    assert ("added", "risk", "ws1-r99", "Rating", None, "Low") in found
    assert ("changed", "finance", "Income, 2017/18", "Amount", "£20,590,000", "£21,000,000") in found
    added = [c for c in changes if c.kind == "added" and c.area == "activity"]
    removed = [c for c in changes if c.kind == "removed" and c.area == "activity"]
    assert [c.item_id for c in added] == ["ws1-99"] and [c.item_id for c in removed] == ["ws1-03"]
    assert removed[0].old == "Programme Director AfC; Planned; due No date set"  # its lead, status and due date in words
    assert len(changes) == 9


def test_changes_are_grouped_by_workstream_then_money(versions):
    old, new = (check_plan(d).data for d in versions)
    groups = diff_plans(old, new).groups()
    assert [name for name, _ in groups] == [WS1, "Money"]


def test_no_changes_between_identical_versions(versions):
    data = check_plan(versions[0]).data
    diff = diff_plans(data, data)
    assert not diff and diff.changes == []
    assert easy_read_sentences(diff) == ["Nothing in the plan has changed since last time."]


def test_describe_words_each_change_with_both_values():
    change = Change("changed", "activity", "ws1-01", "Lead the design", WS1, "Lead", "Programme Director AfC", "Head of Participation AfC")
    assert describe(change) == "Changed lead of activity ws1-01 (Lead the design): from Programme Director AfC to Head of Participation AfC"
    assert describe(Change("removed", "risk", "r1", "Families stop", WS1, "Rating", old="Low")) == "Removed risk r1 (Families stop): rating was Low"
    assert (
        describe(Change("added", "finance", "Income, 2025/26", "Income, 2025/26", "Money", "Amount", new="£1,000"))
        == "Added figure 'Income, 2025/26': amount £1,000"
    )


def test_easy_read_sentences_follow_the_rules(changes):
    from clearplan.editing.diff import PlanDiff

    sentences = easy_read_sentences(PlanDiff(changes))
    assert "We added 1 new thing to do." in sentences
    assert "We changed who leads 1 thing." in sentences
    assert "We found 1 new risk." in sentences
    assert "We changed some of the money figures." in sentences
    many = PlanDiff(
        [Change("added", "activity", f"a{i}", "x", WS1) for i in range(1200)] + [Change("changed", "activity", "b", "x", WS1, "Lead", "p", "q")] * 2
    )
    sentences += easy_read_sentences(many)
    assert "We added many new things to do." in sentences and "We changed who leads 2 things." in sentences
    for sentence in sentences:
        assert len(sentence.split()) <= 15, sentence
        assert not re.search(r"[%();\[\]]", sentence), sentence
        assert all(int(n.replace(",", "")) < 1000 for n in re.findall(r"\d[\d,]*", sentence)), sentence


def test_cli_lists_changes_in_plain_english_and_exits_0(versions, capsys):
    old, new = versions
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == WS1
    assert (
        "  Changed lead of activity ws1-01 (Lead the design of how participation, engagement and co-production work across all workstreams.): "
        "from Programme Director AfC to Head of Participation AfC" in out
    )
    assert "  Changed target of measure ws1-m01 (Feedback on the quality of service provision is good or better): from 75% to 80%" in out
    assert "  Changed rating of risk ws1-r01" in out and "from Moderate to High" in out
    assert "  Changed amount of figure 'Income, 2017/18': from £20,590,000 to £21,000,000" in out
    assert out.splitlines()[-1] == f"9 changes between {old} and {new}."
    assert main(["diff", str(old), str(old)]) == 0
    assert capsys.readouterr().out == f"No changes between {old} and {old}.\n"


def test_cli_reads_git_refs(tmp_path, capsys):
    repo = site_repo(tmp_path / "repo")
    apply_edits(repo / "data")
    git(repo, "commit", "-q", "-am", "Second version")
    assert main(["diff", "--repo", str(repo), "v1", "main"]) == 0
    out = capsys.readouterr().out
    assert "from Programme Director AfC to Head of Participation AfC" in out
    assert out.splitlines()[-1] == "9 changes between v1 and main."
    # A ref against a directory: the working copy's data equals main's.
    assert main(["diff", "--repo", str(repo), "main", str(repo / "data")]) == 0
    assert capsys.readouterr().out.startswith("No changes")


def test_unreadable_versions_exit_2_with_a_clear_message(versions, tmp_path, capsys):
    old, _ = versions
    repo = site_repo(tmp_path / "repo")
    broken = copy_data(tmp_path / "broken")
    (broken / "plan.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    cases = [
        (["diff", "--repo", str(repo), "no-such-tag", "main"], "'no-such-tag' is neither a directory nor a git ref"),
        (["diff", "--repo", str(repo), "--data-path", "plans", "v1", "main"], "git ref 'v1' has no 'plans' directory"),
        (["diff", str(old), str(broken)], f"the data of directory {broken} has 1 error(s)"),
        (["diff", "--repo", str(tmp_path / "nowhere"), "v1", str(old)], "'v1' is neither a directory nor a git ref"),
    ]
    for argv, message in cases:
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.startswith("clearplan diff: ") and message in captured.err, captured.err
        assert "Traceback" not in captured.err


def test_load_version_raises_version_error_not_a_traceback(tmp_path):
    with pytest.raises(VersionError, match="neither a directory nor a git ref"):
        load_version("definitely-not-here", tmp_path)
