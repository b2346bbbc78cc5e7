"""A small mutation tester: does the test suite notice when the code is wrong?

Each mutant changes one thing in one module (a comparison flipped, `and` made `or`, a `not`
dropped, a number moved by one, a check's `raise` or problem report deleted, True and False
swapped), runs the fast tests against a copy of the package holding the mutant, and counts it
killed when a test fails. Survivors are printed with their line, for a person to judge: a test
missing, or a change that cannot matter.

    python tools/mutate.py cnblock/loader.py [cnblock/model.py ...] [--jobs 2] [--tests ...]

Standard library and pytest only. Run from the repository root with the test extra installed.
"""

from __future__ import annotations

import argparse
import ast
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAST_TESTS = [
    "tests/test_loader.py",
    "tests/test_model.py",
    "tests/test_query.py",
    "tests/test_export.py",
    "tests/test_render.py",
    "tests/test_provenance.py",
    "tests/test_output.py",
    "tests/test_commands.py",
    "tests/test_text.py",
    "tests/test_properties.py",
]
_FLIP = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


class Mutator(ast.NodeTransformer):
    """Applies the `target`-th possible mutation (counting in walk order) and describes it."""

    def __init__(self, target: int):
        self.target, self.seen, self.done = target, -1, ""

    def _hit(self) -> bool:
        self.seen += 1
        return self.seen == self.target

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        if type(node.ops[0]) in _FLIP and self._hit():
            old = type(node.ops[0]).__name__
            node.ops[0] = _FLIP[type(node.ops[0])]()
            self.done = f"line {node.lineno}: {old} -> {type(node.ops[0]).__name__}"
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        if self._hit():
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            self.done = f"line {node.lineno}: and <-> or"
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Not) and self._hit():
            self.done = f"line {node.lineno}: 'not' dropped"
            return node.operand
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool) and self._hit():
            self.done = f"line {node.lineno}: {value} -> {not value}"
            return ast.copy_location(ast.Constant(not value), node)
        if type(value) is int and self._hit():
            self.done = f"line {node.lineno}: {value} -> {value + 1}"
            return ast.copy_location(ast.Constant(value + 1), node)
        return node

    def visit_Raise(self, node: ast.Raise) -> ast.AST:
        self.generic_visit(node)
        if self._hit():
            self.done = f"line {node.lineno}: raise deleted"
            return ast.copy_location(ast.Pass(), node)
        return node

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        self.generic_visit(node)
        call = node.value
        is_report = isinstance(call, ast.Call) and getattr(call.func, "attr", "") in (
            "_problem",
            "append",
        )
        if is_report and self._hit():
            self.done = f"line {node.lineno}: {ast.unparse(call)[:60]} deleted"
            return ast.copy_location(ast.Pass(), node)
        return node


def mutants(source: str) -> list[tuple[str, str]]:
    """Every (description, mutated source) of a module."""
    found = []
    index = 0
    while True:
        tree = ast.parse(source)
        mutator = Mutator(index)
        mutator.visit(tree)
        if not mutator.done:
            return found
        found.append((mutator.done, ast.unparse(tree)))
        index += 1


def run_tests(folder: Path, tests: list[str]) -> bool:
    """Whether the tests pass in `folder`, a copy of the repository (`python -m` puts the
    working folder first on the path, so its package is the one imported)."""
    env = dict(os.environ, PYTHONPATH=str(folder), HYPOTHESIS_PROFILE="mutation")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
        cwd=folder,
        env=env,
        capture_output=True,
        timeout=300,
    )
    return result.returncode == 0


def check(module: Path, description: str, mutated: str, *, tests: list[str]) -> str | None:
    """The description if the mutant survives, else None."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for part in ("cnblock", "tests", "data"):
            shutil.copytree(ROOT / part, folder / part)
        shutil.copy(ROOT / "pyproject.toml", folder)
        (folder / module.relative_to(ROOT)).write_text(mutated, "utf-8")
        return None if not run_tests(folder, tests) else description


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--tests", nargs="*", default=FAST_TESTS)
    args = parser.parse_args()
    total = killed = 0
    for module in (m.resolve() for m in args.modules):
        candidates = mutants(module.read_text("utf-8"))
        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(
                pool.map(
                    functools.partial(check, module, tests=args.tests),
                    *zip(*candidates, strict=True),
                )
            )
        survivors = [r for r in results if r]
        total += len(candidates)
        killed += len(candidates) - len(survivors)
        print(f"{module.relative_to(ROOT)}: {len(candidates)} mutants, {len(survivors)} survived")
        for survivor in survivors:
            print(f"  survived: {survivor}")
    print(f"total: {total} mutants, {killed} killed, {total - killed} survived")
    return 0


if __name__ == "__main__":
    sys.exit(main())
