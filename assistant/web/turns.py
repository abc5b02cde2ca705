"""The web side of the trial line: what a job is expected to take, and what a waiting
visitor is told.

Trial runs, pair generation and the retrieval sweep share one line
(`Services.trial_queue`). While a job waits, the visitor's progress text says its place
and how long until it starts, re-told as the line moves; Cancel leaves the line.
Estimates are rough guesses, said with "about": fixed per-arm times for the packaged
model on 2 cores plus the LoRA budget chosen on the slider (the README's behaviour run,
three prompt arms and a 150 s LoRA on 60 held-out rows, took 4 min 34 s; this says
5 min 40 s).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from assistant.core.trialqueue import Spot, TrialQueue
from assistant.web.services import Services
from assistant.web.waiting import duration

ARM_S = 40.0  # one arm answering its held-out items (packaged model, 2 cores)
LORA_EXTRA_S = 30.0  # a LoRA arm past its training budget: conversion, then its answers
DRILL_S = 90.0  # the update drill: a re-index, the stale and the retrained LoRA's answers
SWEEP_S = 120.0  # the retrieval sweep: a few chunk sizes indexed, top-k values asked
PAIR_S = 2.0  # one generated Q/A pair (a guess: one short model answer and its checks)
KIND_NAMES = {"trial": "trial run", "pairs": "pair generation", "sweep": "retrieval sweep"}

Progress = Callable[[str, int, int], None]


def trial_estimate(config: Any) -> float:
    """Seconds a run of `config` (knowledge or behaviour) is expected to take."""
    seconds = 0.0
    for arm in config.trials:
        seconds += ARM_S
        if arm == "lora":
            seconds += config.lora.time_budget_s + LORA_EXTRA_S
    if getattr(config, "drill", 0):
        seconds += DRILL_S + (config.lora.time_budget_s if "lora" in config.trials else 0)
    if getattr(config, "sweep", False):
        seconds += SWEEP_S
    return seconds


def pairs_estimate(n_pairs: float) -> float:
    """Seconds to generate `n_pairs` Q/A pairs."""
    return max(1, int(n_pairs)) * PAIR_S


def line_note(spot: Spot) -> str:
    """One line for the progress text while a job waits: place, jobs ahead, wait."""
    ahead = f"{spot.ahead} job{'s' if spot.ahead != 1 else ''} ahead of yours"
    late = "; the one running now is taking longer than expected" if spot.overdue else ""
    return (
        f"Waiting in line: number {spot.position}, {ahead}{late}. Yours starts in "
        f"{duration(spot.wait_s)}. Cancel leaves the line."
    )


CANCEL_SAYS = {
    "left": "You left the line: your job will not start.",
    "cancelled": "Cancelling… the run stops after the current question and is marked cancelled.",
    "": "No trial is running.",
}


def cancel_message(services: Services, session: Any) -> str:
    """What the Cancel button says: a waiting job leaves the line, a running one stops."""
    stopped = services.stop(session.session_id) if session.session_id else ""
    return CANCEL_SAYS[stopped]


@contextmanager
def trial_turn(
    queue: TrialQueue, owner: str, kind: str, estimate_s: float, cancel: threading.Event,
    progress: Progress | None = None,
) -> Iterator[None]:  # fmt: skip
    """Wait in `queue` for this job's turn, telling `progress` each new note; hold the
    turn for the block. Raises `LeftLine` when `cancel` is set while waiting."""
    told = [""]

    def on_wait(spot: Spot) -> None:
        note = line_note(spot)
        if progress is not None and note != told[0]:
            told[0] = note
            progress(note, 0, 0)

    with queue.turn(owner, kind, estimate_s, cancel, on_wait):
        if progress is not None and told[0]:
            progress(f"Your turn: the {KIND_NAMES.get(kind, kind)} starts", 0, 0)
        yield
