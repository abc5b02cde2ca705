"""Trials (prompt-only, RAG, LoRA), metrics and the DuckDB store."""

from assistant.core.offline import enforce_offline

enforce_offline()
