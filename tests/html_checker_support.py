"""The Nu HTML Checker (npm vnu-jar, installed by `make validators` with npm ci from
tests/validators/package-lock.json), run with Java on built pages."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import ROOT

VNU = ROOT / "tests" / "validators" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def html_errors(site: Path, pages: list[Path]) -> list[str]:
    """Every error the checker finds in `pages`, as "path:line: message" with the path under `site`."""
    assert VNU.is_file(), f"the Nu HTML Checker is not installed: run `make validators` ({VNU})"
    assert pages, "no pages to check"
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)], capture_output=True, text=True, timeout=600
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [f"{m['url'].rpartition(str(site))[2]}:{m.get('lastLine')}: {m['message']}" for m in report["messages"]]
    assert errors or result.returncode == 0, result.stderr[-2000:]
    return errors
