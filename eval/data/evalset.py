"""Which Q/A pairs a knowledge run was scored on, said in one sentence and stored with it.

A run's numbers mean nothing without their evaluation set: a user who uploaded counsel's
48 pairs must be able to see that the run used those 48 pairs, not the 20 pairs generated
earlier in the same session. The set is chosen once, before the run (`eval.prepare`), and
this record travels with the run: into its status line, the run row and the CLI's JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

# Where a knowledge run's evaluation pairs came from.
SOURCES = ("file", "reviewed", "found", "generated")


@dataclass(frozen=True)
class EvalSet:
    """The evaluation set of one run: where its pairs came from, and how they were split."""

    source: str  # one of SOURCES
    files: list[str] = field(default_factory=list)  # Q/A file names ("file", "found")
    pairs: int = 0
    train: int = 0
    heldout: int = 0

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"evaluation source must be one of {SOURCES}, got {self.source!r}")

    def split(self, train: int, heldout: int) -> EvalSet:
        """The same set with its split counted (known once the held-out rule has run)."""
        return replace(self, pairs=train + heldout, train=train, heldout=heldout)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvalSet:
        known = {k: data[k] for k in ("source", "files", "pairs", "train", "heldout") if k in data}
        return cls(**known)


def describe(data: dict[str, Any] | None) -> str:
    """'your file qa.jsonl: 48 pairs, 28 train / 20 held-out' for a stored evaluation set.

    >>> describe({"source": "reviewed", "pairs": 12, "train": 4, "heldout": 8})
    'the reviewed generated pairs: 12 pairs, 4 train / 8 held-out'
    >>> describe(None)
    ''
    """
    if not data:
        return ""
    found = EvalSet.from_dict(data)
    names = ", ".join(found.files)
    what = {
        "file": f"your file {names}",
        "reviewed": "the reviewed generated pairs",
        "found": f"the Q/A pairs found among your documents ({names})",
        "generated": "pairs generated from your documents at run time (not reviewed)",
    }[found.source]
    return f"{what}: {found.pairs} pairs, {found.train} train / {found.heldout} held-out"
