"""The README's cookbook ("How do I enter …"): every example goes into a copy of the test plan
tests/plans/report as its first line says, and the plan must then check without errors and hold
what the example wrote."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml

from clearplan.figures import compute
from clearplan.checks.check import check_plan
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COOKBOOK = README[README.index("### Cookbook: how do I enter …") : README.index("### Worked example: adding an activity")]
EXAMPLES = re.findall(r"```yaml\n# file: (\S+)\n(.*?)```", COOKBOOK, re.S)
PLAN = ROOT / "tests" / "plans" / "report" / "data"


def test_every_cookbook_entry_has_an_example():
    questions = re.findall(r"^#### … (.+)$", COOKBOOK, re.M)
    assert len(questions) == 10
    assert len(EXAMPLES) == 11


@pytest.fixture
def plan_with(tmp_path):
    def apply(file: str, example: str):
        data = tmp_path / "data"
        shutil.copytree(PLAN, data)
        target = data / file
        document = yaml.safe_load(target.read_text(encoding="utf-8"))
        document.update(yaml.safe_load(example))
        target.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        loaded = check_plan(data)
        assert loaded.problems.errors == [], [str(p) for p in loaded.problems.errors]
        return loaded.data

    return apply


@pytest.mark.parametrize("file, example", EXAMPLES, ids=[f"{i}-{f}" for i, (f, _) in enumerate(EXAMPLES)])
def test_cookbook_example_checks_and_is_kept(plan_with, file, example):
    data = plan_with(file, example)
    written = yaml.safe_load(example)
    if file == "plan.yaml":
        for key, value in written.items():
            held = getattr(data.plan, key)
            dumped = (
                held.model_dump(mode="json", exclude_defaults=True)
                if hasattr(held, "model_dump")
                else [item.model_dump(mode="json", exclude_defaults=True) if hasattr(item, "model_dump") else item for item in held]
                if isinstance(held, list)
                else held
            )
            assert dumped == json.loads(json.dumps(value, default=str)), key  # YAML reads dates as dates
    elif file == "equality.yaml":
        assert data.equality.conclusion == written["conclusion"]
    else:
        workstream = data.workstreams[0]
        if "risks" in written:
            ratings = [compute.rating(r, data.plan.risk_scheme) for r in workstream.risks]
            shown = {"rating": "Likelihood High, impact Medium"} if "rating" in written["risks"][0] else {"rating": "Not rated"}
            assert ratings[0].name == shown["rating"]
        if "activity_groups" in written:
            assert [a.when.words() for a in compute.activities(workstream)] == [
                "within 12 weeks of the work starting",
                "August to March (year not stated)",
            ]
        if "measures" in written:
            assert workstream.measures[0].serves == ["early-help", "inspection-finding-1"]
