"""A changed copy of the bundled plan data, for tests of `clearplan diff` and the What changed page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each edit is (file under data/, text before, text after); together they make one change of each kind.
EDITS = [
    (
        "workstreams/01-participation.yaml",
        "      - id: ws1-01\n        text: Lead the design of how participation, engagement and co-production work across all workstreams.\n        lead: Programme Director AfC\n",
        "      - id: ws1-01\n        text: Lead the design of how participation, engagement and co-production work across all workstreams.\n        lead: Head of Participation AfC\n        status: in_progress\n        due: 2021-09\n",
    ),
    ("workstreams/01-participation.yaml", "      - id: ws1-03\n", "      - id: ws1-99\n"),  # one removed, one added
    (
        "workstreams/01-participation.yaml",
        "is good or better\n    target: {kind: percent, value: 75}\n",
        "is good or better\n    target: {kind: percent, value: 80}\n",
    ),
    (
        "workstreams/01-participation.yaml",
        "    rating:\n      level: Moderate\n",
        "    rating:\n      level: High\n  - id: ws1-r99\n    title: Families stop coming to meetings.\n    impact: Plans are made without them.\n"
        "    strategy: mitigate\n    rating:\n      level: Low\n",
    ),
    ("finance.yaml", "      income: 20.59\n", "      income: 21.00\n"),
]


def copy_data(target: Path) -> Path:
    shutil.copytree(ROOT / "data", target)
    return target


def apply_edits(data_dir: Path, edits=EDITS) -> Path:
    for name, before, after in edits:
        path = data_dir / name
        text = path.read_text(encoding="utf-8")
        assert text.count(before) == 1, (name, before)
        path.write_text(text.replace(before, after), encoding="utf-8")
    return data_dir


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], capture_output=True, text=True, check=True
    )
    return result.stdout


def site_repo(target: Path) -> Path:
    """A git repository holding a copy of the site's sources, with the bundled data tagged `v1`."""
    target.mkdir()
    for name in ("mkdocs.yml", "docs", "overrides", "data"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "First published version")
    git(target, "tag", "v1")
    return target
