"""Profiles the decision tests share: the guidance table of cases, a grid, the examples."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from assistant.advice.profile import Profile

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
# Everything in place for fine-tuning except a behaviour gap.
READY = {
    "prompting_tried": True,
    "has_eval_set": True,
    "labeled_examples": 1500,
    "examples_reviewed": True,
    "gpu": "single",
}
BOTH = ["build_eval_set", "measure_prompt_baseline"]

CASES = [
    # (id, profile, approach, prerequisites)
    ("nothing known yet: prompt first", {}, "prompt", BOTH),
    (
        "prompt already meets target",
        {**READY, "gaps": ["format"], "measured": {"prompt": 0.9, "target": 0.85}},
        "prompt",
        [],
    ),
    (
        "factual gap over a big collection",
        {"use_case": "document_qa", "gaps": ["knowledge"], "corpus_tokens": 2_000_000},
        "rag",
        BOTH,
    ),
    (
        "factual gap, baseline measured",
        {"gaps": ["knowledge"], "prompting_tried": True, "has_eval_set": True},
        "rag",
        [],
    ),
    ("knowledge changes daily", {"knowledge_change": "daily"}, "rag", BOTH),
    (
        "weekly changes behind document Q&A",
        {"use_case": "document_qa", "knowledge_change": "weekly"},
        "rag",
        BOTH,
    ),
    ("documents too numerous to train on", {"corpus_tokens": 5_000_000}, "rag", BOTH),
    ("several sources need unified access", {"source_count": 4}, "rag", BOTH),
    ("source attribution matters", {"needs_citations": True}, "rag", BOTH),
    (
        "small stable knowledge fits in the prompt",
        {"gaps": ["knowledge"], "corpus_tokens": 20_000, "knowledge_change": "static"},
        "prompt",
        BOTH,
    ),
    ("format gap prompting did not close", {**READY, "gaps": ["format"]}, "lora", []),
    ("tone/style change, not knowledge", {**READY, "gaps": ["style"]}, "lora", []),
    ("systematic terminology errors", {**READY, "gaps": ["terminology"]}, "lora", []),
    (
        "latency budget under 100 ms wants a small model",
        {**READY, "use_case": "classification", "latency_budget_ms": 50},
        "lora",
        [],
    ),
    (
        "behaviour gap but prompting not measured",
        {**READY, "gaps": ["format"], "prompting_tried": False},
        "prompt",
        ["measure_prompt_baseline"],
    ),
    (
        "behaviour gap with too few examples",
        {**READY, "gaps": ["format"], "labeled_examples": 200},
        "prompt",
        ["collect_examples"],
    ),
    (
        "behaviour gap with unreviewed examples",
        {**READY, "gaps": ["format"], "examples_reviewed": False},
        "prompt",
        ["collect_examples"],
    ),
    (
        "style gap with nothing in place",
        {"gaps": ["style"]},
        "prompt",
        [*BOTH, "collect_examples"],
    ),
    (
        "both kinds of gap: hybrid",
        {**READY, "gaps": ["knowledge", "format"], "corpus_tokens": 3_000_000},
        "rag+lora",
        [],
    ),
    (
        "both gaps but too few examples: RAG, collect examples",
        {
            **READY,
            "gaps": ["knowledge", "format"],
            "corpus_tokens": 3_000_000,
            "labeled_examples": 100,
        },
        "rag",
        ["collect_examples"],
    ),
    (
        "RAG within 0.05 of target: no fine-tuning",
        {**READY, "gaps": ["format"], "measured": {"prompt": 0.6, "rag": 0.82, "target": 0.85}},
        "rag",
        [],
    ),
    (
        "prompt within 0.05 of target: no fine-tuning, no examples needed",
        {"gaps": ["style"], "prompting_tried": True, "measured": {"prompt": 0.81, "target": 0.85}},
        "prompt",
        ["build_eval_set"],
    ),
    (
        "LoRA loses to RAG on facts",
        {
            **READY,
            "gaps": ["knowledge"],
            "corpus_tokens": 1_500_000,
            "measured": {"prompt": 0.5, "rag": 0.8, "lora": 0.55, "target": 0.95},
        },
        "rag",
        [],
    ),
    (
        "LoRA loses to RAG with a format gap: still no fine-tuning",
        {
            **READY,
            "gaps": ["format"],
            "measured": {"prompt": 0.5, "rag": 0.7, "lora": 0.65, "target": 0.95},
        },
        "rag",
        [],
    ),
    (
        "LoRA trial beats both baselines",
        {
            **READY,
            "gaps": ["format"],
            "measured": {"prompt": 0.6, "rag": 0.62, "lora": 0.88, "target": 0.9},
        },
        "lora",
        [],
    ),
    (
        "rare full fine-tune: reasoning, LoRA plateaued, multi GPU, high budget, 8k examples",
        {
            **READY,
            "gaps": ["reasoning"],
            "gpu": "multi",
            "budget": "high",
            "labeled_examples": 8000,
            "measured": {"prompt": 0.5, "lora": 0.7, "target": 0.9},
        },
        "full-finetune",
        [],
    ),
    (
        "reasoning gap without a LoRA measurement: LoRA first",
        {
            **READY,
            "gaps": ["reasoning"],
            "gpu": "multi",
            "budget": "high",
            "labeled_examples": 8000,
        },
        "lora",
        [],
    ),
    (
        "reasoning gap, LoRA plateaued, but one GPU: stay with LoRA",
        {
            **READY,
            "gaps": ["reasoning"],
            "budget": "high",
            "labeled_examples": 8000,
            "measured": {"prompt": 0.5, "lora": 0.7, "target": 0.9},
        },
        "lora",
        [],
    ),
    (
        "RAG already meets target",
        {**READY, "gaps": ["knowledge", "format"], "measured": {"rag": 0.9, "target": 0.85}},
        "rag",
        [],
    ),
    (
        "retrieval did not beat prompting and no factual gap",
        {
            **READY,
            "use_case": "document_qa",
            "knowledge_change": "weekly",
            "measured": {"prompt": 0.7, "rag": 0.68, "target": 0.9},
        },
        "prompt",
        [],
    ),
    (
        "factual gap under a tight latency budget: still retrieval, collect examples",
        {"gaps": ["knowledge"], "corpus_tokens": 2_000_000, "latency_budget_ms": 50},
        "rag",
        [*BOTH, "collect_examples"],
    ),
]


def load_example(name: str) -> dict:
    """A profile from examples/ as a dict."""
    return json.loads((EXAMPLES / name).read_text())


def guidance_headings(source: str) -> set[str]:
    path = ROOT / source
    assert path.is_file(), f"{source} does not exist"
    return {line[3:].strip() for line in path.read_text().splitlines() if line.startswith("## ")}


def _grid() -> list[Profile]:
    """A deterministic spread of profiles covering the decision space."""
    out = []
    for gaps, change, tokens, examples, tried, gpu, latency, measured in itertools.product(
        ([], ["knowledge"], ["format"], ["knowledge", "style"], ["reasoning"]),
        ("static", "weekly"),
        (0, 20_000, 3_000_000),
        (0, 600, 6000),
        (False, True),
        ("none", "multi"),
        (None, 50),
        ({}, {"prompt": 0.5, "rag": 0.8, "lora": 0.6, "target": 0.9}, {"lora": 0.7, "target": 0.9}),
    ):
        if "prompt" in measured and not tried:
            continue
        out.append(
            Profile(
                gaps=gaps,
                knowledge_change=change,
                corpus_tokens=tokens,
                labeled_examples=examples,
                examples_reviewed=examples > 0,
                prompting_tried=tried,
                has_eval_set=tried,
                gpu=gpu,
                budget="high",
                latency_budget_ms=latency,
                measured=measured,
            )
        )
    return out


GRID = _grid()
