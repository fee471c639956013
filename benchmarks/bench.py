"""`make bench`: how fast the site builds and previews, and how light its pages are, against budgets.

    python benchmarks/bench.py [--only startup,growth,profile,preview,check,weight,lighthouse,pdf] [--quick]

Timings are medians of repeated runs, and a build is compared with its plain twin (the same pages
as static Markdown) built right after it in the same run, because the machine is shared and noisy. Results go to benchmarks/results.json and to a table in README.md
between <!-- bench:start --> and <!-- bench:end -->. Exits 1 when any budget is missed.

Measurements that need a feature this build lacks (an Easy Read page, a `make pdf` target) say
"not available in this build" and are measured as soon as the feature exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from copy import deepcopy
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlparse

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path[:0] = [str(HERE), str(ROOT / "tests")]

from generate import generate, split  # noqa: E402
from report import write_readme  # noqa: E402

RESULTS = HERE / "results.json"
NODE_DIR = HERE / ".node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}

BUDGET_STARTUP_S = 0.35
BUDGET_GROWTH = 1.25
BUDGET_PREVIEW_S = 1.0
BUDGET_CHECK_S = 2.0
BUDGET_PAGE_KB = 100.0
BUDGET_PERFORMANCE = 95
BUDGET_ACCESSIBILITY = 100
GROWTH_SCALES = (10, 50)
PROFILE_SCALE = 10
PAGES = {"home page": "", "workstream page": "workstreams/participation/", "Easy Read page": "easy-read/"}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


# --- Running builds --------------------------------------------------------------------------


def timed(command: list[str], cwd: Path = ROOT, timeout: float = 600) -> tuple[float, int, int, str, float]:
    """Run `command`; (wall seconds, peak RSS of the process in KB, exit code, stderr tail, CPU seconds)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return seconds, usage.ru_maxrss, process.returncode, err.read().decode("utf-8", "replace")[-2000:], usage.ru_utime + usage.ru_stime


def mkdocs_build(config: Path, site_dir: Path, strict: bool = True) -> tuple[float, int, float]:
    """(wall seconds, peak RSS in KB, CPU seconds, the processes it waited for included)."""
    command = [str(BIN / "mkdocs"), "build", "-q", "-f", str(config), "-d", str(site_dir)] + (["--strict"] if strict else [])
    seconds, rss, code, stderr, cpu = timed(command, cwd=config.parent)
    if code != 0:
        raise RuntimeError(f"mkdocs build of {config} failed:\n{stderr}")
    return seconds, rss, cpu


def base_config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def write_config(directory: Path, config: dict[str, Any]) -> Path:
    """A config file in `directory` whose paths point back into the project."""
    config = deepcopy(config)
    config["docs_dir"] = str(ROOT / config.get("docs_dir", "docs"))  # ROOT / an absolute path is that path
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    config["watch"] = [str(ROOT / w) for w in config.get("watch", [])]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def with_data(config: dict[str, Any], data_dir: Path) -> dict[str, Any]:
    config = deepcopy(config)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "clearplan" in plugin:
            plugin["clearplan"]["data_dir"] = str(data_dir)
    config["watch"] = [str(data_dir)]
    return config


# --- 1 and 2. Against a plain twin -----------------------------------------------------------


def capture_static_site(config_file: Path, out: Path) -> Path:
    """The plain twin of a site: its pages as rendered Markdown (after macros), with a plain Material
    config: same theme, nav, CSS and Markdown extensions; no clearplan, no macros, no data loading."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs_macros.plugin import MacrosPlugin

    captured: dict[str, tuple[str, dict]] = {}
    original = MacrosPlugin.on_page_markdown

    def capture(self, markdown, page, config, **kwargs):
        rendered = original(self, markdown, page, config, **kwargs)
        captured[page.file.src_uri] = (rendered, dict(page.meta))
        return rendered

    MacrosPlugin.on_page_markdown = capture
    try:
        config = load_config(config_file=str(config_file), site_dir=str(out / "capture-site"), strict=True)
        build(config)
        nav = deepcopy(config["nav"])
    finally:
        MacrosPlugin.on_page_markdown = original
    docs = out / "docs"
    for src_uri, (markdown, meta) in captured.items():
        target = docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        front = f"---\ntitle: {json.dumps(meta['title'])}\n---\n" if "title" in meta else ""
        target.write_text(front + markdown, encoding="utf-8")
    static = base_config()
    static["plugins"] = [p for p in static["plugins"] if (p if isinstance(p, str) else next(iter(p))) == "search"]
    static["theme"]["custom_dir"] = str(twin_theme(out / "theme"))
    static["docs_dir"] = str(docs)
    static["nav"] = nav
    static.pop("watch", None)
    return write_config(out, static)


def twin_theme(folder: Path) -> Path:
    """The theme folders a clearplan build uses, as one custom_dir: the site's overrides over
    clearplan's theme (the plugin adds it after them), without clearplan's page templates."""
    from clearplan.site.render import TEMPLATE_FOLDER, THEME_DIR

    shutil.copytree(THEME_DIR, folder)
    overrides = ROOT / base_config()["theme"]["custom_dir"]
    shutil.copytree(overrides, folder, dirs_exist_ok=True, ignore=lambda where, names: [TEMPLATE_FOLDER] if Path(where) == overrides else [])
    return folder


def paired_builds(config: Path, twin: Path, work: Path, label: str, runs: int) -> dict[str, Any]:
    """Builds of a site and its plain twin, alternated so both see the same machine load; each
    clearplan build is paired with the twin build that ran right after it. Wall and CPU seconds
    (CPU time moves less with the machine's load, so it is shown beside the wall time the budgets use)."""
    ours, plain = [], []
    for run in range(runs):
        ours.append(mkdocs_build(config, work / f"site-{label}"))
        plain.append(mkdocs_build(twin, work / f"site-{label}-twin"))
        log(f"{label} run {run + 1}/{runs}: clearplan {ours[-1][0]:.2f} s, plain twin {plain[-1][0]:.2f} s")
    return {
        "clearplan_s": [o[0] for o in ours],
        "twin_s": [p[0] for p in plain],
        "clearplan_cpu_s": [o[2] for o in ours],
        "twin_cpu_s": [p[2] for p in plain],
        "pages": sum(1 for _ in (work / f"site-{label}-twin").rglob("index.html")),
    }


def imported_modules(config: Path, site_dir: Path) -> dict[str, int]:
    """Every module a build imports, with the microseconds its own import took (`-X importtime`)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stderr[-1000:]}")
    lines = (re.match(r"import time:\s+(\d+) \|\s+\d+ \| *(\S+)", line) for line in result.stderr.splitlines())
    return {m.group(2): int(m.group(1)) for m in lines if m}


def import_cost(config: Path, twin: Path, work: Path, runs: int = 3) -> float:
    """Seconds a build spends importing modules its plain twin does not import (mkdocs-macros and
    what it brings, pydantic, clearplan): a cost paid before any work, whatever the plan's size."""
    costs = []
    for _ in range(runs):
        twin_modules = imported_modules(twin, work / "site-imports-twin")
        ours = imported_modules(config, work / "site-imports")
        costs.append(sum(us for name, us in ours.items() if name not in twin_modules) / 1e6)
    return median(costs)


def bench_startup(work: Path, runs: int) -> dict[str, Any]:
    """What a build of the bundled plan costs beyond its plain twin: at this size, mostly fixed costs."""
    twin = capture_static_site(ROOT / "mkdocs.yml", work / "twin-1x")
    pairs = paired_builds(ROOT / "mkdocs.yml", twin, work, "1x", runs)
    ours, plain = pairs["clearplan_s"], pairs["twin_s"]
    delta = median([o - p for o, p in zip(ours, plain)])
    cpu_delta = median([o - p for o, p in zip(pairs["clearplan_cpu_s"], pairs["twin_cpu_s"])])
    imports = import_cost(ROOT / "mkdocs.yml", twin, work)
    return {
        "name": "1. Start-up: full `mkdocs build` of the bundled plan, beyond its plain twin",
        "result": f"+{delta:.2f} s (median of {runs} paired differences; medians {median(ours):.2f} s vs {median(plain):.2f} s, "
        f"{pairs['pages']} pages; CPU +{cpu_delta:.2f} s; of which importing what the twin does not import: {imports:.2f} s)",
        "budget": f"≤ +{BUDGET_STARTUP_S} s",
        "status": "pass" if delta <= BUDGET_STARTUP_S else "fail",
        "delta_s": delta,
        "cpu_delta_s": cpu_delta,
        "import_s": imports,
        **pairs,
    }


def bench_growth(work: Path, runs: int) -> tuple[list[dict[str, Any]], dict[int, Path]]:
    """Synthetic plans (benchmarks/generate.py) against their plain twins."""
    rows, data_dirs = [], {}
    for factor in GROWTH_SCALES:
        data_dirs[factor] = generate(factor, work / f"data-{factor}x")
        config = write_config(work / f"config-{factor}x", with_data(base_config(), data_dirs[factor]))
        twin = capture_static_site(config, work / f"twin-{factor}x")
        n = runs if factor < 50 else max(2, runs - 1)
        pairs = paired_builds(config, twin, work, f"{factor}x", n)
        ours, plain = pairs["clearplan_s"], pairs["twin_s"]
        ratio = median([o / p for o, p in zip(ours, plain)])
        cpu_ratio = median([o / p for o, p in zip(pairs["clearplan_cpu_s"], pairs["twin_cpu_s"])])
        rows.append(
            {
                "name": f"2. Growth: {factor}× the bundled plan ({pairs['pages']} pages) against its plain twin",
                "result": f"{ratio:.2f}× (median of {n} paired ratios; medians {median(ours):.2f} s vs {median(plain):.2f} s; CPU {cpu_ratio:.2f}×)",
                "budget": f"≤ {BUDGET_GROWTH}×",
                "status": "pass" if ratio <= BUDGET_GROWTH else "fail",
                "factor": factor,
                "split": split(factor),
                "ratio": ratio,
                "cpu_ratio": cpu_ratio,
                **pairs,
            }
        )
    return rows, data_dirs


def bench_profile(config: Path) -> dict[str, Any]:
    """profile_build.py's summary of one build, in a process of its own (imports counted)."""
    result = subprocess.run(
        [sys.executable, str(HERE / "profile_build.py"), "--config", str(config), "--json", "--top", "8"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"profiling failed:\n{result.stderr[-1000:]}")
    return json.loads(result.stdout)


# --- 3. Edit to preview ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 5) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(predicate: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def preview_times(project: Path, edited: Path, edit: Callable[[str, str], str], page: str, runs: int) -> list[float]:
    """Seconds from saving `edited` (changed by `edit(original, marker)`) to `page` (a path under
    the site) served by `mkdocs serve --strict` in `project` with the marker in it; `runs` edits."""
    original = edited.read_text(encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{page}"
    # What `make serve` runs, on a free port of 127.0.0.1.
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--strict", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    times: list[float] = []
    try:
        if not wait_for(lambda: (fetch(url) or "").find("ws1-01") >= 0, timeout=180, interval=0.2):
            raise RuntimeError(f"mkdocs serve did not serve {page} within 180 s")
        time.sleep(1)
        for run in range(runs):
            marker = f"benchmark-marker-{run}-{time.time_ns()}"
            text = edit(original, marker)
            start = time.perf_counter()
            edited.write_text(text, encoding="utf-8")
            if not wait_for(lambda: marker in (fetch(url) or ""), timeout=120):
                raise RuntimeError(f"the edit did not reach the served page within 120 s (run {run + 1})")
            times.append(time.perf_counter() - start)
            log(f"preview of {project.name} run {run + 1}/{runs}: {times[-1]:.2f} s")
            time.sleep(1)  # let the server settle before the next edit
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return times


def bench_preview(work: Path, runs: int) -> dict[str, Any]:
    """Edit an activity in the data and wait for its page; then the same edit in the plain twin's
    Markdown, which shows what `mkdocs serve` itself takes (it polls for changes every 0.5 s and
    rebuilds every page)."""
    project = work / "preview"
    for name in ("docs", "data", "overrides"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    pattern = re.compile(r"(- id: ws1-01\n\s+text: )(.*)")
    workstream = project / "data" / "workstreams" / "01-participation.yaml"
    assert pattern.search(workstream.read_text(encoding="utf-8")), "the bench edits activity ws1-01; it is missing from the data"
    page = "workstreams/participation/"
    times = preview_times(
        project, workstream, lambda text, marker: pattern.sub(lambda m: f"{m.group(1)}{marker} {m.group(2)}", text, count=1), page, runs
    )
    twin = capture_static_site(project / "mkdocs.yml", work / "preview-twin")
    twin_page = twin.parent / "docs" / "workstreams" / "participation.md"
    twin_times = preview_times(twin.parent, twin_page, lambda text, marker: text.replace("ws1-01", f"{marker} ws1-01", 1), page, runs)
    value, floor = median(times), median(twin_times)
    return {
        "name": "3. Edit to preview (save a changed activity → page served by `mkdocs serve --strict`)",
        "result": f"{value:.2f} s (median of {runs}; min {min(times):.2f}, max {max(times):.2f}); "
        f"the plain twin, same edit in its Markdown: {floor:.2f} s (min {min(twin_times):.2f}, max {max(twin_times):.2f})",
        "budget": f"≤ {BUDGET_PREVIEW_S:g} s",
        "status": "pass" if value <= BUDGET_PREVIEW_S else "fail",
        "seconds": times,
        "twin_seconds": twin_times,
    }


# --- 4. Check --------------------------------------------------------------------------------


def bench_check(data_dir: Path, runs: int) -> dict[str, Any]:
    times, cpu = [], []
    for _ in range(runs):
        seconds, _rss, code, stderr, cpu_seconds = timed([str(BIN / "clearplan"), "check", "--data", str(data_dir)])
        if code != 0:
            raise RuntimeError(f"clearplan check failed on the 50x plan:\n{stderr}")
        times.append(seconds)
        cpu.append(cpu_seconds)
    value = median(times)
    # The budget is on wall time; CPU time is shown beside it because on a shared machine the two differ.
    return {
        "name": "4. `clearplan check` on the 50× plan",
        "result": f"{value:.2f} s wall, {median(cpu):.2f} s CPU (median of {runs})",
        "budget": f"≤ {BUDGET_CHECK_S:.0f} s",
        "status": "pass" if value <= BUDGET_CHECK_S else "fail",
        "seconds": times,
        "cpu_seconds": cpu,
    }


# --- 5. Page weight --------------------------------------------------------------------------


def page_weight(context, url: str) -> dict[str, Any]:
    """Every resource the page loads, gzipped (level 6, as a web server would), except the search
    index; and every request to a host other than 127.0.0.1 (blocked, and reported)."""
    resources: dict[str, bytes] = {}
    foreign: list[str] = []
    pending = []

    def on_response(response) -> None:
        pending.append(response)

    def route(route_) -> None:
        host = urlparse(route_.request.url).hostname
        if route_.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route_.continue_()
        else:
            foreign.append(route_.request.url)
            route_.abort()

    context.on("response", on_response)
    context.route("**/*", route)
    page = context.new_page()
    try:
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(500)
        for response in pending:
            try:
                resources[response.url] = response.body()
            except Exception:  # a redirect or an aborted request has no body
                continue
    finally:
        page.close()
        context.remove_listener("response", on_response)
        context.unroute("**/*", route)
    index = {u: b for u, b in resources.items() if urlparse(u).path.endswith("search_index.json")}
    counted = {u: len(gzip.compress(b, 6)) for u, b in resources.items() if u not in index}
    return {
        "gzip_bytes": sum(counted.values()),
        "resources": counted,
        "foreign_requests": foreign,
        "search_index_bytes": sum(len(b) for b in index.values()),
        "search_index_gzip_bytes": sum(len(gzip.compress(b, 6)) for b in index.values()),
    }


def bench_weight(site: Path) -> list[dict[str, Any]]:
    from browser_support import chromium, serve

    rows = []
    with serve(site) as base, chromium() as context:
        index_size = None
        for name, path in PAGES.items():
            if not (site / path / "index.html").is_file():
                rows.append(
                    {
                        "name": f"5. Page weight: {name}",
                        "result": f"not available in this build (no /{path})",
                        "budget": f"≤ {BUDGET_PAGE_KB:.0f} KB gzip",
                        "status": "n/a",
                    }
                )
                continue
            weight = page_weight(context, base + path)
            kb = weight["gzip_bytes"] / 1024
            index_size = index_size or (weight["search_index_bytes"], weight["search_index_gzip_bytes"])
            ok = kb <= BUDGET_PAGE_KB and not weight["foreign_requests"]
            third = f"; {len(weight['foreign_requests'])} third-party request(s)!" if weight["foreign_requests"] else ", no third-party requests"
            rows.append(
                {
                    "name": f"5. Page weight: {name} (/{path})",
                    "result": f"{kb:.1f} KB gzip, {len(weight['resources'])} files{third}",
                    "budget": f"≤ {BUDGET_PAGE_KB:.0f} KB gzip, no third-party host",
                    "status": "pass" if ok else "fail",
                    **weight,
                }
            )
            log(f"weight {name}: {kb:.1f} KB")
        if index_size:
            rows.append(
                {
                    "name": "5. Search index (not counted above)",
                    "result": f"{index_size[0] / 1024:.0f} KB, {index_size[1] / 1024:.0f} KB gzip",
                    "budget": "reported",
                    "status": "info",
                }
            )
    return rows


# --- 6. Lighthouse ---------------------------------------------------------------------------


def install_lighthouse() -> str | None:
    """Install npm `lighthouse` under benchmarks/.node; the error text when that fails."""
    if LIGHTHOUSE.exists():
        return None
    if not shutil.which("npm"):
        return "npm is not installed"
    result = subprocess.run(
        ["npm", "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", "lighthouse"], capture_output=True, text=True, timeout=900
    )
    return None if result.returncode == 0 and LIGHTHOUSE.exists() else f"npm install lighthouse failed: {result.stderr[-500:]}"


def lighthouse(url: str, out: Path) -> dict[str, float]:
    env = {**ENV, "CHROME_PATH": "/usr/bin/chromium"}
    command = [
        str(LIGHTHOUSE),
        url,
        "--form-factor=mobile",
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
        "--disable-component-update --disable-sync",
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url}: {result.stderr[-1000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    categories = report["categories"]
    failed = [a["id"] for a in report["audits"].values() if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0]
    return {
        "performance": categories["performance"]["score"] * 100,
        "accessibility": categories["accessibility"]["score"] * 100,
        "failed_audits": failed,
    }


def bench_lighthouse(site: Path, work: Path, runs: int) -> list[dict[str, Any]]:
    from browser_support import serve

    budget = f"performance ≥ {BUDGET_PERFORMANCE}, accessibility {BUDGET_ACCESSIBILITY}"
    problem = install_lighthouse()
    if problem:
        return [{"name": "6. Lighthouse (mobile)", "result": problem, "budget": budget, "status": "fail"}]
    rows = []
    with serve(site, compress=True) as base:  # compressed, as any real host serves it
        for name, path in PAGES.items():
            if not (site / path / "index.html").is_file():
                rows.append(
                    {"name": f"6. Lighthouse: {name}", "result": f"not available in this build (no /{path})", "budget": budget, "status": "n/a"}
                )
                continue
            scores = [lighthouse(base + path, work / f"lighthouse-{len(rows)}-{run}.json") for run in range(runs)]
            performance = median([s["performance"] for s in scores])
            accessibility = min(s["accessibility"] for s in scores)
            ok = performance >= BUDGET_PERFORMANCE and accessibility >= BUDGET_ACCESSIBILITY
            failed = sorted({a for s in scores for a in s["failed_audits"]})
            rows.append(
                {
                    "name": f"6. Lighthouse (mobile): {name} (/{path})",
                    "result": f"performance {performance:.0f}, accessibility {accessibility:.0f} (median/min of {runs})"
                    + (f"; failing audits: {', '.join(failed)}" if failed and not ok else ""),
                    "budget": budget,
                    "status": "pass" if ok else "fail",
                    "scores": scores,
                }
            )
            log(f"lighthouse {name}: {rows[-1]['result']}")
    return rows


# --- 7. PDF ----------------------------------------------------------------------------------


def has_make_target(target: str) -> bool:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(rf"^{re.escape(target)}\s*:", makefile, re.MULTILINE) is not None


def bench_pdf(runs: int) -> dict[str, Any]:
    name = "7. PDF: time for `make pdf` (both PDFs)"
    if not has_make_target("pdf"):
        return {"name": name, "result": "not available in this build (no `pdf` target in the Makefile)", "budget": "reported", "status": "n/a"}
    times = []
    for _ in range(runs):
        seconds, _rss, code, stderr, _cpu = timed(["make", "pdf"], timeout=1200)
        if code != 0:
            return {"name": name, "result": f"`make pdf` failed: {stderr[-300:]}", "budget": "reported", "status": "fail"}
        times.append(seconds)
    return {"name": name, "result": f"{median(times):.1f} s (median of {runs})", "budget": "reported", "status": "info", "seconds": times}


# --- Main ------------------------------------------------------------------------------------

STEPS = ("startup", "growth", "profile", "preview", "check", "weight", "lighthouse", "pdf")


def machine() -> dict[str, Any]:
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "platform": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }


def run(only: set[str], quick: bool, work: Path) -> dict[str, Any]:
    runs = 3 if quick else 5
    measurements: list[dict[str, Any]] = []

    def attempt(label: str, step: Callable[[], Any]) -> Any:
        log(f"{label}…")
        try:
            return step()
        except Exception as error:  # a measurement that cannot run is a failure, reported, not a crash
            measurements.append({"name": label, "result": f"could not run: {error}".strip()[:500], "budget": "", "status": "fail"})
            return None

    if "startup" in only:
        row = attempt("1. Start-up", lambda: bench_startup(work, runs))
        measurements += [row] if row else []
    data_dirs: dict[int, Path] = {}
    if "growth" in only:
        got = attempt("2. Growth", lambda: bench_growth(work, 3))
        if got:
            measurements += got[0]
            data_dirs = got[1]
    profile = None
    if "profile" in only:
        data_dir = data_dirs.get(PROFILE_SCALE) or generate(PROFILE_SCALE, work / f"data-{PROFILE_SCALE}x")
        config = write_config(work / f"config-{PROFILE_SCALE}x", with_data(base_config(), data_dir))
        profile = attempt("Profile", lambda: {"factor": PROFILE_SCALE, **bench_profile(config)})
    if "preview" in only:
        row = attempt("3. Edit to preview", lambda: bench_preview(work, runs))
        measurements += [row] if row else []
    if "check" in only:
        row = attempt("4. Check", lambda: bench_check(data_dirs.get(50) or generate(50, work / "data-50x"), runs))
        measurements += [row] if row else []
    site = work / "site-1x"
    if {"weight", "lighthouse"} & only and not (site / "index.html").exists():
        attempt("Build the bundled site", lambda: mkdocs_build(ROOT / "mkdocs.yml", site))
    if "weight" in only:
        measurements += attempt("5. Page weight", lambda: bench_weight(site)) or []
    if "lighthouse" in only:
        measurements += attempt("6. Lighthouse", lambda: bench_lighthouse(site, work, 1 if quick else 3)) or []
    if "pdf" in only:
        row = attempt("7. PDF", lambda: bench_pdf(1 if quick else 2))
        measurements += [row] if row else []
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "quick": quick,
        "measurements": measurements,
        **({"profile": profile} if profile else {}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(STEPS), help=f"comma-separated steps: {', '.join(STEPS)}")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (for trying the bench, not for the record)")
    parser.add_argument("--no-write", action="store_true", help="print the results; leave results.json and README.md alone")
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory(prefix="clearplan-bench-") as work:
        results = run(only, args.quick, Path(work))
    from report import table

    print(table(results))
    if not args.no_write:
        RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        write_readme(ROOT / "README.md", results)
    failed = [m["name"] for m in results["measurements"] if m["status"] == "fail"]
    if failed:
        print(f"\n{len(failed)} budget(s) missed: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
