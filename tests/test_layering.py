"""The layering contract, read from the source: nothing below the command layer imports Typer,
prints or exits; a module imports only modules of lower layers; only the loader-side modules
read files and only output.py writes them. A new module must be placed in LAYERS to pass."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "cnblock"

COMMAND_LAYER = {"cnblock.cli", "cnblock.__main__", "cnblock.launch", "cnblock.commands"}
"""The only modules that may import Typer, print and exit (cnblock.commands.* included)."""

LAYERS: dict[str, int] = {
    "cnblock": 0,  # the package's __init__: the version only
    "cnblock.errors": 0,
    "cnblock.suggest": 0,
    "cnblock.model": 1,
    "cnblock.yamlnodes": 1,
    "cnblock.fastread": 2,  # the usual shape of a log read without PyYAML (into yamlnodes' nodes)
    "cnblock.cache": 2,  # a derived copy of loaded records: below the loader, above the model
    "cnblock.text": 2,
    "cnblock.texts": 2,  # finding and reading a source's text
    "cnblock.layout": 1,  # word-keeping tables of rich Text; knows nothing of the data
    "cnblock.loader": 3,
    "cnblock.query": 3,
    "cnblock.provenance": 4,
    "cnblock.render": 4,
    "cnblock.lanes": 4,  # chart geometry shared by the terminal chart and the HTML page
    "cnblock.htmlexport": 5,
    "cnblock.chart": 5,  # the terminal chart: Rich Text from lanes.py's geometry
    "cnblock.export": 6,  # its registry loads htmlexport when HTML is asked for
    "cnblock.output": 4,
    "cnblock.curate": 2,  # appending records to a data file's text
    "cnblock.datelines": 0,  # the dates a line of an article states
    "cnblock.sourceview": 3,  # a source's lines beside the events citing them
    "cnblock.checks": 5,  # the named checks of `cnblock check`
    "cnblock.additions": 5,  # records for `add` and `source add`, checked before writing
}
"""A module may import only cnblock modules of a strictly lower layer."""

READERS = {"cnblock.loader", "cnblock.provenance", "cnblock.cache", "cnblock.texts"}
READERS |= {"cnblock.additions"}  # through the loader's and texts' readers, never open() itself
WRITERS = {"cnblock.output", "cnblock.cache"}  # the cache writes only in its own folder
_READ_CALLS = {"open", "read_text", "read_bytes", "fdopen"}
_WRITE_CALLS = {"write_text", "write_bytes", "replace", "rename", "link", "unlink", "mkstemp"}
_EXITS = {("sys", "exit"), ("os", "_exit")}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def in_command_layer(name: str) -> bool:
    return name in COMMAND_LAYER or name.startswith("cnblock.commands.")


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
LOWER = sorted(name for name in MODULES if not in_command_layer(name))


def imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def violations(name: str, tree: ast.AST) -> list[str]:
    """What `name`, a module below the command layer, does that only the command layer may."""
    found = []
    for module in sorted(imports(tree)):
        top = module.split(".")[0]
        if top in ("typer", "click"):
            found.append(f"imports {module}")
        elif module in MODULES and in_command_layer(module):
            found.append(f"imports the command layer ({module})")
        elif module in LAYERS and LAYERS[module] >= LAYERS[name] and module != name:
            found.append(f"imports {module}, which is not in a lower layer")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            owner = getattr(getattr(func, "value", None), "id", None)
            if called in ("print", "exit", "quit") and isinstance(func, ast.Name):
                found.append(f"calls {called}() at line {node.lineno}")
            if (owner, called) in _EXITS:
                found.append(f"calls {owner}.{called}() at line {node.lineno}")
            if called in _READ_CALLS and name not in READERS | WRITERS:
                found.append(f"reads a file ({called}) at line {node.lineno}")
            # str.replace takes two arguments; os.replace and Path.replace take a target.
            text_replace = called == "replace" and owner != "os" and len(node.args) == 2
            if called in _WRITE_CALLS and not text_replace and name not in WRITERS:
                found.append(f"writes a file ({called}) at line {node.lineno}")
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("stdout", "stderr")
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            found.append(f"uses sys.{node.attr} at line {node.lineno}")
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if getattr(raised, "id", None) == "SystemExit":
                found.append(f"raises SystemExit at line {node.lineno}")
    return found


@pytest.mark.parametrize("name", LOWER)
def test_below_the_command_layer_nothing_prints_exits_or_reaches_up(name):
    assert name in LAYERS, f"{name} is not placed in a layer: add it to LAYERS in {__file__}"
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    assert violations(name, tree) == []


@pytest.mark.parametrize(
    ("source", "complaint"),
    [
        ("import typer", "imports typer"),
        ("from cnblock.commands import common", "imports the command layer"),
        ("from cnblock import export", "imports cnblock.export, which is not in a lower layer"),
        ("print('x')", "calls print()"),
        ("import sys\nsys.exit(1)", "calls sys.exit()"),
        ("import sys\nsys.stdout.write('x')", "uses sys.stdout"),
        ("raise SystemExit(2)", "raises SystemExit"),
        ("open('f').read()", "reads a file (open)"),
        ("import os\nos.replace('a', 'b')", "writes a file (replace)"),
        ("path.replace(target)", "writes a file (replace)"),
    ],
)
def test_the_contract_catches_each_kind_of_breach(source, complaint):
    found = violations("cnblock.query", ast.parse(source))
    assert any(complaint in v for v in found), found


def test_the_command_layer_is_where_typer_is():
    commands = [n for n in MODULES if in_command_layer(n)]
    assert "cnblock.cli" in commands
    assert any("typer" in imports(ast.parse(MODULES[n].read_text("utf-8"))) for n in commands)
