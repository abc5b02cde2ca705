"""A partial run counts for what finished (issue #23): the finished arms' verdicts inform
the prompt rung, the unfinished LoRA is left out by name with what would finish it, and a
reason the run contradicts ("not attacked with a measured prompt yet") is not kept."""

from __future__ import annotations

from pathlib import Path

from assistant.advice import evidence_from_run
from assistant.advice.decide import recommend
from assistant.advice.evidence import Evidence
from assistant.advice.profile import Profile
from assistant.advice.unfinished import BUDGET_CONTROL, BUDGET_MAX_S, Unfinished
from tests.fakes.partial import behaviour_run
from tests.fakes.runs import TEAM_MODEL, ones, stored_run

ROOT = Path(__file__).resolve().parents[2]
FORMAT = Profile(use_case="extraction", gaps=["format"], labeled_examples=100)
NOT_ATTACKED = "has not been attacked with a measured prompt yet"


def _partial() -> Evidence:
    found = evidence_from_run(behaviour_run("p1", lora_status="partial"))
    assert found is not None
    return found


def test_the_finished_arms_count_and_the_lora_is_left_out_with_its_steps():
    e = _partial()
    assert set(e.scores) == {"prompt", "few-shot", "retrieved-shots"}
    assert all("lora" not in (c["a"], c["b"]) for c in e.comparisons) and e.comparisons
    [left] = e.unfinished
    assert (left.trial, left.status, left.steps, left.planned_steps) == ("lora", "partial", 8, 35)
    [sentence] = e.left_out()
    assert sentence.startswith("LoRA fine-tuning left out: it stopped at 8 of 35 planned")
    assert f'"{BUDGET_CONTROL}" slider' in sentence and "about 200 s" in sentence
    assert "--" not in sentence
    assert Evidence.from_dict(e.to_dict()) == e


def test_a_budget_beyond_the_slider_says_so_and_a_failed_arm_gives_its_error():
    slow = Unfinished("lora", "partial", 0.3, steps=5, planned_steps=100, train_seconds=60.0,
                      stopped_by="time_budget")  # fmt: skip
    assert slow.budget_needed_s() > BUDGET_MAX_S
    assert f'more than the "{BUDGET_CONTROL}" slider\'s {BUDGET_MAX_S} s' in slow.sentence("f1")
    failed = Unfinished("rag+lora", "failed", error="out of memory")
    assert failed.budget_needed_s() is None
    assert failed.sentence("contains") == (
        "RAG with LoRA fine-tuning left out: it failed (out of memory), so it gives no verdict."
    )


def test_the_slider_named_is_the_one_the_trials_tab_shows():
    """The built app's LoRA budget slider carries the label and top end the advice names."""
    from assistant.core.settings import Settings
    from assistant.web.layout import build_app

    demo = build_app(Settings())
    sliders = [b for b in demo.blocks.values() if type(b).__name__ == "Slider"]
    budget = [s for s in sliders if s.label == BUDGET_CONTROL]
    assert budget and all(s.maximum == BUDGET_MAX_S for s in budget)


def test_measured_prompts_replace_the_not_attacked_reason():
    assert NOT_ATTACKED in " ".join(r.text for r in recommend(FORMAT).reasons)
    rec = recommend(FORMAT, evidence=[_partial()])
    text = " ".join(r.text for r in rec.reasons)
    assert NOT_ATTACKED not in text
    assert "measured prompts on your examples for the format gap" in text
    assert "prompting with retrieved examples beat zero-shot prompting by +0.60" in text.lower()
    assert "LoRA" not in text.split("measured prompts")[1].split(".")[0]  # no LoRA verdict
    assert rec.approach == "prompt"
    # Prompting chosen: the decision rests on that measured verdict.
    assert "(prompting with retrieved examples vs zero-shot prompting)" in rec.basis
    assert "prompts were measured only on the packaged stand-in model" in rec.strength.lowered_by
    assert "no prompt-only baseline has been measured" not in rec.strength.lowered_by


def test_prompts_measured_on_the_teams_model_meet_the_baseline_prerequisite():
    stand_in = recommend(FORMAT, evidence=[_partial()])
    assert "measure_prompt_baseline" in stand_in.prerequisites  # the stand-in is not yours
    notes = [n.text for n in stand_in.prerequisite_notes]
    assert (
        "Record a prompt-only baseline on your own model's held-out set: run p1 measured "
        "prompts only on the packaged stand-in." in notes
    )
    items = {"prompt": ones(2), "few-shot": ones(12)}
    team = evidence_from_run(stored_run("t1", items, kind="behaviour", task="json",
                                        metric="field_f1", model=TEAM_MODEL))  # fmt: skip
    rec = recommend(FORMAT, evidence=[team])
    assert "measure_prompt_baseline" not in rec.prerequisites
    lowered = " ".join(rec.strength.lowered_by)
    assert "prompt-only baseline" not in lowered and "stand-in" not in lowered


def test_both_zero_prompts_say_nothing_changed_instead_of_an_interval():
    items = {"prompt": [0.0] * 20, "few-shot": [0.0] * 20}
    e = evidence_from_run(stored_run("z1", items, kind="behaviour", task="json",
                                     metric="field_f1"))  # fmt: skip
    text = " ".join(r.text for r in recommend(FORMAT, evidence=[e]).reasons)
    assert "both scored 0.00 on every item — no difference to test" in text
    assert "changed nothing on these 20 held-out examples" in text and "interval" not in text
