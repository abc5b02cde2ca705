"""Trial jobs on fakes, for both kinds, and the sample files they read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eval.config import BehaviourConfig, KnowledgeConfig
from eval.run import RunResult, TrialJob, run_trials
from tests.fakes.models import HashEmbedder, ScriptedChat
from tests.fakes.readers import nearest_shot_reader, reader

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "examples" / "sample_docs"
QA = ROOT / "examples" / "sample_qa.csv"
ROUTING = {
    "billing": "my invoice shows a double charge on card",
    "shipping": "where is my parcel the courier tracking page",
    "returns": "i want to send back the lamp and get a return label",
}


def routing_file(folder: Path, n_per_label: int = 20) -> Path:
    """A JSONL file of support messages labelled with the team that takes them."""
    rows = [
        {"input": f"{text} number {i} please help", "output": label}
        for label, text in ROUTING.items()
        for i in range(n_per_label)
    ]
    path = folder / "routing.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def knowledge_run(env: tuple, chat: Any = None, **fields: Any) -> RunResult:
    """A knowledge run on the sample documents and Q/A with a fake reader (prompt + RAG)."""
    settings, store = env
    fields.setdefault("config", KnowledgeConfig(trials=("prompt", "rag")))
    fields.setdefault("qa_file", QA)
    fields.setdefault("docs", [DOCS])
    fields.setdefault("workspace", "t")
    config = fields.pop("config")
    job = TrialJob(
        "knowledge", settings, store, chat or ScriptedChat(respond=reader), HashEmbedder(),
        config, **fields,
    )  # fmt: skip
    return run_trials(job)


def behaviour_run(env: tuple, path: Path, chat: Any = None, **fields: Any) -> RunResult:
    """A behaviour run on `path` with a fake that copies the nearest shot's label."""
    settings, store = env
    config = fields.pop("config", BehaviourConfig(trials=("prompt", "few-shot", "retrieved-shots")))
    job = TrialJob(
        "behaviour", settings, store, chat or ScriptedChat(respond=nearest_shot_reader),
        HashEmbedder(), config, examples_file=path, **fields,
    )  # fmt: skip
    return run_trials(job)
