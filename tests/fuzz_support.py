"""The fuzz test's machinery: find every text value in a plan's data, inject a marked attack into
each, let the check refuse what it refuses (at the injected line), build, and read every output
by its type looking for the marker where it would be code.

Each distinct original text gets one marker (`zqf0001x`), so values that refer to each other (a risk
level's name and a risk's `level:`) stay equal after injection.
"""

from __future__ import annotations

import copy
import csv
import fnmatch
import gzip
import io
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import openpyxl
import yaml
from bs4 import BeautifulSoup

from clearplan.checks.check import check_plan
from clearplan.plan.loading import read_yaml

MARK = re.compile(r"zqf\d{4}x")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Loc = tuple[Any, ...]


def marker(number: int) -> str:
    return f"zqf{number:04d}x"


def dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def undotted(text: str) -> Loc:
    return tuple(int(part[1:-1]) if part.startswith("[") else part for part in re.findall(r"\[\d+\]|[^.\[\]]+", text))


# --- Payloads: one builder per variant; each takes the marker, the original text and a counter ---


def _shaped(original: str) -> str:
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", original):
        return "email"
    if re.match(r"https?://", original):
        return "url"
    return "text"


_FORMULAS = ['=HYPERLINK("https://example.org/{m}")', "+{m}", "-{m}", "@{m}", "\t=1+{m}", "\r=1+{m}"]


def _formula(mark: str, index: int) -> str:
    """The spreadsheet formula starts take turns across values, so every one is tried."""
    return _FORMULAS[index % len(_FORMULAS)].format(m=mark)


def markup_payload(mark: str, original: str, index: int, attempt: int) -> str | None:
    """A formula start, then HTML, a Jinja expression, a Markdown link and an attr_list; without
    the formula start if that was refused. Emails and URLs keep their shape."""
    shape = _shaped(original)
    if shape == "email":  # then an address valid by the RFC, with characters HTML must escape
        return [f'{mark}@example.org?body="><img src=x onerror=alert({mark})>', f"{mark}.o'neil&co@example.org", None][min(attempt, 2)]
    if shape == "url":
        return [f'https://example.org/{mark}"><img src=x onerror=alert({mark})>', f"https://example.org/{mark}?a='1'&b=<2>", None][min(attempt, 2)]
    markup = (
        f'{mark} <img src=x onerror=alert({mark})> "><script>{mark}</script> '
        f"[x](javascript:alert({mark})) {{{{ 7*7 }}}}{mark} {{: onfocus=alert({mark}) }}"
    )
    return [f"{_formula(mark, index)} {markup}", markup, None][min(attempt, 2)]


def template_payload(mark: str, original: str, index: int, attempt: int) -> str | None:
    """Jinja block and comment openers, which stop a build that renders data as a template (behind
    a formula start too, unless that was refused)."""
    shape = _shaped(original)
    if shape != "text":
        if attempt:
            return None
        if shape == "email":
            return f'{mark}@example.org"onmouseover="alert({mark})'
        return f"javascript:alert({mark})"
    template = f"{mark} {{% raw %}} {{# {mark} {{% if %}}"
    return [f"{_formula(mark, index + 1)} {template}", template, None][min(attempt, 2)]


VARIANTS: dict[str, Callable[[str, str, int, int], str | None]] = {"markup": markup_payload, "template": template_payload}


# --- Finding and injecting ------------------------------------------------------------------


@dataclass(frozen=True)
class TextField:
    file: str  # relative to the data folder
    loc: Loc

    def __str__(self) -> str:
        return f"{self.file}:{dotted(self.loc)}"


@dataclass
class Refusal:
    field: TextField
    line: int
    message: str


@dataclass
class Injection:
    """One plan's data with a payload in every text value, kept in step with what the check says."""

    source_dir: Path
    target_dir: Path
    payload: Callable[[str, str, int, int], str | None]  # (marker, original, counter, attempt)
    rename_a_file: bool = False  # a workstream file's name carries an attack too (it is in edit links)
    seed: list[dict] = field(default_factory=list)  # fields neither plan uses (fuzz_seed.yaml)
    values: dict[str, Any] = field(default_factory=dict)  # file -> its data as read
    fields: dict[TextField, str] = field(default_factory=dict)  # field -> original text
    markers: dict[str, str] = field(default_factory=dict)  # original text -> marker
    refused: list[Refusal] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)  # original -> payloads refused so far
    accepted: list[tuple[str, Loc, str]] = field(default_factory=list)  # Easy Read rules accepted
    misplaced: list[str] = field(default_factory=list)  # errors not at an injected value's line
    renamed: dict[str, str] = field(default_factory=dict)  # file -> the name it is written under
    file_markers: dict[str, str] = field(default_factory=dict)  # marker -> file

    def __post_init__(self) -> None:
        for path in sorted(self.source_dir.rglob("*.yaml")):
            name = path.relative_to(self.source_dir).as_posix()
            source, problems = read_yaml(path, name)
            assert source.value is not None, [str(p) for p in problems.items]
            self.values[name] = source.value
        for entry in self.seed:
            matching = sorted(name for name in self.values if fnmatch.fnmatch(name, entry["file"]))
            try:
                target = _get(self.values[matching[0]], entry.get("at", ())) if matching else None
            except (KeyError, IndexError):
                target = None  # this plan has no such place
            if isinstance(target, dict) and entry["key"] not in target:
                target[entry["key"]] = copy.deepcopy(entry["value"])
        for name, value in self.values.items():
            for loc, text in _texts(value, ()):
                self.fields[TextField(name, loc)] = text
        for number, text in enumerate(sorted(set(self.fields.values())), start=1):
            self.markers[text] = marker(number)
        workstreams = [name for name in self.values if name.startswith("workstreams/")]
        if self.rename_a_file and workstreams:
            mark = marker(len(self.markers) + 1)
            self.file_markers[mark] = workstreams[0]
            self.renamed[workstreams[0]] = workstreams[0].removesuffix(".yaml") + f'-{mark}"><img src=x onerror=alert({mark})>.yaml'

    def injected(self, text: str) -> str | None:
        """The value written in place of `text`; None once every payload for it has been refused."""
        mark = self.markers[text]
        return self.payload(mark, text, int(mark[3:7]), self.attempts.get(text, 0))

    @property
    def restored(self) -> set[str]:
        """Originals written back as they were: the check refused every payload tried for them."""
        return {text for text in self.markers if self.injected(text) is None}

    def fields_of(self, mark: str) -> list[TextField]:
        if mark in self.file_markers:
            return [TextField(self.file_markers[mark], ("file name",))]
        return [f for f, text in self.fields.items() if self.markers[text] == mark]

    @property
    def live_markers(self) -> set[str]:
        restored = self.restored
        return {m for text, m in self.markers.items() if text not in restored}

    def write(self) -> dict[str, dict[int, list[TextField]]]:
        """Write the injected data; returns each file's lines and the fields injected on them."""
        if self.target_dir.exists():
            shutil.rmtree(self.target_dir)
        lines: dict[str, dict[int, list[TextField]]] = {}
        restored = self.restored
        for name, value in self.values.items():
            document = copy.deepcopy(value)
            for text_field, text in self.fields.items():
                if text_field.file == name and text not in restored:
                    _set(document, text_field.loc, self.injected(text))
            for file, loc, rule in self.accepted:
                if file == name:
                    target = _get(document, loc)
                    target.setdefault("accept", [])
                    if rule not in target["accept"]:
                        target["accept"].append(rule)
            path = self.target_dir / self.renamed.get(name, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
            written, _ = read_yaml(path, name)
            at: dict[int, list[TextField]] = defaultdict(list)
            for text_field, text in self.fields.items():
                if text_field.file == name and text not in restored:
                    at[written.values[text_field.loc][0]].append(text_field)
            lines[name] = at
        return lines

    def settle(self, rounds: int = 8) -> None:
        """Write and check until the check passes. A refused value (recorded with the line the check
        named) gets its variant's next, milder payload, and in the end its original text back; an
        Easy Read rule the lint applies is accepted, as an author may; an error not at an injected
        value's line is recorded as misplaced."""
        for _ in range(rounds):
            lines = self.write()
            restored = self.restored
            refused_now: set[str] = set()
            errors = check_plan(self.target_dir).problems.errors
            if not errors:
                return
            progress = False
            for problem in errors:
                path = Path(problem.path).resolve()
                if not path.is_relative_to(self.target_dir.resolve()):
                    if str(problem) not in self.misplaced:
                        self.misplaced.append(str(problem))
                    continue
                name = path.relative_to(self.target_dir.resolve()).as_posix()
                name = {written: original for original, written in self.renamed.items()}.get(name, name)
                if name in self.renamed and not problem.field:
                    # A problem with the file as a whole: its name is refused.
                    self.refused.append(Refusal(TextField(name, ("file name",)), problem.line, problem.message))
                    del self.renamed[name]
                    progress = True
                    continue
                rule = re.search(r"\[([a-z-]+)\]$", problem.message)
                if rule and problem.field:
                    loc = undotted(problem.field)
                    if not isinstance(_get(self.values[name], loc), dict):
                        loc = loc[:-1]
                    if (name, loc, rule.group(1)) not in self.accepted:
                        self.accepted.append((name, loc, rule.group(1)))
                        progress = True
                    continue
                here = lines.get(name, {}).get(problem.line, [])
                if not here:
                    # Refused, but not at the value's line: put back what the field path names so
                    # the build can go on; the misplaced error stays a failure.
                    if str(problem) not in self.misplaced:
                        self.misplaced.append(str(problem))
                    within = undotted(problem.field) if problem.field else None
                    for text_field, text in self.fields.items():
                        if within and text_field.file == name and text_field.loc[: len(within)] == within and text not in restored:
                            self.attempts[text] = 99
                            progress = True
                    continue
                for text_field in here:
                    self.refused.append(Refusal(text_field, problem.line, problem.message))
                    refused_now.add(self.fields[text_field])
                    progress = True
            for text in refused_now:
                self.attempts[text] = self.attempts.get(text, 0) + 1
            if not progress:
                return
        self.write()


def _texts(value: Any, loc: Loc):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, loc + (index,))
    elif isinstance(value, str):
        yield loc, value


def _get(document: Any, loc: Loc) -> Any:
    for part in loc:
        document = document[part]
    return document


def _set(document: Any, loc: Loc, value: Any) -> None:
    _get(document, loc[:-1])[loc[-1]] = value


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Decimal, lambda dumper, number: dumper.represent_scalar("tag:yaml.org,2002:float", str(number)))


# --- Building ---------------------------------------------------------------------------------


def site_config(original: Path, plan_dir: Path, overrides: Path) -> Path:
    """A copy of the plan's mkdocs.yml, docs and data layout under `plan_dir`, with the theme
    overrides at their real place."""
    config = yaml.safe_load(original.read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(overrides)
    shutil.copytree(original.parent / config.get("docs_dir", "docs"), plan_dir / "docs", dirs_exist_ok=True)
    config["docs_dir"] = "docs"
    path = plan_dir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# --- Reading the outputs ------------------------------------------------------------------------


@dataclass
class Findings:
    leaks: list[str] = field(default_factory=list)
    seen: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # marker -> outputs showing it

    def saw(self, text: str, where: str) -> None:
        for mark in MARK.findall(text):
            self.seen[mark].add(where)

    def leak(self, where: str, what: str) -> None:
        self.leaks.append(f"{where}: {what}")


def _evaluated(text: str, where: str, findings: Findings) -> None:
    for match in re.finditer(r"49\s*(zqf\d{4}x)", text):
        findings.leak(where, f"'{{{{ 7*7 }}}}' was evaluated to 49 before {match.group(1)}")


def _url_scheme(value: str) -> str:
    return re.sub(r"[\s\x00-\x1f]", "", value).lower().split(":", 1)[0] if ":" in value else ""


def inspect_html(markup: str, where: str, findings: Findings) -> None:
    soup = BeautifulSoup(markup, "html.parser")
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if not MARK.search(value):
                continue
            findings.saw(value, where)
            if name.lower().startswith("on"):
                findings.leak(where, f'<{element.name} {name}="{value[:80]}">: marker in an event handler attribute')
            if _url_scheme(value) in ("javascript", "vbscript", "data"):
                findings.leak(where, f'<{element.name} {name}="{value[:80]}">: marker in a {_url_scheme(value)}: URL')
        if element.name == "script" and MARK.search(element.get_text()):
            findings.leak(where, f"<script> holding {MARK.search(element.get_text()).group(0)}")
        if element.name == "img" and element.get("src") == "x":
            findings.leak(where, f"an <img src=x> made by the payload: {str(element)[:100]}")
    text = soup.get_text(" ")
    findings.saw(text, where)
    _evaluated(text, where, findings)


def inspect_xml(data: bytes, where: str, findings: Findings) -> None:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        findings.leak(where, f"not well-formed XML: {error}")
        return
    for element in root.iter():
        for value in element.attrib.values():
            findings.saw(value, where)
        text = element.text or ""
        if element.attrib.get("type") in ("html", "xhtml") and MARK.search(text):
            inspect_html(text, f"{where} <{element.tag.rsplit('}', 1)[-1]} type={element.attrib['type']}>", findings)
        else:
            findings.saw(text, where)
            _evaluated(text, where, findings)


def _cell(value: Any, where: str, findings: Findings, is_formula: bool = False) -> None:
    if not isinstance(value, str) or not MARK.search(value):
        return
    findings.saw(value, where)
    _evaluated(value, where, findings)
    if is_formula:
        findings.leak(where, f"formula cell {value[:60]!r}")
    elif value.startswith(FORMULA_STARTS):
        findings.leak(where, f"cell starts with {value[0]!r}: {value[:60]!r}")


def inspect_csv(text: str, where: str, findings: Findings) -> None:
    for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))):
        for value in row:
            _cell(value, where, findings)


def inspect_xlsx(path: Path, where: str, findings: Findings) -> None:
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                # A formula cell is the leak; a typed text cell may start with '=' harmlessly.
                if cell.data_type == "f":
                    _cell(cell.value, f"{where} {sheet.title}!{cell.coordinate}", findings, is_formula=True)
                elif isinstance(cell.value, str) and MARK.search(cell.value):
                    findings.saw(cell.value, where)
                    _evaluated(cell.value, where, findings)


def _strings(value: Any):
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def inspect_json(text: str, where: str, findings: Findings) -> None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        findings.leak(where, f"not valid JSON: {error}")
        return
    if where.endswith("search/search_index.json"):
        # Material shows the index's titles and texts as HTML in its search results.
        for doc in document.get("docs", []):
            for key in ("title", "text"):
                if MARK.search(doc.get(key, "")):
                    inspect_html(doc[key], f"{where} ({doc.get('location')} {key})", findings)
        return
    for text_value in _strings(document):
        findings.saw(text_value, where)
        _evaluated(text_value, where, findings)


def inspect_output(path: Path, where: str, findings: Findings) -> None:
    """One output file, read as what it is; a marker in any type not read here is a finding."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".gz":
        data, suffix = gzip.decompress(data), Path(path.stem).suffix.lower()
    if suffix == ".xlsx":
        inspect_xlsx(path, where, findings)
        return
    if not MARK.search(data.decode("utf-8", errors="replace")):
        return
    text = data.decode("utf-8")
    if suffix in (".html", ".htm", ".svg"):
        inspect_html(text, where, findings)
    elif suffix == ".xml":
        inspect_xml(data, where, findings)
    elif suffix == ".csv":
        inspect_csv(text, where, findings)
    elif suffix == ".json":
        inspect_json(text, where, findings)
    else:
        findings.leak(where, f"plan data in a {suffix or 'suffixless'} file, which nothing here reads safely")


def inspect_tree(root: Path, findings: Findings, label: str = "") -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        inspect_output(path, f"{label}{path.relative_to(root).as_posix()}", findings)


def quietly(function: Callable[..., Any], *args: Any) -> tuple[Any, str]:
    """Call a command's entry point, returning its result and what it printed."""
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        result = function(*args)
    return result, out.getvalue()


# --- What the bundled data cannot reach ------------------------------------------------------------


def model_text_fields() -> set[str]:
    """Every free-text field the model allows (strings without an enum or pattern), as
    `section.path[*]`, from the plan's JSON Schema."""
    from clearplan.plan.schema import plan_schema

    schema = plan_schema()
    definitions = schema.get("definitions", {})
    found: set[str] = set()

    def walk(node: dict, path: str, depth: int) -> None:
        if depth > 30:
            return
        if "$ref" in node:
            node = definitions[node["$ref"].rsplit("/", 1)[-1]]
        for branch in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
            walk(branch, path, depth + 1)
        kind = node.get("type")
        if kind == "string" and not {"enum", "pattern", "const", "format"} & set(node):
            found.add(path)
        if kind == "array" and isinstance(node.get("items"), dict):
            walk(node["items"], f"{path}[*]", depth + 1)
        for name, child in node.get("properties", {}).items():
            walk(child, f"{path}.{name}" if path else name, depth + 1)

    for section, child in schema["properties"].items():
        if section != "$schema":
            walk(child, section, 0)
    return found


def section_path(text_field: TextField) -> str:
    """A field as the whole plan's schema names it: `workstreams[*].title`, `plan.contact.email`."""
    name = text_field.file.removesuffix(".yaml")
    section = "workstreams[*]" if name.startswith("workstreams/") else name.replace("-", "_")
    path = section
    for part in text_field.loc:
        path += "[*]" if isinstance(part, int) else f".{part}"
    return path
