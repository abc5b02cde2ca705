"""The one held-out rule for both kinds of trial: seeded, leak-checked, stratified on ask.

Every trial is scored on the held-out items and the LoRA must never see them, so the
split is deterministic for a seed (items are ordered by id first, whatever the file's
order) and `split_items` refuses a split where a held-out item also sits in training.
An item says what counts as "the same" through its `leak_key` (a normalised question, or
an example's instruction + input).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from assistant.core.errors import DatasetError


class Splittable(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def leak_key(self) -> str: ...


T = TypeVar("T", bound=Splittable)


@dataclass(frozen=True)
class Split(Generic[T]):
    train: list[T]
    heldout: list[T]
    wanted: int = 0  # held-out items the options asked for

    @property
    def small_sample(self) -> bool:
        """Fewer held-out items than asked for: its numbers are noisy."""
        return len(self.heldout) < self.wanted


def heldout_count(n: int, options: Any) -> int:
    """Items held out of n: max(heldout_min, fraction × n), always leaving at least
    max(train_min, 20% of n) to train on.

    >>> from eval.config import BehaviourConfig, KnowledgeConfig
    >>> heldout_count(300, BehaviourConfig()), heldout_count(40, BehaviourConfig())
    (90, 30)
    >>> heldout_count(40, KnowledgeConfig()), heldout_count(10, KnowledgeConfig())
    (20, 8)
    """
    wanted = max(options.heldout_min, math.ceil(options.heldout_fraction * n))
    return min(wanted, n - max(options.train_min, math.ceil(0.2 * n)))


def split_items(
    items: Sequence[T], options: Any, noun: str, group: Callable[[T], str] | None = None
) -> Split[T]:
    """Seeded (train, held-out) by the rule above; `group` stratifies (e.g. by label)."""
    n = len(items)
    n_held = heldout_count(n, options)
    if n < options.min_items or n_held < 1:
        need = max(options.min_items, options.train_min + 1)
        raise DatasetError(
            f"only {n} usable {noun}; at least {need} are needed to keep some for training "
            f"and hold some out for scoring (add more {noun})"
        )
    rng = random.Random(options.seed)
    order = sorted(items, key=lambda item: item.id)
    if group is None:
        rng.shuffle(order)
        train, heldout = order[n_held:], order[:n_held]
    else:
        train, heldout = _stratified(order, n_held, rng, group)
    wanted = max(options.heldout_min, math.ceil(options.heldout_fraction * n))
    split = Split(train, heldout, wanted)
    check_no_leakage(split)
    return split


def check_no_leakage(split: Split[Any]) -> None:
    """No held-out item may appear in training, even re-cased or re-spaced."""
    seen = {item.leak_key for item in split.train}
    leaked = [item.id for item in split.heldout if item.leak_key in seen]
    if leaked:
        raise DatasetError(
            f"{len(leaked)} held-out items also appear in training (e.g. "
            f"{', '.join(leaked[:3])}); remove the duplicates first"
        )


def _stratified(
    items: Sequence[T], n_held: int, rng: random.Random, group: Callable[[T], str]
) -> tuple[list[T], list[T]]:
    """Each group held out in proportion; a group with ≥ 2 items lands on both sides."""
    groups: dict[str, list[T]] = defaultdict(list)
    for item in items:
        groups[group(item)].append(item)
    labels = sorted(groups)
    for label in labels:
        rng.shuffle(groups[label])
    both = [label for label in labels if len(groups[label]) >= 2]
    n = len(items)
    fixed = len(both) <= n_held and len(both) <= n - n_held
    alloc = {label: int(fixed and label in both) for label in labels}
    room = {label: len(groups[label]) - 2 * alloc[label] for label in labels}
    left, total_room = n_held - sum(alloc.values()), sum(room.values())
    shares = {label: left * room[label] / total_room if total_room else 0 for label in labels}
    for label in labels:
        alloc[label] += int(shares[label])
    by_remainder = sorted(labels, key=lambda lb: (-(shares[lb] % 1), lb))
    for label in by_remainder[: n_held - sum(alloc.values())]:
        alloc[label] += 1
    heldout = [e for label in labels for e in groups[label][: alloc[label]]]
    train = [e for label in labels for e in groups[label][alloc[label] :]]
    rng.shuffle(heldout)
    rng.shuffle(train)
    return train, heldout
