"""Profile: defaults, round trips, and errors that name the field and the allowed values."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from assistant.advice.profile import (
    BUDGETS,
    GAPS,
    GPUS,
    KNOWLEDGE_CHANGES,
    USE_CASES,
    Profile,
    ProfileError,
    field_names,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CONTRACT_FIELDS = (
    "use_case gaps knowledge_change corpus_tokens source_count needs_citations "
    "labeled_examples examples_reviewed latency_budget_ms has_eval_set prompting_tried "
    "budget timeline_weeks gpu monthly_queries measured"
).split()


def test_fields_are_exactly_the_contract():
    assert list(field_names()) == CONTRACT_FIELDS
    assert all(f.metadata.get("doc") for f in dataclasses.fields(Profile))


def test_missing_fields_take_documented_defaults():
    profile = Profile.from_dict({})
    assert profile.to_dict() == {
        "use_case": "other",
        "gaps": [],
        "knowledge_change": "static",
        "corpus_tokens": 0,
        "source_count": 1,
        "needs_citations": False,
        "labeled_examples": 0,
        "examples_reviewed": False,
        "latency_budget_ms": None,
        "has_eval_set": False,
        "prompting_tried": False,
        "budget": "medium",
        "timeline_weeks": None,
        "gpu": "none",
        "monthly_queries": None,
        "measured": {},
    }


def test_round_trip_through_json():
    data = json.loads((EXAMPLES / "legal_team.json").read_text())
    profile = Profile.from_dict(data)
    again = Profile.from_dict(json.loads(json.dumps(profile.to_dict())))
    assert again == profile
    assert again.to_dict() == data


def test_to_dict_returns_copies():
    profile = Profile.from_dict({"gaps": ["format"], "measured": {"target": 0.9}})
    data = profile.to_dict()
    data["gaps"].append("style")
    data["measured"]["rag"] = 0.1
    assert profile.gaps == ["format"] and profile.measured == {"target": 0.9}


def test_profile_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Profile().budget = "high"  # type: ignore[misc]


def test_integral_floats_from_json_become_ints():
    profile = Profile.from_dict(
        {"corpus_tokens": 2e6, "latency_budget_ms": 150.0, "monthly_queries": 1e6}
    )
    assert profile.corpus_tokens == 2_000_000 and isinstance(profile.corpus_tokens, int)
    assert profile.latency_budget_ms == 150
    assert profile.monthly_queries == 1_000_000 and isinstance(profile.monthly_queries, int)


def test_unknown_field_is_an_error_naming_it():
    with pytest.raises(ProfileError) as err:
        Profile.from_dict({"use_case": "document_qa", "gpus": "single"})
    assert err.value.field == "gpus"
    assert "gpus" in str(err.value) and "gpu" in str(err.value)


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("use_case", "chatbot", USE_CASES),
        ("use_case", 3, USE_CASES),
        ("knowledge_change", "hourly", KNOWLEDGE_CHANGES),
        ("budget", "huge", BUDGETS),
        ("gpu", "two", GPUS),
        ("gaps", ["facts"], GAPS),
        ("gaps", "knowledge", GAPS),
    ],
)
def test_unknown_choice_names_field_and_allowed_values(field, value, allowed):
    with pytest.raises(ProfileError) as err:
        Profile.from_dict({field: value})
    assert err.value.field == field
    for choice in allowed:
        assert choice in str(err.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("corpus_tokens", -1),
        ("corpus_tokens", "2M"),
        ("corpus_tokens", True),
        ("corpus_tokens", 1.5),
        ("source_count", -3),
        ("labeled_examples", None),
        ("latency_budget_ms", 0),
        ("latency_budget_ms", -200),
        ("timeline_weeks", "soon"),
        ("monthly_queries", 0),
        ("monthly_queries", "2M"),
        ("needs_citations", "yes"),
        ("has_eval_set", 1),
        ("prompting_tried", None),
        ("examples_reviewed", "true"),
    ],
)
def test_wrong_types_and_negative_numbers_name_the_field(field, value):
    with pytest.raises(ProfileError) as err:
        Profile.from_dict({field: value})
    assert err.value.field == field
    assert field in str(err.value)


@pytest.mark.parametrize(
    "measured",
    [
        {"rag": 1.2},
        {"prompt": -0.1},
        {"rag": "high"},
        {"rag": True},
        {"rag": float("nan")},
        {"bleu": 0.5},
        [0.5],
    ],
)
def test_bad_measured_scores(measured):
    with pytest.raises(ProfileError) as err:
        Profile.from_dict({"measured": measured, "prompting_tried": True})
    assert err.value.field == "measured"


def test_measured_accepts_any_subset_of_keys():
    assert Profile.from_dict({"measured": {"target": 0.8}}).measured == {"target": 0.8}
    full = {"prompt": 0.5, "rag": 0.7, "lora": 0.6, "target": 0.9}
    assert Profile.from_dict({"measured": full, "prompting_tried": True}).measured == full


def test_reviewed_examples_without_examples_is_a_contradiction():
    with pytest.raises(ProfileError) as err:
        Profile.from_dict({"examples_reviewed": True, "labeled_examples": 0})
    assert err.value.field == "examples_reviewed"
    assert "labeled_examples" in str(err.value)


def test_measured_prompt_score_without_prompting_is_a_contradiction():
    with pytest.raises(ProfileError) as err:
        Profile.from_dict({"measured": {"prompt": 0.6}})
    assert err.value.field == "prompting_tried"


def test_duplicate_gaps_are_rejected():
    with pytest.raises(ProfileError) as err:
        Profile.from_dict({"gaps": ["format", "format"]})
    assert err.value.field == "gaps"


def test_all_problems_are_listed_together():
    with pytest.raises(ProfileError) as err:
        Profile.from_dict({"budget": "huge", "gpu": "two", "corpus_tokens": -5})
    assert err.value.field == "budget"
    assert len(err.value.problems) == 3


def test_non_object_profile_is_rejected():
    with pytest.raises(ProfileError):
        Profile.from_dict(["use_case", "other"])  # type: ignore[arg-type]


def test_with_validates_again():
    profile = Profile()
    assert profile.with_(budget="high").budget == "high"
    with pytest.raises(ProfileError):
        profile.with_(budget="enormous")


def test_example_profiles_are_valid():
    files = ["legal_team.json", "support_bot.json", "style_rewrite.json"]
    for name in files:
        Profile.from_dict(json.loads((EXAMPLES / name).read_text()))
    lines = (EXAMPLES / "profiles.jsonl").read_text().splitlines()
    assert len(lines) >= 3
    for line in lines:
        Profile.from_dict(json.loads(line))


def test_absurdly_large_numbers_are_refused_by_name():
    with pytest.raises(ProfileError, match="monthly_queries must be at most 1,000,000,000,000"):
        Profile.from_dict({"monthly_queries": 10**400})
