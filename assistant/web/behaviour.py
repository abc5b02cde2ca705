"""The Trials tab's behaviour mode: the team's input→output examples, four ways, scored.

This is where the user finds out whether a LoRA beats a good few-shot prompt on *their*
labels, JSON or style. The upload is read once for a preview (format, rows kept and
skipped with reasons, the detected task) so problems show before anyone waits for a run;
the run itself is `eval.run.run_trials`, the same call as the CLI's
`trial --examples`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.advice.trial_defaults import examples_mode
from assistant.core.errors import AdvisorError, LeftLine, describe_error
from assistant.web.results import TrialView, result_view
from assistant.web.safe import inert
from assistant.web.services import Services
from assistant.web.session import SessionState, bind_session
from assistant.web.trials import Progress, RunModel, execute, plan_markdown, with_plan
from assistant.web.uploads import file_path, store_uploads
from eval.config import BehaviourConfig, build_config, trial_settings
from eval.data.split import heldout_count
from eval.scoring.power import sample_size_note

EXAMPLES_HINT = (
    "**Examples file** (JSONL, JSON or CSV, 30+ rows): `input`/`output` (or `prompt`/"
    "`completion`), Alpaca rows (`instruction`, `input`, `output`), or OpenAI chat "
    'fine-tuning rows (`{"messages": [...]}`). Outputs may be labels, JSON or free text.'
)
ROUTES = {  # where the examples the interview heard of go, by `examples_mode`
    "behaviour": (
        'choose "How the model answers" and upload that file. Your own examples are the '
        "fairest test of whether fine-tuning beats a good prompt."
    ),
    "knowledge": (
        "as questions about your documents with their answers, they are an evaluation set. "
        'Under "What the model knows", upload that file as the Q/A pairs: every approach is '
        "then scored on your own questions instead of generated ones."
    ),
    "either": (
        "if they are questions about your documents with their answers, upload them as the "
        'Q/A pairs under "What the model knows"; if they are requests paired with the answer '
        'in the form you need, choose "How the model answers" and upload them there. Your '
        "own examples are the fairest test."
    ),
}


def examples_hint(session: SessionState) -> str:
    """What the Trials tab asks for first, from what the interview heard.

    The team's own examples are the fairest test, so a team that said it has some is
    asked for that file before anything is generated for it, in the place where they
    belong (`examples_mode`): Q/A pairs about documents are the knowledge mode's
    evaluation set, input→output examples the behaviour mode's.
    """
    profile = session.profile
    route = examples_mode(profile)
    if not route:
        return ""
    reviewed = "reviewed " if profile.examples_reviewed else ""
    said = f"You said you have about {profile.labeled_examples:,} {reviewed}examples"
    return f"{said}: {ROUTES[route]}"


def preview_examples(
    services: Services, session: SessionState, upload: Any, instruction: str, session_hash: str
) -> str:
    """Store the examples file and describe it: rows kept, rows skipped and why, task kind."""
    from eval.data.examples import read_examples

    bind_session(session, session_hash)
    raw = file_path(upload) if upload else ""
    if not raw:
        session.examples_file = ""
        return "Upload an examples file to start."
    kept, problems = store_uploads(services, session, [raw], services.settings.max_upload_mb)
    if not kept:
        return "\n\n".join(problems)
    try:
        examples = read_examples(kept[0], BehaviourConfig(), instruction)
    except Exception as err:  # shown as one line; a bug is logged with its traceback
        session.examples_file = ""
        return f"**Cannot use {inert(kept[0].name)}:** {inert(describe_error(err))}"
    session.examples_file = str(kept[0])
    n_held = heldout_count(len(examples.examples), BehaviourConfig())
    return summary_markdown(examples.summary()) + f"\n\n{sample_size_note(n_held)}"


def summary_markdown(summary: dict[str, Any]) -> str:
    """The preview of an `ExampleSet.summary()` as a short Markdown list."""
    lines = [
        f"**{inert(summary['source'])}**: {summary['examples']} usable examples "
        f"({inert(summary['format'])} rows), {summary['skipped']} skipped.",
        f"- Task: **{summary['task']}** ({inert(summary['task_reason'])})",
    ]
    if summary["instruction"]:
        lines.append(f"- Instruction: {inert(summary['instruction'][:300])}")
    lines += [f"- Skipped {inert(reason)}" for reason in summary["skipped_reasons"]]
    lines += [f"- {inert(note)}" for note in summary["notes"]]
    return "\n".join(lines)


def behaviour_config(
    services: Services, trials: Sequence[str], shots: float, lora_budget_s: float,
    model: RunModel = RunModel(),
) -> BehaviourConfig:  # fmt: skip
    """The run's options from the controls, built as the CLI builds them from its flags."""
    return build_config(
        "behaviour", services.settings, tuple(trials), shots=int(shots),
        time_budget_s=float(lora_budget_s), **model.options(),
    )  # fmt: skip


def run_behaviour_view(
    services: Services, session: SessionState, chosen: Sequence[str], task: str,
    instruction: str, shots: float, budget_s: float, progress: Progress, session_hash: str,
    model: RunModel = RunModel(),
) -> TrialView:  # fmt: skip
    """Run the chosen behaviour trials on the session's examples; build the results view."""
    bind_session(session, session_hash)
    if not session.examples_file:
        return TrialView("Upload an examples file first.")
    if not chosen:
        return TrialView("Choose at least one approach.")
    try:
        config = behaviour_config(services, chosen, shots, budget_s, model)
        result = _run(services, session, config, task, instruction, progress)
    except LeftLine as err:
        return TrialView(str(err))
    except AdvisorError as err:
        return TrialView(f"**Could not run the trials:** {inert(str(err))}")
    except Exception as err:  # shown as one line; a bug is logged with its traceback
        return TrialView(f"**Could not run the trials:** {inert(describe_error(err))}")
    return with_plan(result_view(services, session, result), progress)


def behaviour_job(services, session, config, task, instruction, progress) -> Any:
    """The run the controls describe on the session's examples; models come later."""
    from eval.run import TrialJob

    return TrialJob(
        "behaviour", trial_settings(services.settings, config), None, None, None, config,
        workspace=session.workspace,
        examples_file=Path(session.examples_file), instruction=instruction or "",
        task=task or "auto", progress=progress,
    )  # fmt: skip


def _run(services, session, config, task, instruction, progress) -> Any:
    job = behaviour_job(services, session, config, task, instruction, progress)
    job.cancel = services.cancel_flag(session.session_id)  # only a run replaces the flag
    result = execute(services, job, session.session_id)
    session.run_ids.append(result.run_id)
    return result


def behaviour_plan(
    services: Services, session: SessionState, chosen: Sequence[str], task: str,
    instruction: str, shots: float, budget_s: float, model: RunModel = RunModel(),
) -> str:  # fmt: skip
    """The plan line for the behaviour controls as they are set now."""
    if not chosen or not session.examples_file:
        return ""
    try:
        config = behaviour_config(services, chosen, shots, budget_s, model)
    except AdvisorError:  # an impossible setting is refused, with its reason, at Run
        return ""
    job = behaviour_job(services, session, config, task, instruction, lambda *a: None)
    return plan_markdown(services, job)
