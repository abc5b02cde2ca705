"""Which trials the Trials tab ticks, and where the team's examples go, from the profile."""

from __future__ import annotations

import pytest

from assistant.advice.profile import Profile
from assistant.advice.trial_defaults import default_trials, examples_mode

LEGAL = Profile(use_case="document_qa", gaps=["knowledge"], labeled_examples=48)
PROMPTING = ["prompt", "few-shot", "retrieved-shots"]


@pytest.mark.parametrize(
    ("gaps", "examples", "behaviour"),
    [
        ([], 0, PROMPTING),
        (["format"], 40, [*PROMPTING, "lora"]),
        (["style", "knowledge"], 30, [*PROMPTING, "lora"]),
        (["terminology"], 29, PROMPTING),  # too few to train and hold out
        (["knowledge"], 500, PROMPTING),  # no behaviour gap: fine-tuning is not the question
        ([], 500, PROMPTING),
    ],
)
def test_lora_is_ticked_for_a_behaviour_gap_with_enough_examples(gaps, examples, behaviour):
    profile = Profile(gaps=gaps, labeled_examples=examples)
    assert default_trials(profile, "behaviour") == behaviour
    assert default_trials(profile, "knowledge") == ["prompt", "rag"]  # as before


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="knowledge or behaviour"):
        default_trials(Profile(), "both")


@pytest.mark.parametrize(
    ("profile", "mode"),
    [
        (LEGAL, "knowledge"),
        (Profile(use_case="customer_support", labeled_examples=200), "knowledge"),
        (Profile(use_case="classification", gaps=["format"], labeled_examples=300), "behaviour"),
        (LEGAL.with_(gaps=["knowledge", "style"]), "either"),  # both kinds of gap
        (Profile(labeled_examples=300), "either"),  # nothing says what they are
        (LEGAL.with_(labeled_examples=10), ""),
    ],
)
def test_examples_go_where_they_belong(profile, mode):
    assert examples_mode(profile) == mode
