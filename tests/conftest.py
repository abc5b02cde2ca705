"""Shared fixtures: fakes for unit tests, real packaged models for integration tests."""

from __future__ import annotations

import pytest

from assistant.core.offline import enforce_offline

enforce_offline()

from tests.fakes import HashEmbedder, ScriptedChat  # noqa: E402


@pytest.fixture
def scripted_chat() -> ScriptedChat:
    return ScriptedChat(["Hello from the fake model."])


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory):
    """Default settings (packaged models) with data kept in a temporary folder."""
    from assistant.core.settings import load_settings

    return load_settings(env={}, data_dir=str(tmp_path_factory.mktemp("data")))


@pytest.fixture(scope="session")
def real_chat(real_settings):
    from assistant.core.models import load_chat_model

    return load_chat_model(real_settings)


@pytest.fixture(scope="session")
def real_embedder(real_settings):
    from assistant.core.models import load_embedder

    return load_embedder(real_settings)
