"""The package's layers, read from its source: no module imports another that (directly or not)
imports it back, counting imports inside functions; only the MkDocs adapter imports mkdocs; the
shared wording sits below everything."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "clearplan"
# The layers, lowest first: a module may import from its own layer and the layers below it.
LAYERS = ["plan", "figures", "checks", "site", "outputs", "editing", "cli", "mkdocs"]
ADAPTER = "mkdocs"


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path, package: tuple[str, ...] = ()) -> tuple[set[str], set[str]]:
    """(clearplan modules as dotted names below clearplan, outside top-level packages) a module in
    `package` imports when it runs: at the top and inside functions, but not in `if TYPE_CHECKING:`
    blocks, which only type checkers read."""
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
            if node.level:
                base = package[: len(package) - (node.level - 1)]
            elif node.module and node.module.split(".")[0] == "clearplan":
                base = ()
                node_module = node.module.split(".", 1)[1] if "." in node.module else None
                inside.update([".".join((node_module,))] if node_module else [])
                continue
            else:
                outside.add((node.module or "").split(".")[0])
                continue
            module = tuple(node.module.split(".")) if node.module else ()
            inside.update([".".join(base + module)] + [".".join(base + module + (alias.name,)) for alias in node.names])
        elif isinstance(node, ast.Import):
            outside.update(alias.name.split(".")[0] for alias in node.names)
    return inside, outside


def modules() -> dict[str, Path]:
    return {".".join(path.relative_to(SOURCE).with_suffix("").parts): path for path in SOURCE.rglob("*.py") if path.name != "__init__.py"}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, tuple(name.split(".")[:-1]))[0] & known.keys() for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, as the path from a module back to itself (one per cycle's first module)."""
    found, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        for imported in sorted(edges[module]):
            if imported in path:
                found.append(path[path.index(imported) :] + [imported])
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
    edges = {path.stem: imports(path)[0] & {"a", "b", "c"} for path in tmp_path.glob("*.py")}
    assert edges == {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    assert cycles(edges) == [["a", "b", "c", "a"]]


def test_imports_are_resolved_to_modules_across_layers(tmp_path):
    (tmp_path / "m.py").write_text("from ..plan.model import X\nfrom . import render\nfrom clearplan.figures.money import y\n", encoding="utf-8")
    assert imports(tmp_path / "m.py", ("site",))[0] >= {"plan.model", "site.render", "figures.money"}


def test_the_package_has_its_layers():
    assert sorted({name.split(".")[0] for name in modules()}) == sorted(LAYERS)


def test_no_module_imports_itself_back():
    assert cycles(graph()) == []


def test_no_layer_imports_a_higher_one():
    upward = sorted(
        f"{name} imports {imported}"
        for name, edges in graph().items()
        for imported in edges
        if LAYERS.index(imported.split(".")[0]) > LAYERS.index(name.split(".")[0])
    )
    assert upward == []


def test_only_the_adapter_imports_mkdocs():
    importers = {name for name, path in modules().items() if {"mkdocs", "material"} & imports(path)[1]}
    assert importers and {name.split(".")[0] for name in importers} == {ADAPTER}, importers


def test_wording_imports_only_the_money_leaf():
    edges = graph()
    assert edges["plan.wording"] <= {"plan.money"}
    assert edges["plan.money"] == set()
