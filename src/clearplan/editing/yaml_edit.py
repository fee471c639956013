"""Round-trip YAML editing with ruamel.yaml: change a value, keep every comment, key order and
untouched line of the file. Used by `clearplan import` and `clearplan new`.

Plan files are written with two-space mappings and list dashes indented by two, as the bundled
data is; an unchanged workstream file round-trips to the same bytes (tested). Changed files are
written all or nothing (write_all_or_nothing).
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.representer import RoundTripRepresenter


def _represent_decimal(representer: RoundTripRepresenter, value: Decimal):
    """Money and figures stay exact: written with the digits they have, read back as Decimal."""
    exponent = value.as_tuple().exponent  # a letter for infinity and NaN, which plan data cannot hold
    if value == value.to_integral_value() and isinstance(exponent, int) and exponent >= 0:
        return representer.represent_int(int(value))
    return representer.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


def round_trip() -> YAML:
    yaml = YAML()  # round-trip mode: comments, order, quotes and block styles are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line we did not change
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, _represent_decimal)
    return yaml


def load(path: Path) -> Any:
    return round_trip().load(path.read_text(encoding="utf-8"))


def dump(document: Any) -> str:
    stream = io.StringIO()
    round_trip().dump(document, stream)
    return stream.getvalue()


class WriteFailed(Exception):
    """A file could not be written; every file is as it was before (the message says otherwise if not)."""


def _temp_beside(path: Path, content: bytes) -> Path:
    """A temporary file in the same folder, so replacing the file with it is one rename."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        if path.exists():
            os.chmod(temp, stat.S_IMODE(path.stat().st_mode))
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def write_all_or_nothing(texts: dict[Path, str]) -> None:
    """Write every file, or leave every file as it was: the new texts are written beside their files
    first, then each replaces its file; if a replacement fails, the files already replaced get their
    old bytes back. Raises WriteFailed, saying which file and why."""
    originals: dict[Path, bytes | None] = {}
    temps: dict[Path, Path] = {}
    try:
        for path, text in texts.items():
            originals[path] = path.read_bytes() if path.exists() else None
            temps[path] = _temp_beside(path, text.encode("utf-8"))
    except OSError as error:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise WriteFailed(f"cannot write {path}: {_reason(error)}; no file was changed") from None
    replaced: list[Path] = []
    for path, temp in temps.items():
        try:
            os.replace(temp, path)
        except OSError as error:
            for left in list(temps.values())[len(replaced) :]:
                left.unlink(missing_ok=True)
            not_restored = _restore(replaced, originals)
            tail = (
                "; no file was changed"
                if not not_restored
                else "; these files could not be put back and now hold the new text: " + ", ".join(map(str, not_restored))
            )
            raise WriteFailed(f"cannot write {path}: {_reason(error)}{tail}") from None
        replaced.append(path)


def _restore(paths: list[Path], originals: dict[Path, bytes | None]) -> list[Path]:
    """Put back the old bytes of files already replaced; returns those that could not be."""
    failed = []
    for path in paths:
        try:
            old = originals[path]
            if old is None:
                path.unlink()
            else:
                os.replace(_temp_beside(path, old), path)
        except OSError:
            failed.append(path)
    return failed
