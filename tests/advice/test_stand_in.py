"""Stand-in honesty: a run on the packaged 135M model decides the approach only where the
effect carries over to the team's model (RAG beating prompting on private facts); every
other verdict of a stand-in run changes the strength of the evidence and asks for the
same trial on the team's model."""

from __future__ import annotations

from assistant.advice import evidence_from_run
from assistant.advice.decide import recommend
from assistant.advice.profile import Profile
from assistant.advice.rules import FINETUNE_APPROACHES
from tests.fakes.profiles import READY
from tests.fakes.runs import TEAM_MODEL, ones, stored_run

FORMAT = Profile.from_dict({**READY, "gaps": ["format"]})  # LoRA without evidence
QA = Profile(use_case="document_qa", gaps=["knowledge"], corpus_tokens=2_000_000)


def behaviour(run_id: str, lora: list[float], few: list[float], model: str = ""):
    items = {"prompt": ones(0, len(lora)), "few-shot": few, "lora": lora}
    run = stored_run(run_id, items, kind="behaviour", task="classification",
                     metric="accuracy", model=model)  # fmt: skip
    return evidence_from_run(run)


def texts(rec) -> str:
    return " ".join(r.text for r in rec.reasons)


def test_a_stand_in_loss_of_the_adapter_does_not_veto_fine_tuning():
    lost = behaviour("s1", lora=ones(1, 20), few=ones(15, 20))
    rec, plain = recommend(FORMAT, evidence=[lost]), recommend(FORMAT)
    assert rec.approach == plain.approach == "lora"
    assert "does not predict your model, so it changes how sure this advice is" in texts(rec)
    assert any("Confirm behaviour trial run s1 on your own model" in s for s in rec.next_steps)
    assert "--examples FILE --model YOUR_MODEL" in " ".join(rec.next_steps)
    assert "a trial on the packaged stand-in model points elsewhere" in rec.strength.lowered_by
    assert rec.strength.points < plain.strength.points


def test_the_same_loss_on_the_teams_model_decides():
    lost = behaviour("t1", lora=ones(1, 20), few=ones(15, 20), model=TEAM_MODEL)
    rec = recommend(FORMAT, evidence=[lost])
    assert rec.approach not in FINETUNE_APPROACHES
    assert "prompting is enough" in texts(rec)


def test_a_stand_in_win_of_the_adapter_only_raises_the_strength():
    won = behaviour("s2", lora=ones(15, 20), few=ones(1, 20))
    rec, plain = recommend(FORMAT, evidence=[won]), recommend(FORMAT)
    assert rec.approach == "lora" and "measured support for fine-tuning" not in texts(rec)
    assert rec.strength.points > plain.strength.points
    assert "1 measured comparison" not in rec.basis  # nothing settled on the stand-in


def test_rag_beating_prompting_on_private_facts_carries_over_from_the_stand_in():
    run = evidence_from_run(stored_run("s3", {"prompt": ones(2), "rag": ones(16)}))
    rec = recommend(QA, evidence=[run])
    assert rec.approach == "rag"
    assert "absent from any base model, so retrieval delivering them" in texts(rec)
    assert any("Confirm knowledge trial run s3" in s for s in rec.next_steps)


def test_rag_losing_on_the_stand_in_does_not_turn_the_advice_away_from_retrieval():
    lost = evidence_from_run(stored_run("s4", {"prompt": ones(12), "rag": ones(2)}))
    plain, rec = recommend(QA), recommend(QA, evidence=[lost])
    assert rec.approach == plain.approach == "rag"
    assert "A verdict of this kind on a small stand-in does not predict" in texts(rec)
