"""The import rule, checked on the source: floors import downwards only.

- `assistant/core`, `knowledge/` and `eval/` never import the upper floors of `assistant`
  (advice, interview, report, web, cli);
- `knowledge/` never imports `eval/` (metrics build on knowledge, not the reverse);
- only `assistant/web` imports gradio;
- inside `eval/`: scoring never imports a runner or the orchestrator, the store imports
  nothing from runners, scoring or the orchestrator, data and questions no runner;
- no import cycle anywhere (imports under `if TYPE_CHECKING:` do not run, so they do not
  count).
Every import counts, including ones inside functions. A violation names file and import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UPPER = (
    "assistant.advice",
    "assistant.interview",
    "assistant.report",
    "assistant.web",
    "assistant.cli",
)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _violations(folders: list[str], forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, name in _imports(path):
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    out.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return sorted(set(out))


def test_lower_floors_never_import_upper_floors():
    bad = _violations(["assistant/core", "knowledge", "eval"], UPPER)
    assert not bad, "imports pointing upward:\n" + "\n".join(bad)


def test_knowledge_never_imports_eval():
    bad = _violations(["knowledge"], ("eval",))
    assert not bad, "knowledge must not import eval:\n" + "\n".join(bad)


def test_only_the_web_package_imports_gradio():
    folders = ["assistant/core", "assistant/advice", "assistant/interview", "assistant/report",
               "assistant/cli", "knowledge", "eval"]  # fmt: skip
    bad = _violations(folders, ("gradio", "gradio_client"))
    app = [f"app.py:{line}" for line, name in _imports(ROOT / "app.py") if "gradio" in name]
    assert not bad + app, "gradio imported outside assistant/web:\n" + "\n".join(bad + app)


def test_the_rule_catches_a_violation(tmp_path, monkeypatch):
    """The checker itself must fail on an upward import (a test that cannot fail is no test)."""
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "x.py").write_text(
        "def f():\n    from eval.scoring.metrics import contains\n"
    )
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert _violations(["knowledge"], ("eval",)) == [
        "knowledge/x.py:2 imports eval.scoring.metrics",
        "knowledge/x.py:2 imports eval.scoring.metrics.contains",
    ]


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("eval/scoring", ("eval.runners", "eval.run", "eval.prepare", "eval.store")),
        ("eval/store", ("eval.runners", "eval.scoring", "eval.run", "eval.prepare")),
        ("eval/data", ("eval.runners", "eval.run", "eval.prepare", "eval.store")),
        ("eval/questions", ("eval.runners", "eval.run", "eval.prepare", "eval.store")),
    ],
)
def test_eval_sub_packages_import_one_way(folder, forbidden):
    bad = _violations([folder], forbidden)
    assert not bad, f"{folder} imports what it must not:\n" + "\n".join(bad)


def _modules() -> dict[str, Path]:
    found = {}
    for top in ("assistant", "knowledge", "eval"):
        for path in (ROOT / top).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _runtime_imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Our modules that `path` imports when it runs (TYPE_CHECKING blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test)
        for n in ast.walk(node)
    }
    out = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{a.name}" for a in node.names}
            out |= subs & modules.keys()
            if node.module in modules and not subs <= modules.keys():
                out.add(node.module)
    return out


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in list(graph):
        if node not in index:
            visit(node)
    return cycles


def test_no_import_cycle_anywhere():
    modules = _modules()
    graph = {name: _runtime_imports(path, modules) - {name} for name, path in modules.items()}
    cycles = import_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []
