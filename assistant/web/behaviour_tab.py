"""The Trials tab's behaviour mode: examples file, instruction, task kind, approaches and
knobs, its plan line and its Run callback (the results area is shared, `running.py`)."""

from __future__ import annotations

import gradio as gr

from assistant.advice.trial_defaults import BEHAVIOUR_DEFAULT
from assistant.web import behaviour, trials
from assistant.web.running import RUN_OUTPUTS, streamed, view_outputs
from assistant.web.services import Services
from eval.config import BehaviourConfig
from eval.controls import WEB_LABELS, WEB_LIMITS
from eval.kinds import BEHAVIOUR_TRIALS, TASK_CHOICES, TRIAL_LABELS


def behaviour_inputs(services: Services, state: gr.State) -> tuple:
    """Examples file, instruction, task kind, approaches and knobs; (button, inputs, run)."""
    examples = gr.File(
        label="Examples (JSONL, JSON or CSV)", file_types=[".jsonl", ".json", ".csv"],
        elem_id="trial-examples",
    )  # fmt: skip
    gr.Markdown(behaviour.EXAMPLES_HINT)
    instruction = gr.Textbox(
        label="Task instruction (optional; rows may carry their own)", lines=2,
        elem_id="trial-instruction",
    )  # fmt: skip
    preview = gr.Markdown(elem_id="examples-status")
    defaults = BehaviourConfig()
    with gr.Row():
        task = gr.Dropdown(
            list(TASK_CHOICES), value="auto", label="Task kind (auto = detected)",
            elem_id="trial-task",
        )  # fmt: skip
        chosen = gr.CheckboxGroup(
            [(TRIAL_LABELS[t], t) for t in BEHAVIOUR_TRIALS],
            value=list(BEHAVIOUR_DEFAULT), label="Approaches", elem_id="behaviour-choice",
        )  # fmt: skip
        shots = gr.Slider(*WEB_LIMITS["shots"], value=defaults.shots, step=1,
                          label=WEB_LABELS["shots"])  # fmt: skip
        budget = gr.Slider(*WEB_LIMITS["time_budget_s"], value=defaults.lora.time_budget_s,
                           step=10, label=WEB_LABELS["time_budget_s"],
                           elem_id="behaviour-budget")  # fmt: skip
    run = gr.Button("Run behaviour trials", variant="primary", elem_id="run-behaviour")
    plan_note = gr.Markdown(elem_id="behaviour-plan")
    plan_inputs = [chosen, task, instruction, shots, budget]

    def on_plan(session, spec, name, adapter, chosen, kind, text, k, seconds):
        model = trials.RunModel(spec or "", name or "", adapter or "")
        return behaviour.behaviour_plan(services, session, chosen, kind, text, k, seconds, model)

    def on_examples(upload, text, session, request: gr.Request):
        services.bind(session, request.session_hash, request.username)
        return behaviour.preview_examples(
            services, session, upload, text, request.session_hash
        ), session

    examples.change(on_examples, [examples, instruction, state], [preview, state]).then(
        lambda s, *rest: on_plan(s, "", "", "", *rest), [state, *plan_inputs], plan_note
    )

    def on_run(session, history, spec, name, adapter, chosen, kind, text, k, seconds,
               request: gr.Request, progress=gr.Progress()):  # fmt: skip
        services.bind(session, request.session_hash, request.username)

        def work(reporter):
            view = behaviour.run_behaviour_view(
                services, session, chosen, kind, text, k, seconds, reporter,
                request.session_hash, trials.RunModel(spec or "", name or "", adapter or ""),
            )  # fmt: skip
            return view_outputs(services, view, session, history)

        yield from streamed(work, progress, RUN_OUTPUTS)

    return run, plan_inputs, on_run, plan_note, on_plan
