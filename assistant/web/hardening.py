"""HTTP hardening around the FastAPI app Gradio builds: headers on every response, and a
limit on login attempts per client.

Two small ASGI middlewares, passed to Gradio as `app_kwargs={"middleware": ...}` (so
they sit inside Gradio's own CORS and compression layers and see every route):

- `SecurityHeaders`: ``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'`` (no
  page may frame the app and trick a click), ``X-Content-Type-Options: nosniff`` (an
  uploaded file is never run as a script because its bytes look like one), and a
  Content-Security-Policy that allows only the app's own origin. Gradio's page needs
  its inline ``<script>`` blocks (they carry the app's config), so the page gets a fresh
  nonce on each of its script tags and the policy names that nonce: inline script
  anywhere else (an ``onerror=`` smuggled into rendered Markdown, an HTML file served
  back) does not run. Styles may be inline: Gradio sets them on nearly every element.
- `LoginLimiter`: at most N login attempts a minute per client address, then HTTP 429
  with ``Retry-After``, so a password cannot be guessed at network speed. The address
  is the connection's: behind a reverse proxy every visitor shares the proxy's, which
  limits them together (the ``X-Forwarded-For`` header is the client's to forge).
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

PAGE_PATHS = ("/", "")  # where Gradio serves its page (the app, or the login form)
POLICY = (
    "default-src 'self'; script-src 'self'{nonce}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
_SCRIPT_TAG = re.compile(rb"<script(?=[\s>])", re.IGNORECASE)


def policy(nonce: str = "") -> str:
    """The Content-Security-Policy, naming `nonce` when the response is the page."""
    return POLICY.format(nonce=f" 'nonce-{nonce}'" if nonce else "")


def security_headers(nonce: str = "") -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", policy(nonce).encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]


def add_nonce(html: bytes, nonce: str) -> bytes:
    """Every script tag of the page, marked with the response's nonce.

    >>> add_nonce(b'<script>a()</script><script src="x.js"></script>', "n1")
    b'<script nonce="n1">a()</script><script nonce="n1" src="x.js"></script>'
    """
    return _SCRIPT_TAG.sub(f'<script nonce="{nonce}"'.encode(), html)


def _with_headers(headers: list[Any], extra: list[tuple[bytes, bytes]]) -> list[Any]:
    names = {name for name, _ in extra}
    return [h for h in headers if h[0].lower() not in names] + extra


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response; nonces on the page."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        page = scope["method"] in ("GET", "HEAD") and scope["path"] in PAGE_PATHS
        nonce = secrets.token_urlsafe(16) if page else ""
        extra = security_headers(nonce)
        if not page:

            async def send_with_headers(message: dict) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = _with_headers(list(message.get("headers", [])), extra)
                await send(message)

            await self.app(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, _PageRewriter(send, nonce, extra))


class _PageRewriter:
    """Holds the page's response until its body is complete, then marks its scripts."""

    def __init__(self, send: Callable, nonce: str, extra: list[tuple[bytes, bytes]]) -> None:
        self.send, self.nonce, self.extra = send, nonce, extra
        self.start: dict | None = None
        self.body: list[bytes] = []

    async def __call__(self, message: dict) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.body.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        headers = list(self.start.get("headers", []))
        body = b"".join(self.body)
        kind = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
        if kind.startswith(b"text/html") and body:  # (a HEAD response has no body)
            body = add_nonce(body, self.nonce)
            headers = [h for h in headers if h[0].lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
        await self.send({**self.start, "headers": _with_headers(headers, self.extra)})
        await self.send({"type": "http.response.body", "body": body})


class AttemptLog:
    """Attempts per key within a sliding window; the oldest keys go past `max_keys`."""

    def __init__(
        self,
        limit: int,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.limit, self.window_s, self.clock, self.max_keys = limit, window_s, clock, max_keys
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def attempt(self, key: str) -> float:
        """Record an attempt by `key`: 0 when allowed, else the seconds until one will be."""
        now = self.clock()
        with self._lock:
            times = self._seen.pop(key, None) or deque()
            while times and times[0] <= now - self.window_s:
                times.popleft()
            self._seen[key] = times  # most recent last
            while len(self._seen) > self.max_keys:
                self._seen.popitem(last=False)
            if len(times) >= self.limit:
                return round(times[0] + self.window_s - now, 1) or 0.1
            times.append(now)
            return 0.0


class LoginLimiter:
    """ASGI middleware: refuse a client's login attempts past the limit with HTTP 429."""

    def __init__(self, app: Any, attempts_per_minute: int = 5) -> None:
        self.app = app
        self.log = AttemptLog(attempts_per_minute)

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        login = (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].rstrip("/").endswith("/login")
        )
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.log.attempt(client) if login else 0.0
        if not wait:
            await self.app(scope, receive, send)
            return
        seconds = max(1, round(wait))
        body = json.dumps(
            {"detail": f"Too many login attempts: wait {seconds} s and try again."}
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(seconds).encode()),
        ]
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def middleware(attempts_per_minute: int) -> list[Any]:
    """The middleware list for Gradio's `app_kwargs` (outermost first)."""
    from starlette.middleware import Middleware

    return [
        Middleware(SecurityHeaders),
        Middleware(LoginLimiter, attempts_per_minute=attempts_per_minute),
    ]
