"""The package's architecture, checked from its source: who may import whom, no import loops, small modules.

The rules are those of docs/architecture.md. Imports are read with `ast` from every module, function-level
imports included (a loop hidden in a function is still a loop); imports under `if TYPE_CHECKING:` are
left out, since they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "scheduler"
MAX_LINES = 500
AREAS = ("people", "planning", "rosters", "calendars", "attendance", "casework")
# What a layer may import of ours (prefixes of module names); anything of ours not listed is a breach.
ALLOWED: dict[str, tuple[str, ...]] = {
    "scheduler.core": ("scheduler.core",),
    "scheduler.solver": ("scheduler.core", "scheduler.solver"),
    "scheduler.changes": ("scheduler.core", "scheduler.solver", "scheduler.changes"),
}
# Third-party packages the pure layers must not import.
IMPURE = ("sqlalchemy", "flask", "werkzeug", "jinja2", "alembic", "click")
PURE_LAYERS = ("scheduler.core", "scheduler.solver", "scheduler.changes")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (migrations excluded: Alembic loads them by path)."""
    return {
        module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.relative_to(PACKAGE).parts
    }


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of the imports under `if TYPE_CHECKING:`."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                for sub in ast.walk(inner):
                    if isinstance(sub, ast.Import | ast.ImportFrom):
                        lines.add(sub.lineno)
    return lines


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if modules()[importer].name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


@cache
def imports_of(name: str) -> tuple[str, ...]:
    """The modules `name` imports (ours and third-party top-level names), where the import statement names them."""
    tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(name, node)
            # `from pkg import mod` imports the module pkg.mod; `from mod import name` imports mod.
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules()]
            found.extend(subs or [target])
    return tuple(dict.fromkeys(found))


def _ours(name: str) -> bool:
    return name == "scheduler" or name.startswith("scheduler.")


def _owner(target: str) -> str:
    """The module of ours that an imported name belongs to (the longest known prefix)."""
    while target and target not in modules():
        target = target.rpartition(".")[0]
    return target


def graph() -> dict[str, set[str]]:
    return {m: {_owner(t) for t in imports_of(m) if _ours(t) and _owner(t) and _owner(t) != m} for m in modules()}


def _cycles(edges: dict[str, set[str]]) -> Iterator[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    yield sorted(component)


def test_the_checker_finds_a_loop_and_a_breach() -> None:
    # The checker itself: a loop of three and a self-contained module.
    assert list(_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()})) == [["a", "b", "c"]]
    assert "scheduler.core.problem" in modules() and "scheduler.web" in modules()


def test_no_module_imports_itself_back_through_others() -> None:
    loops = list(_cycles(graph()))
    assert not loops, "import loops: " + "; ".join(" <-> ".join(loop) for loop in loops)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_pure_layer_imports_only_what_lies_below_it(layer: str) -> None:
    breaches = [
        f"{m} imports {t}"
        for m in modules()
        if m == layer or m.startswith(layer + ".")
        for t in imports_of(m)
        if _ours(t) and not any(t == a or t.startswith(a + ".") for a in ALLOWED[layer])
    ]
    assert not breaches, "\n".join(breaches)


@pytest.mark.parametrize("layer", PURE_LAYERS)
def test_the_core_the_solver_and_change_logic_never_import_the_orm_or_flask(layer: str) -> None:
    breaches = [
        f"{m} imports {t}"
        for m in modules()
        if m == layer or m.startswith(layer + ".")
        for t in imports_of(m)
        if t.split(".")[0] in IMPURE or t.startswith(("scheduler.models", "scheduler.db"))
    ]
    assert not breaches, "\n".join(breaches)


@pytest.mark.parametrize("area", AREAS)
def test_an_area_never_imports_the_web_or_the_command_line(area: str) -> None:
    prefix = f"scheduler.{area}"
    breaches = [
        f"{m} imports {t}"
        for m in modules()
        if m == prefix or m.startswith(prefix + ".")
        for t in imports_of(m)
        if t.split(".")[:2] in (["scheduler", "web"], ["scheduler", "cli"]) or t.split(".")[0] in ("flask", "click")
    ]
    assert not breaches, "\n".join(breaches)


def test_the_models_import_only_the_database_base_the_core_and_each_other() -> None:
    allowed = ("scheduler.models", "scheduler.db", "scheduler.core", "scheduler.config")
    breaches = [
        f"{m} imports {t}"
        for m in modules()
        if m.startswith("scheduler.models")
        for t in imports_of(m)
        if _ours(t) and not t.startswith(allowed)
    ]
    assert not breaches, "\n".join(breaches)


def test_no_module_is_longer_than_the_house_limit() -> None:
    long = {m: n for m, p in modules().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"
