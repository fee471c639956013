"""Tables of figures and stand-alone figures, laid out on one FigureGraph; and every statement the
document makes about a figure compared with the worked-out value.

Figure ids: a stand-alone figure has its own id; a table `t` creates `t.<row>.<column>` for each
cell, `t.<row>.total`, `t.total.<column>`, `t.total` (the grand total), `t.<row>.<input>` for a row's
inputs, `t.cashable.<column>` / `t.cost_avoidance.<column>` in a savings table, and
`t.<split>.<column>` for each split. In a cell's formula a bare name means, nearest first: another
column or input of the same row, another row (or `total`) of the same column, `<name>.<column>`
(another table's row in the same column, for a summary), and else the figure with that id.
This module must not import mkdocs.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from .graph import Figure, FigureGraph, FigureProblem, Origin, format_amount
from ..plan.loading import LoadedPlan, problem_at
from ..plan.model import FigureDefinition, FigureTable, PlanData, TableColumn
from ..plan.money import UNIT_POUNDS, format_number
from ..plan.problems import Problem

RESERVED = {"total", "cashable", "cost_avoidance"}


def column_id(column: TableColumn) -> str:
    if column.id:
        return column.id
    if column.year:
        return "y" + column.year.replace("/", "_")
    return re.sub(r"[^a-z0-9]+", "_", (column.label or "").lower()).strip("_") or "column"


def column_heading(column: TableColumn) -> str:
    if column.year:
        return f"{column.year} onwards" if column.onwards else column.year
    return column.label or ""


@dataclass
class Comparison:
    """A statement about a figure beside its worked-out value. `kind`: equal, rounding, mismatch,
    conflict (two statements disagree), within_cap or over_cap."""

    figure_id: str
    label: str
    unit: str
    precision: int
    stated: Decimal  # in pounds (money) or the noun
    computed: Decimal
    kind: str
    origin: Origin
    where: str | None = None  # the document's place, for statements made elsewhere
    other: Decimal | None = None  # for a conflict: the first statement

    @property
    def difference(self) -> Decimal:
        return self.computed - self.stated

    def shown(self, value: Decimal) -> str:
        return format_amount(value, self.unit, self.precision)

    @property
    def message(self) -> str:
        if self.kind == "conflict":
            assert self.other is not None
            return (
                f"{self.label}: this states {self.shown(self.stated)}, but an earlier statement of the same figure gives "
                f"{self.shown(self.other)}; find out which is right (its inputs give {self.shown(self.computed)})"
            )
        if self.kind == "over_cap":
            return f"{self.label}: the document caps it at {self.shown(self.stated)} (up to), its inputs give {self.shown(self.computed)}: {self.shown(self.difference)} over"
        size = self.shown(abs(self.difference)) if is_money(self.unit) else format_number(abs(self.difference), self.precision)
        sign = "more" if self.difference > 0 else "less"
        parts = self.figure_id.split(".")
        basis = "its lines give" if len(parts) > 1 and parts[1] == "total" else "its inputs give"
        text = f"{self.label}: states {self.shown(self.stated)}, {basis} {self.shown(self.computed)}: {size} {sign}"
        return text + (" (within rounding)" if self.kind == "rounding" else "")


@dataclass
class Cell:
    figure_id: str
    column: str  # column id, or "total"


@dataclass
class LaidRow:
    id: str
    item: str
    note: str | None
    cells: list[Cell]  # one per column, then the total when the table has a total column
    kind: str = "line"  # line, subtotal, total, split
    saving: str | None = None


@dataclass
class LaidTable:
    """A table as the page shows it: figure ids in rows and columns, values read from the graph."""

    table: FigureTable
    owner: str  # "finance" or a workstream id
    columns: list[TableColumn]
    column_ids: list[str]
    rows: list[LaidRow]

    @property
    def id(self) -> str:
        return self.table.id

    @property
    def headings(self) -> list[str]:
        return [column_heading(c) for c in self.columns] + (["Total"] if self.table.total_column else [])


@dataclass
class FigureBook:
    """The plan's figures worked out, its tables laid out, and every statement compared."""

    graph: FigureGraph
    tables: list[LaidTable]
    standalone: list[tuple[str, str]]  # (owner, figure id) of figures written outside tables
    comparisons: list[Comparison] = field(default_factory=list)

    def value(self, figure_id: str) -> Decimal | None:
        return self.graph.values.get(figure_id)

    def shown(self, figure_id: str) -> str:
        return self.graph.shown(figure_id) if figure_id in self.graph.values else "not worked out"

    def in_unit(self, figure_id: str) -> str:
        """The value as a table cell shows it: in the table's unit, rounded once, without the unit."""
        if figure_id not in self.graph.values:
            return ""
        figure = self.graph.figures[figure_id]
        return format_number(self.graph.rounded(figure_id) / figure.base, figure.precision)

    def tables_of(self, owner: str) -> list[LaidTable]:
        return [t for t in self.tables if t.owner == owner]

    def figures_of(self, owner: str) -> list[str]:
        return [figure_id for o, figure_id in self.standalone if o == owner]

    def comparisons_of(self, figure_id: str) -> list[Comparison]:
        return [c for c in self.comparisons if c.figure_id == figure_id]

    @cached_property
    def differences(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.kind not in ("equal", "within_cap")]

    def working(self, figure_id: str) -> str:
        return self.graph.working(figure_id) if figure_id in self.graph.values else ""

    def shows_working(self, figure_id: str) -> bool:
        """A rate × quantity, a share or a division is shown with its inputs; sums and plain
        references are not (the table itself shows those)."""
        import ast

        tree = self.graph.figures[figure_id].tree
        if tree is None or figure_id not in self.graph.values:
            return False
        return any(
            isinstance(node, ast.BinOp)
            and isinstance(node.op, (ast.Mult, ast.Div))
            or (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "round")
            for node in ast.walk(tree)
        )

    def expression(self, figure_id: str) -> str | None:
        return self.graph.figures[figure_id].expression

    def unit(self, figure_id: str) -> str:
        return self.graph.figures[figure_id].unit

    def stated_differences(self, figure_id: str) -> list[Comparison]:
        return [c for c in self.comparisons_of(figure_id) if c.kind in ("rounding", "mismatch")]

    def notes(self, laid: "LaidTable") -> list[str]:
        """What a reader needs to read the table: recurring and part-year columns."""
        notes = []
        for column in laid.columns:
            if column.onwards:
                notes.append(f"{column_heading(column)}: the amount is for each year from {column.year}.")
            if column.part_year:
                notes.append(f"{column_heading(column)} is part of a year: {column.part_year}.")
        return notes


# --- Building --------------------------------------------------------------------------------------


def build_figures(data: PlanData) -> tuple[FigureBook, list[FigureProblem]]:
    """Every figure of the plan worked out. Problems carry their origin; the check turns them
    into file:line messages."""
    graph = FigureGraph()
    problems: list[FigureProblem] = []
    laid: list[LaidTable] = []
    standalone: list[tuple[str, str]] = []
    statements: list[tuple[str, Decimal, Origin, str | None, bool]] = []  # figure, value, origin, where, is cap
    owners: list[tuple[str, list[FigureDefinition], list[FigureTable]]] = []
    if data.finance is not None:
        owners.append(("finance", data.finance.figures, data.finance.tables))
    owners += [(w.id, w.figures, w.tables) for w in data.workstreams]
    workstream_ids = {w.id for w in data.workstreams}
    table_ids: dict[str, str] = {}

    for owner, figures, tables in owners:
        for index, definition in enumerate(figures):
            figure = Figure(
                definition.id,
                definition.label,
                definition.unit,
                definition.precision,
                definition.rounding,
                definition.value,
                definition.formula,
                Origin(owner, ("figures", index, "formula" if definition.formula else "value")),
                per=definition.per,
            )
            if graph.add(figure):
                standalone.append((owner, definition.id))
            if definition.stated is not None:
                statements.append((definition.id, definition.stated, Origin(owner, ("figures", index, "stated")), None, False))
            if definition.up_to is not None:
                statements.append((definition.id, definition.up_to, Origin(owner, ("figures", index, "up_to")), None, True))
        for index, table in enumerate(tables):
            where = ("tables", index)
            if owner != "finance" and table.workstream is not None:
                problems.append(
                    FigureProblem(
                        Origin(owner, where + ("workstream",)),
                        "error",
                        "a table in a workstream file belongs to that workstream; leave out 'workstream'",
                    )
                )
            elif table.workstream is not None and table.workstream not in workstream_ids:
                problems.append(
                    FigureProblem(
                        Origin(owner, where + ("workstream",)),
                        "error",
                        f"unknown workstream '{table.workstream}'; known: {', '.join(sorted(workstream_ids))}",
                    )
                )
            if table.id in table_ids or table.id in graph.figures:
                problems.append(
                    FigureProblem(
                        Origin(owner, where + ("id",)),
                        "error",
                        f"the table id '{table.id}' is already used ({table_ids.get(table.id, 'by a figure')}); ids must be unique",
                    )
                )
                continue
            table_ids[table.id] = "in finance.yaml" if owner == "finance" else f"in workstream '{owner}'"
            shown_owner = table.workstream or owner
            result = _lay_out(graph, table, owner, where, problems, statements)
            if result is not None:
                result.owner = shown_owner
                laid.append(result)

    if data.finance is not None:
        for index, statement in enumerate(data.finance.statements):
            origin = Origin("finance", ("statements", index, "value" if statement.value is not None else "up_to"))
            if statement.figure not in graph.figures:
                close = difflib.get_close_matches(statement.figure, list(graph.figures), n=1, cutoff=0.75)
                problems.append(
                    FigureProblem(
                        Origin("finance", ("statements", index, "figure")),
                        "error",
                        f"'{statement.figure}' is not a figure of this plan" + (f"; did you mean '{close[0]}'?" if close else ""),
                    )
                )
                continue
            amount = statement.value if statement.value is not None else statement.up_to
            assert amount is not None
            statements.append((statement.figure, amount, origin, statement.where, statement.up_to is not None))

    graph.evaluate()
    problems.extend(graph.problems)
    book = FigureBook(graph, laid, standalone)
    book.comparisons = _compare(graph, statements)
    return book, problems


def _lay_out(graph: FigureGraph, table: FigureTable, owner: str, where: tuple, problems: list[FigureProblem], statements: list) -> LaidTable | None:
    def problem(loc: tuple, message: str) -> None:
        problems.append(FigureProblem(Origin(owner, where + loc), "error", message))

    t = table.id
    columns = list(table.columns)
    ids = [column_id(c) for c in columns]
    keys: dict[str, str] = {}  # how a cell may name a column: its id, its year, its heading
    for index, (column, cid) in enumerate(zip(columns, ids)):
        if cid in keys.values() or cid in RESERVED:
            problem(
                ("columns", index),
                f"column '{column_heading(column)}' has the id '{cid}', which is "
                + ("reserved" if cid in RESERVED else "used by another column")
                + "; give it an id",
            )
            return None
        for key in {cid, column.year or "", column_heading(column), column.label or ""} - {""}:
            keys[key] = cid
    for index in range(1, len(columns)):
        before, now = columns[index - 1], columns[index]
        if before.year and now.year and int(now.year[:4]) != int(before.year[:4]) + 1:
            problem(("columns", index), f"{now.year} should follow {before.year}")
        if before.onwards:
            problem(("columns", index - 1), f"'{column_heading(before)}' covers every later year, so it must be the last column")
    if table.splits and table.kind != "savings":
        problem(("splits",), "splits say who gains from savings; they belong to a table of kind: savings")
    shares = sum((s.share for s in table.splits), Decimal(0))
    if table.splits and shares != 100:
        problem(("splits",), f"the splits' shares add up to {shares}%, not 100%")

    def add(
        figure_id: str, label: str, value: Decimal | None, expression: str | None, loc: tuple, scope: tuple[str, ...] = (), column: str | None = None
    ) -> None:
        graph.add(Figure(figure_id, label, table.unit, table.precision, table.rounding, value, expression, Origin(owner, where + loc), scope, column))

    def state(figure_id: str, stated: dict, capped: dict, loc: tuple, allowed: list[str]) -> None:
        for name, mapping, is_cap in (("stated", stated, False), ("up_to", capped, True)):
            for key, amount in mapping.items():
                target = "total" if key == "total" else keys.get(str(key))
                if target is None or (target == "total" and "total" not in allowed):
                    problem(loc + (name, key), f"'{key}' is not a column of this table; use one of {', '.join(allowed_words)}")
                    continue
                full = figure_id if (target == "total" and figure_id == f"{t}.total") else f"{figure_id}.{target}"
                statements.append((full, amount, Origin(owner, where + loc + (name, key)), None, is_cap))

    allowed = ids + (["total"] if table.total_column else [])
    allowed_words = [column_heading(c) for c in columns] + (["total"] if table.total_column else [])
    laid_rows: list[LaidRow] = []
    row_ids: set[str] = set()
    for r, row in enumerate(table.rows):
        loc = ("rows", r)
        if row.id in RESERVED or row.id in row_ids or row.id in {s.id for s in table.splits}:
            problem(loc + ("id",), f"row id '{row.id}' is " + ("reserved" if row.id in RESERVED else "already used in this table"))
            continue
        row_ids.add(row.id)
        if row.saving and table.kind != "savings":
            problem(loc + ("saving",), "only a table of kind: savings says whether a line is cashable or cost avoidance")
        for name, given in row.inputs.items():
            if name in keys or name in RESERVED:
                problem(loc + ("inputs", name), f"the input '{name}' has the name of a column; give it another name")
                continue
            graph.add(
                Figure(
                    f"{t}.{row.id}.{name}",
                    given.label or f"{row.item}: {name.replace('_', ' ')}",
                    given.unit,
                    max(0, -int(given.value.as_tuple().exponent)),
                    table.rounding,
                    given.value,
                    None,
                    Origin(owner, where + loc + ("inputs", name)),
                    per=given.per,
                )
            )
        cells_by_column: dict[str, tuple[str, object]] = {}
        for key, written in row.cells.items():
            cell_column = keys.get(str(key))
            if cell_column is None:
                problem(loc + ("cells", key), f"'{key}' is not a column of this table; columns: {', '.join(column_heading(c) for c in columns)}")
                continue
            cells_by_column[cell_column] = (str(key), written)
        cells: list[Cell] = []
        for cid, column in zip(ids, columns):
            figure_id = f"{t}.{row.id}.{cid}"
            label = f"{table.title}, {row.item}, {column_heading(column)}"
            scope = (f"{t}.{row.id}", f"{t}.{{}}.{cid}", f"{{}}.{cid}")
            if cid in cells_by_column:
                key, cell = cells_by_column[cid]
                if isinstance(cell, Decimal):
                    add(figure_id, label, cell, None, loc + ("cells", key))
                else:
                    add(figure_id, label, None, str(cell), loc + ("cells", key), scope, cid)
            elif row.formula is not None:
                add(figure_id, label, None, row.formula, loc + ("formula",), scope, cid)
            else:
                add(figure_id, label, Decimal(0), None, loc)  # a year the document leaves blank
            cells.append(Cell(figure_id, cid))
        if table.total_column:
            add(f"{t}.{row.id}.total", f"{table.title}, {row.item}, total", None, _sum(f"{t}.{row.id}.{c}" for c in ids), loc)
            cells.append(Cell(f"{t}.{row.id}.total", "total"))
        state(f"{t}.{row.id}", row.stated, row.up_to, loc, allowed)
        laid_rows.append(LaidRow(row.id, row.item, row.note, cells, saving=row.saving))

    lines = laid_rows
    extra: list[LaidRow] = []
    if table.kind == "savings":
        for saving, words in (("cashable", "Cashable savings"), ("cost_avoidance", "Cost avoidance")):
            tagged = [r for r in lines if r.saving == saving]
            if tagged and len(tagged) < len(lines):
                extra.append(_total_row(add, t, saving, f"{words}", table, ids, tagged, where))
    total = _total_row(add, t, "total", table.total_row.label, table, ids, lines, where)
    state(f"{t}.total", table.total_row.stated, table.total_row.up_to, ("total_row",), allowed)
    splits: list[LaidRow] = []
    for s, split in enumerate(table.splits):
        loc = ("splits", s)
        cells = []
        for cid, column in zip(ids, columns):
            add(
                f"{t}.{split.id}.{cid}",
                f"{table.title}, {split.label}, {column_heading(column)}",
                None,
                f"{t}.total.{cid} * {split.share}%",
                loc + ("share",),
            )
            cells.append(Cell(f"{t}.{split.id}.{cid}", cid))
        if table.total_column:
            add(f"{t}.{split.id}.total", f"{table.title}, {split.label}, total", None, _sum(f"{t}.{split.id}.{c}" for c in ids), loc)
            cells.append(Cell(f"{t}.{split.id}.total", "total"))
        state(f"{t}.{split.id}", split.stated, {}, loc, allowed)
        splits.append(LaidRow(split.id, f"{split.label} ({split.share}%)", None, cells, kind="split"))
    return LaidTable(table, owner, columns, ids, laid_rows + extra + [total] + splits)


def _sum(ids) -> str:
    return "sum(" + ", ".join(ids) + ")"


def _total_row(add, t: str, name: str, label: str, table: FigureTable, ids: list[str], rows: list[LaidRow], where: tuple) -> LaidRow:
    cells = []
    for cid, column in zip(ids, table.columns):
        add(
            f"{t}.{name}.{cid}",
            f"{table.title}, {label.lower()}, {column_heading(column)}",
            None,
            _sum(f"{t}.{r.id}.{cid}" for r in rows) if rows else "0",
            ("total_row",),
        )
        cells.append(Cell(f"{t}.{name}.{cid}", cid))
    grand = f"{t}.total" if name == "total" else f"{t}.{name}.total"
    if table.total_column:
        add(
            grand,
            f"{table.title}, grand total" if name == "total" else f"{table.title}, {label.lower()}, total",
            None,
            _sum(f"{t}.{name}.{c}" for c in ids),
            ("total_row",),
        )
        cells.append(Cell(grand, "total"))
    return LaidRow(name, label, None, cells, kind="total" if name == "total" else "subtotal")


# --- Statements --------------------------------------------------------------------------------------


def _compare(graph: FigureGraph, statements: list) -> list[Comparison]:
    """Each statement against its figure: equal, rounding or mismatch; a cap, within or over; and a
    second statement of the same figure that disagrees with the first, a conflict."""
    comparisons: list[Comparison] = []
    first_statement: dict[str, Decimal] = {}
    for figure_id, amount, origin, where, is_cap in statements:
        if figure_id == "" or figure_id not in graph.figures:
            continue  # reported where the statement names it
        figure = graph.figures[figure_id]
        computed = graph.values.get(figure_id)
        if computed is None:
            continue  # the figure could not be worked out; that is reported at its formula
        stated = Decimal(amount) * figure.base
        unit_size = Decimal(1).scaleb(-figure.precision) * figure.base
        if is_cap:
            kind = "within_cap" if computed <= stated else "over_cap"
        else:
            written_places = max(0, -int(Decimal(amount).as_tuple().exponent))  # type: ignore[arg-type]
            as_written = {graph.rounded(figure_id, places) for places in (figure.precision, min(written_places, figure.precision))}
            exact_at_precision = computed == graph.rounded(figure_id)
            if stated == computed or stated in as_written:
                kind = "equal"  # the document rounds as the table does, or gives fewer digits
            elif abs(computed - stated) <= unit_size and (figure.unit in UNIT_POUNDS or not exact_at_precision):
                kind = "rounding"  # e.g. a total of lines the document rounded, summed before rounding
            else:
                kind = "mismatch"
            earlier = first_statement.get(figure_id)
            if earlier is not None and abs(earlier - stated) > unit_size:
                comparisons.append(
                    Comparison(figure_id, figure.label, figure.unit, figure.precision, stated, computed, "conflict", origin, where, earlier)
                )
            first_statement.setdefault(figure_id, stated)
        comparisons.append(Comparison(figure_id, figure.label, figure.unit, figure.precision, stated, computed, kind, origin, where))
    return comparisons


def is_money(unit: str) -> bool:
    return unit in UNIT_POUNDS


# --- The check -------------------------------------------------------------------------------------


def figure_problems(loaded: LoadedPlan, data_dir: Path) -> list[Problem]:
    """The figures' mistakes and differences as file:line Problems: errors for what cannot be
    worked out, warnings for statements that differ from the worked-out value."""
    data = loaded.data
    assert data is not None
    files = {"finance": str(Path(data_dir) / "finance.yaml")}
    files.update({w.id: path for w, path in zip(data.workstreams, loaded.workstream_files)})
    book, problems = build_figures(data)
    found = [problem_at(loaded.sources[files[p.origin.file]], p.origin.loc, p.severity, p.message) for p in problems]
    found += [
        problem_at(loaded.sources[files[c.origin.file]], c.origin.loc, "warning", c.message + "; the site shows the worked-out figure")
        for c in book.comparisons
        if c.kind in ("mismatch", "conflict", "over_cap")
    ]
    return found


def work_out(table: FigureTable) -> tuple[FigureGraph, LaidTable]:
    """One table worked out on its own graph: for the presets (cost plan, contingency, ledger),
    whose data the model has already validated, so a problem here is a fault in the preset."""
    graph = FigureGraph()
    problems: list[FigureProblem] = []
    laid = _lay_out(graph, table, "finance", (), problems, [])
    graph.evaluate()
    assert laid is not None and not problems and not graph.problems, [p.message for p in problems + graph.problems]
    return graph, laid
