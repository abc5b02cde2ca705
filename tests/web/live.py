"""The real Gradio app, launched in this process with fake models, for tests over HTTP.

Two seconds to start, no model loads: what a browser or an API client reaches (routes,
headers, Gradio's per-session state keyed by the client's session hash) without the
minutes a subprocess with real models takes.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fakes.server import free_port
from tests.fakes.web import FakeServices


@dataclass
class Live:
    url: str
    services: FakeServices
    demo: Any

    def client(self, session_hash: str) -> Any:
        """A gradio_client session whose session hash is the one given (a crafted one)."""
        from gradio_client import Client

        client = Client(self.url, verbose=False, download_files=False)
        client.session_hash = session_hash
        return client


@contextmanager
def live_app(data: Path, **settings: Any) -> Iterator[Live]:
    """The app on a free port; `auth=(user, password)` asks for a login."""
    from assistant.core.settings import load_settings
    from assistant.web.layout import build_app, launch_options

    auth = settings.pop("auth", None)
    config = load_settings(env={}, data_dir=str(data), port=free_port(), **settings)
    services = FakeServices(config)
    demo = build_app(config, services)
    demo.queue(default_concurrency_limit=4).launch(
        **launch_options(config), auth=auth, prevent_thread_lock=True, quiet=True
    )
    try:
        yield Live(f"http://127.0.0.1:{config.port}/", services, demo)
    finally:
        demo.close()


def http(
    url: str, *, data: bytes | None = None, form: bool = False, headers: dict | None = None
) -> tuple[int, bytes, Any]:
    """(status, body, headers) without raising on an error status."""
    headers = dict(headers or {})
    if data is not None:
        kind = "application/x-www-form-urlencoded" if form else "application/json"
        headers["Content-Type"] = kind
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read(), err.headers


def login(url: str, user: str, password: str, forwarded: str = "") -> tuple[int, bytes, Any]:
    """A login attempt; `forwarded` claims a client address in X-Forwarded-For."""
    body = urllib.parse.urlencode({"username": user, "password": password}).encode()
    extra = {"X-Forwarded-For": forwarded} if forwarded else {}
    return http(urllib.parse.urljoin(url, "login"), data=body, form=True, headers=extra)
