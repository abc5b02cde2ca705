"""The DuckDB store of runs, trials, items and recommendations (see `eval.store.db`)."""

from eval.store.db import INTERRUPTED, Store, StoreError

__all__ = ["INTERRUPTED", "Store", "StoreError"]
