"""A trial's model, chosen per run: parsed from one field, applied to the run's settings."""

from __future__ import annotations

import pytest

from assistant.core.errors import ConfigError
from assistant.core.models.choice import ModelChoice, describe_model, is_stand_in
from assistant.core.settings import load_settings


def test_each_form_of_model_sets_the_backend(tmp_path):
    base = load_settings(env={"ADVISOR_CHAT_MODEL": ""})
    gguf = tmp_path / "team.gguf"
    gguf.write_bytes(b"GGUF")
    folder = tmp_path / "team-hf"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    cases = {
        "": ("llamacpp", ""),
        "packaged": ("llamacpp", ""),
        str(gguf): ("llamacpp", str(gguf)),
        str(folder): ("transformers", str(folder)),
    }
    for spec, (backend, model) in cases.items():
        settings = ModelChoice.parse(spec).apply(base)
        assert (settings.chat_backend, settings.chat_model) == (backend, model), spec
    served = ModelChoice.parse("http://127.0.0.1:8000/v1/", "qwen2.5-7b").apply(base)
    assert (served.chat_backend, served.chat_model) == ("openai", "qwen2.5-7b")
    assert served.openai_base_url == "http://127.0.0.1:8000/v1"


@pytest.mark.parametrize(
    ("spec", "name", "message"),
    [("http://h:8000/v1", "", "served model's name"), ("missing.gguf", "", "file not found"),
     ("notes.txt", "", "expected 'packaged', a .gguf file")],
)  # fmt: skip
def test_a_model_that_cannot_be_used_is_refused_with_what_to_do(spec, name, message):
    with pytest.raises(ConfigError, match=message):
        ModelChoice.parse(spec, name)


def test_only_the_packaged_model_is_a_stand_in(tmp_path):
    packaged = ModelChoice.parse("packaged").apply(load_settings(env={}))
    assert is_stand_in(packaged) and "stand-in" in describe_model(packaged)
    gguf = tmp_path / "ours.gguf"
    gguf.write_bytes(b"GGUF")
    ours = ModelChoice.parse(str(gguf)).apply(load_settings(env={}))
    assert not is_stand_in(ours) and describe_model(ours) == "ours.gguf"
