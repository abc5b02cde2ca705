"""File names: the key a file is stored and indexed under, and the name users see.

A key must be safe everywhere (HTML, paths, Chroma filters), so it is folded to a small
ASCII alphabet. Folding loses information: 'café.txt' written in NFC and in NFD,
'résumé.txt' and 'resume.txt', '文档.txt' and '报告.txt' would each share one key and
overwrite each other's chunks. So a key is the name itself only when it already is safe;
any name that folding changes gets a short digest of its exact original appended, which
keeps different files different while the same name always gives the same key.
The readable original (NFC) is kept apart, for citations and messages.

Web uploads are stored on disk under their key; the folder's `.names.json` remembers
the names they were given, so any later ingest of the folder still shows those.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from pathlib import Path, PurePath

NAMES_FILE = ".names.json"  # hidden: a folder walk never ingests it
DIGEST_CHARS = 8
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9 ._()/-]")
_SEPARATORS = re.compile(r"[/\\]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _parts(name: str) -> list[str]:
    """Path parts without empty, '.' or '..' parts (so a name cannot climb out)."""
    parts = (p.strip() for p in _SEPARATORS.split(name))
    return [p for p in parts if p not in ("", ".", "..")]


def _readable(name: str) -> str:
    """The name folded to the key alphabet: 'sub/résumé.txt' -> 'sub/resume.txt'."""
    folded = unicodedata.normalize("NFKD", "/".join(_parts(name)))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _UNSAFE_CHARS.sub("_", ascii_only) or "unnamed"


def name_digest(raw: str) -> str:
    """A short digest of the exact name (NFC and NFD spellings differ)."""
    data = raw.encode("utf-8", "surrogateescape")
    return hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]


def with_digest(name: str, digest: str) -> str:
    """'a/resume.txt' + 'abcd' -> 'a/resume-abcd.txt' (the extension stays last)."""
    folder, _, base = name.rpartition("/")
    stem, dot, ext = base.rpartition(".")
    if not dot or not stem or len(ext) > 16 or " " in ext:
        stem, ext = base, ""
    tagged = f"{stem}-{digest}" + (f".{ext}" if ext else "")
    return f"{folder}/{tagged}" if folder else tagged


def safe_source(name: str | PurePath) -> str:
    """The key a file is indexed under: the name itself when already safe, else folded + digest.

    >>> safe_source("policy.txt")
    'policy.txt'
    >>> safe_source("résumé.txt")
    'resume-7557d00c.txt'
    """
    raw = str(name)
    nfc = unicodedata.normalize("NFC", raw)
    readable = _readable(nfc)
    return readable if readable == raw else with_digest(readable, name_digest(raw))


def display_name(name: str | PurePath) -> str:
    """The name as the user wrote it, safe to store and print: NFC, no control characters,
    no '..' parts; HTML escaping is left to whoever renders it."""
    text = str(name).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = _CONTROLS.sub("", unicodedata.normalize("NFC", text))
    return "/".join(_parts(text)) or "unnamed"


def given_names(folder: Path) -> dict[str, str]:
    """{stored file name: the name it was uploaded as} from the folder's NAMES_FILE."""
    try:
        data = json.loads((folder / NAMES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def remember_names(folder: Path, names: dict[str, str]) -> None:
    """Add {stored name: original name} to the folder's NAMES_FILE (written atomically)."""
    if not names:
        return
    merged = given_names(folder) | names
    tmp = folder / f"{NAMES_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(merged, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, folder / NAMES_FILE)
