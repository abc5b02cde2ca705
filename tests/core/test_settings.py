"""Settings: defaults, TOML and env precedence, and errors that name the setting."""

from __future__ import annotations

import pytest

from assistant.core.settings import Settings, SettingsError, describe_settings, load_settings


def test_defaults_need_no_configuration(tmp_path):
    settings = load_settings(env={}, toml_path=None)
    assert settings.chat_backend == "llamacpp"
    assert settings.chat_model == ""  # packaged SmolLM2
    assert (settings.host, settings.port) == ("127.0.0.1", 7860)


def test_env_overrides_toml_and_types_are_coerced(tmp_path):
    toml = tmp_path / "advisor.toml"
    toml.write_text('max_tokens = 7\nport = 9000\nchat_backend = "transformers"\n')
    env = {"ADVISOR_PORT": "9100", "ADVISOR_TEMPERATURE": "0.5"}
    settings = load_settings(env=env, toml_path=toml)
    assert settings.max_tokens == 7
    assert settings.port == 9100
    assert settings.temperature == 0.5
    assert settings.chat_backend == "transformers"


def test_explicit_overrides_win_and_none_is_ignored():
    settings = load_settings(env={"ADVISOR_PORT": "9100"}, port=9200, host=None)
    assert settings.port == 9200
    assert settings.host == "127.0.0.1"


def test_unknown_backend_names_the_setting_and_choices():
    with pytest.raises(SettingsError) as err:
        load_settings(env={"ADVISOR_CHAT_BACKEND": "ollama"})
    message = str(err.value)
    assert "chat_backend" in message and "llamacpp" in message and "ADVISOR_CHAT_BACKEND" in message


def test_all_problems_are_reported_together():
    with pytest.raises(SettingsError) as err:
        load_settings(
            env={"ADVISOR_PORT": "abc", "ADVISOR_MAX_TOKENS": "many", "ADVISOR_SEED": "1"}
        )
    assert len(err.value.problems) == 2
    assert any("port" in p for p in err.value.problems)
    assert any("max_tokens" in p for p in err.value.problems)


@pytest.mark.parametrize(
    "changes, needle",
    [
        ({"port": 0}, "port"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"temperature": -1.0}, "temperature"),
        ({"chat_backend": "openai"}, "openai_base_url"),
        ({"chat_backend": "openai", "openai_base_url": "http://x/v1"}, "chat_model"),
        ({"device": "tpu"}, "device"),
    ],
)
def test_invalid_values_are_rejected(changes, needle):
    with pytest.raises(SettingsError, match=needle):
        Settings(**changes)


def test_unknown_key_in_toml_is_an_error(tmp_path):
    toml = tmp_path / "advisor.toml"
    toml.write_text("chat_modle = 'x.gguf'\n")
    with pytest.raises(SettingsError, match="chat_modle"):
        load_settings(env={}, toml_path=toml)


def test_broken_toml_is_a_clear_error(tmp_path):
    toml = tmp_path / "advisor.toml"
    toml.write_text("port = = 3\n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(env={}, toml_path=toml)


def test_secrets_are_redacted_when_stored():
    settings = Settings(
        chat_backend="openai", chat_model="m", openai_base_url="http://h/v1", openai_api_key="s3"
    )
    assert settings.to_dict()["openai_api_key"] == "***"


def test_every_setting_is_documented():
    rows = describe_settings()
    assert len(rows) == len(Settings.__dataclass_fields__)
    assert all(doc for _, _, doc in rows)


def test_readme_documents_every_setting():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| `(ADVISOR_\w+)` \|", readme, flags=re.M)
    documented = {name: env for name, env in rows}
    expected = {name: f"ADVISOR_{name.upper()}" for name, _, _ in describe_settings()}
    assert documented == expected, "the README settings table must list exactly the settings"


@pytest.mark.parametrize(
    ("key", "flag"),
    [("top_k", "--top-k"), ("chunk_size", "--chunk-size"), ("chunk_overlap", "--chunk-overlap")],
)
def test_old_trial_settings_say_where_they_moved(tmp_path, key, flag):
    said = (
        f"{key} moved to trial options: use `app.py trial {flag} N` or the Trials tab slider, "
        "and remove this setting"
    )
    with pytest.raises(SettingsError) as from_env:
        load_settings(env={f"ADVISOR_{key.upper()}": "3"})
    assert str(from_env.value) == f"ADVISOR_{key.upper()}: {said}"
    toml = tmp_path / "advisor.toml"
    toml.write_text(f"{key} = 3\n")
    with pytest.raises(SettingsError) as from_file:
        load_settings(env={}, toml_path=toml)
    assert str(from_file.value).endswith(said)


def test_every_setting_is_read_outside_settings():
    """A setting nobody reads is a knob that silently does nothing."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for folder in ("assistant", "knowledge", "eval")
        for p in (root / folder).rglob("*.py")
        if p.name != "settings.py"
    )
    through = {"data_dir": ".data_path", "db_path": ".db_file"}  # read via these properties
    unused = [
        name
        for name, _, _ in describe_settings()
        if f".{name}" not in code and through.get(name, f".{name}") not in code
    ]
    assert not unused, f"settings read nowhere: {unused}"
