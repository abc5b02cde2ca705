"""Scores of JSON outputs: does it parse, is it the same structure, which fields are right.

Part of `eval.scoring.labels` (which re-exports these); pure functions of strings.
Numbers compare by value (2 equals 2.0) but keep their JSON type (true is not 1, "2" is
not 2). In field F1 a list of plain values (names, tags, IDs) is a multiset: its order
carries no meaning, so an answer that drops the first of five names still has the other
four right (by position all of them shifted and it scored 0). A list is positional only
when the references show its order matters (`ordered_paths`); lists of objects stay
positional, since their fields are scored one by one. Exact match keeps every order.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

_FENCED = re.compile(r"^```[\w+-]*[ \t]*\n?(.*?)\n?```$", re.DOTALL)
_SPAN_ATTEMPTS = 50  # how many "{" / "[" starts to try when the text is not JSON as a whole


def strip_fences(text: str) -> str:
    """Drop a markdown code fence around the whole text.

    >>> strip_fences('```json\\n{"a": 1}\\n```')
    '{"a": 1}'
    """
    text = text.strip()
    match = _FENCED.match(text)
    return match.group(1).strip() if match else text


def parse_json_output(text: str) -> Any | None:
    """The JSON value in a model output, or None when there is none.

    The whole text (fences dropped) first, then the first {...} or [...] inside it.
    A bare `null` counts as no JSON.

    >>> parse_json_output('Here you go: {"a": [1, 2]} hope it helps')
    {'a': [1, 2]}
    """
    text = strip_fences(text)
    try:
        return json.loads(text)
    except ValueError:
        pass
    decoder = json.JSONDecoder()
    starts = [i for i, ch in enumerate(text) if ch in "{["][:_SPAN_ATTEMPTS]
    for start in starts:
        try:
            return decoder.raw_decode(text, start)[0]
        except ValueError:
            continue
    return None


def valid_json(pred: str) -> float:
    """1.0 when the prediction holds JSON.

    >>> valid_json('{"a": 1,}')
    0.0
    """
    return float(parse_json_output(pred) is not None)


def json_exact(pred: str, ref: str) -> float:
    """1.0 when both parse to the same structure (2 equals 2.0; true does not equal 1).

    >>> json_exact('{"b": 2.0, "a": [1]}', '{"a": [1], "b": 2}')
    1.0
    """
    got, want = parse_json_output(pred), parse_json_output(ref)
    return float(got is not None and want is not None and canon(got) == canon(want))


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf values by key path; empty objects and arrays are leaves.

    >>> flatten({"a": {"b": [{"c": 1}, 2]}, "d": {}})
    {'a.b[0].c': 1, 'a.b[1]': 2, 'd': {}}
    """
    if isinstance(obj, dict) and obj:
        items = [(f"{prefix}.{k}" if prefix else str(k), v) for k, v in obj.items()]
    elif isinstance(obj, list) and obj:
        items = [(f"{prefix}[{i}]", v) for i, v in enumerate(obj)]
    else:
        return {prefix: obj}
    out: dict[str, Any] = {}
    for path, value in items:
        out.update(flatten(value, path))
    return out


def field_prf(pred: str, ref: str, ordered: frozenset[str] = frozenset()) -> tuple[float, ...]:
    """Precision, recall and F1 of the (key path, value) pairs; invalid JSON scores 0.

    Lists of plain values count as multisets unless their path (indices as "[]") is in
    `ordered`; see `field_pairs`.

    >>> field_prf('{"a": 1, "b": 3, "c": 4}', '{"a": 1.0, "b": 2}')  # 1 of 3 right, 1 of 2 found
    (0.3333333333333333, 0.5, 0.4)
    >>> field_prf('{"pkgs": ["b", "c", "x"]}', '{"pkgs": ["a", "b", "c", "d", "e"]}')
    (0.6666666666666666, 0.4, 0.5)
    >>> field_prf('{"pkgs": ["b", "c", "x"]}', '{"pkgs": ["a", "b", "c"]}', frozenset({"pkgs[]"}))
    (0.0, 0.0, 0.0)
    """
    got, want = parse_json_output(pred), parse_json_output(ref)
    if got is None or want is None:
        return 0.0, 0.0, 0.0
    got_pairs, want_pairs = field_pairs(got, ordered), field_pairs(want, ordered)
    hits = sum((got_pairs & want_pairs).values())
    if not hits:
        return 0.0, 0.0, 0.0
    precision, recall = hits / got_pairs.total(), hits / want_pairs.total()
    return precision, recall, 2 * precision * recall / (precision + recall)


def field_pairs(
    obj: Any, ordered: frozenset[str] = frozenset(), path: str = "", shape: str = ""
) -> Counter:
    """The (key path, value) pairs field F1 counts, as a multiset.

    `shape` is the path with indices written "[]" ("items[].tags[]"): a list of plain
    values is one multiset under it, unless the shape is in `ordered`.

    >>> sorted(path for path, _ in field_pairs({"tags": ["x", "y", "x"], "at": [{"n": 1}]}))
    ['at[0].n', 'tags[]', 'tags[]']
    >>> field_pairs({"tags": ["x", "y", "x"]})[("tags[]", canon("x"))]
    2
    """
    if isinstance(obj, dict) and obj:
        out: Counter = Counter()
        for key, value in obj.items():
            join = f"{path}.{key}" if path else str(key)
            out += field_pairs(value, ordered, join, f"{shape}.{key}" if shape else str(key))
        return out
    if isinstance(obj, list) and obj:
        if _plain(obj) and f"{shape}[]" not in ordered:
            return Counter((f"{shape}[]", canon(v)) for v in obj)
        out = Counter()
        for i, value in enumerate(obj):
            out += field_pairs(value, ordered, f"{path}[{i}]", f"{shape}[]")
        return out
    return Counter({(path, canon(obj)): 1})


def ordered_paths(references: Iterable[str]) -> frozenset[str]:
    """Shapes of the lists whose order carries meaning, judged from the reference outputs.

    The rule: a list is ordered when two references hold the same values at the same
    shape in a different order (a ranking of the same teams, steps of the same recipe).
    Otherwise order is not evidence of anything (names in the order they were met, or
    sorted by convention) and the list is a multiset.

    >>> ordered_paths(['{"rank": ["a", "b"], "tags": ["x", "y"]}',
    ...                '{"rank": ["b", "a"], "tags": ["y", "z"]}'])
    frozenset({'rank[]'})
    """
    seen: dict[tuple[str, tuple], set[tuple]] = {}
    for text in references:
        for shape, values in _plain_lists(parse_json_output(text)):
            key = (shape, tuple(sorted(map(repr, values))))
            seen.setdefault(key, set()).add(tuple(values))
    return frozenset(shape for (shape, _), orders in seen.items() if len(orders) > 1)


def _plain(values: list) -> bool:
    return not any(isinstance(v, dict | list) for v in values)


def _plain_lists(obj: Any, shape: str = "") -> Iterable[tuple[str, list]]:
    """Every list of two or more plain values, by shape, with its canonical values."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _plain_lists(value, f"{shape}.{key}" if shape else str(key))
    elif isinstance(obj, list):
        if len(obj) >= 2 and _plain(obj):
            yield f"{shape}[]", [canon(v) for v in obj]
        for value in obj:
            if isinstance(value, dict | list):
                yield from _plain_lists(value, f"{shape}[]")


def schema_match(pred: str, ref: str) -> float:
    """1.0 when both have the same key paths with the same JSON types, whatever the values.

    >>> schema_match('{"name": "Bo", "age": 3}', '{"age": 40, "name": "Al"}')
    1.0
    """
    got, want = parse_json_output(pred), parse_json_output(ref)
    if got is None or want is None:
        return 0.0
    return float(_schema(got) == _schema(want))


def _schema(obj: Any) -> dict[str, str]:
    return {path: _json_type(v) for path, v in flatten(obj).items()}


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return {dict: "object", list: "array"}.get(type(value), "string")


def canon(value: Any) -> Any:
    """A hashable form where 2 == 2.0 but True != 1 and "2" != 2."""
    if isinstance(value, dict):
        return ("object", tuple(sorted((str(k), canon(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("array", tuple(canon(v) for v in value))
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, int):
        return ("number", str(value))
    if isinstance(value, float):
        return ("number", str(int(value)) if value.is_integer() else repr(value))
    return ("string", value)


def strict_json(text: str) -> dict | list | None:
    """The text as a JSON object or array (fences dropped), or None; nothing else is tried.

    >>> strict_json("```\\n[1, 2]\\n```"), strict_json('Answer: {"a": 1}')
    ([1, 2], None)
    """
    try:
        value = json.loads(strip_fences(text))
    except ValueError:
        return None
    return value if isinstance(value, dict | list) else None
