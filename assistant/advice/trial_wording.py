"""The sentences about trial evidence: verdicts, what they inform, and the decision's basis.

Every reason names the run, the model it ran on and the metric, so a reader can tell a
trial on the small packaged model from the team's own production scores. Placeholders
are filled by `assistant.advice.trial_rules`; each reason cites an exact `##` heading
of a guidance note (tests check it exists).
"""

from __future__ import annotations

from assistant.advice.cited import EVAL, FORGET, LADDER, RAG, RESEARCH, Cited
from assistant.advice.cited import cite as _c

TRIAL_REASONS: dict[str, Cited] = {
    "rag_trial_better": _c(
        "Knowledge trial run {run_id} on {model}: RAG beat prompting alone by {delta} on "
        "{metric} ({stats}), so retrieval brings in facts the model lacks.",
        LADDER,
        "Second rung: add retrieval when a knowledge gap remains",
    ),
    "rag_trial_better_stand_in": _c(
        "Knowledge trial run {run_id} on {model}: RAG beat prompting alone by {delta} on "
        "{metric} ({stats}). The facts asked about are private to your documents, absent from "
        "any base model, so retrieval delivering them to this small stand-in delivers them to "
        "your model too.",
        EVAL,
        "Trials on a small stand-in model: what carries over",
    ),
    "stand_in_only_strength": _c(
        "{kind_label} trial run {run_id} ran on {model}: {a_label} vs {b_label} reads "
        "{reading_word} ({delta} on {metric}, {stats}). A verdict of this kind on a small "
        "stand-in does not predict your model, so it changes how sure this advice is, not "
        "the approach: run the same trial on your own model to let it decide.",
        EVAL,
        "Trials on a small stand-in model: what carries over",
    ),
    "rag_trial_worse": _c(
        "Knowledge trial run {run_id} on {model}: RAG scored {delta} against prompting alone "
        "on {metric} ({stats}); many such cases are retrieval misses that chunking or "
        "reranking fix.",
        RAG,
        "Limits of RAG: retrieval quality",
    ),
    "rag_trial_not_needed": _c(
        "Knowledge trial run {run_id} on {model}: RAG and prompting alone differ by {delta} "
        "on {metric} ({stats}); {reading}, so on these questions retrieval adds less than the "
        "{margin} difference that matters and the cheaper rung is enough.",
        LADDER,
        "Knowing when to stop climbing the ladder",
    ),
    "rag_trial_inconclusive": _c(
        "Knowledge trial run {run_id} on {model} cannot yet tell RAG from prompting alone "
        "({delta} on {metric}, {stats}), so it changes nothing here. {extend_text}",
        EVAL,
        "Size and content of the held-out benchmark set",
    ),
    "rag_beats_lora_on_facts": _c(
        "Knowledge trial run {run_id} on {model}: RAG recalled your facts better than the "
        "LoRA adapter by {delta} on {metric} ({stats}); facts belong in retrieval, and this "
        "says nothing about format or style.",
        RESEARCH,
        "Ovadia et al. 2023: retrieval beat fine-tuning for knowledge injection",
    ),
    "knowledge_trial_unused": _c(
        "Knowledge trial run {run_id} is not used: a knowledge trial only informs retrieval, "
        "and you described a behaviour gap ({behaviour}) with no documents to retrieve from.",
        LADDER,
        "Fine-tuning changes how a model answers; retrieval changes what it knows",
    ),
    "lora_trial_better": _c(
        "Behaviour trial run {run_id} on {model}: the LoRA adapter beat {b_label}{closest} by "
        "{delta} on {metric} ({stats}), measured support for fine-tuning. {forgetting}",
        LADDER,
        "Third rung: fine-tune only for a measured behavior gap",
    ),
    "prompting_enough": _c(
        "Behaviour trial run {run_id} on {model}: {a_label} beat the LoRA adapter by {delta} "
        "on {metric} ({stats}), so prompting is enough for this behaviour; a fine-tune must "
        "beat the cheaper baseline to be worth owning.",
        LADDER,
        "Knowing when to stop climbing the ladder",
    ),
    "prompting_close_enough": _c(
        "Behaviour trial run {run_id} on {model}: the LoRA adapter and {b_label} differ by "
        "{delta} on {metric} ({stats}); {reading}, so {b_label} is no worse than the {margin} "
        "difference that matters and prompting is enough: a fine-tune must beat the cheaper "
        "baseline by more than that to be worth owning.",
        LADDER,
        "Knowing when to stop climbing the ladder",
    ),
    "lora_trial_inconclusive": _c(
        "Behaviour trial run {run_id} on {model} cannot yet tell the LoRA adapter from "
        "{b_label} ({delta} on {metric}, {stats}): it does not show that fine-tuning beats "
        "prompting, and it changes nothing here. {extend_text}",
        LADDER,
        "Favor the cheaper experiment when unsure",
    ),
    "behaviour_prompts_measured": _c(
        "Behaviour trial run {run_id} on {model} measured prompts on your examples for the "
        "{behaviour} gap: {scores}. {outcome}",
        LADDER,
        "First rung: prompt engineering and a measured baseline",
    ),
    "behaviour_prompts_measured_stand_in": _c(
        "Behaviour trial run {run_id} on {model} measured prompts on your examples for the "
        "{behaviour} gap: {scores}. {outcome} Larger models follow instructions and worked "
        "examples much better than this small stand-in, so prompting may close more of the "
        "gap on your model.",
        EVAL,
        "Trials on a small stand-in model: what carries over",
    ),
    "trial_no_verdict": _c(
        "Trial run {run_id} was stored before paired comparisons existed, so its {a_label} "
        "and {b_label} scores are not compared (means on a few questions can be noise); "
        "re-run the trial to use it as evidence.",
        EVAL,
        "Size and content of the held-out benchmark set",
    ),
    "behaviour_trial_unused": _c(
        "Behaviour trial run {run_id} is not used: a behaviour trial only informs fine-tuning, "
        "and no behaviour gap (format, style, terminology, latency or reasoning) is recorded "
        "in your answers.",
        LADDER,
        "Third rung: fine-tune only for a measured behavior gap",
    ),
    "update_drill": _c(
        "Update drill in run {run_id} on {model}: after {changed} facts behind your held-out "
        "questions changed in the documents, {arms}. {lesson}",
        RAG,
        "Frequently changing knowledge and fast re-indexing",
    ),
    "forgetting_measured": _c(
        "Trial run {run_id} measured forgetting: the {trial} adapter's {numbers}; even the low "
        "end of that interval exceeds the {act} drop at which monitoring acts, so this "
        "fine-tune trades general ability for the task, a trade to weigh before shipping.",
        FORGET,
        "Deciding the task-versus-general trade-off explicitly",
    ),
}

KIND_LABELS = {"knowledge": "knowledge", "behaviour": "behaviour"}
PACKAGED_MODEL = "the packaged model ({model})"
PACKAGED_MODEL_UNNAMED = "the packaged model"
OTHER_MODEL = "model {model}"
STATS = "95% interval {interval}, {p}, {n} {unit}"
UNITS = {"knowledge": "paired questions", "behaviour": "held-out examples"}
CLOSEST = ", the closest of the {family} prompting baselines it had to beat,"
READING_EQUIVALENT = "the whole interval lies within ±{margin}"
READING_NO_BETTER = "even the interval's upper end ({high}) is below {margin}"
EXTEND_BY = (
    "With {n} items a true difference of {margin} is found with {power:.0%} power; about "
    "{needed} held-out items would find it with 80% power, so extend the trial by {extend}."
)
EXTEND_UNKNOWN = "Only a larger held-out set could settle it."
FORGETTING_DROP = "Its {numbers}."
FORGETTING_NOTE = "Forgetting: {note}."

# Next steps the evidence adds after the prerequisite steps.
EXTEND_STEP = (
    "Extend the {kind} trial (run {run_id}) by about {extend} held-out items, then compare "
    "{a_label} with {b_label} again."
)
EXTEND_STEP_UNKNOWN = (
    "Add held-out items to the {kind} trial (run {run_id}) and compare {a_label} with "
    "{b_label} again."
)
RERUN_STEP = "Re-run trial {run_id} so its comparisons carry intervals and verdicts."
CONFIRM_STEP = (
    'Confirm {kind} trial run {run_id} on your own model: in the Trials tab open "Model for '
    'this run", enter your GGUF file, Hugging Face folder or server URL and run the same '
    "trial, or run `app.py trial {flag} --model YOUR_MODEL`."
)
CONFIRM_FLAGS = {"knowledge": "--docs DOCS --qa QA", "behaviour": "--examples FILE"}
READING_WORDS = {"better": "better", "worse": "worse", "equivalent": "equivalent",
                 "no_better": "no better than the margin"}  # fmt: skip

# One arm of the update drill inside the "update_drill" reason.
DRILL_ARMS = {
    "rag": "RAG after re-indexing the changed files gave the new value for {new} of {n} "
    "({share}, 95% {low}–{high}){timing}",
    "lora-stale": "the LoRA adapter as trained gave it for {new} of {n} and the old value for "
    "{old} of {n}",
    "lora-retrained": "retrained within the budget, the adapter gave it for {new} of {n}{timing}",
}
DRILL_CORRECT = " after {seconds} s ({cost})"
DRILL_NOT_CORRECT = ", short of correct after {seconds} s ({cost})"
DRILL_FAST = (
    "Your knowledge changes {change}: it belongs where an update is a re-index, not a retraining."
)
DRILL_SLOW = "Your knowledge changes {change}, so you would pay this cost rarely."
DRILL_CHANGE = {"static": "rarely", "yearly": "yearly", "monthly": "monthly", "weekly": "weekly",
                "daily": "daily"}  # fmt: skip

# The basis sentence: what the decision rests on.
BASIS_MEASURED = "{count} measured comparison{s} from run {runs} ({pairs})"
BASIS_PRODUCTION = "your production scores"
BASIS_RULES = "{count} rule{s} of thumb"
BASIS_DRILL = "the update drill of run {runs}"
BASIS_UNSETTLED = "; {count} more trial comparison{s} could not tell the approaches apart yet"
BASIS = "Rests on {parts}{unsettled}."

# What the chat says when a run is added as evidence.
EVIDENCE_ADDED = (
    "I've added {kind} trial run {run_id} as evidence: it ran on {model} and is scored by "
    "{metric}; your own production scores are kept apart. {verdicts}"
)
VERDICT_LINE = "{a} vs {b}: {verdict} ({delta}, 95% interval {interval}, {p})"
NO_VERDICTS = "It was stored without paired comparisons, so it gives no verdicts."
NO_PAIRS = "It has no pair of finished trials to compare."

# A trial of the run that did not finish (assistant.advice.unfinished): named, never
# compared, with what it would take to finish it (the web control, not a CLI flag).
LEFT_OUT = "{label} left out: {reason}"
LEFT_OUT_CUT = (
    "it stopped at {steps} of {planned} planned training steps when its time budget ran out "
    "(after {seconds:.0f} s), so its {metric} of {score} comes from an under-trained adapter "
    "and is not compared with the other approaches."
)
LEFT_OUT_BUDGET = (
    'To finish it, set the "{control}" slider in the Trials tab to about {needed} s and run '
    "the trial again."
)
LEFT_OUT_BUDGET_OVER = (
    "Its planned steps need about {needed} s of training, more than the "
    '"{control}" slider\'s {most} s: fewer training examples or a GPU would let it finish.'
)
LEFT_OUT_FAILED = "it {status} ({error}), so it gives no verdict."

# The prompt rung as a behaviour run measured it (assistant.advice.prompt_rung).
PROMPT_SCORES = "zero-shot prompting scored {zero} on {metric}, {others}"
PROMPT_BETTER = (
    "{a_label} beat zero-shot prompting by {delta} ({stats}): instructions with worked "
    "examples measurably close part of the gap, and that prompt is the baseline any "
    "fine-tune must beat."
)
PROMPT_SAME = (
    "{a_label} and zero-shot prompting {same}: worked examples in the prompt changed "
    "nothing on these {n} held-out examples."
)
PROMPT_UNSETTLED = (
    "{a_label} against zero-shot prompting reads {reading} ({delta}, {stats}): worked "
    "examples did not measurably help on this model."
)
STAND_IN_BASELINE = (
    "Record a prompt-only baseline on your own model's held-out set: run {run_id} measured "
    "prompts only on the packaged stand-in."
)
