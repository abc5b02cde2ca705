"""Offline switches, set before any ML or UI library is imported.

The product must never reach a model hub or a telemetry endpoint: it runs on
machines where only package registries are reachable, and users' documents are
private. Every package entry point (`assistant`, `knowledge`, `eval`, `app.py`)
calls `enforce_offline()` first thing.
"""

from __future__ import annotations

import os

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "DO_NOT_TRACK": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}


def enforce_offline() -> None:
    """Force the offline switches (overriding any contrary value in the environment)."""
    os.environ.update(OFFLINE_ENV)
