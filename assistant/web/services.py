"""Process-wide services the web app shares between sessions, loaded lazily.

Models, the guidance index and the DuckDB store are heavy and read-mostly, so one of
each serves every visitor. Per-visitor data never lives here (that is SessionState);
what does live here is the trial line, the line for model answers and the cancel flags
keyed by our session id, because threads and locks cannot be copied into Gradio's
per-session state; and which session id a Gradio session hash was given, because
Gradio's close event carries only the hash (`visitor_closed`).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from assistant.core.settings import Settings
from assistant.core.trialqueue import TrialQueue
from assistant.web.waiting import LazyChat, ModelLine, QueuedChat, busy_note, waiting_note


class Services:
    """Factories with caching; nothing loads until first use."""

    def __init__(self, settings: Settings, max_concurrent_trials: int = 1) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._guidance: Any = None
        self._store: Any = None
        self._warm: threading.Thread | None = None  # embeds the guidance sentences once
        self.warming = threading.Event()  # set while `warm_up` loads the guidance and models
        self.trial_queue = TrialQueue(max_concurrent_trials)
        self.model_line = ModelLine(settings.max_waiting_answers)
        self.cancel_flags: dict[str, threading.Event] = {}
        self.open_sessions: dict[str, str] = {}  # Gradio session hash -> our session id

    def chat(self) -> Any:
        from assistant.core.models import load_chat_model

        return load_chat_model(self.settings)

    def trial_chat(self, settings: Settings | None = None) -> Any:
        """The model trials and pair generation use: its own copy where that is cheap.

        `settings` are a run's own (its model choice); by default the app's.
        """
        from assistant.core.models import load_chat_model

        return load_chat_model(settings or self.settings, purpose="trial")

    def embedder(self) -> Any:
        from assistant.core.models import load_embedder

        return load_embedder(self.settings)

    def guidance(self) -> Any:
        with self._lock:
            if self._guidance is None:
                from knowledge.guidance import open_guidance, warm_sentences

                self._guidance = open_guidance(self.settings, self.embedder())
                self._warm = threading.Thread(
                    target=warm_sentences, args=(self._guidance,), daemon=True
                )
                self._warm.start()
            return self._guidance

    def store(self) -> Any:
        with self._lock:
            if self._store is None:
                from eval.store import Store

                self._store = Store(self.settings.db_file)
            return self._store

    def warm_up(self) -> threading.Thread:
        """Load what a side question needs (embedder, guidance index and its sentences,
        the chat model) in the background as the app starts, so the first visitor's quoted
        guidance shows without waiting for a model to load. Failures are left for the
        first real use to report, where the visitor sees them as one line."""

        def work() -> None:
            try:
                self.guidance()
                if self._warm is not None:
                    self._warm.join()  # until its sentences are embedded, quote by words
                self.chat()
            except Exception:  # reported when a visitor first needs them
                return
            finally:
                self.warming.clear()

        thread = threading.Thread(target=work, name="warm-up", daemon=True)
        self.warming.set()  # before the thread runs: a visitor right now must see it
        thread.start()
        return thread

    def ask(self, question: str, on_text: Any = None) -> Any:
        """A cited answer from the guidance base (the interview's side questions).

        The model's summary waits in `model_line`; while it waits, the quoted guidance is
        shown with the place in line, and when the line is full the answer is the quoted
        guidance with a note saying where the visitor would stand and how long it would be.
        """
        from knowledge.guidance import QAConfig, ask_guidance, quick_guidance

        config = QAConfig(
            max_tokens=self.settings.max_tokens, temperature=self.settings.temperature
        )
        shown, busy = [""], []

        def show(text: str) -> None:
            shown[0] = text
            if on_text is not None:
                on_text(text)

        def tell(note: str) -> None:
            if on_text is not None and shown[0]:
                on_text(f"{shown[0]}\n\n{note}")

        def full(place: Any) -> None:
            busy.append(busy_note(place))
            tell(busy[0])

        model = QueuedChat(LazyChat(self.chat), self.model_line,
                           lambda p: tell(waiting_note(p)), full)  # fmt: skip
        if self.warming.is_set():  # the guidance still loads after a start
            answer = quick_guidance(question, model, config, show)  # quotes by shared words
        else:
            answer = ask_guidance(question, self.guidance(), model, config, show)
        if busy and answer.text:
            answer = replace(answer, text=f"{answer.text}\n\n{busy[0]}")
        return answer

    def cancel_flag(self, session_id: str) -> threading.Event:
        """A fresh cancel flag for this session's next trial."""
        flag = threading.Event()
        self.cancel_flags[session_id] = flag
        return flag

    def cancel(self, session_id: str) -> bool:
        """Stop the session's jobs; False if there was nothing to stop."""
        return bool(self.stop(session_id))

    def stop(self, session_id: str) -> str:
        """Stop the session's jobs: "left" when a waiting one left the trial line (it
        never starts), "cancelled" when a running one was told to stop at its next item,
        "" when there was nothing to stop."""
        flag = self.cancel_flags.get(session_id)
        running = flag is not None and not flag.is_set()
        left = self.trial_queue.leave(session_id)  # also sets its running jobs' flags
        if flag is not None:
            flag.set()
        return "left" if left else "cancelled" if running else ""

    def bind(self, session: Any, session_hash: str | None, user: str | None = None) -> Any:
        """Give a visitor's SessionState its random id (and login name) on first use, and
        remember which Gradio session it belongs to, for that session's close event."""
        from assistant.web.session import bind_session

        bind_session(session, user=user)
        if session_hash:
            self.open_sessions[session_hash] = session.session_id
        return session

    def visitor_closed(self, session_hash: str | None) -> str:
        """A closed tab: cancel its running trial, take its jobs out of the trial line;
        returns its session id ("" if unknown)."""
        session_id = self.open_sessions.pop(session_hash or "", "")
        if session_id:
            self.visitor_gone(session_id)
        return session_id

    def visitor_gone(self, session_id: str) -> None:
        """Forget a visitor whose state Gradio dropped (an API client never sends the
        close event): cancel its trial and leave the line, drop its flag and its
        session-hash entry."""
        self.cancel(session_id)
        self.cancel_flags.pop(session_id, None)
        for session_hash in [h for h, i in self.open_sessions.items() if i == session_id]:
            del self.open_sessions[session_hash]
