"""Reading plan data from `data/`: YAML that remembers where every value came from.

Nothing here raises on bad input: every mistake becomes a Problem with file, line and column,
and all of them are collected in one pass.
"""

from __future__ import annotations

import difflib
import re
import stat
import typing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from .model import PlanData
from .problems import INVISIBLE_NAMES, Problem, Problems, Severity
from .sections import DATA_FILES, WORKSTREAMS_FOLDER

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 50
MAX_NODES = 200_000
NESTED_TOO_DEEP = f"values are nested more than {MAX_DEPTH} levels deep; plan data never needs that"

Location = tuple[int, int]
Loc = tuple[Any, ...]


@dataclass
class SourceFile:
    """One YAML file: its value, and the line and column of each value and key."""

    path: str
    value: Any = None
    values: dict[Loc, Location] = field(default_factory=dict)
    keys: dict[Loc, Location] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)  # scalars as written, for messages

    def where(self, loc: Loc) -> Location:
        """The position of the deepest part of `loc` that exists in the file."""
        loc = tuple(loc)
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def key_where(self, loc: Loc) -> Location:
        return self.keys.get(tuple(loc)) or self.where(loc)


def problem_at(source: SourceFile, loc: Loc, severity: Severity, message: str) -> Problem:
    """A problem at the value `loc` names in `source` (or the nearest part of it that is there)."""
    line, column = source.where(loc)
    return Problem(source.path, line, column, severity, field_name(loc), message)


class _Stop(Exception):
    """Raised inside conversion when the file cannot be read further."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


_scalars = yaml.constructor.SafeConstructor()


def _convert(node: yaml.Node, loc: Loc, source: SourceFile, problems: Problems, budget: list[int]) -> Any:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    source.values[loc] = (line, column)
    budget[0] -= 1
    if budget[0] < 0:
        raise _Stop(
            line, column, f"the file expands to more than {MAX_NODES:,} values (a YAML alias bomb?); write values out instead of repeating aliases"
        )
    if len(loc) > MAX_DEPTH:
        raise _Stop(line, column, NESTED_TOO_DEEP)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise _Stop(key_line, key_column, "keys must be plain words (no merge keys, lists or mappings as keys)")
            key = key_node.value
            _check_characters(key, loc + (key,), key_line, key_column, source, problems)
            if key in result:
                first = source.keys[loc + (key,)]
                problems.add(
                    Problem(
                        source.path,
                        key_line,
                        key_column,
                        "error",
                        field_name(loc + (key,)),
                        f"this key appears twice in the same mapping (first on line {first[0]}); keep one",
                    )
                )
                continue
            source.keys[loc + (key,)] = (key_line, key_column)
            result[key] = _convert(value_node, loc + (key,), source, problems, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loc + (index,), source, problems, budget) for index, item in enumerate(node.value)]
    source.raw[loc] = node.value
    _check_characters(node.value, loc, line, column, source, problems)
    return _scalar(node, line, column)


# Characters no output can carry: YAML lets a quoted string write them as escapes ("\x01", "\0"),
# and they break the workbook, the feed's XML and the build. A tab is allowed: every output
# carries it. U+FFFE and U+FFFF are not XML.
_CONTROL_NAMES = {"\x00": "NUL", "\x0b": "vertical tab", "\x0c": "form feed", "\r": "carriage return", "\x1b": "escape", "\x7f": "delete"}
_REFUSED = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF]}


def _character_name(character: str) -> str:
    code = f"U+{ord(character):04X}"
    name = _CONTROL_NAMES.get(character) or INVISIBLE_NAMES.get(character)
    if name:
        return f"{name} ({code})"
    return f"control character {code}"


# Either kind, found in one pass: almost every text has none, and a plan has tens of thousands.
_SUSPECT = re.compile("[" + re.escape("".join(sorted(_REFUSED | INVISIBLE_NAMES.keys()))) + "]")


def _check_characters(text: str, loc: Loc, line: int, column: int, source: SourceFile, problems: Problems) -> None:
    """Refuse characters no output can carry, and warn about invisible ones that change how text reads."""
    if _SUSPECT.search(text) is None:
        return
    refused = sorted(set(text) & _REFUSED)
    if refused:
        names = ", ".join(_character_name(c) for c in refused)
        problems.add(
            Problem(
                source.path,
                line,
                column,
                "error",
                field_name(loc),
                f"this text contains a character the site, the downloads and the feed cannot show: {names}; "
                "remove it (for a line break, start a new line)",
            )
        )
    invisible = sorted(set(text) & INVISIBLE_NAMES.keys())
    if invisible:
        names = ", ".join(_character_name(c) for c in invisible)
        problems.add(
            Problem(
                source.path,
                line,
                column,
                "warning",
                field_name(loc),
                f"this text contains an invisible character that can make it read differently from what is "
                f"stored, or hide a difference between words: {names}; remove it unless the text needs it",
            )
        )


def _scalar(node: yaml.ScalarNode, line: int, column: int) -> Any:
    tag = node.tag
    if tag == "tag:yaml.org,2002:float":
        text = node.value.replace("_", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _Stop(line, column, f"{node.value!r} is not a number plan data can use")
        if not number.is_finite():
            raise _Stop(line, column, f"{node.value!r} is not a finite number")
        return number
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
        try:
            return _scalars.construct_object(node)
        except (ValueError, KeyError, TypeError):
            kind = tag.rsplit(":", 1)[-1]
            raise _Stop(
                line, column, f"{node.value!r} is marked {node.tag.replace('tag:yaml.org,2002:', '!!')} but is not a valid {kind}; remove the tag"
            ) from None
    # Dates stay text: the model parses them, so an impossible date gets a field-named error.
    return node.value


def read_yaml(path: Path, shown_as: str) -> tuple[SourceFile, Problems]:
    """Read one YAML file. Returns the file (value None when unreadable) and its problems."""
    source = SourceFile(shown_as)
    problems = Problems()

    def fail(line: int, column: int, message: str) -> tuple[SourceFile, Problems]:
        problems.add(Problem(shown_as, line, column, "error", "", message))
        source.value = None
        return source, problems

    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            # Reading a pipe or a device could hang or never end.
            return fail(1, 1, "this is not an ordinary file (a folder, pipe or device); plan data must be YAML files")
        size = status.st_size
        if size > MAX_FILE_BYTES:
            return fail(
                1, 1, f"the file is {size:,} bytes; plan files must be under {MAX_FILE_BYTES:,} bytes. Split it or remove what does not belong"
            )
        raw = path.read_bytes()
    except OSError as error:
        return fail(1, 1, f"cannot read the file: {error.strerror}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return fail(line, 1, "the file is not UTF-8 text (is it a binary or a Word file?); save it as UTF-8 YAML")
    if "\x00" in text:
        return fail(text[: text.index("\x00")].count("\n") + 1, 1, "the file contains a NUL character; it is not a text file")
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return fail(1, 1, "the file is empty; write the data it should hold, or delete the file")
    try:
        _scan_events(text)
        documents = list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
    except _Stop as stop:
        return fail(stop.line, stop.column, stop.message)
    except yaml.MarkedYAMLError as error:
        line, column, message = _plain_yaml_error(error, text)
        return fail(line, column, message)
    except yaml.YAMLError as error:
        return fail(1, 1, f"this is not valid YAML: {error}")
    try:
        source.value = _convert(documents[0], (), source, problems, [MAX_NODES])
    except _Stop as stop:
        return fail(stop.line, stop.column, stop.message)
    return source, problems


def _scan_events(text: str) -> None:
    """Refuse absurd nesting and extra documents before composing: libyaml's composer recurses
    on the C stack and crashes the process on nesting tens of thousands deep."""
    depth = documents = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise _Stop(mark.line + 1, mark.column + 1, NESTED_TOO_DEEP)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                mark = event.start_mark
                raise _Stop(mark.line + 1, mark.column + 1, "a second YAML document starts here (after ---); a plan file holds exactly one")


# Errors whose context mark, not problem mark, is where the mistake is: the place a quote,
# bracket or key was opened.
_OPENED_AT = {
    "while scanning a quoted scalar": "a quote opened here is never closed",
    "while parsing a flow mapping": "a { opened here is not closed, or an item is missing its comma",
    "while parsing a flow sequence": "a [ opened here is not closed, or an item is missing its comma",
    "while scanning a simple key": "this line has no ':' after its key (write 'key: value')",
}


def _plain_yaml_error(error: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    problem = error.problem or "this is not valid YAML"
    mark = error.problem_mark or error.context_mark
    if error.context in _OPENED_AT and error.context_mark is not None:
        mark = error.context_mark
        return mark.line + 1, mark.column + 1, f"YAML syntax: {_OPENED_AT[error.context]}"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: max(mark.column, 0) + 1]:
        return line, column, "this line is indented with a tab; YAML needs spaces for indentation"
    if "exceeded maximum nesting depth" in problem:  # PyYAML 6.0.4 and later stop deep flow nesting themselves
        return line, column, NESTED_TOO_DEEP
    if "mapping values are not allowed" in problem:
        return line, column, f"YAML syntax: {problem} (a value containing ': ' needs quotes)"
    return line, column, f"YAML syntax: {problem}"


# --- Validation against the model -------------------------------------------------------------


def field_name(loc: Loc) -> str:
    """How every problem names a field: `activity_groups[0].activities[2].id`; `[3].term` in a list file."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may stand for."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _model_at(root: Any, loc: Loc) -> list[type[BaseModel]]:
    """The models that may sit at `loc` below `root`, for naming the keys allowed there."""
    current = [root]
    for part in loc:
        following: list[Any] = []
        for candidate in current:
            for kind in _unwrap(candidate):
                origin = typing.get_origin(kind)
                if isinstance(part, int) and origin is list:
                    following.extend(typing.get_args(kind))
                elif isinstance(kind, type) and issubclass(kind, BaseModel):
                    if part in kind.model_fields:
                        following.append(kind.model_fields[part].annotation)
                    elif part == kind.__name__:
                        following.append(kind)
                    else:  # a discriminator tag such as 'levels'
                        tagged = [kind] if kind.model_fields.get("kind") and part in typing.get_args(kind.model_fields["kind"].annotation) else []
                        following.extend(tagged)
        current = following
    return [t for c in current for t in _unwrap(c) if isinstance(t, type) and issubclass(t, BaseModel)]


_PLAIN_TYPES = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number, not a decimal",
    "decimal_parsing": "expected a number",
    "decimal_type": "expected a number",
    "string_type": "expected text",
    "list_type": "expected a list (lines starting with '- ')",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
    "date_from_datetime_parsing": "expected a date written as YYYY-MM-DD",
    "date_parsing": "expected a date written as YYYY-MM-DD",
    "date_type": "expected a date written as YYYY-MM-DD",
    "bool_type": "expected true or false",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
}


def plain_message(error: Mapping[str, Any], root: Any, data_loc: Loc, raw: str | None = None) -> str:
    kind = error["type"]
    given = error.get("input")
    shown = f", got {given!r}" if isinstance(given, (str, int, Decimal)) and not isinstance(given, bool) else ""
    if kind == "extra_forbidden":
        key = data_loc[-1]
        allowed = sorted({name for model in _model_at(root, data_loc[:-1]) for name in model.model_fields})
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else (f"; allowed keys here: {', '.join(allowed)}" if allowed else "")
        return f"unknown key '{key}'{hint}"
    if kind == "missing":
        return f"required field '{data_loc[-1]}' is missing"
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}{shown}"
    if kind == "union_tag_not_found":
        return f"required field '{error['ctx']['discriminator'].strip(chr(39))}' is missing"
    if kind == "union_tag_invalid":
        return f"expected one of {error['ctx']['expected_tags']}, got {error['ctx']['tag']!r}"
    if kind == "string_type" and given is None:
        return "must not be empty"
    if kind == "string_type" and raw is not None and not isinstance(given, str):
        return f'expected text, but YAML reads {raw!r} as {"true or false" if isinstance(given, bool) else "a number"}; put it in quotes: "{raw}"'
    if kind == "string_pattern_mismatch" and data_loc and data_loc[-1] in ("id", "council", "organisation", "workstream"):
        return f"expected an id of lower-case letters, digits and hyphens (like 'local-provision'){shown}"
    if kind in ("date_from_datetime_parsing", "date_parsing") and isinstance(given, str):
        return f"{given!r} is not a real date; write YYYY-MM-DD ({error['msg'].split(',')[-1].strip()})"
    if kind in _PLAIN_TYPES:
        return _PLAIN_TYPES[kind] + shown
    if kind in ("value_error", "assertion_error"):
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return error["msg"][0].lower() + error["msg"][1:] + shown


def validate(source: SourceFile, model: Any, problems: Problems) -> Any:
    """Validate a file's value against a model type; problems point into the file."""
    adapter = TypeAdapter(model)
    try:
        return adapter.validate_python(source.value)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            data_loc = _data_loc(error["loc"], source)
            if error["type"] == "extra_forbidden":
                line, column = source.key_where(data_loc)
            else:
                line, column = source.where(data_loc)
            problems.add(
                Problem(
                    source.path,
                    line,
                    column,
                    "error",
                    field_name(data_loc) or "(file)",
                    plain_message(error, model, data_loc, source.raw.get(data_loc)),
                )
            )
        return None


def _data_loc(loc: Loc, source: SourceFile) -> Loc:
    """Drop pydantic's union tags and member names from an error location, keeping real keys:
    a name is kept if the file has it there, or if it is the last part (a missing or extra key)."""
    kept: list[Any] = []
    for index, part in enumerate(loc):
        candidate = tuple(kept) + (part,)
        if isinstance(part, int) or candidate in source.values or index == len(loc) - 1:
            kept.append(part)
    return tuple(kept)


# --- The whole plan ---------------------------------------------------------------------------


def outside_folder(path: Path, folder: Path, kind: str = "data") -> str | None:
    """Why a file may not be read as part of `folder`, or None. A pull request can add a link such
    as data/workstreams/07-x.yaml -> /etc/passwd; its target is never read, so never printed."""
    try:
        target = path.resolve(strict=True)
        inside = target.is_relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError):  # a link to nothing, or a loop of links
        return f"this is a link that leads nowhere; plan {kind} must be ordinary files in the {kind} folder"
    if not inside:
        return f"this is a link to a file outside the {kind} folder, which is not read; plan {kind} must be files in the {kind} folder"
    return None


@dataclass
class LoadedPlan:
    """Validated plan data with the source files it came from (None if any file had an error)."""

    data: PlanData | None
    sources: dict[str, SourceFile]
    problems: Problems
    files: dict[str, str] = field(default_factory=dict)  # workstream id -> file path (first one)
    workstream_files: list[str] = field(default_factory=list)  # in the order of data.workstreams


_LIST_FIELDS = {f.field for f in DATA_FILES if typing.get_origin(f.model) is list}


def load_plan(data_dir: Path | str) -> LoadedPlan:
    data_dir = Path(data_dir)
    problems = Problems()
    sources: dict[str, SourceFile] = {}
    files: dict[str, str] = {}
    workstream_files: list[str] = []

    def read(path: Path, model: Any, required: bool) -> Any:
        shown = str(path)
        if not path.exists() and not path.is_symlink():
            if required:
                problems.add(Problem(shown, 1, 1, "error", "", "this file is missing; every plan needs it"))
            return None
        outside = outside_folder(path, data_dir)
        if outside:
            problems.add(Problem(shown, 1, 1, "error", "", outside))
            return None
        source, file_problems = read_yaml(path, shown)
        sources[shown] = source
        problems.extend(file_problems)
        if source.value is None:
            return None
        return validate(source, model, problems)

    values: dict[str, Any] = {}
    for data_file in DATA_FILES:
        if data_file.name == WORKSTREAMS_FOLDER:
            values[data_file.field] = []
            folder = data_dir / data_file.name
            for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
                workstream = read(path, data_file.model, required=True)
                if workstream is not None:
                    values[data_file.field].append(workstream)
                    workstream_files.append(str(path))
                    files.setdefault(workstream.id, str(path))
        else:
            values[data_file.field] = read(data_dir / data_file.name, data_file.model, data_file.required)
    if problems.errors or values["plan"] is None:
        return LoadedPlan(None, sources, problems, files, workstream_files)
    # An optional list file that is absent is an empty list.
    data = PlanData(**{name: [] if value is None and name in _LIST_FIELDS else value for name, value in values.items()})
    return LoadedPlan(data, sources, problems, files, workstream_files)
