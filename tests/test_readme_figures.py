"""Every example in the README's figures cookbook, checked: each YAML block goes into a small plan,
the check runs, and what the block says the site shows (`# gives:`) and the check says (`# warns:`)
must be exactly what happens."""

from __future__ import annotations

import re
import shutil

import pytest

from clearplan.checks.check import check_plan
from clearplan.site.render import PlanView
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COOKBOOK = README[README.index("### Figures and tables of figures: how do I enter") : README.index("### Facts (`data/facts.yaml`)")]
EXAMPLES = re.findall(r"```yaml\n(.*?)```", COOKBOOK, re.S)
PLAN = ROOT / "tests" / "plans" / "every-construct" / "data" / "plan.yaml"
WORKSTREAM = "id: early-help\nnumber: 1\ntitle: Early help\nsummary: Help families sooner.\n"
GIVES = re.compile(r"^# gives: (\S+) = (.+?)(?: \((.*)\))?$", re.M)
WARNS = re.compile(r"^# warns: (.+)$", re.M)


def test_the_cookbook_has_an_example_for_each_construct():
    assert len(EXAMPLES) == 11
    assert all(GIVES.search(example) or WARNS.search(example) for example in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{n + 1}" for n in range(len(EXAMPLES))])
def test_cookbook_example(example, tmp_path):
    data = tmp_path / "data"
    (data / "workstreams").mkdir(parents=True)
    shutil.copy(PLAN, data / "plan.yaml")
    target = example.splitlines()[0]
    assert target in ("# finance.yaml", "# workstreams/01-early-help.yaml"), target
    finance = "summary: Money.\n" + (example if target == "# finance.yaml" else "")
    (data / "finance.yaml").write_text(finance, encoding="utf-8")
    (data / "workstreams" / "01-early-help.yaml").write_text(WORKSTREAM + (example if target != "# finance.yaml" else ""), encoding="utf-8")
    loaded = check_plan(data)
    assert loaded.data is not None and not loaded.problems.errors, [str(p) for p in loaded.problems.items]
    book = PlanView(loaded.data).figure_book
    for figure_id, shown, working in GIVES.findall(example):
        assert (figure_id, book.shown(figure_id)) == (figure_id, shown)
        if working:
            assert book.working(figure_id) == working
    warned = [p.message for p in loaded.problems.warnings if "Easy Read" not in p.message]
    expected = WARNS.findall(example)
    assert len(warned) == len(expected), warned
    for text in expected:
        assert any(text in message for message in warned), (text, warned)
