"""Thin helpers around ChromaDB: clients, collection names, paged reads, write failures.

Embedded Chroma turns `get()` without a limit, or with a list of ids, into one SQL
statement with a variable per record: past 32,766 records SQLite refuses ("too many SQL
variables") and every later ingest of that workspace failed. So every read of many
records here goes in pages, and every delete by id in batches. A filter naming many
values (`$in` over 34,000 file names) hits the same limit, so such a filter is split
into several of at most IN_BATCH values (`any_of`), and the reads here take that list.
"""

from __future__ import annotations

import errno
import hashlib
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.core.errors import WorkspaceNameError

PAGE = 2_000  # records per read: far below SQLite's 32,766 variables
IN_BATCH = 1_000  # values per `$in` filter, for the same reason
Where = dict[str, Any] | list[dict[str, Any]] | None  # a list: records matching any one
WORKSPACE_RULE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_clients: dict[tuple, Any] = {}
_clients_lock = threading.Lock()


def check_workspace(workspace: str) -> str:
    """The name itself when it uses the one allowed alphabet, else WorkspaceNameError.

    Names used to be squeezed into Chroma's alphabet, so 'team a' and 'team/a' shared one
    collection (and one upload folder): two teams reading each other's documents. One
    alphabet that needs no squeezing makes different names different collections.
    """
    if not isinstance(workspace, str) or not WORKSPACE_RULE.fullmatch(workspace):
        raise WorkspaceNameError(
            f"workspace name {workspace!r} is not allowed: use 1-40 lowercase letters, "
            "digits, '-' or '_', starting with a letter or digit (for example 'team-a')"
        )
    return workspace


def derived_workspace(base: str, suffix: str) -> str:
    """A workspace for a run's own scratch index (a drill copy, a sweep cell), valid under
    the 40-character rule however long `base` is: over it, `base` becomes a digest.

    >>> derived_workspace("team-a", "sweep-100x30")
    'team-a-sweep-100x30'
    >>> len(derived_workspace("session-" + "f" * 32, "drill-0123456789ab"))
    31
    """
    import hashlib

    name = f"{base}-{suffix}"
    if len(name) > 40:
        name = f"{hashlib.sha256(base.encode()).hexdigest()[:12]}-{suffix}"[:40]
    return check_workspace(name)


def collection_name(
    workspace: str, chunk_size: int = 0, overlap: int = 0, embedder: str = ""
) -> str:
    """'ws-<workspace>' plus, for a chunk collection, its chunking: one collection per chunking.

    >>> collection_name("team-a", 200, 30, "minilm")
    'ws-team-a.c200-30-831cca'
    """
    base = f"ws-{check_workspace(workspace)}"
    if not chunk_size:
        return base
    tag = hashlib.sha256(embedder.encode("utf-8")).hexdigest()[:6]
    return f"{base}.c{chunk_size}-{overlap}-{tag}"


def client(persist_dir: Path | None, host: str = "", port: int = 8000) -> Any:
    """One Chroma client per location, shared: Chroma forbids two clients on one folder
    with different settings, and opening a client is not free."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    key = (str(persist_dir), host, port)
    with _clients_lock:
        if key not in _clients:
            settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            if host:
                _clients[key] = chromadb.HttpClient(host=host, port=port, settings=settings)
            else:
                assert persist_dir is not None
                persist_dir.mkdir(parents=True, exist_ok=True)
                _clients[key] = chromadb.PersistentClient(path=str(persist_dir), settings=settings)
        return _clients[key]


def any_of(key: str, values: Iterable[str]) -> list[dict[str, Any]]:
    """Filters for records whose `key` is one of `values`, at most IN_BATCH values each.

    One `$in` over every value costs SQLite a variable per value, and past 32,766 of them
    it refuses the query. The filters are disjoint (each value in exactly one), so their
    results can be joined without duplicates; no values give no filters at all.

    >>> any_of("source", ["b", "a", "b"])
    [{'source': {'$in': ['a', 'b']}}]
    """
    names = sorted(set(values))
    return [{key: {"$in": names[i : i + IN_BATCH]}} for i in range(0, len(names), IN_BATCH)]


def _each(where: Where) -> list[dict[str, Any] | None]:
    return where if isinstance(where, list) else [where]


def pages(collection: Any, where: Where = None, include: Sequence[str] = ()) -> Iterator[dict]:
    """`collection.get` in pages of PAGE records (each a dict of ids/metadatas/documents);
    a list of filters (from `any_of`) is read one filter after another."""
    for one in _each(where):
        offset = 0
        while True:
            rows = collection.get(where=one, include=list(include), limit=PAGE, offset=offset)
            if not rows["ids"]:
                break
            yield rows
            if len(rows["ids"]) < PAGE:
                break
            offset += PAGE


def all_ids(collection: Any, where: Where = None) -> list[str]:
    return [i for rows in pages(collection, where) for i in rows["ids"]]


def get_by_ids(collection: Any, ids: Sequence[str], include: Sequence[str]) -> Iterator[dict]:
    """`collection.get(ids=...)` in batches of PAGE ids."""
    for start in range(0, len(ids), PAGE):
        yield collection.get(ids=list(ids[start : start + PAGE]), include=list(include))


def delete_where(collection: Any, where: Where) -> int:
    """Delete every record matching `where` (or any filter of a list), in batches of ids;
    returns how many."""
    ids = all_ids(collection, where)
    for start in range(0, len(ids), PAGE):
        collection.delete(ids=ids[start : start + PAGE])
    return len(ids)


_FULL = ("database or disk is full", "no space left on device", "disk is full", "disk full")
LOW_SPACE = 64 * 1024 * 1024


def free_bytes(folder: Path | None) -> int | None:
    """Free space on the disk holding `folder` (None when unknown, e.g. a Chroma server)."""
    import shutil

    try:
        return shutil.disk_usage(folder).free if folder is not None else None
    except OSError:
        return None


def is_disk_full(err: BaseException, folder: Path | None = None, need: int = 0) -> bool:
    """True for ENOSPC or SQLite's 'database or disk is full', however Chroma wraps it.

    Chroma 1.x can also report a full disk only as "Failed to apply logs to the metadata
    segment", so a failed write counts as a full disk too when the disk holding the index
    has less than max(LOW_SPACE, need) bytes free.
    """
    free = free_bytes(folder)
    if free is not None and free < max(LOW_SPACE, need):
        return True
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if any(phrase in str(current).lower() for phrase in _FULL):
            return True
        current = current.__cause__ or current.__context__
    return False
