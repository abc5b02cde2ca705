"""The Trials tab's behaviour mode without a browser: preview, run, results, evidence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.core.settings import load_settings
from assistant.interview.messages import BEHAVIOUR_HINT, TRIAL_HINT, trial_hint
from assistant.web import behaviour
from assistant.web.results import summary_rows, verdict_lines
from assistant.web.session import SessionState
from tests.fakes.jobs import routing_file
from tests.fakes.readers import nearest_shot_reader
from tests.fakes.web import FakeServices

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def services(tmp_path):
    services = FakeServices(load_settings(env={}, data_dir=str(tmp_path / "data")))
    services._chat.respond = nearest_shot_reader
    return services


def test_preview_names_format_task_and_skipped_rows(services, tmp_path):
    path = routing_file(tmp_path)
    with path.open("a") as f:
        f.write("{not json\n" + json.dumps({"input": "only an input"}) + "\n")
    session = SessionState()
    text = behaviour.preview_examples(services, session, str(path), "", "abc")
    assert "60 usable examples" in text and "2 skipped" in text
    assert "Task: **classification**" in text
    assert "line 61" in text  # the broken row is named so the user can fix it
    assert session.examples_file.endswith("routing.jsonl")
    assert Path(session.examples_file).parent.name == session.workspace


def test_preview_of_too_few_rows_is_a_clear_refusal(services, tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text("input,output\nhello,greeting\nbye,farewell\n")
    session = SessionState()
    text = behaviour.preview_examples(services, session, str(path), "", "abc")
    assert text.startswith("**Cannot use tiny.csv:**") and "30" in text
    assert session.examples_file == ""
    assert (
        "Upload an examples file first"
        in behaviour.run_behaviour_view(
            services, session, ["prompt"], "auto", "", 4, 60, lambda *a: None, "abc"
        ).status
    )


def test_run_shows_task_metrics_verdicts_and_informs_the_advice(services, tmp_path):
    session = SessionState()
    behaviour.preview_examples(services, session, str(routing_file(tmp_path)), "", "abc")
    view = behaviour.run_behaviour_view(
        services, session, ["prompt", "few-shot"], "auto", "Route the ticket.", 4, 60,
        lambda *a: None, "abc",
    )  # fmt: skip
    assert "held-out examples" in view.status
    columns = list(view.table.columns)
    assert {"Acc", "Macro-F1", "Off-label", "Prompt tok"} <= set(columns)
    assert "Contains" not in columns  # knowledge metrics stay out of a behaviour run
    scores = dict(zip(view.table["Trial"], view.table["Acc"], strict=True))
    assert scores["few-shot"] > scores["prompt"]
    assert "**few-shot vs prompt** on accuracy" in view.status  # the winner is named first
    assert session.interview.evidence and session.interview.evidence[-1].kind == "behaviour"
    assert view.questions  # the per-example browser is filled


def test_unknown_task_kind_is_refused_in_one_line(services, tmp_path):
    session = SessionState()
    behaviour.preview_examples(services, session, str(routing_file(tmp_path)), "", "abc")
    view = behaviour.run_behaviour_view(
        services, session, ["prompt"], "poetry", "", 4, 60, lambda *a: None, "abc"
    )
    assert "unknown task 'poetry'" in view.status


def test_verdict_lines_show_p_and_the_items_that_would_find_the_margin():
    new = {"margin": 0.05, "family": 1, "p_adjusted": None}
    compare = [
        {"a": "lora", "b": "few-shot", "metric": "accuracy", "delta": 0.05, "p_value": 0.5,
         "ci95": [-0.1, 0.2], "verdict": "inconclusive", "items_needed": 942,
         "items_range": [524, 1504]} | new,
        {"a": "few-shot", "b": "prompt", "metric": "accuracy", "delta": 0.4, "p_value": 0.0001,
         "ci95": [0.25, 0.55], "verdict": "better", "items_needed": None} | new,
    ]  # fmt: skip
    compare.append({"a": "prompt", "b": "lora", "metric": "accuracy", "delta": -0.3,
                    "ci95": [-0.45, -0.1], "p_value": 0.004, "p_adjusted": 0.008, "family": 2,
                    "verdict": "worse", "items_needed": None, "margin": 0.05})  # fmt: skip
    lines = verdict_lines(compare)
    assert lines[0].endswith("p = 0.500) — inconclusive; about 524 to 1,504 held-out items "
                             "would find a difference of 0.05 with 80% power")  # fmt: skip
    assert lines[1].endswith("p < 0.001) — better")
    assert ("**lora vs prompt** on accuracy: +0.30 (95% interval +0.10 to +0.45, p = 0.004 "
            "(0.008 after Holm over 2 pairs)) — better") in lines[2]  # fmt: skip


def test_verdict_lines_read_old_rows_by_todays_rule():
    # Stored before the rule: "better" from the interval alone while p was 0.125.
    old = {
        "a": "lora",
        "b": "few-shot",
        "metric": "accuracy",
        "delta": 0.13,
        "p_value": 0.125,
        "ci95": [0.03, 0.27],
        "verdict": "better",
        "items_needed": 468,
    }
    [line] = verdict_lines([old])
    assert line.endswith("p = 0.125) — inconclusive") and "468" not in line


def test_results_table_shows_only_measured_metrics():
    headers, rows = summary_rows(
        {"prompt": {"status": "finished", "summary": {"accuracy": 0.5, "macro_f1": 0.4}}}
    )
    assert len(headers) == 4 and rows[0][2:] == [0.5, 0.4]


def test_behaviour_gap_offers_the_examples_trial():
    assert trial_hint(["knowledge"]) == TRIAL_HINT
    assert trial_hint(["style", "format"]) == BEHAVIOUR_HINT.format(gaps="format and style")
    both = trial_hint(["knowledge", "format"])  # one trial per gap
    assert TRIAL_HINT in both and BEHAVIOUR_HINT.format(gaps="format") in both


def test_packaged_real_dataset_previews_as_six_labels(services, tmp_path):
    path = tmp_path / "debian_sections.jsonl"
    shutil.copy(EXAMPLES / "debian_sections.jsonl", path)
    text = behaviour.preview_examples(services, SessionState(), str(path), "", "abc")
    assert "300 usable examples" in text and "classification" in text


def test_sample_size_is_explained_before_a_run(services, tmp_path):
    text = behaviour.preview_examples(
        services, SessionState(), str(routing_file(tmp_path)), "", "abc"
    )
    # 60 examples -> 30 held out -> only differences above ~0.28 are clear.
    assert "With 30 held-out items, only differences above about 0.28 will be clear" in text
    from assistant.web.trials import size_note

    assert size_note(20).startswith("With 16 held-out items")  # 20 pairs, 80% cap


def test_finished_run_posts_what_changed_and_refreshes_the_panel(services, tmp_path):
    from assistant.web.chat import post_to_chat, recommendation_markdown

    session = SessionState()
    assert recommendation_markdown(session).startswith("_Answer a few questions")
    behaviour.preview_examples(services, session, str(routing_file(tmp_path)), "", "abc")
    view = behaviour.run_behaviour_view(
        services, session, ["prompt", "few-shot"], "auto", "", 4, 60, lambda *a: None, "abc"
    )
    run_id = session.last_run
    assert f"behaviour trial run {run_id}" in view.advisor_message
    assert "scored by accuracy" in view.advisor_message
    # No behaviour gap was recorded, so the run cannot move the advice, and the message says why.
    assert "My recommendation stays prompt engineering" in view.advisor_message
    assert f"run {run_id} is not used: a behaviour trial only informs" in view.advisor_message
    history = post_to_chat([{"role": "user", "content": "hi"}], view.advisor_message)
    assert len(history) == 2 and history[-1]["role"] == "assistant"
    # The panel shows the advice with the trial at once, before any new chat message.
    assert "Current advice" in recommendation_markdown(session)


def test_failed_run_posts_nothing(services, tmp_path):
    session = SessionState()
    behaviour.preview_examples(services, session, str(routing_file(tmp_path)), "", "abc")
    services._chat.respond = lambda messages: ""  # every answer empty: a partial run
    view = behaviour.run_behaviour_view(
        services, session, ["prompt"], "auto", "", 4, 60, lambda *a: None, "abc"
    )
    assert view.advisor_message == "" and not session.interview.evidence


def test_cost_at_volume_after_a_run(services, tmp_path):
    from assistant.web.costs import costs_chart, costs_markdown, session_costs

    session = SessionState()
    behaviour.preview_examples(services, session, str(routing_file(tmp_path)), "", "abc")
    behaviour.run_behaviour_view(
        services, session, ["prompt", "few-shot"], "auto", "", 4, 60, lambda *a: None, "abc"
    )
    assert "Monthly query volume unknown" in costs_markdown(session_costs(services, session))
    session.interview.profile = session.profile.with_(monthly_queries=1_000_000)
    table = session_costs(services, session)
    text = costs_markdown(table)
    assert "1,000,000 queries a month" in text or "1M queries a month" in text
    assert "| few-shot |" in text and "| prompt |" in text
    chart = Path(costs_chart(table))
    try:
        assert chart.suffix == ".png" and chart.read_bytes().startswith(b"\x89PNG")
    finally:
        shutil.rmtree(chart.parent)  # the app adopts it into the visitor's scratch folder


def test_report_defaults_to_the_fullest_finished_run_and_refuses_foreign_runs(services, tmp_path):
    from assistant.web.downloads import make_report, run_choices

    session = SessionState()
    behaviour.preview_examples(services, session, str(routing_file(tmp_path)), "", "abc")
    args = ("auto", "", 4, 60, lambda *a: None, "abc")
    behaviour.run_behaviour_view(services, session, ["prompt", "few-shot"], *args)
    full = session.last_run
    behaviour.run_behaviour_view(services, session, ["prompt"], *args)  # a quick re-run
    choices, default = run_choices(services, session)
    assert default == full and len(choices) == 2
    assert choices[0][1] == session.last_run and "behaviour (classification)" in choices[0][0]
    paths, note = make_report(services, session)
    assert f"run {full}" in note and len(paths) == 3
    assert "few-shot" in Path(paths[0]).read_text()  # the chosen run's trials are reported
    other = SessionState(session_id="other")
    assert make_report(services, other, full) == ([], "That run does not belong to this session.")


def test_history_lists_own_runs_and_explains_what_differed(services, tmp_path):
    from assistant.web import history

    session = SessionState()
    behaviour.preview_examples(services, session, str(routing_file(tmp_path)), "", "abc")
    args = ("auto", "", 4, 60, lambda *a: None, "abc")
    behaviour.run_behaviour_view(services, session, ["prompt", "few-shot"], *args)
    behaviour.run_behaviour_view(services, session, ["prompt", "few-shot"], "auto", "", 2, 60,
                                 lambda *a: None, "abc")  # fmt: skip
    a, b = session.run_ids
    rows = history.history_rows(services, session)
    assert [r[0] for r in rows] == [b, a] and rows[0][2] == "behaviour: classification"
    assert history.history_rows(services, SessionState(session_id="other")) == []
    headers, table = history.compare_rows(services, session, a, b)
    assert headers[-1] == "B − A"
    assert ["setting", "shots", 4, 2, ""] in table  # the setting that changed comes first
    acc = next(r for r in table if r[0] == "Acc" and r[1] == "few-shot")
    assert acc[4] == round(acc[3] - acc[2], 4)
    other = SessionState(session_id="other")
    assert history.compare_rows(services, other, a, b)[1] == []  # not their runs
    label = history.run_options(services, session)[0][0]
    assert label.startswith(b) and "prompt, few-shot" in label


def test_trials_tab_asks_for_the_examples_the_interview_heard():
    session = SessionState()
    assert behaviour.examples_hint(session) == ""
    session.interview.profile = session.profile.with_(labeled_examples=300, examples_reviewed=True)
    hint = behaviour.examples_hint(session)
    assert hint.startswith("You said you have about 300 reviewed examples")
    assert '"How the model answers"' in hint
