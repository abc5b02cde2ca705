"""Shared fixtures for the trial tests: fresh settings and a DuckDB store per test."""

from __future__ import annotations

import pytest

from assistant.core.settings import load_settings
from eval.store import Store


@pytest.fixture
def env(tmp_path):
    """(settings with a private data folder, an open Store) — closed after the test."""
    settings = load_settings(env={}, data_dir=str(tmp_path / "data"))
    store = Store(tmp_path / "runs.duckdb")
    yield settings, store
    store.close()
