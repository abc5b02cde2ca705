"""Per-item scores from another evaluation tool, paired by id for `app.py compare`.

Teams that already score their approaches elsewhere can get the same verdict the trials
give: two files, each with one score per item, paired by item id. Two formats: JSONL
with one `{"id": ..., "score": ...}` object per line, or CSV with `id` and `score`
columns. Scores must lie in 0..1, the units the margin and the sample sizes are in.
Every problem is one `DatasetError` naming the file, the line and what to fix.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

from assistant.core.errors import DatasetError

SCORE_SUFFIXES = {".jsonl": "jsonl", ".json": "jsonl", ".csv": "csv"}
SHOWN_IDS = 5


def read_scores(path: str | Path) -> dict[str, float]:
    """{item id: score} from a JSONL or CSV file, in file order.

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "a.jsonl")
    >>> _ = open(f, "w").write('{"id": 1, "score": 1}\\n{"id": "q2", "score": 0.5}\\n')
    >>> read_scores(f)
    {'1': 1.0, 'q2': 0.5}
    """
    path = Path(path)
    kind = SCORE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise DatasetError(f"{path.name}: use a .jsonl file ({{\"id\", \"score\"}} per line) "
                           "or a .csv file with id,score columns")  # fmt: skip
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) else "not UTF-8 text"
        raise DatasetError(f"cannot read {path}: {reason}") from None
    rows = _jsonl_rows(path.name, text) if kind == "jsonl" else _csv_rows(path.name, text)
    scores: dict[str, float] = {}
    where_seen: dict[str, str] = {}
    for where, row in rows:
        item, score = _id(path.name, where, row), _score(path.name, where, row)
        if item in scores:
            raise DatasetError(f"{path.name}: id {item!r} appears twice ({where_seen[item]} "
                               f"and {where}); give each item one score")  # fmt: skip
        scores[item], where_seen[item] = score, where
    if not scores:
        raise DatasetError(f"{path.name}: no scores found")
    return scores


def _jsonl_rows(name: str, text: str) -> list[tuple[str, dict[str, Any]]]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise DatasetError(f"{name}: line {number} is not JSON ({err.msg})") from None
        if not isinstance(row, dict):
            raise DatasetError(f'{name}: line {number} must be an object like '
                               '{"id": "q1", "score": 1}')  # fmt: skip
        rows.append((f"line {number}", row))
    return rows


def _csv_rows(name: str, text: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if not {"id", "score"} <= set(header):
        raise DatasetError(f"{name}: the first row must name the columns id and score, "
                           f"found {', '.join(header) or 'nothing'}")  # fmt: skip
    reader.fieldnames = header
    return [(f"line {i}", row) for i, row in enumerate(reader, 2)]


def _id(name: str, where: str, row: dict[str, Any]) -> str:
    value = row.get("id")
    if value is None or isinstance(value, bool | dict | list) or not str(value).strip():
        raise DatasetError(f"{name}: {where} has no id")
    return str(value).strip()


def _score(name: str, where: str, row: dict[str, Any]) -> float:
    value = row.get("score")
    try:
        if isinstance(value, bool):
            raise ValueError
        score = float(value.strip() if isinstance(value, str) else value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DatasetError(f"{name}: {where} has no numeric score (got {value!r})") from None
    if not math.isfinite(score) or not 0.0 <= score <= 1.0:
        raise DatasetError(f"{name}: {where} has score {value!r}; scores must lie between 0 "
                           "and 1 (rescale them first)")  # fmt: skip
    return score


def paired_scores(
    a: dict[str, float], b: dict[str, float], name_a: str, name_b: str
) -> tuple[list[float], list[float]]:
    """The two score lists in the first file's order; every id must be in both files.

    >>> paired_scores({"x": 1.0, "y": 0.0}, {"y": 1.0, "x": 1.0}, "a", "b")
    ([1.0, 0.0], [1.0, 1.0])
    """
    only_a = [i for i in a if i not in b]
    only_b = [i for i in b if i not in a]
    if only_a or only_b:
        parts = [f"{len(ids)} only in {name} ({_ids(ids)})"
                 for ids, name in ((only_a, name_a), (only_b, name_b)) if ids]  # fmt: skip
        raise DatasetError(f"the files do not score the same items: {'; '.join(parts)}; "
                           "a paired comparison needs every id in both files")  # fmt: skip
    return [a[i] for i in a], [b[i] for i in a]


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    return shown + (f", … {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")
