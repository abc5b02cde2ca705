"""The web app's services with fake models, and one chat turn driven like the browser."""

from __future__ import annotations

from assistant.web import chat
from assistant.web.services import Services
from tests.fakes.models import HashEmbedder, ScriptedChat


class FakeServices(Services):
    """Real services (store, indexes, guidance) with fake models."""

    def __init__(self, settings):
        super().__init__(settings)
        self._embedder = HashEmbedder()
        self._chat = ScriptedChat(respond=lambda m: "Retrieval fits changing facts.")

    def chat(self):
        return self._chat

    def trial_chat(self, settings=None):
        return self._chat

    def embedder(self):
        return self._embedder


def run_chat(services, session, text, files=(), history=None, session_hash="abc"):
    message = {"text": text, "files": list(files)}
    steps = list(chat.chat_turn(services, session, message, history or [], session_hash))
    assert steps[0][0][-1]["content"] == chat.THINKING  # the user sees progress at once
    return steps[-1]


def writing_services(tmp_path):
    """Fake services whose chat writes one question per chunk (for pair generation)."""
    from assistant.core.settings import load_settings
    from tests.fakes.readers import question_writer

    services = FakeServices(load_settings(env={}, data_dir=str(tmp_path / "data")))
    services._chat.respond = question_writer
    return services


def session_with_docs(services, session_id, docs):
    """A session with every file in the folder `docs` uploaded, as the Trials tab does."""
    from assistant.web.session import SessionState
    from assistant.web.uploads import upload_files

    session = SessionState(session_id=session_id)
    files = [str(p) for p in sorted(docs.iterdir())]
    upload_files(services, session, files, None, session_id)
    return session
