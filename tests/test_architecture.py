"""The package's layers, read from its source: no module imports another that (directly or not)
imports it back, counting imports inside functions; only the MkDocs adapter imports mkdocs; the
shared wording sits below everything."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "macros"
ADAPTER = {"mkdocs_plugin", "mkdocs_macros"}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path) -> tuple[set[str], set[str]]:
    """(clearplan modules, outside top-level packages) a module imports when it runs: at the top and
    inside functions, but not in `if TYPE_CHECKING:` blocks, which only type checkers read."""
    inside, outside = set(), set()
    skipped: set[int] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking_only(node):
            skipped.update(id(child) for statement in node.body for child in ast.walk(statement))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                inside.update([node.module.split(".")[0]] if node.module else [alias.name for alias in node.names])
            elif node.level == 0 and node.module:
                (inside.add(node.module.split(".")[1]) if node.module.startswith("clearplan.") else outside.add(node.module.split(".")[0]))
        elif isinstance(node, ast.Import):
            outside.update(alias.name.split(".")[0] for alias in node.names)
    return inside, outside


def graph() -> dict[str, set[str]]:
    modules = {path.stem: path for path in PACKAGE.glob("*.py")}
    return {name: imports(path)[0] & modules.keys() for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, as the path from a module back to itself (one per cycle's first module)."""
    found, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        for imported in sorted(edges[module]):
            if imported in path:
                found.append(path[path.index(imported):] + [imported])
            elif imported not in done:
                visit(imported, path + [imported])
        done.add(module)

    for module in sorted(edges):
        if module not in done:
            visit(module, [module])
    return found


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function(tmp_path):
    (tmp_path / "a.py").write_text("from .b import x\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from .c import y\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import z\nfrom . import a\n", encoding="utf-8")
    edges = {path.stem: imports(path)[0] for path in tmp_path.glob("*.py")}
    assert edges == {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    assert cycles(edges) == [["a", "b", "c", "a"]]


def test_no_module_imports_itself_back():
    assert cycles(graph()) == []


def test_only_the_adapter_imports_mkdocs():
    importers = {path.stem for path in PACKAGE.glob("*.py") if {"mkdocs", "material"} & imports(path)[1]}
    assert importers <= ADAPTER, importers - ADAPTER


def test_wording_imports_only_the_money_leaf():
    assert graph()["wording"] <= {"money"}
    assert graph()["money"] == set()
