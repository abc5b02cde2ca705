"""While a trial runs: a banner at the top of the Trials tab and Run buttons that cannot
be pressed again.

The progress bar sits over the results, below the fold, so a visitor at the top of the
tab saw nothing happening and a Run button that looked ready. Now a run is wired as
lock → run → unlock (`.click(...).then(...).then(...)`, as the chat locks its input): the
lock disables both Run buttons at once, without waiting in the queue; the run streams the
banner (stage and time left) from a worker thread while it goes; the unlock runs however
the run ended (finished, cancelled or failed), so the buttons always come back.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as StillRunning
from typing import Any

import gradio as gr

from assistant.web.chat import post_to_chat, recommendation_markdown
from assistant.web.costs import costs_chart, costs_markdown, session_costs
from assistant.web.progress import MonotonicProgress, RunProgress
from assistant.web.results import CHART_TITLES, TrialView
from assistant.web.scratch import adopt
from assistant.web.services import Services

POLL_S = 1.0  # how often the banner is refreshed while a run goes
STARTING = "Starting: checking the inputs and loading the model…"


def banner(text: str) -> str:
    return f"**A trial is running.** {text}" if text else ""


def lock(buttons: int) -> list[Any]:
    """Every Run button off and the banner on, before the run is even queued."""
    return [gr.update(interactive=False)] * buttons + [banner(STARTING)]


def unlock(buttons: int) -> list[Any]:
    """Every Run button back on and the banner gone, whatever became of the run."""
    return [gr.update(interactive=True)] * buttons + [""]


def stream_run(
    work: Callable[[RunProgress], tuple], show: Callable[[float, str], None],
    skipped: int, poll_s: float = POLL_S,
) -> Iterator[tuple]:  # fmt: skip
    """Run `work(progress)` in a worker thread; meanwhile yield the other `skipped` outputs
    left as they are and the banner last (API clients keep their output positions), then
    `work`'s outputs and the banner cleared.
    An error in `work` is raised here, after the last banner (the unlock still follows)."""
    progress = RunProgress(show)
    context = contextvars.copy_context()  # gr.Progress finds its event through this
    with ThreadPoolExecutor(1, thread_name_prefix="trial") as pool:
        future = pool.submit(context.run, work, progress)
        while True:
            try:
                outputs = future.result(timeout=poll_s)
                break
            except StillRunning:
                yield (*[gr.skip()] * skipped, banner(progress.banner))
    yield (*outputs, "")


def streamed(work: Callable[[RunProgress], tuple], progress: gr.Progress, skipped: int) -> Any:
    """`stream_run` showing the bar on the run's own gr.Progress."""
    return stream_run(work, lambda value, label: progress(value, desc=label), skipped)


def wire_run(button: gr.Button, buttons: list[gr.Button], banner_md: gr.Markdown, run: Any,
             inputs: list[Any], outputs: list[Any], api_name: str,
             pool: dict[str, Any] | None = None) -> None:  # fmt: skip
    """lock → run → unlock on `button` (see the module docstring); `pool` names the
    Gradio concurrency pool the run waits in."""
    targets = [*buttons, banner_md]
    button.click(lambda: lock(len(buttons)), None, targets, queue=False, trigger_mode="once").then(
        run, inputs, outputs, api_name=api_name, **(pool or {})
    ).then(lambda: unlock(len(buttons)), None, targets, queue=False)


def replan(plan: Any, note: gr.Markdown, inputs: list[Any]) -> None:
    """The plan line follows every control it depends on, a slider's typed number too
    (`release` alone missed it); while a slider is dragged, only the last value is planned
    (`always_last`), so a drag costs one plan, not one per step."""
    for component in inputs:
        if isinstance(component, gr.State):
            continue
        component.change(plan, inputs, note, queue=False, show_progress="hidden",
                         trigger_mode="always_last")  # fmt: skip


RUN_OUTPUTS = 9 + len(CHART_TITLES)  # the results area's outputs, the banner aside


def view_outputs(services: Services, view: TrialView, session: Any, history: list | None) -> tuple:
    """The results area for a trial view. Its chart images move into the visitor's scratch
    folder, replacing the last view's (Gradio has cached those already)."""
    choices = view.questions
    picked = gr.update(choices=choices, value=choices[0] if choices else None)
    chat = post_to_chat(history, view.advisor_message)
    panel = recommendation_markdown(session)
    table = session_costs(services, session)
    charts = view.charts  # already in the visitor's scratch folder (results._charts)
    [chart] = adopt(session.session_id, "costs", [costs_chart(table)])
    priced = (costs_markdown(table), gr.update(value=chart, visible=chart is not None))
    tune = gr.update(visible=view.offer_sweep)
    return (view.status, view.table, *charts, picked, session, chat, panel, *priced, tune)


def reporter(progress: gr.Progress) -> MonotonicProgress:
    return MonotonicProgress(lambda value, label: progress(value, desc=label))
