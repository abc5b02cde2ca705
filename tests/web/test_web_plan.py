"""The Trials tab's plan line, its banner and the Run buttons locked while a run goes."""

from __future__ import annotations

import pytest

from assistant.core.settings import load_settings
from assistant.web import behaviour, running
from assistant.web.progress import RunProgress
from assistant.web.session import SessionState
from eval.plan import ArmPlan, RunPlan, Stage
from tests.fakes.jobs import routing_file
from tests.fakes.readers import nearest_shot_reader
from tests.fakes.web import FakeServices


@pytest.fixture
def services(tmp_path):
    services = FakeServices(load_settings(env={}, data_dir=str(tmp_path / "data")))
    services._chat.respond = nearest_shot_reader
    return services


def test_the_plan_line_follows_the_controls_and_names_no_flag(services, tmp_path):
    session = SessionState()
    assert behaviour.behaviour_plan(services, session, ["prompt"], "auto", "", 4, 60) == ""
    behaviour.preview_examples(services, session, str(routing_file(tmp_path)), "", "abc")
    short = behaviour.behaviour_plan(services, session, ["prompt"], "auto", "", 4, 60)
    both = behaviour.behaviour_plan(services, session, ["prompt", "few-shot", "lora"], "auto",
                                    "", 4, 20)  # fmt: skip
    assert short.startswith("**Plan:** Expected about ") and "zero-shot" in short
    assert "few-shot" in both and "LoRA" in both and "stop early" in both
    assert "--" not in both  # the web names its controls, never a flag


def test_the_run_status_starts_with_its_plan(services, tmp_path):
    session = SessionState()
    behaviour.preview_examples(services, session, str(routing_file(tmp_path)), "", "abc")
    shown = []
    progress = RunProgress(lambda value, label: shown.append((value, label)))
    view = behaviour.run_behaviour_view(
        services, session, ["prompt", "few-shot"], "auto", "", 4, 60, progress, "abc"
    )
    assert view.status.startswith("Plan: Expected about ") and "Run **" in view.status
    assert shown and all(label.endswith(" left") for _, label in shown)
    values = [v for v, _ in shown]
    assert values == sorted(values) and values[-1] < 1.0


def test_the_banner_says_stage_and_time_left_once_the_plan_is_known():
    shown = []
    progress = RunProgress(lambda value, label: shown.append(label))
    progress("loading the model", 0, 1)
    assert progress.banner.startswith("Preparing")
    plan = RunPlan("behaviour", 30, 30, (ArmPlan("prompt", (Stage("zero-shot answers", 60.0,
                   "answer", 30),)),))  # fmt: skip
    progress.start(plan, clock=lambda: 0.0)
    progress("zero-shot answers", 0, 30)
    assert progress.banner == "zero-shot answers (0/30) — about 60 s left"
    assert progress.plan_line.startswith("Expected about 60 s")


def test_a_failed_run_streams_the_banner_then_raises_and_unlock_reenables():
    def work(progress):
        progress("zero-shot answers", 0, 10)
        raise RuntimeError("the model went away")

    steps = running.stream_run(work, lambda *a: None, skipped=2, poll_s=0.01)
    with pytest.raises(RuntimeError, match="went away"):
        list(steps)
    locked, unlocked = running.lock(2), running.unlock(2)
    assert [u["interactive"] for u in locked[:2]] == [False, False] and locked[2]
    assert [u["interactive"] for u in unlocked[:2]] == [True, True] and unlocked[2] == ""


def test_a_finished_run_ends_with_its_outputs_and_the_banner_cleared():
    steps = list(running.stream_run(lambda progress: ("status", "table"), lambda *a: None, 2))
    assert steps[-1] == ("status", "table", "")


def test_run_is_wired_lock_then_run_then_unlock_even_after_an_error(services):
    from assistant.web.layout import build_app

    demo = build_app(services.settings, services)
    deps = demo.config["dependencies"]
    by_id = {d["id"]: d for d in deps}
    for api_name in ("run_knowledge", "run_behaviour"):
        [run] = [d for d in deps if d.get("api_name") == api_name]
        lock = by_id[run["trigger_after"]]
        [unlock] = [d for d in deps if d.get("trigger_after") == run["id"]]
        assert lock["queue"] is False and unlock["queue"] is False
        assert not run["trigger_only_on_success"]  # the lock's end starts the run
        assert not unlock["trigger_only_on_success"]  # a failed run still unlocks
        buttons = lock["outputs"][:2]
        assert unlock["outputs"] == lock["outputs"] and len(buttons) == 2
        off = demo.fns[lock["id"]].fn()
        on = demo.fns[unlock["id"]].fn()
        assert [u["interactive"] for u in off[:2]] == [False, False]
        assert [u["interactive"] for u in on[:2]] == [True, True]
