"""The Trials tab's "Evaluate on": the set touched last is chosen, and the run uses it alone.

The bug this guards: a user generated pairs, then uploaded counsel's Q/A file; the next
run was scored on the generated table while History and the report named the file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assistant.core.errors import AdvisorError
from assistant.web import evaluation, history, trials
from assistant.web.session import SessionState
from assistant.web.uploads import upload_files
from eval.data.pairs import EvalPair
from tests.fakes.web import session_with_docs, writing_services

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "examples" / "sample_docs"
QA = ROOT / "examples" / "sample_qa.csv"


@pytest.fixture
def services(tmp_path):
    return writing_services(tmp_path)


@pytest.fixture
def session(services):
    return session_with_docs(services, "evalset", DOCS)


def file_questions() -> set[str]:
    with QA.open(encoding="utf-8") as fh:
        return {row["question"] for row in csv.DictReader(fh)}


def run_as_the_tab_does(services, session, rows):
    """Run prompt-only with the "Evaluate on" value the tab would show now."""
    choice = evaluation.current_choice(session)
    view = trials.run_trials_view(
        services, session, ["prompt"], 200, 3, 60, rows, lambda *a: None, "evalset",
        evaluate_on=choice,
    )  # fmt: skip
    store = services.store()
    heldout = {p["question"] for p in store.get_eval_pairs(session.last_run)
               if p["split"] == "heldout"}  # fmt: skip
    return view, store.get_run(session.last_run)["run"], heldout


def test_a_file_uploaded_after_generating_is_what_the_run_scores(services, session):
    rows, _ = trials.generate_rows(services, session, 12)
    assert rows and evaluation.current_choice(session) == "pairs"
    note = upload_files(services, session, None, str(QA), "evalset")
    assert "Found 40 question/answer pairs" in note and "20 held-out items" in note
    assert evaluation.current_choice(session) == "file"
    assert evaluation.eval_choices(session)[0] == ("Your uploaded Q/A file (sample_qa.csv)", "file")
    view, stored, heldout = run_as_the_tab_does(services, session, rows)
    assert "Evaluated on your file sample_qa.csv: 40 pairs, 20 train / 20 held-out." in view.status
    assert "20 train / 20 held-out questions" in view.status
    assert len(heldout) == 20 and heldout <= file_questions()
    assert stored["eval_set"]["source"] == "file" and stored["n_heldout"] == 20
    assert "sample_qa.csv" in {f["name"] for f in stored["files"]}


def test_pairs_generated_after_the_upload_are_what_the_run_scores(services, session):
    upload_files(services, session, None, str(QA), "evalset")
    rows, _ = trials.generate_rows(services, session, 12)
    assert evaluation.current_choice(session) == "pairs"
    view, stored, heldout = run_as_the_tab_does(services, session, rows)
    assert heldout and heldout <= {r[0] for r in rows}
    assert not heldout & file_questions()
    said = "Evaluated on the reviewed generated pairs: 12 pairs, 3 train / 9 held-out."
    assert said in view.status
    assert stored["eval_set"] == {"source": "reviewed", "files": [], "pairs": 12, "train": 3,
                                  "heldout": 9}  # fmt: skip
    assert "sample_qa.csv" not in {f["name"] for f in stored["files"]}  # not its data
    settings = dict((k, v) for k, v, _ in history.setting_changes({"run": stored}, {"run": {}}))
    assert settings["evaluated on"].startswith("the reviewed generated pairs: 12 pairs")


def test_the_users_explicit_choice_beats_the_last_touched(services, session):
    rows, _ = trials.generate_rows(services, session, 12)
    upload_files(services, session, None, str(QA), "evalset")  # the file is now the default
    view = trials.run_trials_view(services, session, ["prompt"], 200, 3, 60, rows,
                                  lambda *a: None, "evalset", evaluate_on="pairs")  # fmt: skip
    assert "Evaluated on the reviewed generated pairs" in view.status
    assert session.eval_set == "pairs"  # shown again when the tab is reopened


def test_a_choice_whose_set_is_missing_is_refused_not_swapped(services, session):
    view = trials.run_trials_view(services, session, ["prompt"], 200, 3, 60, None,
                                  lambda *a: None, "evalset", evaluate_on="pairs")  # fmt: skip
    assert view.status.startswith("**Could not run the trials:** no reviewed pairs")
    assert session.run_ids == []
    with pytest.raises(AdvisorError, match="no Q/A file uploaded yet"):
        evaluation.evaluation_inputs(SessionState(), "file", [])


def test_without_a_choice_the_set_at_hand_is_used():
    pair = EvalPair("r1", "Q?", "A")
    assert evaluation.evaluation_inputs(SessionState(), None, []) == (None, None)
    assert evaluation.evaluation_inputs(SessionState(), None, [pair]) == (None, [pair])
    with_file = SessionState(qa_file="/x/qa.csv")
    assert evaluation.evaluation_inputs(with_file, None, [pair]) == (Path("/x/qa.csv"), None)
    assert evaluation.evaluated_line(None) == ""


def test_earlier_qa_files_are_not_read_as_documents(services, session, tmp_path):
    first = tmp_path / "counsel_v1.csv"
    first.write_text("question,answer\n" + "".join(f"Q{i}?,a{i}\n" for i in range(30)))
    upload_files(services, session, None, str(first), "evalset")
    upload_files(services, session, None, str(QA), "evalset")
    assert Path(session.qa_file).name == "sample_qa.csv"
    names = {Path(p).name for p in session.documents}
    assert names == {p.name for p in DOCS.iterdir()}  # neither Q/A file is a document


def test_the_tab_wiring_shows_the_choice_and_api_callers_may_leave_it_out(tmp_path):
    """Over HTTP as the page calls it: the upload sets "Evaluate on" to the file, and a
    client that names no set (older scripts) is scored on the set at hand."""
    from gradio_client import handle_file

    from tests.web.live import live_app

    with live_app(tmp_path / "data") as live:
        client = live.client("wiringcheck00001")
        docs = [handle_file(str(p)) for p in sorted(DOCS.iterdir())]
        _, shown = client.predict(docs, handle_file(str(QA)), api_name="/on_upload")
        assert shown["value"] == "file"
        assert shown["choices"][0] == ["Your uploaded Q/A file (sample_qa.csv)", "file"]
        rows = {"headers": ["question", "answer", "source", "kind"], "data": [], "metadata": None}
        args = ([], "", "", "", ["prompt"], 200, 3, 60, rows)  # no "Evaluate on" value
        out = client.predict(*args, api_name="/run_knowledge")
        assert "Evaluated on your file sample_qa.csv: 40 pairs" in out[0]


def test_a_qa_upload_resending_gone_document_copies_reports_only_the_qa_file(
    services, session, tmp_path
):
    """The Q/A widget's upload also sends the documents widget's files; their temporary
    copies may be gone by then, and that is not an upload that failed to arrive."""
    gone = [str(tmp_path / "gone" / p.name) for p in sorted(DOCS.iterdir())]
    note = upload_files(services, session, gone, str(QA), "evalset")
    assert "did not arrive" not in note and "Found 40 question/answer pairs" in note
    lost = upload_files(services, session, [str(tmp_path / "new.md")], None, "evalset")
    assert "new.md: the upload did not arrive" in lost  # a file never stored still says so
