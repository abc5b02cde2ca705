"""The Trials tab's components and wiring (gradio), for both kinds of trial.

The tab asks first what to test: what the model *knows* (documents + questions: prompt
vs RAG vs LoRA) or how it *answers* (input→output examples: zero-shot vs few-shot vs
retrieved shots vs LoRA). Both kinds share one results area, so a run of either shows
the same table, charts, verdicts and per-item browser. Callbacks only map components
onto `assistant.web.trials` / `assistant.web.behaviour` functions.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.advice.trial_defaults import KNOWLEDGE_DEFAULT
from assistant.web import behaviour, diagnosis, evaluation, items, results, trials, turns
from assistant.web.behaviour_tab import behaviour_inputs
from assistant.web.preselect import fresh_defaults
from assistant.web.results import CHART_TITLES
from assistant.web.running import RUN_OUTPUTS, replan, reporter, streamed, view_outputs, wire_run
from assistant.web.services import Services
from assistant.web.session import SessionState
from assistant.web.uploads import QA_FORMAT_HINT, upload_files
from eval.config import LoraConfig, RetrievalConfig
from eval.controls import WEB_LABELS, WEB_LIMITS
from eval.kinds import KNOWLEDGE_TRIALS, TRIAL_LABELS

MODEL_HINT = (
    "Every approach runs on this one model. Empty or `packaged` = the small packaged "
    "stand-in (SmolLM2-135M; its numbers compare approaches, they do not predict your "
    "model's). Or a `.gguf` file, a Hugging Face model folder, or an OpenAI-compatible "
    "URL such as `http://localhost:8000/v1` with the served model's name."
)
SWEEP_HINT = (
    "Most of RAG's misses were retrieval misses: the answer was not in what the model read. "
    "The sweep tries a few chunk sizes and top-k values on the training questions, then "
    "checks the best one on the held-out questions with the same verdict rule."
)
# Trial runs, pair generation and sweeps wait for their turn in `Services.trial_queue`
# inside their worker, so they get a pool of their own: waiting there must not hold the
# default pool's workers that uploads, history and reports need. Past this many, Gradio
# itself queues the click.
TRIAL_POOL = {"concurrency_limit": 16, "concurrency_id": "trials"}
MODES = {
    "knowledge": "What the model knows (documents + questions)",
    "behaviour": "How the model answers (input → output examples)",
}


def trials_ui(services: Services, state: gr.State, advisor: tuple[Any, Any], tab: gr.Tab) -> None:
    """Mode choice, one input group per mode, then the shared results area.

    `advisor` is the Advisor tab's (chat, recommendation panel): a finished run posts
    what changed in the chat and refreshes the panel at once, not at the next message.
    Opening the tab asks for the team's own examples when the interview heard of them,
    ticks the trials the interview suggests (`preselect`) and shows the evaluation set.
    """
    run_banner = gr.Markdown(elem_id="run-banner")  # stage and time left while a run goes
    hint = gr.Markdown(elem_id="examples-hint")
    tab.select(behaviour.examples_hint, state, hint)
    mode = gr.Radio(
        list(MODES.values()), value=MODES["knowledge"], label="What do you want to test?",
        elem_id="trial-mode",
    )  # fmt: skip
    with gr.Group(visible=True) as knowledge_group:
        run_knowledge = _knowledge_inputs(services, state, tab)
    with gr.Group(visible=False) as behaviour_group:
        run_behaviour = behaviour_inputs(services, state)

    def show(choice: str) -> tuple:
        knows = choice == MODES["knowledge"]
        return gr.update(visible=knows), gr.update(visible=not knows)

    mode.change(show, mode, [knowledge_group, behaviour_group])

    def preselect(session: SessionState) -> tuple:
        ticks = _ticks(session, "knowledge"), _ticks(session, "behaviour")
        return *ticks, _evaluate_on(session), session

    tick_boxes = [run_knowledge[1][0], run_behaviour[1][0], run_knowledge[1][-1]]
    tab.select(preselect, state, [*tick_boxes, state])
    with gr.Accordion("Model for this run", open=False):
        gr.Markdown(MODEL_HINT)
        with gr.Row():
            model = gr.Textbox(label=WEB_LABELS["model"], placeholder="packaged",
                               elem_id="trial-model")  # fmt: skip
            model_name = gr.Textbox(label=WEB_LABELS["model_name"], elem_id="model-name")
            adapter = gr.Textbox(label=WEB_LABELS["adapter_model"])
    cancel = gr.Button("Cancel", variant="secondary", elem_id="cancel-trials")
    status = gr.Markdown(elem_id="trial-status")
    table = gr.Dataframe(
        label="Results (scores 0-1, held-out items)", interactive=False, elem_id="results"
    )
    with gr.Accordion("Tune retrieval: chunk size × top-k", open=True, visible=False) as tune:
        gr.Markdown(SWEEP_HINT)
        sweep = gr.Button("Sweep chunk size × top-k", size="sm", elem_id="run-sweep")
        sweep_note = gr.Markdown(elem_id="sweep-status")
        use_best = gr.Button("Use the best setting", size="sm", visible=False, elem_id="use-best")
        best = gr.State(None)
    with gr.Row():
        charts = [gr.Image(label=t, show_label=True, height=260) for t in CHART_TITLES]
    item = gr.Dropdown(label="Browse held-out items", choices=[], elem_id="question-pick")
    detail = gr.Markdown()
    with gr.Accordion("Cost at your volume", open=True):
        cost_table = gr.Markdown(elem_id="costs")
        cost_chart = gr.Image(label="Monthly cost vs volume", height=300, visible=False)
    chatbot, panel = advisor
    outputs = [status, table, *charts, item, state, chatbot, panel, cost_table, cost_chart, tune]
    assert len(outputs) == RUN_OUTPUTS
    modes = (run_knowledge, run_behaviour)
    buttons = [m[0] for m in modes]
    for (button, run_inputs, run, plan_note, plan), api_name in zip(
        modes, ("run_knowledge", "run_behaviour"), strict=True
    ):
        inputs = [state, chatbot, model, model_name, adapter, *run_inputs]
        outs = [*outputs, run_banner]
        wire_run(button, buttons, run_banner, run, inputs, outs, api_name, TRIAL_POOL)
        replan(plan, plan_note, [state, model, model_name, adapter, *run_inputs])
    with gr.Row():
        export = gr.Button("Download the trained adapter", size="sm", elem_id="export-adapter")
        export_file = gr.File(label="Adapter (peft + GGUF + serving commands)", visible=False)
        export_note = gr.Markdown(elem_id="export-status")

    def on_export(session):
        path, note = results.export_zip(services, session)
        return gr.update(value=path, visible=path is not None), note

    export.click(on_export, state, [export_file, export_note])
    chunk, top_k = run_knowledge[1][1], run_knowledge[1][2]

    def on_sweep(session, request: gr.Request, progress=gr.Progress()):
        services.bind(session, request.session_hash, request.username)
        note, found = diagnosis.run_sweep(services, session, reporter(progress))
        return note, found, gr.update(visible=found is not None)

    sweep.click(on_sweep, state, [sweep_note, best, use_best], trigger_mode="once", **TRIAL_POOL)

    def on_use_best(found):
        if not found:
            return gr.update(), gr.update()
        return gr.update(value=found[0]), gr.update(value=found[1])

    use_best.click(on_use_best, best, [chunk, top_k])
    cancel.click(lambda s: turns.cancel_message(services, s), state, status, queue=False)
    item.change(
        lambda label, s: items.question_view(services, s, label), [item, state], detail,
        api_name="question_detail",
    )  # fmt: skip


def _knowledge_inputs(services: Services, state: gr.State, tab: gr.Tab) -> tuple:
    """Documents, optional Q/A, reviewed pairs, retrieval knobs and the update drill (offered
    when the interview says the knowledge changes monthly or faster); (button, inputs, run).
    """
    with gr.Row():
        docs = gr.File(
            label="Documents (PDF, DOCX, TXT, MD, HTML, CSV)", file_count="multiple",
            elem_id="trial-docs",
        )  # fmt: skip
        qa = gr.File(
            label="Q/A pairs (optional)", file_types=[".csv", ".jsonl"], elem_id="trial-qa"
        )
    gr.Markdown(QA_FORMAT_HINT)
    upload_msg = gr.Markdown(elem_id="upload-status")
    with gr.Accordion("Review generated Q/A pairs (when you have no Q/A file)", open=False):
        how_many = gr.Slider(5, 60, value=20, step=1, label="Pairs to generate")
        size_note = gr.Markdown(trials.size_note(20), elem_id="size-note")
        how_many.change(trials.size_note, how_many, size_note)
        generate = gr.Button("Generate pairs from my documents", size="sm", elem_id="generate")
        coverage = gr.Markdown(elem_id="pairs-status")
        pairs = gr.Dataframe(
            headers=["question", "answer", "source", "kind"], interactive=True,
            label="Edit or delete rows before running", elem_id="pairs",
        )  # fmt: skip
    evaluate_on = gr.Radio(
        evaluation.eval_choices(SessionState()), value=None, label="Evaluate on",
        info=evaluation.EVAL_HINT, elem_id="evaluate-on",
    )  # fmt: skip
    with gr.Row():
        chosen = gr.CheckboxGroup(
            [(TRIAL_LABELS[t], t) for t in KNOWLEDGE_TRIALS[:3]], value=list(KNOWLEDGE_DEFAULT),
            label="Trials", elem_id="trial-choice",
        )  # fmt: skip
        retrieval, lora = RetrievalConfig(), LoraConfig()
        chunk = gr.Slider(*WEB_LIMITS["chunk_size"], value=retrieval.chunk_size, step=8,
                          label=WEB_LABELS["chunk_size"])  # fmt: skip
        top_k = gr.Slider(*WEB_LIMITS["top_k"], value=retrieval.top_k, step=1,
                          label=WEB_LABELS["top_k"])  # fmt: skip
        budget = gr.Slider(*WEB_LIMITS["time_budget_s"], value=lora.time_budget_s, step=10,
                           label=WEB_LABELS["time_budget_s"])  # fmt: skip
    with gr.Accordion("When your documents change (update drill)", open=False) as drill_box:
        drill_note = gr.Markdown(diagnosis.DRILL_IDLE, elem_id="drill-note")
        drill = gr.Slider(
            0, 50, value=0, step=5, label="Update drill: % of held-out questions to change",
            elem_id="trial-drill",
        )  # fmt: skip

    def offer(session):
        value, note = diagnosis.drill_offer(session)
        return gr.update(value=value), note, gr.update(open=value > 0)

    tab.select(offer, state, [drill, drill_note, drill_box])
    evaluate_on.input(_remember_choice, [evaluate_on, state], state)
    run = gr.Button("Run trials", variant="primary", elem_id="run-trials")
    plan_note = gr.Markdown(elem_id="knowledge-plan")

    def on_upload(files, qa_file, session, request: gr.Request, progress=gr.Progress()):
        services.bind(session, request.session_hash, request.username)
        progress(0, desc="Reading and indexing files")
        note = upload_files(services, session, files, qa_file, request.session_hash)
        return note, session, _evaluate_on(session)

    plan_inputs = [chosen, chunk, top_k, budget, pairs, drill, evaluate_on]

    def on_plan(session, spec, name, adapter, chosen, chunk_size, k, seconds, rows, percent,
                evaluate=None):  # fmt: skip
        model = trials.RunModel(spec or "", name or "", adapter or "")
        return trials.knowledge_plan(services, session, chosen, chunk_size, k, seconds, rows,
                                     model, percent, evaluate)  # fmt: skip

    for box in (docs, qa):
        box.upload(on_upload, [docs, qa, state], [upload_msg, state, evaluate_on]).then(
            lambda s, *rest: on_plan(s, "", "", "", *rest), [state, *plan_inputs], plan_note
        )

    def on_generate(n, session, request: gr.Request, progress=gr.Progress()):
        services.bind(session, request.session_hash, request.username)
        rows, note = trials.generate_rows(services, session, n, reporter(progress))
        table = rows if rows else gr.update()
        return table, note, gr.update(interactive=True), session, _evaluate_on(session)

    generate.click(lambda: gr.update(interactive=False), None, run, queue=False).then(
        on_generate, [how_many, state], [pairs, coverage, run, state, evaluate_on], **TRIAL_POOL
    )

    def on_run(session, history, spec, name, adapter, chosen, chunk_size, k, seconds, rows,
               percent, evaluate=None, request: gr.Request | None = None,
               progress=gr.Progress()):  # fmt: skip
        # `evaluate=None`: API callers that name no set get the one at hand, as before.
        assert request is not None  # Gradio passes the request to every event
        services.bind(session, request.session_hash, request.username)

        def work(reporter):
            view = trials.run_trials_view(
                services, session, chosen, chunk_size, k, seconds, rows, reporter,
                request.session_hash, trials.RunModel(spec or "", name or "", adapter or ""),
                percent, evaluate,
            )  # fmt: skip
            return view_outputs(services, view, session, history)

        yield from streamed(work, progress, RUN_OUTPUTS)

    return run, plan_inputs, on_run, plan_note, on_plan


def _evaluate_on(session: SessionState) -> Any:
    """The "Evaluate on" control as the session stands: the file named, last touched set."""
    choices = evaluation.eval_choices(session)
    return gr.update(choices=choices, value=evaluation.current_choice(session))


def _remember_choice(choice: str | None, session: SessionState) -> SessionState:
    session.eval_set = choice or ""
    return session


def _ticks(session: SessionState, kind: str) -> Any:
    """The trial checkboxes' value when the interview's defaults changed, else unchanged."""
    wanted = fresh_defaults(session, kind)
    return gr.update() if wanted is None else gr.update(value=wanted)
