"""Why each answer failed: labels per item, counts that add up, and the route to fix first."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from eval.config import KnowledgeConfig, RetrievalConfig
from eval.scoring.attribution import (
    NO_CONTEXT_ROUTE,
    ROUTES,
    attribution,
    behaviour_label,
    fix_first_line,
    knowledge_label,
)
from tests.fakes import ScriptedChat
from tests.fakes.jobs import knowledge_run
from tests.fakes.profiles import guidance_headings
from tests.fakes.readers import misreader

CONTEXT = "Concealed damage must be reported within 21 calendar days.\nThe portal is SKIPPA."


def _item(prediction, context=CONTEXT, reference="21 calendar days", em=0.0, has=0.0,
          retrieved=""):  # fmt: skip
    passages = [{"text": retrieved}] if retrieved else []
    scores = {"exact_match": em, "contains": has}
    return SimpleNamespace(prediction=prediction, reference=reference, context=context,
                           retrieved=passages, scores=scores)  # fmt: skip


@pytest.mark.parametrize(
    ("item", "retrieval", "label"),
    [
        (_item("21 calendar days", em=1.0, has=1.0), True, "correct"),
        (_item("Within 21 calendar days.", has=1.0), True, "form_miss"),
        (_item("7 days", context="The portal is SKIPPA."), True, "retrieval_miss"),
        (
            _item("7 days", context="The portal is SKIPPA.", retrieved=CONTEXT),
            True,
            "selection_miss",
        ),
        (_item("I do not know."), True, "abstention"),
        (_item("Ninety weeks for pallets of bananas"), True, "unsupported"),
        (_item("The portal is SKIPPA"), True, "reader_miss"),
        (_item("7 days", context=""), False, "unsupported"),
        (_item("I'm not sure.", context=""), False, "abstention"),
    ],
)
def test_each_knowledge_label(item, retrieval, label):
    assert knowledge_label(item, retrieval) == label


@pytest.mark.parametrize(
    ("scores", "task", "label"),
    [
        ({"accuracy": 1.0, "in_label_set": 1.0}, "classification", "correct"),
        ({"accuracy": 0.0, "in_label_set": 0.0}, "classification", "off_label"),
        ({"accuracy": 0.0, "in_label_set": 1.0}, "classification", "wrong_value"),
        ({"json_exact": 0.0, "valid_json": 0.0, "schema_match": 0.0}, "json", "invalid_json"),
        ({"json_exact": 0.0, "valid_json": 1.0, "schema_match": 0.0}, "json", "wrong_field"),
        ({"json_exact": 0.0, "valid_json": 1.0, "schema_match": 1.0}, "json", "wrong_value"),
        ({"rouge_l": 0.2, "length_ratio": 3.0}, "generation", "wrong_length"),
        ({"rouge_l": 0.2, "length_ratio": 1.1}, "generation", "wrong_value"),
        ({"rouge_l": 0.7, "length_ratio": 1.1}, "generation", "correct"),
    ],
)
def test_each_behaviour_label(scores, task, label):
    assert behaviour_label(scores, task) == label


def test_counts_add_up_with_wilson_intervals_and_form_misses_come_last():
    labels = ["correct"] * 5 + ["form_miss"] * 6 + ["reader_miss"] * 4 + ["retrieval_miss"]
    out = attribution(labels, "knowledge", retrieval=True)
    assert out["n"] == 16 and out["misses"] == 11
    assert sum(c["n"] for c in out["counts"].values()) == out["misses"]
    low, high = out["counts"]["reader_miss"]["ci95"]
    assert 0 < low < 4 / 11 < high < 1
    # six form misses still count as right on `contains`: the four reader misses go first
    assert out["fix_first"]["label"] == "reader_miss"
    assert "RAFT" in out["fix_first"]["text"]
    only_form = attribution(["correct", "form_miss"], "knowledge", retrieval=True)
    assert only_form["fix_first"]["label"] == "form_miss"
    assert attribution(["correct"] * 3, "knowledge", retrieval=True)["fix_first"] is None


def test_without_retrieval_a_wrong_answer_points_at_retrieval():
    out = attribution(["unsupported", "unsupported", "abstention"], "knowledge", retrieval=False)
    assert out["fix_first"]["heading"] == NO_CONTEXT_ROUTE.heading


def test_every_route_cites_an_existing_guidance_heading():
    for label, route in {**ROUTES, "none": NO_CONTEXT_ROUTE}.items():
        assert route.heading in guidance_headings(route.source), label


def test_a_knowledge_run_labels_every_item_and_the_counts_add_up(env):
    result = knowledge_run(env)
    _, store = env
    for name in ("prompt", "rag"):
        data = result.trials[name]["summary"]["attribution"]
        labels = [item.failure for item in result.items[name]]
        assert all(labels) and len(labels) == data["n"] == result.n_heldout
        assert data["misses"] == sum(label != "correct" for label in labels)
        assert sum(c["n"] for c in data["counts"].values()) == data["misses"]
        stored = [row["failure"] for row in store.get_items(result.run_id, name)]
        assert stored == labels  # the browser and the report read what the run wrote
        assert result.to_json()["failures"][name] == labels
    # the prompt arm has no documents: its misses point at retrieval
    prompt = result.trials["prompt"]["summary"]["attribution"]
    assert prompt["fix_first"]["heading"] == NO_CONTEXT_ROUTE.heading


def test_a_weak_reader_is_told_apart_from_weak_retrieval(env):
    reader_run = knowledge_run(env, chat=ScriptedChat(respond=misreader))
    first = reader_run.trials["rag"]["summary"]["attribution"]["fix_first"]
    assert first["label"] == "reader_miss"
    narrow = KnowledgeConfig(
        trials=("rag",), retrieval=replace(RetrievalConfig(), top_k=1, context_sentences=1)
    )
    retrieval_run = knowledge_run(env, config=narrow, workspace="narrow")
    counts = retrieval_run.trials["rag"]["summary"]["attribution"]["counts"]
    assert counts["retrieval_miss"]["n"] > 0
    line = fix_first_line("rag", reader_run.trials["rag"]["summary"])
    assert line.startswith("rag: ") and "reader miss" in line and "fix first" in line


def test_the_docstring_examples_hold():
    import doctest

    from eval.scoring import attribution as module

    assert doctest.testmod(module).failed == 0
