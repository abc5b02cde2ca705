"""Temporary chart and report folders go once nothing serves them any more."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from assistant.web.scratch import adopt, remove_visitor_files, scratch_root
from assistant.web.session import SessionState, bind_session
from tests.web.live import live_app


def charts(n: int = 2) -> list[str | None]:
    """What results._charts makes: PNGs in a fresh /tmp/advisor-charts-* folder, or None."""
    folder = Path(tempfile.mkdtemp(prefix="advisor-charts-"))
    paths: list[str | None] = []
    for i in range(n):
        (folder / f"chart{i}.png").write_bytes(b"\x89PNG fake")
        paths.append(str(folder / f"chart{i}.png"))
    return [*paths, None]


def test_the_next_chart_view_replaces_the_last_and_no_tmp_folder_stays():
    session = bind_session(SessionState())
    made = charts()
    first = adopt(session.session_id, "charts", made)
    assert first[-1] is None and all(Path(p).is_file() for p in first[:-1])
    assert not Path(made[0]).parent.exists()  # the mkdtemp folder is gone
    second = adopt(session.session_id, "charts", charts())
    assert not Path(first[0]).exists() and Path(second[0]).is_file()
    root = scratch_root(session.session_id)
    assert [p.name.split("-")[0] for p in root.iterdir()] == ["charts"]
    remove_visitor_files(Path("/nonexistent"), session.session_id, session.workspace)
    assert not root.exists()


def test_scratch_names_come_from_our_ids_only():
    for bad in ("", "../etc", "a/b", "x y"):
        with pytest.raises(ValueError):
            scratch_root(bad)


def leftovers(data: Path, session_id: str) -> tuple[Path, str]:
    """A report folder and a chart, as a visitor who made both leaves them."""
    reports = data / "reports" / f"session-{session_id}" / "0123abcd"
    reports.mkdir(parents=True)
    (reports / "adaptation-report.md").write_text("report")
    return reports.parent, adopt(session_id, "charts", charts())[0]


def test_a_closed_tab_leaves_no_files_and_its_trial_is_cancelled(tmp_path):
    import gradio as gr

    with live_app(tmp_path) as live:
        client = live.client("closingvisitor1")
        client.predict({"text": "hello", "files": []}, [], api_name="/respond")
        session_id = live.services.open_sessions["closingvisitor1"]
        reports, chart = leftovers(tmp_path, session_id)
        flag = live.services.cancel_flag(session_id)
        [on_close] = [f.fn for f in live.demo.fns.values() if ("unload" in str(f.targets))]
        on_close(gr.Request(session_hash="closingvisitor1"))  # what the tab's close runs
        assert flag.is_set() and session_id not in live.services.cancel_flags
        assert not reports.exists() and not Path(chart).exists()
        assert not scratch_root(session_id).exists()

        # An API client never sends the close event: the files go when Gradio drops its state.
        reports, chart = leftovers(tmp_path, session_id)
        live.services.open_sessions["closingvisitor1"] = session_id
        live.demo.state_holder.delete_state("closingvisitor1")
        assert not reports.exists() and not scratch_root(session_id).exists()
        assert "closingvisitor1" not in live.services.open_sessions
        client.close()


def test_folders_of_dead_servers_and_stale_old_style_ones_go_at_start(tmp_path, monkeypatch):
    """A killed server never removes its visitors' files: the next start does, and leaves
    a live server's folder and recent old-style folders alone."""
    import os
    import subprocess
    import time

    from assistant.web import scratch

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid that was ours and is now free
    dead, live = scratch.process_root(gone.pid), scratch.process_root(os.getpid())
    old, recent = tmp_path / "advisor-session-aa", tmp_path / "advisor-session-bb"
    for folder in (dead, live, old, recent):
        (folder / "charts-1").mkdir(parents=True)
        (folder / "charts-1" / "chart0.png").write_bytes(b"\x89PNG")
    three_hours_ago = time.time() - 3 * 3600
    for path in (old, old / "charts-1", old / "charts-1" / "chart0.png"):
        os.utime(path, (three_hours_ago, three_hours_ago))
    assert sorted(scratch.sweep_dead()) == sorted([dead, old])
    assert not dead.exists() and not old.exists() and live.exists() and recent.exists()
    scratch.remove_own()
    assert not live.exists()


@pytest.mark.slow
def test_a_stopped_server_leaves_no_scratch_folder(tmp_path):
    """`kill` (SIGTERM) on a running app: its visitors' chart folders and Gradio's copies
    of their uploads go with it (Gradio's own clean-up stops with the server)."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    import httpx

    from tests.fakes.server import free_port

    root = Path(__file__).resolve().parents[2]
    port = free_port()
    env = {**os.environ, "ADVISOR_DATA_DIR": str(tmp_path / "data"), "ADVISOR_PORT": str(port)}
    app = subprocess.Popen([sys.executable, str(root / "app.py")], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        own = Path(tempfile.gettempdir()) / f"advisor-scratch-{app.pid}"
        chart = own / "session-ab" / "c"
        chart.mkdir(parents=True)
        (chart / "chart0.png").write_bytes(b"\x89PNG")
        upload = httpx.post(f"http://127.0.0.1:{port}/gradio_api/upload",
                            files={"files": ("handbook.md", b"confidential")}).json()  # fmt: skip
        assert Path(upload[0]).is_relative_to(own)  # Gradio's cached copy is inside ours
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=60)
        assert not own.exists() and not Path(upload[0]).exists()
    finally:
        app.kill()
