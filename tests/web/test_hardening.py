"""Security headers on every response, nonces on the page, login attempts limited.

Against the real app (fake models) over HTTP: the headers must be on Gradio's own routes
(page, config, API, files, errors), not only on ours.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest

from assistant.web.hardening import AttemptLog, add_nonce, policy
from tests.web.live import http, live_app, login

USER, PASSWORD = "legal-ops", "correct horse battery"
ROUTES = ["", "config", "gradio_api/info", "gradio_api/file=/etc/passwd", "no-such-page",
          "manifest.json"]  # fmt: skip


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with live_app(tmp_path_factory.mktemp("hardening")) as app:
        yield app


def assert_hardened(headers, route: str) -> str:
    csp = headers.get("content-security-policy", "")
    assert headers.get("x-frame-options") == "DENY", route
    assert headers.get("x-content-type-options") == "nosniff", route
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, route
    assert "unsafe-eval" not in csp and "script-src 'self'" in csp, route
    return csp


def test_every_response_carries_the_headers(live):
    for route in ROUTES:
        status, _, headers = http(live.url + route)
        assert status < 500, route
        csp = assert_hardened(headers, route)
        if route:  # only the page gets a nonce: inline script anywhere else never runs
            assert "'nonce-" not in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    status, _, headers = http(live.url + "gradio_api/queue/join", data=b"{}")
    assert status == 422
    assert_hardened(headers, "POST queue/join")


def test_the_page_scripts_carry_this_responses_nonce(live):
    seen = set()
    for _ in range(2):
        status, body, headers = http(live.url)
        nonce = re.search(r"'nonce-([^']+)'", headers["content-security-policy"]).group(1)
        tags = re.findall(rb"<script\b[^>]*>", body)
        assert status == 200 and len(tags) >= 5
        assert all(f'nonce="{nonce}"'.encode() in tag for tag in tags), tags
        assert int(headers["content-length"]) == len(body)
        seen.add(nonce)
    assert len(seen) == 2  # a fresh nonce per response


def test_add_nonce_only_touches_script_tags():
    html = b"<p>scripts</p><SCRIPT>x()</SCRIPT><scripted><script\tsrc=a.js></script>"
    out = add_nonce(html, "n")
    assert out.count(b'nonce="n"') == 2 and b"<scripted>" in out
    assert "'nonce-n'" in policy("n") and "nonce" not in policy()


def test_login_attempts_are_limited_per_client(tmp_path):
    with live_app(tmp_path, auth=(USER, PASSWORD), login_attempts_per_minute=5) as app:
        statuses = [login(app.url, USER, f"guess {i}")[0] for i in range(5)]
        assert set(statuses) == {400}  # wrong, but heard
        status, body, headers = login(app.url, USER, "guess 6")
        assert status == 429 and int(headers["retry-after"]) > 0
        assert b"Too many login attempts" in body
        assert login(app.url, USER, PASSWORD)[0] == 429  # even the right one, for now
        assert_hardened(headers, "429")
        page = http(app.url)  # the rest of the app is not limited
        assert page[0] == 200
        config = http(urllib.parse.urljoin(app.url, "config"))
        assert config[0] == 401


def test_a_forged_forwarded_address_does_not_reset_the_login_limit(tmp_path):
    """uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: a local
    client naming a new address per attempt was never limited (30 tries, no 429)."""
    with live_app(tmp_path, auth=(USER, PASSWORD), login_attempts_per_minute=5) as app:
        statuses = [login(app.url, USER, f"guess {i}", f"10.0.0.{i}")[0] for i in range(8)]
        assert statuses[:5] == [400] * 5 and set(statuses[5:]) == {429}


def test_a_trusted_proxy_is_believed(tmp_path):
    """Behind the team's own reverse proxy each visitor counts on their own."""
    with live_app(tmp_path, auth=(USER, PASSWORD), login_attempts_per_minute=2,
                  trusted_proxies="127.0.0.1") as app:  # fmt: skip
        statuses = [login(app.url, USER, "wrong", f"10.0.0.{i}")[0] for i in range(6)]
        assert set(statuses) == {400}


def test_attempt_log_slides_and_keeps_clients_apart():
    now = [0.0]
    log = AttemptLog(limit=2, window_s=60, clock=lambda: now[0], max_keys=2)
    assert [log.attempt("a"), log.attempt("a")] == [0.0, 0.0]
    assert log.attempt("a") == 60.0  # the first attempt frees a place at t=60
    assert log.attempt("b") == 0.0  # another client is not affected
    now[0] = 30.0
    assert log.attempt("a") == 30.0
    now[0] = 60.5
    assert log.attempt("a") == 0.0
    log.attempt("c")  # a third key pushes out the least recent one ("b")
    assert "b" not in log._seen and len(log._seen) == 2
