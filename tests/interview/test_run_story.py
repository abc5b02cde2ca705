"""What the chat says after a run (issue #23): which arms were left out and why, in the
web's words; which reasons the run replaced; and no reason the run contradicts."""

from __future__ import annotations

import json
import re

from assistant.advice import evidence_from_run
from assistant.advice.profile import Profile
from assistant.interview.conversation import apply_evidence
from assistant.interview.questions import FIELD_ORDER
from assistant.interview.state import InterviewState
from tests.fakes.partial import behaviour_run
from tests.fakes.runs import stored_run

FORMAT = Profile(use_case="extraction", gaps=["format"], labeled_examples=100)
NOT_ATTACKED = "has not been attacked with a measured prompt yet"
CLI_FLAG = re.compile(r"(?<![\w-])--[a-z]")


def _state() -> InterviewState:
    return InterviewState(profile=FORMAT, answered=list(FIELD_ORDER), finished=True)


def test_a_partial_run_names_the_left_out_lora_and_how_to_finish_it_in_the_tabs_words():
    turn = apply_evidence(_state(), evidence_from_run(behaviour_run("p1", lora_status="partial")))
    announced, advice = turn.messages[0], turn.messages[1]
    assert "LoRA fine-tuning left out: it stopped at 8 of 35 planned training steps" in announced
    assert 'set the "LoRA time budget (s)" slider in the Trials tab to about 200 s' in announced
    assert not CLI_FLAG.search(announced + advice)
    assert "lora" not in announced.split("left out")[0].lower().replace("lora fine-tuning", "")


def test_the_reason_the_run_contradicts_is_named_as_replaced_and_gone_from_the_advice():
    state = _state()
    turn = apply_evidence(state, evidence_from_run(behaviour_run("p1", lora_status="partial")))
    announced, advice = turn.messages[0], turn.messages[1]
    assert NOT_ATTACKED in announced.split("No longer said")[1]  # named as replaced ...
    assert NOT_ATTACKED not in advice  # ... and not kept
    assert all(NOT_ATTACKED not in r.text for r in turn.recommendation.reasons)
    assert "measured prompts on your examples for the format gap" in advice
    # What moved the strength is said, not just the level.
    assert "no longer lowered by: no prompt-only baseline has been measured" in announced
    assert "reason below rests on this run" in announced


def test_both_zero_arms_are_worded_as_what_happened():
    items = {"prompt": [0.0] * 20, "few-shot": [0.0] * 20}
    run = stored_run("z1", items, kind="behaviour", task="json", metric="field_f1")
    announced = apply_evidence(_state(), evidence_from_run(run)).messages[0]
    pair = announced.split("prompt vs few-shot: ")[1]
    assert pair.startswith("both scored 0.00 on every item — no difference to test")
    assert "inconclusive" not in announced and "interval" not in announced


def test_the_left_out_arms_survive_the_session_round_trip():
    turn = apply_evidence(_state(), evidence_from_run(behaviour_run("p1", lora_status="partial")))
    restored = InterviewState.from_dict(json.loads(json.dumps(turn.state.to_dict())))
    assert restored == turn.state and restored.evidence[0].unfinished[0].steps == 8
