"""The package's shape: layers, no import circles, and no internal import hidden in a function.

`LAYERS` is the one place the layer order is written down, bottom first. A module may import
modules of its own layer or of a layer below; never one above. Inside `assistant/` there is no
import circle at all (function-level imports count: a circle dodged inside a function is still a
circle). A function-level import is allowed only for a heavy third-party dependency, and must say
why on its own line (`import gradio as gr  # heavy: …`).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"

# Bottom first. The first component of a module's name under `assistant` decides its layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("__init__", "errors", "text", "printing", "vocabulary", "paths", "prompts", "limits"),
    ("quantities",),
    ("provenance", "directions"),
    ("review",),
    ("evaluation",),
    ("documents",),
    ("loaders",),
    ("actuals",),
    ("scoring",),
    ("tokenizer",),
    ("figures",),
    ("corpus",),
    ("retrieval",),
    ("providers",),
    ("llm",),
    ("drafting",),
    ("export",),
    ("chat",),
    ("workbench",),
    ("ui",),
    ("commands",),
    ("cli",),
)
LAYER_OF = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside `if TYPE_CHECKING:` blocks (annotations only, never run)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING":
            skipped.update(id(n) for n in ast.walk(node))
    return skipped


def _targets(module: str, path: Path, node: ast.ImportFrom | ast.Import) -> set[str]:
    """The package modules an import statement loads."""
    found: set[str] = set()
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in MODULES}
    if node.level:
        base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    for alias in node.names:
        if f"{target}.{alias.name}" in MODULES:
            found.add(f"{target}.{alias.name}")
        elif target in MODULES:
            found.add(target)
    return found


def _imports():
    """(module, imported module, line, function-level) for every package-internal import that runs."""
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_nodes(tree)
        top_level = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skipped:
                for target in _targets(module, path, node):
                    if target != module:
                        yield module, target, node.lineno, id(node) not in top_level


def _layer(module: str) -> int:
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else "__init__"
    if name not in LAYER_OF:
        pytest.fail(f"{module} is in no layer: add it to LAYERS in tests/test_architecture.py")
    return LAYER_OF[name]


def test_no_import_runs_up_the_layers():
    upward = [f"{m} (line {line}) imports {t}" for m, t, line, _ in _imports() if _layer(t) > _layer(m)]
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(upward)


def test_no_import_circles():
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, target, _, _ in _imports():
        graph[module].add(target)
    circles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                circles.append(" → ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_function_level_imports_only_defer_heavy_dependencies_with_a_reason():
    internal = [f"{m} (line {line}) imports {t} inside a function" for m, t, line, inner in _imports() if inner]
    assert not internal, "\n".join(internal)
    unexplained = []
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        skipped = _type_checking_nodes(tree)
        top_level = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top_level | skipped:
                if "#" not in lines[node.lineno - 1]:
                    unexplained.append(f"{module} line {node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not unexplained, "function-level imports without a reason comment:\n" + "\n".join(unexplained)


def test_the_core_never_imports_the_ui():
    core = [f"{m} imports {t}" for m, t, _, _ in _imports()
            if t.startswith("assistant.ui") and not m.startswith(("assistant.ui", "assistant.commands"))]
    assert not core
