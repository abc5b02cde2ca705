"""The interview: a pure state machine that fills in a Profile one question at a time.

Every function takes an `InterviewState` and returns a new one inside a `Turn`; there
is no module-level state, so any number of users can chat at once and a state can be
stored as JSON between requests. Replies are read by the deterministic parsers in
`assistant.interview.parsers`; anything they cannot read is asked again with the expected
form, never guessed, and a weak reading is said back and confirmed before it is stored
(`assistant.interview.confirm`). Side questions go to an optional `ask` callback (the
guidance Q&A) and the pending question is repeated afterwards. No language model is needed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from assistant.advice.decide import Recommendation, recommend
from assistant.advice.evidence import Evidence
from assistant.advice.profile import Profile, ProfileError
from assistant.interview import confirm
from assistant.interview import parsers as p
from assistant.interview.flow import (
    applicable,
    core_complete,
    is_open,
    miss,
    next_field,
    next_question,
    reask,
)
from assistant.interview.messages import (
    GREETING,
    describe_change,
    describe_evidence,
    describe_recommendation,
    trial_hint,
)
from assistant.interview.questions import (
    FIELD_ORDER,
    QUESTIONS,
    READERS,
    describe,
    field_named,
)
from assistant.interview.side import Ask, side_question
from assistant.interview.state import InterviewState, Turn

POLITE = (
    r"^(?:please |can we |could we |can you |could you |actually,? |let's |let us "
    r"|i'd like to |i want to )*"
)
GO_BACK = re.compile(POLITE + r"(go back to|back to|return to|revisit|redo)\b(?P<rest>.*)")
CHANGE = re.compile(
    POLITE + r"(?:change|set|update|switch)\s+(?:the |my |our )?(?:answer (?:about|for|on) )?"
    r"(?P<field>.+?)\s+(?:to|=|:|as)\s+(?P<value>.+)$"
)
# Said after a budget reply that rules out buying hardware, while the GPU question is open.
NO_HARDWARE_NOTE = "Noted: no hardware purchase, so for GPUs count only what you already have."
MARKER = re.compile(r"^(actually|correction|sorry|oops|wait|no wait|i meant|i mean)\b[\s,:-]*")


def start_interview(state: InterviewState | None = None) -> Turn:
    state = _copy(state or InterviewState())
    question = next_question(state)
    return Turn(state, [GREETING, *([question.text] if question else [])], question)


def current_recommendation(state: InterviewState) -> Recommendation:
    """The recommendation for the answers and trial evidence so far (skips lower its strength).

    Questions still to come are passed as `unasked`, so advice shown mid-interview (the
    side panel, "what do you recommend now?", a trial) never states a default as the
    user's answer, such as "0 examples are available" before the examples question. They
    do not lower the strength: that is for answers the user could not give.
    """
    unasked = [name for name in FIELD_ORDER if is_open(state, name)]
    return recommend(state.profile, unknown=state.skipped, unasked=unasked, evidence=state.evidence)


def handle_reply(state: InterviewState, text: str, ask: Ask | None = None) -> Turn:
    """One user message in, the assistant's reply out (the input state is not changed)."""
    state = _copy(state)
    text = text.strip()
    waiting, state.tentative = state.tentative, None  # any reply ends the wait
    if waiting and text and (settled := confirm.settle(waiting, text)):
        return _settle(state, waiting["field"], *settled)
    current = next_field(state)
    lowered = p.norm(text)
    if not text:
        if current:
            return miss(state, current, "I didn't catch anything there.")
        return reask(state, "I didn't catch anything there.")
    if back := GO_BACK.search(lowered):
        return _go_back(state, back.group("rest"))
    if change := CHANGE.search(lowered):
        target = field_named(change.group("field"))
        if target:
            return _correct(state, target, change.group("value"))
    if current and p.is_skip(text):
        return _skip(state, current)
    if p.wants_to_finish(text):
        state.skipped += [f for f in FIELD_ORDER if is_open(state, f)]
        state.revisit = None
        return _after_update(state, [], changed=True)
    if marker := MARKER.match(lowered):
        rest = lowered[marker.end() :]
        target = field_named(rest)
        if target and target != current and READERS[target](rest)[0]:
            return _correct(state, target, rest)
        text = MARKER.sub("", text.lower(), count=1) or text  # "actually 1200" answers now
    if p.asks_for_recommendation(text):  # "what should we do now?" is not a yes
        return _current_advice(state, current)
    readable = current is not None and READERS[current](text)[0]
    # A question word starts a side question unless the reply reads as an answer and has no
    # "?": "Would be handy but we can live without it" answers the citations question.
    mark, word = text.endswith("?"), p.starts_with_question_word(text)
    if (word and (mark or not readable)) or (mark and not readable):
        return side_question(state, text, ask)
    if current is None:
        return reask(
            state,
            "We're through the questions. You can correct an answer ('change budget to "
            "high'), ask me something, or run a trial on your documents.",
        )
    return _answer(state, current, text)


def apply_evidence(state: InterviewState, evidence: Evidence) -> Turn:
    """Add a trial run as evidence and recommend again; the profile is left untouched.

    A newer run of the same kind replaces the older one. The trial's scores never enter
    `profile.measured` and never mark the prompt baseline as measured: they come from a
    small packaged model, not the team's production system.
    """
    state = _copy(state)
    before = current_recommendation(state)
    state.evidence = [e for e in state.evidence if e.kind != evidence.kind] + [evidence]
    rec = current_recommendation(state)
    state.shown_approach = rec.approach
    messages = [
        describe_evidence(evidence) + "\n" + describe_change(before, rec),
        describe_recommendation(rec, "Recommendation with your trial results"),
    ]
    question = next_question(state)
    if question:
        messages.append(question.text)
    return Turn(state, messages, question, rec)


# --- Steps --------------------------------------------------------------------------------
def _current_advice(state: InterviewState, current: str | None) -> Turn:
    """The recommendation as it stands (answers + trial evidence), then the open question."""
    rec = current_recommendation(state)
    messages = [describe_recommendation(rec, "My recommendation as it stands")]
    question = next_question(state) if current else None
    if question is not None:
        messages.append(question.text)
    return Turn(state, messages, question, rec)


def _answer(state: InterviewState, name: str, text: str) -> Turn:
    ok, value = READERS[name](text)
    # "We'd have to check" declines; so does "I'm not the right person to ask", whose stray
    # "not" would read as a no. A description or a number after "not sure" is an answer.
    yes_no = isinstance(value, bool) and not p.quantities(text)
    if p.declines(text) and (not ok or yes_no):
        return _skip(state, name)
    if not ok:
        hint = QUESTIONS[name].hint
        return miss(state, name, f"Sorry, I couldn't read that. I'm looking for {hint}.")
    if p.mentions_batch(text):
        state.batch = True
    rivals = confirm.doubt(name, text)
    if rivals is not None:
        return _confirm(state, name, value, rivals)
    messages = [_apply(state, name, value)]
    if name == "budget" and p.rules_out_hardware(text) and is_open(state, "gpu"):
        messages.append(NO_HARDWARE_NOTE)
    if name == "labeled_examples" and value > 0:
        reviewed = p.review_mentioned(text)
        if reviewed is not None:
            messages.append(_apply(state, "examples_reviewed", reviewed))
    return _after_update(state, messages, changed=True)


def _correct(state: InterviewState, name: str, value_text: str) -> Turn:
    ok, value = READERS[name](value_text)
    if not ok:
        hint = QUESTIONS[name].hint
        return reask(state, f"I couldn't read the new {name.replace('_', ' ')}: try {hint}.")
    rivals = confirm.doubt(name, value_text)
    if rivals is not None:
        return _confirm(state, name, value, rivals)
    return _after_update(state, [_apply(state, name, value, verb="Updated")], changed=True)


def _confirm(state: InterviewState, name: str, value: Any, rivals: tuple[Any, ...]) -> Turn:
    """A weak reading is not stored: say it back and ask, with quick replies."""
    state.missed = None
    state.tentative = confirm.pending(name, value, rivals)
    question = confirm.confirm_question(state.tentative)
    return Turn(state, [question.text], question)


def _settle(state: InterviewState, name: str, action: str, value: Any) -> Turn:
    """The answer to "I read that as X — is that right?": store it, or ask afresh."""
    if action == confirm.REASK:
        return Turn(state, [confirm.reask_text(name)], QUESTIONS[name])
    return _after_update(state, [_apply(state, name, value)], changed=True)


def _skip(state: InterviewState, name: str) -> Turn:
    if state.revisit == name and name in state.answered:
        state.revisit = None
        kept = describe(name, getattr(state.profile, name))
        return _after_update(state, [f"Keeping your earlier answer ({kept})."], changed=False)
    state.revisit = None if state.revisit == name else state.revisit
    state.missed = None
    if name not in state.skipped:
        state.skipped.append(name)
    default = describe(name, getattr(Profile(), name))
    message = f"Skipped. I'll assume the default for now ({default}); you can change it later."
    return _after_update(state, [message], changed=True)


def _go_back(state: InterviewState, rest: str) -> Turn:
    name = field_named(rest)
    if name is None:
        return reask(state, "Which answer should we go back to? For example 'go back to budget'.")
    if not applicable(state, name):
        return reask(state, "That question doesn't apply given your other answers.")
    state.revisit = name
    if name in state.skipped:
        state.skipped.remove(name)
    question = QUESTIONS[name]
    return Turn(state, [f"Sure, let's revisit that. {question.text}"], question)


def _apply(state: InterviewState, name: str, value: Any, verb: str = "Got it") -> str:
    """Store one answer (and its consequences); returns what to say back."""
    changes: dict[str, Any] = {name: value}
    if name == "labeled_examples" and value == 0:
        changes["examples_reviewed"] = False  # no examples, so nothing was reviewed
        for bucket in (state.answered, state.skipped):
            if "examples_reviewed" in bucket:
                bucket.remove("examples_reviewed")
    try:
        state.profile = state.profile.with_(**changes)
    except ProfileError as err:
        return f"That conflicts with an earlier answer: {err}. Please check it."
    _mark_answered(state, name)
    return f"{verb} ({describe(name, value)})."


def _mark_answered(state: InterviewState, name: str) -> None:
    state.missed = None
    if name in state.skipped:
        state.skipped.remove(name)
    if name not in state.answered:
        state.answered.append(name)
    if state.revisit == name:
        state.revisit = None


def _after_update(state: InterviewState, messages: list[str], *, changed: bool) -> Turn:
    """Add the preliminary, updated or final recommendation when due, then the next question."""
    question = next_question(state)
    rec = None
    if question is None and (changed or not state.finished):
        rec = current_recommendation(state)
        messages.append(describe_recommendation(rec, "My recommendation"))
        if not state.finished:
            messages.append(trial_hint(state.profile.gaps))
        state.finished = True
    elif question is not None and core_complete(state) and not state.preliminary_shown:
        rec = current_recommendation(state)
        messages += [
            describe_recommendation(rec, "Preliminary recommendation"),
            trial_hint(state.profile.gaps),
        ]
        messages.append("A few more questions will sharpen this; say 'done' to stop here.")
        state.preliminary_shown = True
    elif question is not None and state.preliminary_shown and changed:
        candidate = current_recommendation(state)
        if candidate.approach != state.shown_approach:
            rec = candidate
            messages.append(describe_recommendation(rec, "Updated recommendation"))
    if rec is not None:
        state.shown_approach = rec.approach
    if question:
        messages.append(question.text)
    return Turn(state, messages, question, rec)


def _copy(state: InterviewState) -> InterviewState:
    return replace(
        state,
        answered=list(state.answered),
        skipped=list(state.skipped),
        evidence=list(state.evidence),
    )
