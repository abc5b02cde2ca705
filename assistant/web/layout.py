"""The Gradio layout: components and the wiring of each event to one library function.

The only module that imports gradio. Each callback is a few lines that call into
`assistant.web.*` (plain Python, tested without a browser) and map results onto
components; per-visitor state is a `SessionState` in `gr.State`.
"""

from __future__ import annotations

import atexit
import os
import signal
import threading

import gradio as gr

from assistant.core.errors import SettingsError
from assistant.core.ports import busy_port_message
from assistant.core.settings import Settings
from assistant.web import history
from assistant.web.chat import chat_turn, edit_profile, profile_json, recommendation_markdown
from assistant.web.downloads import make_report, run_choices
from assistant.web.hardening import middleware
from assistant.web.scratch import remove_own, remove_visitor_files, sweep_dead
from assistant.web.services import Services
from assistant.web.session import SessionState
from assistant.web.trials_tab import trials_ui

# Chat replies share one pool this wide. A reply mostly waits (for the chat model's lock,
# which already serialises generation), so a narrow pool only made quick interview
# answers queue behind other visitors' model answers: with 4 slots and 5 visitors the
# model-free replies had a first-text p95 of 4.7 s (bench/load.py).
CHAT_CONCURRENCY = 32
# Gradio keeps a copy of every file it hands out or receives (uploads, charts, reports) in
# its cache; every 30 minutes, copies older than 2 hours go.
DELETE_CACHE = (1800, 7200)


def serve(settings: Settings) -> int:
    """Start the web app and block until it stops."""
    sweep_dead()  # scratch folders of servers that were killed
    atexit.register(remove_own)
    if threading.current_thread() is threading.main_thread():  # signals: main thread only
        signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so exit handlers run on `kill`
    services = Services(settings, settings.max_concurrent_trials)
    app = build_app(settings, services)
    services.warm_up()  # models load while the server starts, not in the first reply
    auth = (settings.auth_username, settings.auth_password) if settings.auth_password else None
    print(f"Adaptation Advisor on http://{settings.host}:{settings.port}", flush=True)
    try:
        app.queue(default_concurrency_limit=4).launch(**launch_options(settings), auth=auth)
    except OSError as err:  # the port was taken after `check_port` looked
        if "port" not in str(err).lower():
            raise
        raise SettingsError(busy_port_message(settings.host, settings.port)) from None
    return 0


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def launch_options(settings: Settings) -> dict:
    """`Blocks.launch` options, login aside (tests launch the app without one).

    One option cannot be passed: uvicorn, which Gradio starts, believes X-Forwarded-For
    from the addresses in FORWARDED_ALLOW_IPS, by default 127.0.0.1, so any local client
    could name a new address per login attempt and never be limited. It is set here from
    `trusted_proxies` (empty: nobody's header is believed).
    """
    os.environ["FORWARDED_ALLOW_IPS"] = settings.trusted_proxies
    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "show_error": True,
        "max_file_size": int(settings.max_upload_mb * 1_000_000),
        "allowed_paths": [str(settings.data_path.resolve() / "reports")],
        "css": CSS,
        # Gradio's run history keeps every input (document text, chat) in the browser and
        # offers to copy it to a Hugging Face bucket: neither belongs in an offline tool.
        "run_history": False,
        # Security headers on every response and a limit on login attempts per client.
        "app_kwargs": {"middleware": middleware(settings.login_attempts_per_minute)},
    }


def build_app(settings: Settings, services: Services | None = None) -> gr.Blocks:
    """The Gradio Blocks app. Every callback calls one library function."""
    services = services or Services(settings, settings.max_concurrent_trials)

    def forget(session: SessionState) -> None:
        """Gradio drops a session's state (an hour after its tab closed, or an API client
        gone quiet): its temporary files go too, and what Services kept for it."""
        if session.session_id:
            services.visitor_gone(session.session_id)
        remove_visitor_files(settings.data_path, session.session_id, session.workspace)

    with gr.Blocks(title="Adaptation Advisor", delete_cache=DELETE_CACHE) as demo:
        state = gr.State(SessionState(), delete_callback=forget)
        gr.Markdown(
            "# Adaptation Advisor\nShould you improve your LLM with **prompts**, **RAG** or "
            "**fine-tuning**? Answer a few questions, try it on your documents, download a plan."
        )
        with gr.Tabs():
            with gr.Tab("Advisor", id="advisor"):
                advisor = chat_ui(services, state)
            with gr.Tab("Trials", id="trials") as trials_tab:
                trials_ui(services, state, advisor, trials_tab)
            with gr.Tab("History", id="history") as history_tab:
                history_ui(services, state, history_tab)
            with gr.Tab("Report", id="report") as report_tab:
                report_ui(services, state, report_tab)

        def on_close(request: gr.Request) -> None:
            """A closed tab cancels its running trial, which is then recorded as cancelled,
            and its temporary files (charts, reports) go."""
            session_id = services.visitor_closed(request.session_hash)
            if session_id:
                remove_visitor_files(settings.data_path, session_id, f"session-{session_id}")

        demo.unload(on_close)
    return demo


CSS = """
#recommendation {border-left: 4px solid var(--color-accent); padding-left: 12px}
.quick-replies button {flex: 0 1 auto !important; min-width: 0 !important}
"""
MAX_CHOICES = 9


def chat_ui(services: Services, state: gr.State) -> tuple[gr.Chatbot, gr.Markdown]:
    """Advisor tab: the interview chat, quick replies, live recommendation and profile.

    Returns the chat and the recommendation panel, which a finished trial updates.
    """
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                height=500,
                label="Conversation",
                elem_id="chat",
                placeholder="**Say hello** to start a short interview, ask about RAG or "
                "fine-tuning, or drop a few documents here to try them.",
            )
            with gr.Row(elem_classes="quick-replies"):
                buttons = [
                    gr.Button(visible=False, size="sm", elem_classes="quick-reply")
                    for _ in range(MAX_CHOICES)
                ]
            box = gr.MultimodalTextbox(
                placeholder="Say hello to start, answer, ask a question, or drop documents here",
                file_count="multiple",
                show_label=False,
                elem_id="chat-input",
            )
        with gr.Column(scale=2):
            rec = gr.Markdown(recommendation_markdown(state.value), elem_id="recommendation")
            with gr.Accordion("Your profile (editable JSON)", open=False):
                code = gr.Code(language="json", elem_id="profile-json")
                save = gr.Button("Save profile", size="sm")
                saved = gr.Markdown()

    def outputs_for(shown, session, choices, busy: bool):
        """While a reply is being made, input and quick replies are locked, so a fast
        second message cannot start from a stale conversation."""
        visible = [] if busy else choices
        updates = [
            gr.update(value=c, visible=True) if c else gr.update(visible=False)
            for c in (visible + [""] * MAX_CHOICES)[:MAX_CHOICES]
        ]
        box_update = gr.update(value=None, interactive=not busy)
        rec_text, profile_text = recommendation_markdown(session), profile_json(session)
        return (shown, box_update, session, rec_text, profile_text, *updates)

    def respond(message, history, session, request: gr.Request):
        services.bind(session, request.session_hash, request.username)
        last = None
        for last in chat_turn(services, session, message, history, request.session_hash):
            yield outputs_for(*last, busy=True)
        yield outputs_for(*last, busy=False)

    outputs = [chatbot, box, state, rec, code, *buttons]
    chat_pool = {"concurrency_limit": CHAT_CONCURRENCY, "concurrency_id": "chat"}
    box.submit(respond, [box, chatbot, state], outputs, **chat_pool)
    for button in buttons:
        button.click(lambda v: {"text": v, "files": []}, button, box).then(
            respond, [box, chatbot, state], outputs, **chat_pool
        )

    def save_profile(text, session):
        message = edit_profile(session, text)
        return message, session, recommendation_markdown(session)

    save.click(save_profile, [code, state], [saved, state, rec])
    return chatbot, rec


def history_ui(services: Services, state: gr.State, tab: gr.Tab) -> None:
    """History tab: this session's runs from DuckDB; compare two, settings first."""
    refresh = gr.Button("Refresh", size="sm")
    runs = gr.Dataframe(headers=history.HEADERS, interactive=False, elem_id="runs")
    with gr.Row():
        run_a = gr.Dropdown(label="Run A", choices=[], elem_id="run-a")
        run_b = gr.Dropdown(label="Run B", choices=[], elem_id="run-b")
    compare = gr.Dataframe(label="Comparison", interactive=False, elem_id="compare")

    def on_refresh(session, request: gr.Request):
        services.bind(session, request.session_hash, request.username)
        options = history.run_options(services, session)
        return (history.history_rows(services, session), gr.update(choices=options),
                gr.update(choices=options), session)  # fmt: skip

    outputs = [runs, run_a, run_b, state]
    refresh.click(on_refresh, state, outputs, api_name="history")
    tab.select(on_refresh, state, outputs)

    def on_compare(a, b, session, request: gr.Request):
        services.bind(session, request.session_hash, request.username)
        return history.compare(services, session, a, b)

    for dropdown in (run_a, run_b):
        dropdown.change(on_compare, [run_a, run_b, state], compare)


def report_ui(services: Services, state: gr.State, tab: gr.Tab) -> None:
    """Report tab: one button, Markdown + HTML + PDF downloads."""
    gr.Markdown(
        "The report covers your profile, the recommendation and plan, and the trial run "
        "you choose (default: your latest finished run with the most trials)."
    )
    with gr.Row():
        run = gr.Dropdown(label="Trial run", choices=[], elem_id="report-run", scale=3)
        refresh = gr.Button("Refresh runs", size="sm", scale=1)
    make = gr.Button("Create report", variant="primary", elem_id="make-report")
    note = gr.Markdown()
    files = gr.File(label="Downloads", file_count="multiple", elem_id="report-files")

    def on_refresh(session, request: gr.Request):
        services.bind(session, request.session_hash, request.username)
        choices, default = run_choices(services, session)
        return gr.update(choices=choices, value=default or None), session

    refresh.click(on_refresh, state, [run, state], api_name="report_runs")
    tab.select(on_refresh, state, [run, state])

    def on_make(session, run_id, request: gr.Request):
        services.bind(session, request.session_hash, request.username)
        return make_report(services, session, run_id or None)

    make.click(on_make, [state, run], [files, note], api_name="make_report")
