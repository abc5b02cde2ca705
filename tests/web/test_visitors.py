"""Visitors are keyed by an id the server draws, never by the session hash the client picks.

Before: workspaces, uploads and History were keyed by Gradio's session hash reduced to
letters and digits, so `victimAAAA000001` and `victimAAAA000001!x` shared a workspace,
and every hash without letters or digits landed in one shared `session-local`, from
which History listed, and Compare opened, the other visitor's runs. Here the real app
(fake models) is driven over HTTP with exactly those crafted hashes.
"""

from __future__ import annotations

import re

import pytest

from assistant.web import history
from assistant.web.downloads import make_report, run_choices
from assistant.web.session import SessionState, bind_session, owns
from tests.web.live import live_app

COLLIDING = [("victimAAAA000001", "victimAAAA000001!x"), ("!!!!!!", "@@@@@@")]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with live_app(tmp_path_factory.mktemp("visitors")) as app:
        yield app


def seed_run(services, workspace: str, em: float) -> str:
    """A finished knowledge run in `workspace`, with one scored trial."""
    store = services.store()
    run_id = store.start_run(
        workspace=workspace, config={"trials": ["rag"]}, settings={}, models={}, files=[],
        seed=0, app_version="test", n_train=0, n_heldout=20,
    )  # fmt: skip
    store.save_trial(run_id, "rag", "finished", {"exact_match": em}, [])
    store.finish_run(run_id, "finished")
    return run_id


def visit(live, session_hash: str) -> tuple[object, str]:
    """A visitor with this session hash says hello; (client, the workspace it was given)."""
    client = live.client(session_hash)
    client.predict({"text": "hello", "files": []}, [], api_name="/respond")
    session_id = live.services.open_sessions[session_hash]
    assert re.fullmatch(r"[0-9a-f]{32}", session_id)
    return client, f"session-{session_id}"


def history_ids(client) -> list[str]:
    table = client.predict(api_name="/history")[0]
    return [row[0] for row in table["data"]]


@pytest.mark.parametrize(("victim_hash", "attacker_hash"), COLLIDING)
def test_crafted_session_hashes_share_no_workspace_history_or_compare(
    live, victim_hash, attacker_hash
):
    victim, victim_ws = visit(live, victim_hash)
    attacker, attacker_ws = visit(live, attacker_hash)
    assert victim_ws != attacker_ws
    assert "local" not in victim_ws + attacker_ws

    mine = seed_run(live.services, victim_ws, 0.75)
    assert history_ids(victim) == [mine]
    assert history_ids(attacker) == []  # was: the victim's run, and Compare its metrics

    def guessed(client) -> str:  # the attacker names the victim's run id outright
        try:
            return str(client.predict(mine, api_name="/make_report")[1])
        except Exception as err:  # Gradio refuses a value the dropdown never offered
            return str(err)

    refused = guessed(attacker)
    assert "does not belong" in refused or "not in the list of choices" in refused
    assert attacker.predict(api_name="/report_runs")["choices"] == []
    # Compare and reports below the HTTP layer: the attacker's state owns none of it.
    thief = bind_session(SessionState(session_id=attacker_ws.removeprefix("session-")))
    assert history.compare_rows(live.services, thief, mine, mine)[1] == []
    assert make_report(live.services, thief, mine)[0] == []
    owner = SessionState(session_id=victim_ws.removeprefix("session-"))
    rows = history.compare_rows(live.services, owner, mine, mine)[1]
    assert ["EM", "rag", 0.75, 0.75, 0.0] in rows
    for client in (victim, attacker):
        client.close()


def test_the_same_hash_twice_is_one_gradio_session_and_one_workspace(live):
    """Gradio keys its state by the hash, so a repeat is the same visitor, not a new one."""
    first, workspace = visit(live, "repeatvisitor01")
    again, same = visit(live, "repeatvisitor01")
    assert same == workspace
    first.close()
    again.close()


def test_an_unbound_state_owns_nothing(live):
    """Before a visitor has an id, no run is theirs (not even one in 'session-unbound')."""
    seed_run(live.services, "session-unbound", 0.1)
    nobody = SessionState()
    assert history.session_runs(live.services, nobody) == []
    assert run_choices(live.services, nobody) == ([], "")


def test_a_login_owns_its_runs_in_every_tab_and_names_never_fold(live):
    tab_one = bind_session(SessionState(), user="alice")
    tab_two = bind_session(SessionState(), user="alice")
    mallory = bind_session(SessionState(), user="alice!")
    assert tab_one.session_id != tab_two.session_id  # each tab still has its own id
    assert tab_one.workspace == tab_two.workspace != mallory.workspace
    run_id = seed_run(live.services, tab_one.workspace, 0.5)
    assert [r["run_id"] for r in history.session_runs(live.services, tab_two)] == [run_id]
    assert run_choices(live.services, tab_two)[1] == run_id
    assert history.session_runs(live.services, mallory) == []
    assert owns(tab_two, live.services.store().get_run(run_id))
