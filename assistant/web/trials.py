"""The Trials tab's knowledge runs: reviewed pairs, the plan, a run in line with progress.

Trial options come from `eval.config` (the same dataclasses the CLI's flags are built
from), so the sliders' defaults and the stored run config can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assistant.core.errors import AdvisorError, LeftLine, describe_error
from assistant.web.evaluation import PAIRS, evaluation_inputs
from assistant.web.results import TrialView, result_view
from assistant.web.safe import inert
from assistant.web.services import Services
from assistant.web.session import SessionState, bind_session
from assistant.web.turns import pairs_estimate, trial_estimate, trial_turn
from eval.config import KnowledgeConfig, build_config, trial_settings
from eval.data.pairs import EvalPair

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RunModel:
    """The Trials tab's model fields: what every arm of the next run answers on."""

    spec: str = ""  # packaged, a .gguf path, an HF folder or an http(s) URL; "" = the app's
    name: str = ""  # the served model's name at that URL
    adapter: str = ""  # a LoRA adapter that URL serves, measured as the LoRA arm

    def options(self) -> dict[str, str]:
        return {"model": self.spec.strip(), "model_name": self.name.strip(),
                "adapter_model": self.adapter.strip()}  # fmt: skip


def trial_config(
    services: Services, trials: Sequence[str], chunk_size: float, top_k: float,
    lora_budget_s: float, model: RunModel = RunModel(), drill: float = 0,
) -> KnowledgeConfig:  # fmt: skip
    """The run's options from the sliders, built as the CLI builds them from its flags."""
    return build_config(
        "knowledge", services.settings, tuple(trials), chunk_size=int(chunk_size),
        top_k=int(top_k), time_budget_s=float(lora_budget_s), drill=int(drill or 0),
        **model.options(),
    )  # fmt: skip


def pairs_from_rows(rows: Sequence[Sequence[Any]]) -> list[EvalPair]:
    """Reviewed pairs from the editable table (rows: question, answer, source, kind)."""
    out = []
    for i, row in enumerate(rows):
        question, answer = (str(row[0] or "").strip(), str(row[1] or "").strip())
        if question and answer:
            source = str(row[2] or "") if len(row) > 2 else ""
            kind = str(row[3] or "") if len(row) > 3 else ""
            pair = EvalPair(f"r{i + 1}", question, answer, source, generated=True)
            out.append(replace(pair, kind=kind or "question"))
    return out


def size_note(n_pairs: float) -> str:
    """What a trial on this many generated pairs could tell apart (shown by the slider)."""
    from eval.data.split import heldout_count
    from eval.scoring.power import sample_size_note

    return sample_size_note(heldout_count(int(n_pairs), KnowledgeConfig()))


def generate_rows(
    services: Services, session: SessionState, n: float, progress: Progress | None = None
) -> tuple[list[list[str]], str]:
    """Q/A pairs generated from the session's documents for review, and a coverage note.

    Waits its turn in the trial line first (a run at the same time would compete for the
    same two cores and the same model) and honours the session's Cancel button.
    """
    from eval.questions.generate import generate_questions
    from knowledge.index import open_index

    if not session.uploads:
        return [], "Upload documents first."
    cancel = services.cancel_flag(session.session_id)
    turn = trial_turn(services.trial_queue, session.session_id, "pairs", pairs_estimate(n),
                      cancel, progress)  # fmt: skip
    try:
        with turn:
            index = open_index(session.workspace, services.settings, services.embedder())
            report = generate_questions(
                index.all_chunks(), services.trial_chat(), int(n), seed=services.settings.seed,
                progress=progress, cancel=cancel,
            )  # fmt: skip
    except LeftLine as err:
        return [], str(err)
    except Exception as err:  # cancel included: one line, nothing half-shown
        return [], f"**No pairs generated:** {inert(describe_error(err))}"
    rows = [[p.question, p.answer, p.source, p.kind] for p in report.pairs]
    if rows:
        session.eval_set = PAIRS  # touched last, so the next run is scored on these
    return rows, coverage_note(report)


def coverage_note(report: Any) -> str:
    """'20 pairs (14 questions, 6 fill-in-the-blank) in 41 s; a.md 8, b.md 0 (none found)'."""
    kinds = [p.kind for p in report.pairs]
    per_file = [
        f"{inert(name)} {n['kept'] + n['cloze']}"
        + (" (none found)" if not n["kept"] + n["cloze"] else "")
        for name, n in report.per_source.items()
    ]
    lines = [
        f"{len(kinds)} pairs ({kinds.count('question')} questions, {kinds.count('cloze')} "
        f"fill-in-the-blank) in {report.seconds:.0f} s; per file: {', '.join(per_file)}."
    ]
    return "\n".join(lines + [f"- {inert(note)}" for note in report.notes])


def knowledge_job(
    services: Services, state: SessionState, config: KnowledgeConfig,
    reviewed: Sequence[EvalPair] | None, progress: Progress, evaluate_on: str | None = None,
) -> Any:  # fmt: skip
    """The run the controls describe on the session's documents, scored on the one
    evaluation set chosen (`evaluation.evaluation_inputs`); models come later."""
    from eval.run import TrialJob

    if not state.uploads:
        raise AdvisorError("Upload some documents first (Trials tab or drop them in the chat).")
    qa_file, pairs = evaluation_inputs(state, evaluate_on, reviewed or [])
    return TrialJob(
        "knowledge", trial_settings(services.settings, config), None, None, None, config,
        workspace=state.workspace, docs=[Path(p) for p in state.documents], qa_file=qa_file,
        pairs=pairs, progress=progress,
    )  # fmt: skip


def run_trial(
    services: Services,
    state: SessionState,
    config: KnowledgeConfig,
    reviewed: Sequence[EvalPair] | None,
    progress: Progress,
    evaluate_on: str | None = None,
) -> Any:
    """Run the chosen trials on the session's documents once their turn in line comes,
    scored on the one evaluation set chosen (`evaluation.evaluation_inputs`)."""
    job = knowledge_job(services, state, config, reviewed, progress, evaluate_on)
    job.cancel = services.cancel_flag(state.session_id)  # only a run replaces the flag
    result = execute(services, job, state.session_id)
    state.run_ids.append(result.run_id)
    return result


def execute(services: Services, job: Any, owner: str) -> Any:
    """Check the inputs, wait for the run's turn in the trial line, then load its models
    and run it. Bad files are refused before waiting; models load only once it is our
    turn (loading one while another run answers would slow both). The line's estimate
    is the run's plan from earlier runs or a kept figure (no model needed for it)."""
    from eval.plan import plan_job
    from eval.run import check_inputs, run_trials

    check_inputs(job)  # a missing or empty file is refused before any model loads
    estimate = planned_seconds(services, job)
    with trial_turn(services.trial_queue, owner, "trial", estimate, job.cancel, job.progress):
        job.store, job.embedder = services.store(), services.embedder()
        job.chat = services.trial_chat(job.settings)
        start = getattr(job.progress, "start", None)
        if start is not None:  # the bar and banner count expected time from here on
            start(plan_job(job, job.store, job.chat))
        return run_trials(job)


def planned_seconds(services: Services, job: Any) -> float:
    """The run's expected seconds for its place in line: its plan, else a rough rule."""
    from eval.plan import plan_job

    try:
        return plan_job(job, services.store()).total_s
    except Exception:  # a plan that cannot be made must not keep the run out of line
        return trial_estimate(job.config)


def plan_markdown(services: Services, job: Any) -> str:
    """The plan line shown by the Run button: from earlier runs or a kept figure, with no
    model loaded; empty while the inputs cannot be planned (nothing uploaded yet)."""
    from eval.plan import plan_job
    from eval.run import check_inputs

    try:
        check_inputs(job)
        return f"**Plan:** {plan_job(job, services.store()).line('web')}"
    except Exception:  # the run itself says what is wrong with the inputs, in full
        return ""


def with_plan(view: TrialView, progress: Any) -> TrialView:
    """The run's status starts with the plan it was started on."""
    line = getattr(progress, "plan_line", "")
    return replace(view, status=f"Plan: {line}\n\n{view.status}") if line else view


def knowledge_plan(
    services: Services, session: SessionState, chosen: Sequence[str], chunk_size: float,
    top_k: float, budget_s: float, rows: Any, model: RunModel = RunModel(), drill: float = 0,
    evaluate_on: str | None = None,
) -> str:  # fmt: skip
    """The plan line for the knowledge controls as they are set now."""
    if not chosen or not session.uploads:
        return ""
    try:
        config = trial_config(services, chosen, chunk_size, top_k, budget_s, model, drill)
        reviewed = pairs_from_rows(_table_rows(rows))
        job = knowledge_job(services, session, config, reviewed, lambda *a: None, evaluate_on)
    except Exception:  # an impossible setting is refused, with its reason, at Run
        return ""
    return plan_markdown(services, job)


def run_trials_view(
    services: Services, session: SessionState, chosen: Sequence[str], chunk_size: float,
    top_k: float, budget_s: float, rows: Any, progress: Progress, session_hash: str,
    model: RunModel = RunModel(), drill: float = 0, evaluate_on: str | None = None,
) -> TrialView:  # fmt: skip
    """Run trials and build everything the results area shows."""
    bind_session(session, session_hash)
    if not chosen:
        return TrialView("Choose at least one trial.")
    reviewed = pairs_from_rows(_table_rows(rows))
    session.eval_set = evaluate_on or session.eval_set
    try:
        config = trial_config(services, chosen, chunk_size, top_k, budget_s, model, drill)
        result = run_trial(services, session, config, reviewed, progress, evaluate_on)
    except LeftLine as err:
        return TrialView(str(err))
    except Exception as err:  # shown as one line; a bug is logged with its traceback
        return TrialView(f"**Could not run the trials:** {inert(describe_error(err))}")
    return with_plan(result_view(services, session, result), progress)


def _table_rows(rows: Any) -> list[list[Any]]:
    if rows is None:
        return []
    if hasattr(rows, "values"):  # a pandas DataFrame from gr.Dataframe
        return [list(r) for r in rows.values.tolist()]
    return [list(r) for r in rows]
