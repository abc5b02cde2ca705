"""The update drill: changed facts, each arm catching up, and what it cost (fakes)."""

from __future__ import annotations

import json
import random
from types import SimpleNamespace

import pytest

from assistant.core.rates import CostRates
from eval.config import KnowledgeConfig
from eval.drill import read_docs
from eval.drill.facts import DocText, change_facts, occurrences, other_value
from eval.drill.measure import CORRECT_SHARE, arm_figures
from eval.runners import REGISTRY
from eval.runners.context import ItemResult, TrialOutput
from knowledge.index import open_index
from tests.fakes import HashEmbedder
from tests.fakes.jobs import DOCS, QA, knowledge_run


def _pairs():
    import csv

    with QA.open(encoding="utf-8") as handle:
        return [SimpleNamespace(question=r["question"], answer=r["answer"])
                for r in csv.DictReader(handle)]  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "kind"),
    [("15:45", "time"), ("Room C-114", "code"), ("IT-SEC-07", "code"), ("2025", "year"),
     ("99.6 percent", "number"), ("EUR 11.50", "number"), ("Kjersti Bolle", "name"),
     ("SKIPPA", "name"), ("6 months", "number"), ("STIX Fonts", "name")],
)  # fmt: skip
def test_each_kind_of_value_gets_a_plausible_other(answer, kind):
    old, new, found = other_value(answer, random.Random(3))
    assert found == kind and old in answer and new != old
    if answer == "99.6 percent":
        assert float(new) <= 100  # a share stays a share
    if answer == "EUR 11.50":
        assert len(new.split(".")[1]) == 2  # cents stay cents
    if answer == "SKIPPA":
        assert new.isupper()
    if answer == "STIX Fonts":
        first, rest = new.split(" ", 1)  # an acronym stays an acronym, not a person
        assert first.isupper() and first != "STIX" and rest == "Fonts"
    if answer == "IT-SEC-07":
        assert len(new) == 2  # a code keeps its digit count


def test_answers_without_a_value_or_name_are_left_alone():
    assert other_value("by e-mail to the claims team", random.Random(0)) is None


def test_changed_documents_state_the_new_answer_and_not_the_old_one():
    docs = read_docs([DOCS])
    update = change_facts(docs, _pairs(), 10, seed=4)
    assert len(update.changes) == 10 and update.files
    originals = {d.source: d.text for d in docs}
    for change in update.changes:
        new_text = update.files[change.source]
        assert occurrences(new_text, change.new), change
        assert not occurrences(new_text, change.old), change
        assert not any(occurrences(t, change.new) for t in originals.values())
        assert change.new in change.sentence
    again = change_facts(read_docs([DOCS]), _pairs(), 10, seed=4)
    assert again.changes == update.changes  # seeded: the same drill twice


def test_a_renamed_name_is_renamed_everywhere_and_a_repeated_number_is_skipped():
    docs = [DocText("a.md", "a.md", "Use SKIPPA. Claims go to SKIPPA within 7 days."),
            DocText("b.md", "b.md", "SKIPPA is the portal. Returns take 7 days.")]  # fmt: skip
    pairs = [SimpleNamespace(question="Which portal?", answer="SKIPPA"),
             SimpleNamespace(question="How long?", answer="7 days")]  # fmt: skip
    update = change_facts(docs, pairs, 2, seed=0)
    [change] = update.changes  # "7 days" is stated twice: which one would be the fact?
    assert change.old == "SKIPPA" and set(update.files) == {"a.md", "b.md"}
    assert all("SKIPPA" not in text for text in update.files.values())
    assert update.notes and "only 1 of the 2" in update.notes[0]


def test_figures_count_new_and_old_values_and_time_only_what_became_correct():
    changes = [SimpleNamespace(old="7 days", new="9 days")] * 5
    answers = ["9 days", "9 days", "within 9 days", "9 days", "7 days"]
    rates = CostRates(cpu_serving_hour_usd=3.6)
    fig = arm_figures(answers, changes, "re-indexed 1 file", 2.0, rates)
    assert (fig["new_value"], fig["old_value"]) == (4, 1)
    assert fig["new_value_share"] == 0.8 >= CORRECT_SHARE
    assert fig["seconds_to_correct"] == 2.0 and fig["cost_to_correct_usd"] == 0.002
    low, high = fig["new_value_ci95"]
    assert low < 0.8 < high
    stale = arm_figures(["7 days"] * 5, changes, "", None, rates)
    assert stale["seconds_to_correct"] is None and stale["old_value_share"] == 1.0
    slow = arm_figures(["9 days", "7 days", "7 days", "7 days", "7 days"], changes, "x", 90, rates)
    assert slow["update_seconds"] == 90 and slow["seconds_to_correct"] is None


def test_a_run_with_the_drill_measures_rag_after_reindexing(env):
    settings, store = env
    result = knowledge_run(env, config=KnowledgeConfig(trials=("prompt", "rag"), drill=20))
    drill = result.drill
    assert drill["asked"] == 4 == drill["changed"] == len(drill["changes"])  # 20% of 20
    # facts the run answered right before the change are changed first
    right = {i.question for i in result.items["rag"] if i.scores["contains"] == 1.0}
    assert drill["known_before"] == 4 and {c["question"] for c in drill["changes"]} <= right
    assert len(drill["arms"]["rag"]["labels"]) == 4  # why each changed answer missed, if it did
    rag = drill["arms"]["rag"]
    assert {"new_value_share", "old_value_share", "seconds_to_correct"} <= set(rag)
    assert rag["new_value_share"] >= 0.5 and rag["old_value_share"] == 0.0
    assert rag["update_seconds"] > 0 and "re-indexed" in rag["update"]
    assert "prompt" not in drill["arms"]  # the drill measures what an update costs RAG/LoRA
    stored = store.get_run(result.run_id)["run"]["drill"]
    assert stored == json.loads(json.dumps(drill))
    assert result.to_json()["drill"]["arms"]["rag"]["new_value_share"] == rag["new_value_share"]
    # the team's own index still holds the real facts, and the drill's copy is gone
    index = open_index("t", settings, HashEmbedder())
    texts = " ".join(c.text for c in index.all_chunks())
    for change in drill["changes"]:
        assert change["old"] in texts and change["new"] not in texts
    drill_copy = open_index(f"t-drill-{result.run_id}", settings, HashEmbedder())
    assert drill_copy.count() == 0


def _fake_lora(ctx, heldout):
    """A LoRA trial that 'trained' an adapter and answers like prompting alone."""
    ctx._adapter = SimpleNamespace(extra={})
    items = [ItemResult(p.question, p.answer, "I do not know.", 0.01) for p in heldout]
    return TrialOutput(items, {"train_seconds": 1.0})


def test_the_stale_and_retrained_adapters_are_measured_and_timed(env, monkeypatch):
    import eval.drill as drill_module

    monkeypatch.setitem(REGISTRY["knowledge"], "lora", ("tests.eval.test_drill", "_fake_lora"))
    trained = SimpleNamespace(extra={"train_seconds": 40.0, "steps": 10, "planned_steps": 10,
                                     "stopped_by": "max_steps", "device": "cpu"})  # fmt: skip

    def answers(ctx, adapter, questions, stage):
        said = [q.answer if adapter is trained else "no idea" for q in questions]
        return [
            ItemResult(q.question, q.answer, s, 0.01) for q, s in zip(questions, said, strict=True)
        ], 2.0

    monkeypatch.setattr(drill_module, "adapter_answers", answers)
    monkeypatch.setattr(drill_module, "retrain", lambda ctx, index, changed, folder: (ctx, trained))
    config = KnowledgeConfig(trials=("rag", "lora"), drill=10)
    arms = knowledge_run(env, config=config).drill["arms"]
    assert set(arms) == {"rag", "lora-stale", "lora-retrained"}
    stale, retrained = arms["lora-stale"], arms["lora-retrained"]
    assert stale["new_value_share"] == 0.0 and stale["seconds_to_correct"] is None
    assert retrained["new_value_share"] == 1.0 and retrained["seconds_to_correct"] == 42.0
    assert retrained["update_cost_usd"] > arms["rag"]["update_cost_usd"]
    # the fake LoRA trial said "I do not know" before the change: none right, then or now
    assert stale["before_share"] == 0.0 and set(stale["labels"]) == {"unsupported"}
    assert retrained["labels"] and arms["rag"]["before_share"] > 0


def test_the_drill_option_is_checked():
    from assistant.core.errors import ConfigError

    with pytest.raises(ConfigError, match="percent from 0 to 100"):
        KnowledgeConfig(drill=120)
    with pytest.raises(ConfigError, match="needs the rag or lora trial"):
        KnowledgeConfig(trials=("prompt",), drill=20)


def test_the_docstring_examples_hold():
    import doctest

    from eval.drill import facts, measure

    assert doctest.testmod(facts).failed == 0 and doctest.testmod(measure).failed == 0


def test_the_teams_own_new_versions_are_measured_on_the_questions_they_change(env, tmp_path):
    import csv

    update = change_facts(read_docs([DOCS]), _pairs(), 40, seed=1)  # the team's edit, say
    new = tmp_path / "new"
    new.mkdir()
    for source, text in update.files.items():
        (new / source).write_text(text, encoding="utf-8")
    answers = {c.question: c.new for c in update.changes}
    qa = tmp_path / "qa_now.csv"
    with qa.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "answer"])
        writer.writerows([p.question, answers.get(p.question, p.answer)] for p in _pairs())
    result = knowledge_run(env, config=KnowledgeConfig(trials=("prompt", "rag")),
                           drill_docs=[new], drill_qa=qa)  # fmt: skip
    drill = result.drill
    heldout = {i.question for i in result.items["rag"]}
    assert drill["source"] == "uploaded"
    assert {c["question"] for c in drill["changes"]} == heldout & set(answers)
    assert drill["arms"]["rag"]["new_value_share"] > 0.5 and set(drill["files"]) == set(
        update.files
    )


def test_new_versions_without_their_answers_are_refused_before_any_model(env, tmp_path):
    from assistant.core.errors import DatasetError

    with pytest.raises(DatasetError, match="needs --drill-qa"):
        knowledge_run(env, drill_docs=[DOCS])
