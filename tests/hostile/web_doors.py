"""The doors of the web and command-line probes (table in test_probe_web.py).

Each runner makes one hostile visit through the call the app makes (a Gradio callback's
library function, an ASGI middleware, `assistant.cli.main`) and returns what the user
was told, with anything lost or leaked.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import socket
import threading
import time
from pathlib import Path

from assistant.web import chat, history
from assistant.web.downloads import make_report
from assistant.web.hardening import LoginLimiter, SecurityHeaders
from assistant.web.session import SessionState, upload_dir
from tests.hostile.doors import Env, Outcome, Runner

# -- doors -------------------------------------------------------------------------------


def _visitor(env: Env, session_hash: str) -> SessionState:
    """A visitor whose client sent `session_hash`, after saying hello (as layout does)."""
    session = env.services.bind(SessionState(), session_hash)
    list(chat.chat_turn(env.services, session, {"text": "hello"}, [], session_hash))
    return session


def _seed_run(env: Env, workspace: str) -> str:
    store = env.services.store()
    run_id = store.start_run(
        workspace=workspace, config={"trials": ["rag"]}, settings={}, models={}, files=[],
        seed=0, app_version="probe", n_heldout=20,
    )  # fmt: skip
    store.save_trial(run_id, "rag", "finished", {"exact_match": 0.9}, [])
    store.finish_run(run_id, "finished")
    return run_id


def crafted_hashes(victim_hash: str, attacker_hash: str) -> Runner:
    """Two clients with crafted session hashes: nothing of the victim's reaches the other."""

    def run(tmp: Path, env: Env) -> Outcome:
        victim, attacker = _visitor(env, victim_hash), _visitor(env, attacker_hash)
        run_id = _seed_run(env, victim.workspace)
        files, note = make_report(env.services, attacker, run_id)
        outcome = Outcome(f"{victim.workspace} / {attacker.workspace}: {note}")
        compared = history.compare_rows(env.services, attacker, run_id, run_id)[1]
        leaks = {
            "one workspace for both": victim.workspace == attacker.workspace,
            "History lists the victim's run": bool(history.history_rows(env.services, attacker)),
            "Compare opens it": bool(compared),
            "a report of it was made": bool(files),
        }
        outcome.wrong += [f"LEAK: {what}" for what, happened in leaks.items() if happened]
        uploads = (env.services.settings.data_path / "uploads").resolve()
        for session in (victim, attacker):
            folder = upload_dir(env.services.settings, session).resolve()
            if folder.parent != uploads or not re.fullmatch(r"session-[0-9a-f]{32}", folder.name):
                outcome.wrong.append(f"upload folder {folder} is not one of ours")
        return outcome

    return run


def oversize_message(text: str) -> Runner:
    """A message over the limit after an answer: refused with a note, nothing taken from it."""

    def run(tmp: Path, env: Env) -> Outcome:
        session = _visitor(env, "oversize")
        list(chat.chat_turn(env.services, session, {"text": "Document Q&A"}, [], "oversize"))
        before = session.profile.to_dict()
        start = time.perf_counter()
        steps = list(chat.chat_turn(env.services, session, {"text": text}, [], "oversize"))
        seconds = time.perf_counter() - start
        history_shown = steps[-1][0]
        outcome = Outcome(history_shown[-1]["content"])
        if session.profile.to_dict() != before:
            outcome.lost.append("the profile changed")
        if len(history_shown[-2]["content"]) > 400:
            outcome.wrong.append(f"echoed {len(history_shown[-2]['content'])} characters back")
        if seconds > 2:
            outcome.wrong.append(f"took {seconds:.1f} s")
        return outcome

    return run


def _post_login(app, client: str) -> tuple[int, bytes]:
    sent: list[dict] = []
    scope = {"type": "http", "method": "POST", "path": "/login/", "client": (client, 5000),
             "headers": [], "root_path": ""}  # fmt: skip

    async def receive() -> dict:
        return {"type": "http.request", "body": b"username=a&password=b"}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def _refuses_password(scope, receive, send) -> None:
    """What Gradio answers a wrong password with."""
    await send({"type": "http.response.start", "status": 400, "headers": []})
    await send({"type": "http.response.body", "body": b'{"detail":"Incorrect credentials."}'})


def login_flood(attempts: int, clients: int = 1) -> Runner:
    """`attempts` logins from each of `clients` addresses: the sixth of each is refused."""

    def run(tmp: Path, env: Env) -> Outcome:
        app = LoginLimiter(_refuses_password, attempts_per_minute=5)
        outcome = Outcome("")
        for c in range(clients):
            statuses = [_post_login(app, f"10.0.{c // 250}.{c % 250}") for _ in range(attempts)]
            codes = [s for s, _ in statuses]
            if codes[:5] != [400] * min(5, attempts) or set(codes[5:]) - {429}:
                outcome.wrong.append(f"client {c}: {codes}")
            refused = [body for s, body in statuses if s == 429]
            outcome.message = (refused[-1] if refused else b"").decode() + f" ({codes[-3:]})"
        if len(app.log._seen) > app.log.max_keys:
            outcome.wrong.append(f"the log grew to {len(app.log._seen)} clients")
        return outcome

    return run


def forged_forwarded(attempts: int = 8) -> Runner:
    """Wrong logins from 127.0.0.1, each naming a new X-Forwarded-For address, against the
    real server (uvicorn believed the header from 127.0.0.1 by default): still limited."""

    def run(tmp: Path, env: Env) -> Outcome:
        from tests.web.live import live_app, login

        with live_app(tmp, auth=("probe", "right"), login_attempts_per_minute=5) as app:
            codes = [
                login(app.url, "probe", "wrong", f"198.51.100.{i}")[0] for i in range(attempts)
            ]
        outcome = Outcome(f"Too many login attempts after 5 forged addresses: {codes}")
        if codes[:5] != [400] * 5 or set(codes[5:]) != {429}:
            outcome.wrong.append(f"statuses {codes}")
        return outcome

    return run


def headers_on(path: str, status: int) -> Runner:
    """Any response, even an error from deep inside, carries the security headers."""

    def run(tmp: Path, env: Env) -> Outcome:
        async def inner(scope, receive, send) -> None:
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"x-frame-options", b"ALLOWALL")]})  # fmt: skip
            await send({"type": "http.response.body", "body": b"<script>x()</script>"})

        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": path, "headers": []}
        asyncio.run(SecurityHeaders(inner)(scope, None, send))
        headers = dict(sent[0]["headers"])
        outcome = Outcome(" ".join(f"{k.decode()}={v.decode()}" for k, v in headers.items()))
        if headers.get(b"x-frame-options") != b"DENY" or b"nosniff" not in headers.values():
            outcome.wrong.append(f"headers {headers}")
        if b"nonce" in sent[1]["body"]:
            outcome.wrong.append("a nonce was added outside the app's page")
        return outcome

    return run


def _main(argv: list[str]) -> tuple[int, str, str]:
    from assistant.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def busy_port() -> Runner:
    def run(tmp: Path, env: Env) -> Outcome:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            sock.listen()
            code, out, err = _main(["serve", "--port", str(sock.getsockname()[1])])
        outcome = Outcome(err)
        if code == 0 or out or err.count("\n") != 1 or "Traceback" in err:
            outcome.wrong.append(f"exit {code}, stdout {out!r}, stderr {err!r}")
        return outcome

    return run


def json_failure(*argv: str) -> Runner:
    """A failing command with --json: exactly one {"error": ...} line on stdout."""

    def run(tmp: Path, env: Env) -> Outcome:
        args = [a.replace("{tmp}", str(tmp)) for a in argv]
        code, out, err = _main(args)
        outcome = Outcome(out + err)
        try:
            [line] = out.strip().splitlines()
            data = json.loads(line)
        except ValueError:
            outcome.wrong.append(f"stdout is not one JSON object: {out!r}")
            return outcome
        if code == 0 or set(data) != {"error"} or "Traceback" in out + err:
            outcome.wrong.append(f"exit {code}: {data}")
        return outcome

    return run


def full_line() -> Runner:
    """A side question while the model's line is full: guidance and a place, at once."""

    def run(tmp: Path, env: Env) -> Outcome:
        services = env.services
        line = services.model_line
        gate = threading.Event()
        held = [line.turn(lambda p: None, lambda p: None) for _ in range(line.bound)]
        for turn in held:  # fill every place, as visitors already waiting would
            threading.Thread(target=_hold, args=(turn, gate), daemon=True).start()
        while len(line) < line.bound:
            time.sleep(0.01)
        try:
            session = _visitor(env, "fullline")
            start = time.perf_counter()
            text = "What is retrieval-augmented generation?"
            steps = list(chat.chat_turn(services, session, {"text": text}, [], "fullline"))
            seconds = time.perf_counter() - start
        finally:
            gate.set()
        outcome = Outcome(steps[-1][0][-1]["content"])
        if seconds > 5:
            outcome.wrong.append(f"the overflow waited {seconds:.1f} s")
        return outcome

    return run


def _hold(turn, gate: threading.Event) -> None:
    with turn:
        gate.wait(30)
