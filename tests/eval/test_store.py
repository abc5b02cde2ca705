"""The DuckDB store: round trips, migrations, concurrency, crash recovery, bad files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from eval.store import INTERRUPTED, Store, StoreError
from eval.store.migrations import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]


def _start(store: Store, **extra) -> str:
    args = dict(
        workspace="ws",
        config={"trials": ["prompt", "rag"], "seed": 1},
        settings={"top_k": 4},
        models={"chat": {"id": "smol", "sha256": "ab" * 32}},
        files=[{"name": "notes.md", "sha256": "cd" * 32}],
        seed=1,
        app_version="0.1.0",
    )
    return store.start_run(**(args | extra))


def _item(idx: int) -> dict:
    return {
        "idx": idx,
        "question": f"Q{idx}?",
        "reference": "Oslo",
        "prediction": "It is Oslo.",
        "scores": {"em": 0.0, "contains": 1.0},
        "latency_s": 0.25,
        "retrieved": [{"id": "c1", "source": "notes.md", "text": "Oslo is…"}],
    }


def test_run_round_trip(tmp_path):
    with Store(tmp_path / "sub" / "advisor.duckdb") as store:
        run_id = _start(store)
        store.set_run_counts(run_id, 8, 2)
        pairs = [
            {"idx": 0, "split": "train", "question": "q0", "answer": "a0", "source": "x.md",
             "generated": True},
            {"idx": 1, "split": "heldout", "question": "q1", "answer": "a1", "source": "",
             "generated": False},
        ]  # fmt: skip
        store.add_eval_pairs(run_id, pairs)
        store.save_trial(run_id, "prompt", "finished", {"contains": 0.5}, [_item(0), _item(1)])
        store.save_trial(
            run_id, "rag", "failed", {}, [], started_at="2024-05-01T10:00:00", error="Boom"
        )
        store.finish_run(run_id, "partial")
        got = store.get_run(run_id)
        assert got is not None
        run = got["run"]
        assert run["status"] == "partial" and run["pid"] == os.getpid()
        assert (run["n_train"], run["n_heldout"], run["seed"]) == (8, 2, 1)
        assert run["models"]["chat"]["sha256"] == "ab" * 32
        assert run["files"][0]["name"] == "notes.md"
        assert run["config"]["trials"] == ["prompt", "rag"]
        assert isinstance(run["started_at"], str) and isinstance(run["finished_at"], str)
        assert got["trials"]["prompt"]["summary"] == {"contains": 0.5}
        assert got["trials"]["rag"] == got["trials"]["rag"] | {"status": "failed", "error": "Boom"}
        assert got["trials"]["rag"]["started_at"] == "2024-05-01T10:00:00"
        items = store.get_items(run_id, "prompt")
        assert [i["idx"] for i in items] == [0, 1]
        assert items[0]["scores"] == {"em": 0.0, "contains": 1.0}
        assert items[0]["retrieved"][0]["text"] == "Oslo is…"
        assert len(store.get_items(run_id)) == 2 and store.get_items(run_id, "rag") == []
        assert [(p["split"], p["generated"]) for p in store.get_eval_pairs(run_id)] == [
            ("train", True),
            ("heldout", False),
        ]
        assert store.get_run("nope") is None


def test_resaving_a_trial_replaces_it_and_bad_values_are_refused(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        run_id = _start(store)
        store.save_trial(run_id, "lora", "running", {}, [_item(i) for i in range(5)])
        store.save_trial(run_id, "lora", "finished", {"contains": 1.0}, [_item(0)])
        assert len(store.get_items(run_id, "lora")) == 1
        assert store.get_run(run_id)["trials"]["lora"]["status"] == "finished"
        with pytest.raises(ValueError):
            store.finish_run(run_id, "running")
        with pytest.raises(ValueError):
            store.add_eval_pairs(run_id, [{"idx": 0, "split": "test", "question": "q",
                                           "answer": "a"}])  # fmt: skip
        with pytest.raises(KeyError):
            store.finish_run("missing", "finished")
        # A failed insert (duplicate key) rolls back the whole trial, old rows intact.
        with pytest.raises(Exception, match=r"(?i)duplicate|constraint"):
            store.save_trial(run_id, "lora", "finished", {}, [_item(0), _item(0)])
        assert len(store.get_items(run_id, "lora")) == 1
        assert store.get_run(run_id)["trials"]["lora"]["summary"] == {"contains": 1.0}


def test_json_fields_round_trip_unicode_and_nesting(tmp_path):
    profile = {"name": "Ærøskøbing ✓ 東京", "nested": {"list": [1, 2.5, None, True, {"k": []}]}}
    with Store(tmp_path / "a.duckdb") as store:
        run_id = _start(store, config=profile)
        rec_id = store.save_recommendation(profile, {"approach": "rag", "why": ["«ok»"]}, run_id)
        store.save_recommendation(profile, {"approach": "prompt"})
        assert store.get_run(run_id)["run"]["config"] == profile
        recs = store.list_recommendations()
        assert [r["result"]["approach"] for r in recs] == ["prompt", "rag"]
        assert recs[1]["rec_id"] == rec_id and recs[1]["run_id"] == run_id
        assert recs[1]["profile"] == profile and recs[0]["run_id"] is None


def test_migrations_on_new_and_empty_files_and_reopen(tmp_path):
    empty = tmp_path / "empty.duckdb"
    empty.touch()
    for path in (tmp_path / "new.duckdb", empty):
        with Store(path) as store:
            assert store.schema_version() == len(MIGRATIONS)
            run_id = _start(store)
        with Store(path) as store:  # re-open: nothing re-applied, data kept
            assert store.schema_version() == len(MIGRATIONS)
            assert store._query("SELECT count(*) AS n FROM schema_version")[0]["n"] == len(
                MIGRATIONS
            )
            assert store.get_run(run_id) is not None


def test_a_future_migration_applies_exactly_once(tmp_path):
    path = tmp_path / "a.duckdb"
    with Store(path) as store:
        run_id = _start(store)

    def m002_add_note(con):
        con.execute("ALTER TABLE runs ADD COLUMN note TEXT DEFAULT 'n/a'")

    future = [*MIGRATIONS, m002_add_note]
    for _ in range(2):
        with Store(path, migrations=future) as store:
            assert store.schema_version() == len(future)
            assert store.get_run(run_id)["run"]["note"] == "n/a"
            assert store.get_run(_start(store))["run"]["note"] == "n/a"  # inserts still work
    with pytest.raises(StoreError, match="newer than this app"):
        Store(path)  # the old app refuses a newer schema instead of misreading it


def test_concurrent_writers_lose_no_rows(tmp_path):
    # Each call opens its own connection (~30-60 ms), so fewer calls than rows matter here.
    threads_n, calls = 4, 10
    with Store(tmp_path / "a.duckdb") as store:
        run_id = _start(store)
        errors: list[BaseException] = []

        def work(k: int) -> None:
            try:
                for i in range(calls):
                    store.save_trial(
                        run_id, f"t{k}-{i}", "finished", {"i": i}, [_item(0), _item(1)]
                    )
                    store.add_eval_pairs(run_id, [{"idx": k * calls + i, "split": "train",
                                                   "question": "q", "answer": "a"}])  # fmt: skip
            except BaseException as err:  # surfaced below
                errors.append(err)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(threads_n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(store.get_run(run_id)["trials"]) == threads_n * calls
        assert len(store.get_items(run_id)) == 2 * threads_n * calls
        assert len(store.get_eval_pairs(run_id)) == threads_n * calls


CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from eval.store import Store
store = Store({path!r})
run_id = store.start_run(workspace="ws", config={{}}, settings={{}}, models={{}}, files=[],
                         seed=0, app_version="test")
print(run_id, flush=True)
time.sleep(60)
"""


def test_a_killed_run_is_marked_failed_and_finished_runs_stay_finished(tmp_path):
    path = tmp_path / "a.duckdb"
    with Store(path) as store:
        done = _start(store)
        store.finish_run(done, "finished")
    code = CHILD.format(root=str(ROOT), path=str(path))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        killed = child.stdout.readline().strip()
        assert killed, "the child never started its run"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    with Store(path) as store:  # opening runs mark_interrupted
        run = store.get_run(killed)["run"]
        assert (run["status"], run["error"]) == ("failed", INTERRUPTED)
        assert run["finished_at"]
        assert store.get_run(done)["run"]["status"] == "finished"
        assert store.mark_interrupted() == 0


def test_a_running_run_of_a_live_process_is_left_alone(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        run_id = _start(store)
        assert store.mark_interrupted() == 0
        assert store.get_run(run_id)["run"]["status"] == "running"


def test_a_corrupt_file_gives_a_one_line_store_error(tmp_path):
    path = tmp_path / "advisor.duckdb"
    path.write_bytes(os.urandom(8192))
    with pytest.raises(StoreError) as info:
        Store(path)
    message = str(info.value)
    assert str(path) in message and "ADVISOR_DB_PATH" in message and "\n" not in message


HOLDER = """
import duckdb, time
con = duckdb.connect({path!r})  # like a long write, or an old app that held the file for life
print("holding", flush=True)
time.sleep(60)
"""


def test_a_file_held_past_the_bound_gives_one_busy_line(tmp_path):
    path = tmp_path / "advisor.duckdb"
    with Store(path) as store:
        _start(store)
    code = HOLDER.format(path=str(path))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "holding"
        started = time.monotonic()
        with pytest.raises(StoreError, match="the database is busy") as info:
            Store(path, busy_timeout=0.5)
        waited = time.monotonic() - started
        assert 0.4 < waited < 10, waited  # it retried for the bound, then gave up
        message = str(info.value)
        assert str(path) in message and "try again" in message and "\n" not in message
    finally:
        child.kill()
        child.wait()
    with Store(path) as store:  # once the holder is gone, the same file opens again
        assert len(store.list_runs()) == 1


def test_a_closed_store_refuses_calls(tmp_path):
    store = Store(tmp_path / "a.duckdb")
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        store.list_runs()


def test_an_in_memory_store_keeps_its_data_between_calls():
    with Store(":memory:") as store:
        run_id = _start(store)
        store.finish_run(run_id, "finished")
        assert store.get_run(run_id)["run"]["status"] == "finished"


def test_list_runs_is_newest_first_with_trials(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        ids = []
        for n in range(4):
            ids.append(_start(store))
            store.save_trial(ids[-1], "prompt", "finished", {"n": n}, [])
            time.sleep(0.002)
        store.save_trial(ids[0], "rag", "failed", {}, [])
        runs = store.list_runs()
        assert [r["run_id"] for r in runs] == ids[::-1]
        assert runs[-1]["trials"] == [
            {"trial": "prompt", "status": "finished"},
            {"trial": "rag", "status": "failed"},
        ]
        assert [r["run_id"] for r in store.list_runs(limit=2)] == ids[:1:-1]


def test_migrations_are_named_and_numbered_in_order():
    names = [m.__name__ for m in MIGRATIONS]
    assert names[0] == "m001_initial"
    assert names == [f"m{i:03d}_{n.split('_', 1)[1]}" for i, n in enumerate(names, 1)]
