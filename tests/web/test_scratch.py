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
