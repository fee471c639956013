"""Round-trip YAML editing with ruamel.yaml: change a value, keep every comment, key order and
untouched line of the file. Used by `clearplan import` and `clearplan new`.

Plan files are written with two-space mappings and list dashes indented by two, as the bundled
data is; an unchanged workstream file round-trips to the same bytes (tested).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.representer import RoundTripRepresenter


def _represent_decimal(representer: RoundTripRepresenter, value: Decimal):
    """Money and figures stay exact: written with the digits they have, read back as Decimal."""
    if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
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
