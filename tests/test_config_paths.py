"""One way from settings + per-run options to a stored config, for the CLI and the web app.

Each setting that feeds a trial (seed, temperature) is changed, and both front ends'
runs must store it: the web app once ignored ADVISOR_TEMPERATURE while the CLI passed it.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.cli import build_parser
from assistant.cli.trials import config_from_args
from assistant.core.settings import load_settings
from assistant.web.behaviour import behaviour_config
from assistant.web.trials import trial_config
from tests.fakes import ScriptedChat
from tests.fakes.jobs import behaviour_run, knowledge_run, routing_file
from tests.fakes.readers import nearest_shot_reader, reader

CHANGED = {"ADVISOR_SEED": "11", "ADVISOR_TEMPERATURE": "0.7"}


def _cli(kind: str, settings):
    flag = ["--examples", "x.jsonl"] if kind == "behaviour" else ["--docs", "x"]
    return config_from_args(build_parser().parse_args(["trial", *flag]), kind, settings)


def _web(kind: str, settings):
    services = SimpleNamespace(settings=settings)
    if kind == "behaviour":
        return behaviour_config(services, ["prompt"], 8, 150)
    return trial_config(services, ["prompt"], 200, 5, 150)


@pytest.mark.parametrize("kind", ["knowledge", "behaviour"])
@pytest.mark.parametrize("front", [_cli, _web])
def test_each_setting_reaches_the_config_from_both_front_ends(kind, front):
    default = front(kind, load_settings(env={}))
    changed = front(kind, load_settings(env=CHANGED))
    assert (default.seed, default.temperature) == (0, 0.0)
    assert (changed.seed, changed.temperature) == (11, 0.7)


def test_both_kinds_of_run_store_the_settings_they_ran_with(tmp_path):
    from eval.store import Store

    settings = load_settings(env=CHANGED, data_dir=str(tmp_path / "data"))
    with Store(tmp_path / "runs.duckdb") as store:
        env = (settings, store)
        chats = [ScriptedChat(respond=reader), ScriptedChat(respond=nearest_shot_reader)]
        first = knowledge_run(env, chat=chats[0], config=_web("knowledge", settings))
        second = behaviour_run(env, routing_file(tmp_path), chat=chats[1],
                               config=_web("behaviour", settings))  # fmt: skip
        for result, chat in zip((first, second), chats, strict=True):
            stored = store.get_run(result.run_id)["run"]
            assert stored["config"]["temperature"] == 0.7 and stored["config"]["seed"] == 11
            assert stored["settings"]["temperature"] == 0.7
            assert set(chat.temperatures) == {0.7}  # every answer sampled as configured


@pytest.mark.parametrize("value", ["0", "1.5"])
def test_context_relevance_outside_0_to_1_is_refused_with_its_name(value):
    """The CLI flag reaches the config, and a weight that cannot mean anything is refused
    by name before a model loads (0 would pick by difference alone)."""
    from assistant.core.errors import ConfigError

    settings = load_settings(env={})
    args = build_parser().parse_args(["trial", "--docs", "x", "--context-relevance", "0.7"])
    assert config_from_args(args, "knowledge", settings).retrieval.context_relevance == 0.7
    args = build_parser().parse_args(["trial", "--docs", "x", "--context-relevance", value])
    with pytest.raises(ConfigError, match="context_relevance"):
        config_from_args(args, "knowledge", settings)
