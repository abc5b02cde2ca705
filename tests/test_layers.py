"""The import rule, checked on the source: floors import downwards only.

- `assistant/core`, `knowledge/` and `eval/` never import the upper floors of `assistant`
  (advice, interview, report, web, cli);
- `knowledge/` never imports `eval/` (metrics build on knowledge, not the reverse);
- only `assistant/web` imports gradio.
Every import counts, including ones inside functions. A violation names file and import.
"""

from __future__ import annotations

import ast
from pathlib import Path

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
