"""A full disk during a trial: the run stops at the first failed write, keeps every trial
saved before it, and ends failed with one line naming the folder and the space needed.

`tests.fakes.disk.DiskFiller` fails one chosen write the way DuckDB does on ENOSPC; the
slow test fills a real (tmpfs) file system.
"""

from __future__ import annotations

import errno
import json
import os

import pytest

import assistant.core.models as models
import eval.store
from assistant.cli import main
from assistant.core.errors import DiskFull
from assistant.core.settings import load_settings
from assistant.web import trials
from assistant.web.session import SessionState
from assistant.web.uploads import upload_files
from eval.runners import REGISTRY
from eval.store import Store
from tests.fakes import ScriptedChat
from tests.fakes.disk import DiskFiller, wait_for
from tests.fakes.jobs import DOCS, QA, knowledge_run
from tests.fakes.models import HashEmbedder
from tests.fakes.readers import reader
from tests.fakes.web import FakeServices

REASON = "disk full in "


@pytest.fixture
def store(tmp_path):
    """A store with its heartbeat every 10 ms, so a beat falls inside any slow answer."""
    opened = Store(tmp_path / "data" / "advisor.duckdb", beat_every=0.01)
    yield opened
    opened.close()


def _stored(store: Store) -> tuple[dict, dict]:
    [row] = store.list_runs()
    return row, store.get_run(row["run_id"])


def test_the_store_keeps_a_reserve_file_beside_the_database(store):
    assert store.reserve is not None and store.reserve.held


def test_a_full_disk_at_the_first_heartbeat_stops_the_trial_while_it_answers(env, store):
    filler = DiskFiller(store, "_beat", nth=10**9)  # armed by the chat below
    asked = []

    def slow_third_answer(messages):
        asked.append(messages)
        if len(asked) == 3:  # the next beat (10 ms) fails while this answer is given
            filler.nth = filler.calls + 1
            wait_for(lambda: store.full is not None)
        return reader(messages)

    with pytest.raises(DiskFull, match=REASON) as raised:
        knowledge_run((env[0], store), ScriptedChat(respond=slow_third_answer))
    assert filler.failed and len(asked) == 3  # stopped at the next item, not 17 later
    row, run = _stored(store)
    assert row["status"] == "failed" and run["run"]["error"] == str(raised.value)
    assert run["trials"]["prompt"]["status"] == "failed"
    assert run["trials"]["prompt"]["error"].startswith(REASON)
    assert "rag" not in run["trials"]
    assert store.reserve.held  # freed for those records; this disk has room, so made again


def test_a_full_disk_at_the_second_trials_save_keeps_the_first_and_saves_the_second(env, store):
    DiskFiller(store, "save_trial", nth=2)
    with pytest.raises(DiskFull, match=REASON):
        knowledge_run((env[0], store))
    row, run = _stored(store)
    assert row["status"] == "failed" and run["run"]["error"].startswith(REASON)
    assert [t["trial"] for t in row["trials"]] == ["prompt", "rag"]  # rag saved on retry
    assert len(store.get_items(row["run_id"], "prompt")) == 20
    assert len(store.get_items(row["run_id"], "rag")) == 20


def test_a_full_disk_when_the_run_finishes_records_the_reason_not_a_crash(env, store):
    DiskFiller(store, "finish_run", nth=1)
    _fails_for_the_disk(env, store, {"prompt": "finished", "rag": "finished"})


def test_the_message_names_the_folder_and_the_space_needed(store):
    DiskFiller(store, "set_run_counts", nth=1)
    run_id = store.start_run(
        workspace="t", config={}, settings={}, models={}, files=[], seed=0, app_version="x"
    )
    with pytest.raises(DiskFull) as raised:
        store.set_run_counts(run_id, 1, 1)
    message = str(raised.value)
    assert message.startswith(f"disk full in {store.path.parent}: about ")
    assert " MB more needed" in message and "\n" not in message
    with pytest.raises(DiskFull, match=REASON):
        store.check_writes()  # sticky: the freed reserve must not let the run answer on
    store.finish_run(run_id, "failed", message)  # room enough: the reserve is made again
    assert store.reserve.held and store.full is None
    store.check_writes()


def test_a_run_is_refused_before_it_starts_when_the_disk_is_full(store, monkeypatch):
    store.reserve.release()
    monkeypatch.setattr("eval.store.reserve.free_bytes", lambda folder: 1024)
    with pytest.raises(DiskFull, match=REASON):
        store.start_run(
            workspace="t", config={}, settings={}, models={}, files=[], seed=0, app_version="x"
        )
    assert store.list_runs() == []


def test_the_web_app_shows_the_same_line_as_the_run_status(tmp_path):
    services = FakeServices(load_settings(env={}, data_dir=str(tmp_path / "data")))
    services._chat.respond = reader
    session = SessionState()
    upload_files(services, session, sorted(str(p) for p in DOCS.iterdir()), str(QA), "abc")
    DiskFiller(services.store(), "save_trial", nth=2)
    view = trials.run_trials_view(services, session, ["prompt", "rag"], 200, 5, 60, None,
                                  lambda *a: None, "abc")  # fmt: skip
    row, run = _stored(services.store())
    assert view.status == f"**Could not run the trials:** {run['run']['error']}"
    assert run["run"]["error"].startswith(REASON) and row["status"] == "failed"
    services.store().close()


class _SecondSaveFails(Store):
    """The CLI's store, whose second trial save meets a full disk."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        DiskFiller(self, "save_trial", nth=2)


@pytest.mark.parametrize("as_json", [True, False])
def test_the_cli_prints_one_error_line_and_runs_shows_the_reason(
    tmp_path, monkeypatch, capsys, as_json
):
    for key in [k for k in os.environ if k.startswith("ADVISOR_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(models, "load_chat_model", lambda *a: ScriptedChat(respond=reader))
    monkeypatch.setattr(models, "load_embedder", lambda *a: HashEmbedder())
    monkeypatch.setattr(eval.store, "Store", _SecondSaveFails)
    argv = ["trial", "--docs", str(DOCS), "--qa", str(QA), "--trials", "prompt,rag"]
    assert main(argv + ["--json"] * as_json) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if as_json:
        line = json.loads(out.strip().splitlines()[-1])["error"]
    else:
        [line] = [x for x in err.splitlines() if x.startswith("error: ")]
        line = line.removeprefix("error: ")
    assert line.startswith(REASON) and "MB more needed" in line
    monkeypatch.setattr(eval.store, "Store", Store)
    assert main(["runs", "--json"]) == 0
    [run] = json.loads(capsys.readouterr().out)["runs"]
    assert run["status"] == "failed" and run["error"] == line
    assert [t["trial"] for t in run["trials"]] == ["prompt", "rag"]


def _no_space(ctx, heldout):
    """A trial whose adapter cannot be written."""
    raise OSError(errno.ENOSPC, "No space left on device", "adapter.safetensors")


def test_a_trial_whose_own_files_meet_the_full_disk_stops_the_run_too(env, store, monkeypatch):
    monkeypatch.setitem(REGISTRY["knowledge"], "rag", ("tests.eval.test_disk_full", "_no_space"))
    _fails_for_the_disk(env, store, {"prompt": "finished", "rag": "failed"})


def _fails_for_the_disk(env, store: Store, trials: dict[str, str]) -> None:
    """The run raises DiskFull and is stored failed with that reason and these trials."""
    with pytest.raises(DiskFull, match=REASON):
        knowledge_run((env[0], store))
    row, run = _stored(store)
    assert row["status"] == "failed" and run["run"]["error"].startswith(REASON)
    assert {t["trial"]: t["status"] for t in row["trials"]} == trials
