"""clearplan as a council installs it: the wheel built from this tree, installed into a fresh virtual
environment, starts a plan in a folder of its own, checks it and builds its site, with nothing
read from the repository. The site is the one the repository's own install builds from that folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_site


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def wheel_install(tmp_path_factory) -> Path:
    """A fresh virtual environment holding the wheel; its dependencies are this run's locked ones."""
    tmp = tmp_path_factory.mktemp("wheel")
    # Built from a copy of the sources: a build writes build/ and *.egg-info beside them.
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("src", "macros", "schema"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp / "dist"), str(source)],
        tmp,
        dict(os.environ),
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp / "dist").glob("clearplan-*.whl")
    environment = tmp / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    purelib = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp, dict(os.environ)).stdout.strip())
    # The locked dependencies: this environment's packages, after the new environment's own. A path
    # in a .pth file runs none of that folder's .pth files, so the repository's editable clearplan stays out.
    (purelib / "locked-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    installed = run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", str(wheel)], tmp, dict(os.environ)
    )
    assert installed.returncode == 0, installed.stderr
    return environment


def test_the_installed_wheel_starts_checks_and_builds_a_plan_folder(wheel_install, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # both builds date the sitemap alike
    bin_dir = wheel_install / "bin"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
        "PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin",
        "NO_MKDOCS_2_WARNING": "1",
    }
    where = run(
        [str(bin_dir / "python"), "-c", "import clearplan, clearplan.macros; print(clearplan.__file__); print(clearplan.macros.__file__)"],
        tmp_path,
        env,
    )
    assert where.returncode == 0, where.stderr
    assert all(Path(line).is_relative_to(wheel_install) for line in where.stdout.splitlines()), where.stdout

    started = run([str(bin_dir / "clearplan"), "new", "plan", "my-plan"], tmp_path, env)
    assert started.returncode == 0, started.stderr
    folder = tmp_path / "my-plan"
    assert sorted(p.name for p in folder.iterdir()) == ["data", "docs", "mkdocs.yml"]
    # Each data file names the schema the installed package ships, and the editor finds it there.
    first = (folder / "data" / "plan.yaml").read_text(encoding="utf-8").splitlines()[0]
    schema = (folder / "data" / first.removeprefix("# yaml-language-server: $schema=")).resolve()
    assert schema.name == "plan.schema.json" and schema.is_file() and schema.is_relative_to(wheel_install.resolve())

    checked = run([str(bin_dir / "clearplan"), "check", "--data", "my-plan/data"], tmp_path, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stderr.splitlines()[-1].startswith("0 errors, ")

    built = run([str(bin_dir / "python"), "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")], folder, env)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    for page in ("index.html", "workstreams/index.html", "measures/index.html", "risks/index.html", "about/index.html"):
        assert (site / page).is_file(), page
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one("article h1").get_text(" ", strip=True) == "Write the plan's title here."
    # clearplan's theme came from the wheel: its stylesheet and the English language partial.
    assert home.html["lang"] == "en-GB"
    assert (site / "assets" / "stylesheets" / "clearplan.css").is_file()

    # The same folder built by the repository's own install gives the same site, byte for byte.
    repository_site = tmp_path / "repository-site"
    assert build_site(folder / "mkdocs.yml", repository_site).returncode == 0
    wheel_files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert wheel_files == sorted(p.relative_to(repository_site).as_posix() for p in repository_site.rglob("*") if p.is_file())
    assert [f for f in wheel_files if (site / f).read_bytes() != (repository_site / f).read_bytes()] == []
