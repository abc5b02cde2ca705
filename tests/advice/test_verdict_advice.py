"""The advice reads verdicts by one rule: exact test and interval agree after Holm over the
baselines the decision reads, the cheaper rung wins on equivalence or non-inferiority,
forgetting counts against an adapter, and the strength of evidence is a level, not a %."""

from __future__ import annotations

from assistant.advice import Evidence, evidence_from_run
from assistant.advice.decide import recommend
from assistant.advice.profile import Profile
from assistant.advice.rules import FINETUNE_APPROACHES
from tests.fakes.profiles import READY
from tests.fakes.runs import TEAM_MODEL, ones, stored_run, wins_losses

FORMAT = Profile.from_dict({**READY, "gaps": ["format"]})  # lora without evidence
QA = Profile(use_case="document_qa")  # prompt without evidence
# The README's LoRA: 0.78 -> 0.35 on a 40-question probe.
FORGOT = {
    "probe_base": 0.78,
    "probe_adapted": 0.35,
    "probe_retained": 0.4487,
    "forgetting_drop": 0.43,
    "forgetting_ci95": [0.2718, 0.5596],
    "probe_questions": 40,
}
MILD = FORGOT | {"probe_adapted": 0.75, "forgetting_drop": 0.03, "forgetting_ci95": [-0.04, 0.1]}


def behaviour(run_id: str, items: dict, **kw) -> Evidence:
    items = {"prompt": [0.0] * len(next(iter(items.values())))} | items
    found = evidence_from_run(
        stored_run(
            run_id,
            items,
            kind="behaviour",
            task="classification",
            metric="accuracy",
            **{"model": TEAM_MODEL} | kw,
        )
    )
    assert found is not None
    return found


def texts(rec) -> str:
    return " ".join(r.text for r in rec.reasons)


def test_four_losses_of_thirty_is_no_veto_but_reads_non_inferiority():
    lora, few = wins_losses(0, 4, 30)
    ev = behaviour("nl4", {"few-shot": few, "lora": lora})
    pair = ev.compared("lora", "few-shot")
    assert pair.verdict == "inconclusive" and pair.p_value == 0.125  # not "worse"
    rec = recommend(FORMAT, evidence=[ev])
    text = texts(rec)
    assert "beat the LoRA adapter" not in text  # no claim that few-shot won
    # The interval's upper end (LoRA at most -0.005 better) is below the 0.05 margin:
    # few-shot is no worse than that, so the cheaper rung is enough.
    assert "p = 0.125" in text and "prompting is enough" in text
    assert "upper end (-0.005) is below 0.05" in text and "-0.00 " not in text
    assert rec.approach not in FINETUNE_APPROACHES


def test_four_wins_of_thirty_changes_nothing_and_asks_for_items_to_find_the_margin():
    lora, few = wins_losses(4, 0, 30)
    rec = recommend(FORMAT, evidence=[behaviour("w4", {"few-shot": few, "lora": lora})])
    assert rec.approach == "lora"
    assert "cannot yet tell the LoRA adapter from few-shot prompting" in texts(rec)
    assert "p = 0.125" in texts(rec) and "would find it with 80% power" in texts(rec)
    assert "a trial could not tell the approaches apart yet" in rec.strength.lowered_by


def test_holm_over_both_baselines_stops_two_lucky_wins_from_deciding():
    # 10 wins, 2 losses of 60 against each baseline: p = 0.039 each, 0.077 after Holm.
    lora, few = wins_losses(10, 2, 60)
    ev = behaviour("h2", {"few-shot": few, "retrieved-shots": few, "lora": lora})
    rec = recommend(FORMAT, evidence=[ev])
    assert "p = 0.039 (0.077 after Holm over 2 pairs)" in texts(rec)
    assert "cannot yet tell the LoRA adapter" in texts(rec)
    assert "measured support for fine-tuning" not in texts(rec)


def test_lora_better_than_both_quotes_the_closest_baseline():
    lora = ones(50, 60)
    few, shots = ones(10, 60), ones(30, 60)  # retrieved shots came closer
    rec = recommend(
        FORMAT,
        evidence=[behaviour("b2", {"few-shot": few, "retrieved-shots": shots, "lora": lora})],
    )
    text = texts(rec)
    assert (
        "beat prompting with retrieved examples, the closest of the 2 prompting baselines" in text
    )
    assert "+0.33 on accuracy" in text and "after Holm over 2 pairs" in text
    assert rec.basis.startswith(
        "Rests on 1 measured comparison from run b2 "
        "(LoRA fine-tuning vs prompting with retrieved examples)"
    )


def test_equivalent_to_few_shot_on_300_items_means_the_cheaper_rung_wins():
    same = ones(150, 300)
    ev = behaviour("eq", {"few-shot": same, "lora": list(same)})
    assert ev.compared("lora", "few-shot").verdict == "equivalent"
    rec = recommend(FORMAT, evidence=[ev])
    assert rec.approach not in FINETUNE_APPROACHES
    assert "the whole interval lies within ±0.05" in texts(rec)
    assert "Only a larger held-out set could settle it" not in texts(rec)


def test_rag_equivalent_to_prompting_keeps_the_cheaper_rung():
    same = ones(100, 300)
    ev = evidence_from_run(
        stored_run("k-eq", {"prompt": same, "rag": list(same)}, model=TEAM_MODEL)
    )
    rec = recommend(QA, evidence=[ev])
    assert rec.approach == "prompt"
    assert "retrieval adds less than the 0.05 difference that matters" in texts(rec)


def test_forgetting_that_counts_lowers_the_strength_and_adds_a_risk_with_numbers():
    lora, few = ones(50, 60), ones(10, 60)
    plain = recommend(FORMAT, evidence=[behaviour("f0", {"few-shot": few, "lora": lora},
                                                 lora_extra=MILD)])  # fmt: skip
    forgot = recommend(FORMAT, evidence=[behaviour("f1", {"few-shot": few, "lora": lora},
                                                  lora_extra=FORGOT)])  # fmt: skip
    assert plain.approach == forgot.approach == "lora"
    assert forgot.strength.points < plain.strength.points
    assert "the trial's adapter clearly lost general ability" in forgot.strength.lowered_by
    assert "measured_forgetting" in forgot.risks and "measured_forgetting" not in plain.risks
    numbers = "general probe 0.78 → 0.35 (45% retained; forgetting drop 0.430, 95% interval 0.27"
    assert forgot.risk_numbers["measured_forgetting"].startswith(numbers)
    assert any(r.heading == "Deciding the task-versus-general trade-off explicitly"
               for r in forgot.reasons)  # fmt: skip


def test_the_knowledge_lora_forgetting_counts_the_same_way():
    # A knowledge run informs retrieval only, but its adapter's forgetting is still an
    # adapter's forgetting: it counts against a fine-tune chosen on other grounds.
    run = stored_run("k-f", {"prompt": ones(2), "rag": ones(3), "lora": ones(2)},
                     lora_extra=FORGOT)  # fmt: skip
    ev = evidence_from_run(run)
    assert ev.probe is not None and ev.probe.counts
    plain, rec = recommend(FORMAT), recommend(FORMAT, evidence=[ev])
    assert rec.approach == plain.approach == "lora"
    assert "measured_forgetting" in rec.risks and rec.strength.points < plain.strength.points
    assert Evidence.from_dict(ev.to_dict()) == ev


def test_strength_is_a_level_with_its_inputs_never_a_percentage():
    rec = recommend(FORMAT)
    data = rec.to_dict()
    assert "confidence" not in data
    assert data["strength"]["level"] in ("weak", "moderate", "strong")
    assert set(data["strength"]) == {"level", "raised_by", "lowered_by"}
    assert "%" not in rec.strength.describe()
