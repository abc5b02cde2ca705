"""What the Trials tab suggests from the interview: which trials to tick, where examples go.

Pure functions of the profile, so the tab's defaults can be tested without a browser and
read the same facts the advice reads.

- A LoRA trial costs minutes of training on a laptop, so it is not ticked by default;
  it is when the team named a behaviour gap (format, style, terminology, latency,
  reasoning: what fine-tuning can change) and has enough examples to train and hold out.
  That applies to the behaviour mode, where those examples go: a knowledge-mode LoRA
  learns the documents, which a behaviour gap says nothing about.
- Examples that are questions about the team's documents with their answers are an
  evaluation set for the knowledge mode (its Q/A slot), not input→output examples.
"""

from __future__ import annotations

from assistant.advice.profile import Profile
from assistant.advice.rules import BEHAVIOUR_GAPS
from eval.kinds import BEHAVIOUR_TRIALS

MIN_TRIAL_EXAMPLES = 30  # the fewest examples a behaviour trial can split and train on
KNOWLEDGE_DEFAULT = ("prompt", "rag")
BEHAVIOUR_DEFAULT = tuple(t for t in BEHAVIOUR_TRIALS if t != "lora")
DOCUMENT_USE_CASES = ("document_qa", "customer_support")


def behaviour_gaps(profile: Profile) -> list[str]:
    """The gaps the team named that are about how the model answers."""
    return [gap for gap in BEHAVIOUR_GAPS if gap in profile.gaps]


def default_trials(profile: Profile, kind: str) -> list[str]:
    """The trials ticked when the tab opens for this kind ("knowledge" or "behaviour").

    >>> default_trials(Profile(), "knowledge")
    ['prompt', 'rag']
    >>> default_trials(Profile(gaps=["format"], labeled_examples=40), "behaviour")
    ['prompt', 'few-shot', 'retrieved-shots', 'lora']
    """
    if kind == "knowledge":
        return list(KNOWLEDGE_DEFAULT)
    if kind != "behaviour":
        raise ValueError(f"trial kind must be knowledge or behaviour, got {kind!r}")
    chosen = list(BEHAVIOUR_DEFAULT)
    if behaviour_gaps(profile) and profile.labeled_examples >= MIN_TRIAL_EXAMPLES:
        chosen.append("lora")
    return [t for t in BEHAVIOUR_TRIALS if t in chosen]


def examples_mode(profile: Profile) -> str:
    """Where the team's examples belong: "knowledge", "behaviour", "either" or "" (none).

    Examples count from MIN_TRIAL_EXAMPLES. A team that asks questions of its documents
    and named no behaviour gap holds Q/A pairs: they go to the knowledge mode's Q/A slot.
    A team that named behaviour gaps and no documents holds input→output examples. Both
    (or neither) leave the choice to the user, with both places named.
    """
    if profile.labeled_examples < MIN_TRIAL_EXAMPLES:
        return ""
    about_documents = "knowledge" in profile.gaps or profile.use_case in DOCUMENT_USE_CASES
    behaviour = bool(behaviour_gaps(profile))
    if about_documents != behaviour:
        return "knowledge" if about_documents else "behaviour"
    return "either"
