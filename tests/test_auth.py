"""With a login set, nothing of the app is reachable without it: pages, API, files, reports.

Gradio guards most routes with its login check; this test pins that for every route that
carries data (so an upgrade that opens one fails here), checks a report made by a logged-in
visitor cannot be fetched without the login cookie, and that the run-history page (which
would keep inputs in the browser) is off.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.server import free_port, wait_for_page

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
USER, PASSWORD = "legal-ops", "correct horse battery"

GUARDED_GET = ["/config", "/gradio_api/info", "/gradio_api/openapi.json",
               "/gradio_api/queue/data?session_hash=x", "/gradio_api/upload_progress",
               "/gradio_api/login_check"]  # fmt: skip
GUARDED_POST = ["/gradio_api/queue/join", "/gradio_api/upload", "/gradio_api/run/respond",
                "/gradio_api/call/respond", "/gradio_api/call/make_report",
                "/gradio_api/api/make_report"]  # fmt: skip


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    port, data = free_port(), tmp_path_factory.mktemp("auth-data")
    env = {**os.environ, "ADVISOR_DATA_DIR": str(data), "ADVISOR_AUTH_USERNAME": USER,
           "ADVISOR_AUTH_PASSWORD": PASSWORD}  # fmt: skip
    log = (data.parent / "auth-app.log").open("w")
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_page(url + "/", proc)
        yield url, data
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def request(url: str, *, data: bytes | None = None, cookie: str = "", form: bool = False):
    """(status, body, headers) without following redirects or raising on errors."""
    headers = {"Cookie": cookie} if cookie else {}
    if data is not None:
        headers["Content-Type"] = (
            "application/x-www-form-urlencoded" if form else "application/json"
        )
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace"), response.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace"), err.headers


def login(url: str, password: str) -> tuple[int, str]:
    """POST the login form; (status, the cookie to send back)."""
    body = urllib.parse.urlencode({"username": USER, "password": password}).encode()
    status, _, headers = request(url + "/login", data=body, form=True)
    cookies = [c.split(";")[0] for c in headers.get_all("Set-Cookie") or []]
    return status, "; ".join(cookies)


def test_every_data_route_refuses_a_visitor_without_the_login(app):
    url, data = app
    (data / "secret.txt").write_text("confidential", encoding="utf-8")
    paths = [*GUARDED_GET, "/gradio_api/file=" + urllib.parse.quote(str(data / "secret.txt"))]
    refused = {p: request(url + p)[0] for p in paths}
    refused |= {p: request(url + p, data=b"{}")[0] for p in GUARDED_POST}
    assert set(refused.values()) == {401}, refused
    status, page, _ = request(url + "/")
    assert status == 200 and "Should you improve" not in page  # the login page, not the app
    assert request(url + "/gradio_api/runs")[0] == 404  # run history is off


def test_a_wrong_password_gets_no_session(app):
    url, _ = app
    status, cookie = login(url, "guess")
    assert status in (400, 401) and "access-token" not in cookie
    assert request(url + "/config", cookie=cookie)[0] == 401


def test_a_logged_in_visitor_chats_and_only_they_can_fetch_their_report(app):
    from gradio_client import Client

    url, _ = app
    status, cookie = login(url, PASSWORD)
    assert status == 200 and "access-token" in cookie
    status, config, _ = request(url + "/config", cookie=cookie)
    assert status == 200 and "Should you improve" in config
    client = Client(url + "/", auth=(USER, PASSWORD), verbose=False, download_files=False)
    reply = client.predict({"text": "hello", "files": []}, [], api_name="/respond")[0][-1]
    assert "use case" in json.dumps(reply).lower()
    files, _ = client.predict(None, api_name="/make_report")
    report = next(f for f in files if str(f["path"]).endswith(".md"))
    assert request(urllib.parse.urljoin(url + "/", report["url"]), cookie=cookie)[0] == 200
    assert request(urllib.parse.urljoin(url + "/", report["url"]))[0] == 401
