"""Decision engine: a table of profiles from the guidance, plus properties.

The table follows the reference lists ("when fine-tuning is right" / "when RAG is
right") and the measured-score rules; each row names the guidance it encodes.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from assistant.decide import recommend, signals
from assistant.profile import Profile
from assistant.rules import (
    APPROACHES,
    FINETUNE_APPROACHES,
    PREREQUISITE_NOTES,
    PREREQUISITES,
    REASONS,
    RISK_NOTES,
    RISKS,
)

ROOT = Path(__file__).resolve().parents[1]
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


def _load(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


EXAMPLE_CASES = [
    ("legal_team.json", "rag", []),
    ("support_bot.json", "rag", [*BOTH, "collect_examples"]),
    ("style_rewrite.json", "lora", []),
]
JSONL_EXPECTED = ["lora", "rag+lora", "prompt", "full-finetune", "prompt", "prompt"]


@pytest.mark.parametrize(("name", "data", "approach", "prereqs"), CASES, ids=[c[0] for c in CASES])
def test_table(name, data, approach, prereqs):
    rec = recommend(Profile.from_dict(data))
    assert rec.approach == approach
    assert rec.prerequisites == prereqs


def test_table_is_large_and_covers_every_approach():
    assert len(CASES) >= 25
    assert {c[2] for c in CASES} == set(APPROACHES)


@pytest.mark.parametrize(("file", "approach", "prereqs"), EXAMPLE_CASES)
def test_example_files(file, approach, prereqs):
    rec = recommend(Profile.from_dict(_load(file)))
    assert (rec.approach, rec.prerequisites) == (approach, prereqs)


def test_example_jsonl():
    lines = (EXAMPLES / "profiles.jsonl").read_text().splitlines()
    got = [recommend(Profile.from_dict(json.loads(line))).approach for line in lines]
    assert got == JSONL_EXPECTED


# --- Citations ---------------------------------------------------------------------------
def _headings(source: str) -> set[str]:
    path = ROOT / source
    assert path.is_file(), f"{source} does not exist"
    return {line[3:].strip() for line in path.read_text().splitlines() if line.startswith("## ")}


def test_every_rule_cites_an_existing_file_and_heading():
    for table in (REASONS, PREREQUISITE_NOTES, RISK_NOTES):
        for key, cited in table.items():
            assert cited.source.startswith("knowledge/guidance/"), key
            assert cited.heading in _headings(cited.source), (key, cited.heading)
    assert set(PREREQUISITE_NOTES) == set(PREREQUISITES)
    assert set(RISK_NOTES) == set(RISKS)


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


def test_every_reason_cites_guidance_and_is_fully_worded():
    headings: dict[str, set[str]] = {}
    for profile in GRID + [Profile.from_dict(c[1]) for c in CASES]:
        rec = recommend(profile)
        assert rec.reasons, profile
        for reason in rec.reasons:
            if reason.source not in headings:
                headings[reason.source] = _headings(reason.source)
            assert reason.heading in headings[reason.source]
            assert "{" not in reason.text and "}" not in reason.text


def test_output_contract_holds_across_the_grid():
    for profile in GRID:
        rec = recommend(profile)
        assert rec.approach in APPROACHES
        assert 0.0 <= rec.confidence <= 1.0
        assert rec.prerequisites == [p for p in PREREQUISITES if p in rec.prerequisites]
        assert rec.risks == [r for r in RISKS if r in rec.risks]
        assert rec.next_steps and all(isinstance(s, str) for s in rec.next_steps)
        json.dumps(rec.to_dict())


def test_guidance_invariants_across_the_grid():
    for p in GRID:
        rec = recommend(p)
        if rec.approach in FINETUNE_APPROACHES:
            assert p.prompting_tried and p.examples_reviewed and p.labeled_examples >= 500
            assert set(p.gaps) - {"knowledge"} or p.latency_budget_ms, (
                "fine-tuning needs a behaviour gap"
            )
            assert {"catastrophic_forgetting", "maintenance_burden", "data_curation_cost"} <= set(
                rec.risks
            )
        if p.gaps == ["knowledge"] and p.latency_budget_ms is None:
            assert rec.approach not in FINETUNE_APPROACHES  # facts go to retrieval
        if rec.approach == "full-finetune":
            assert p.gpu == "multi" and "reasoning" in p.gaps
        if "rag" in rec.approach:
            assert "retrieval_quality" in rec.risks
        if "lora" in p.measured and "rag" in p.measured and p.measured["lora"] <= p.measured["rag"]:
            assert rec.approach not in FINETUNE_APPROACHES
        assert ("build_eval_set" in rec.prerequisites) == (not p.has_eval_set)
        assert ("measure_prompt_baseline" in rec.prerequisites) == (not p.prompting_tried)


def test_deterministic():
    for profile in GRID[::7]:
        first = json.dumps(recommend(profile).to_dict(), sort_keys=True)
        assert json.dumps(recommend(profile).to_dict(), sort_keys=True) == first


def test_risks_follow_the_approach_and_profile():
    lora = recommend(
        Profile(**READY, gaps=["format"], knowledge_change="weekly", corpus_tokens=10_000)
    )
    assert lora.approach == "lora"
    assert lora.risks == [
        "catastrophic_forgetting",
        "maintenance_burden",
        "data_curation_cost",
        "stale_knowledge",
    ]
    rag = recommend(Profile(gaps=["knowledge"], corpus_tokens=2_000_000, latency_budget_ms=80))
    assert rag.approach == "rag" and rag.risks == ["retrieval_quality", "latency"]
    slow_prompt = recommend(Profile(gaps=["latency"]))
    assert slow_prompt.approach == "prompt" and slow_prompt.risks == ["latency"]


def test_measured_agreement_raises_confidence_and_unknowns_lower_it():
    base = {**READY, "gaps": ["knowledge"], "corpus_tokens": 2_000_000}
    plain = recommend(Profile.from_dict(base))
    agreeing = recommend(Profile.from_dict({**base, "measured": {"prompt": 0.5, "rag": 0.8}}))
    assert plain.approach == agreeing.approach == "rag"
    assert agreeing.confidence > plain.confidence
    unsure = recommend(Profile.from_dict(base), unknown=["budget", "gpu", "timeline_weeks"])
    assert unsure.confidence < plain.confidence
    disagreeing = recommend(Profile.from_dict({**base, "measured": {"prompt": 0.7, "rag": 0.6}}))
    assert disagreeing.approach == "rag" and disagreeing.confidence < plain.confidence


def test_signals_weights():
    sig = signals(Profile(gaps=["knowledge"], corpus_tokens=20_000, latency_budget_ms=90))
    assert "fits_in_prompt" in sig.retrieval_hits and sig.tight_latency
    assert sig.behaviour == ("latency",)
    assert sig.retrieval_score == 4 - 3 - 1


def test_lora_losing_on_facts_cites_the_research():
    rec = recommend(Profile.from_dict(_load("legal_team.json")))
    headings = [r.heading for r in rec.reasons]
    assert "Regression testing every training run" in headings
    assert any(h.startswith("Ovadia et al. 2023") for h in headings)
