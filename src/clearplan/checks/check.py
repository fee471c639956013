"""The check: every rule a plan must meet beyond its shape, reported as Problems."""

from __future__ import annotations

from pathlib import Path

from ..plan.loading import LoadedPlan, load_plan
from .easy_read import PICTURES_DIR
from .section_checks import RULES, Checked


def check_plan(data_dir: Path | str, pictures_dir: Path | str = PICTURES_DIR) -> LoadedPlan:
    """Load, validate and check a plan; the returned problems hold everything found.
    `pictures_dir` holds the Easy Read pictures and their manifest."""
    loaded = load_plan(data_dir)
    if loaded.data is None:
        return loaded
    checked = Checked(loaded, Path(data_dir), Path(pictures_dir))
    for run in RULES.values():
        run(checked)
    return loaded
