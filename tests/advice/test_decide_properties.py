"""Decision engine properties: citations exist, contracts hold across a grid of profiles."""

from __future__ import annotations

import json

from assistant.advice.caveats import PREREQUISITE_NOTES, RISK_NOTES
from assistant.advice.decide import recommend, signals
from assistant.advice.profile import Profile
from assistant.advice.rules import APPROACHES, FINETUNE_APPROACHES, PREREQUISITES, RISKS
from assistant.advice.wording import REASONS
from tests.fakes.profiles import CASES, GRID, READY, guidance_headings, load_example


# --- Citations ---------------------------------------------------------------------------
def test_every_rule_cites_an_existing_file_and_heading():
    for table in (REASONS, PREREQUISITE_NOTES, RISK_NOTES):
        for key, cited in table.items():
            assert cited.source.startswith("knowledge/guidance/"), key
            assert cited.heading in guidance_headings(cited.source), (key, cited.heading)
    assert set(PREREQUISITE_NOTES) == set(PREREQUISITES)
    assert set(RISK_NOTES) == set(RISKS)


def test_every_reason_cites_guidance_and_is_fully_worded():
    headings: dict[str, set[str]] = {}
    for profile in GRID + [Profile.from_dict(c[1]) for c in CASES]:
        rec = recommend(profile)
        assert rec.reasons, profile
        for reason in rec.reasons:
            if reason.source not in headings:
                headings[reason.source] = guidance_headings(reason.source)
            assert reason.heading in headings[reason.source]
            assert "{" not in reason.text and "}" not in reason.text


def test_output_contract_holds_across_the_grid():
    for profile in GRID:
        rec = recommend(profile)
        assert rec.approach in APPROACHES
        assert rec.strength.level in ("weak", "moderate", "strong")
        assert rec.strength.raised_by or rec.strength.lowered_by or rec.strength.level
        assert "confidence" not in rec.to_dict()  # a level with its inputs, never a percentage
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


def test_measured_agreement_raises_the_strength_and_unknowns_lower_it():
    base = {**READY, "gaps": ["knowledge"], "corpus_tokens": 2_000_000}
    plain = recommend(Profile.from_dict(base))
    agreeing = recommend(Profile.from_dict({**base, "measured": {"prompt": 0.5, "rag": 0.8}}))
    assert plain.approach == agreeing.approach == "rag"
    assert agreeing.strength.points > plain.strength.points
    unsure = recommend(Profile.from_dict(base), unknown=["budget", "gpu", "timeline_weeks"])
    assert unsure.strength.points < plain.strength.points
    assert "interview answers were skipped" in unsure.strength.lowered_by
    assert "your production scores support the choice" in agreeing.strength.raised_by
    disagreeing = recommend(Profile.from_dict({**base, "measured": {"prompt": 0.7, "rag": 0.6}}))
    assert disagreeing.approach == "rag" and disagreeing.strength.points < plain.strength.points


def test_signals_weights():
    sig = signals(Profile(gaps=["knowledge"], corpus_tokens=20_000, latency_budget_ms=90))
    assert "fits_in_prompt" in sig.retrieval_hits and sig.tight_latency
    assert sig.behaviour == ("latency",)
    assert sig.retrieval_score == 4 - 3 - 1


def test_lora_losing_on_facts_cites_the_research():
    rec = recommend(Profile.from_dict(load_example("legal_team.json")))
    headings = [r.heading for r in rec.reasons]
    assert "Regression testing every training run" in headings
    assert any(h.startswith("Ovadia et al. 2023") for h in headings)
