"""The trial line: first come first served, one at a time, places and waits told, leaving.

Jobs here are threads that hold their turn until the test releases them; a fake clock
makes the waits exact.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from assistant.core.errors import LeftLine
from assistant.core.trialqueue import Spot, TrialQueue


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.005)


class Job:
    """One queued job in its own thread: logs when it starts, holds until released."""

    def __init__(self, queue: TrialQueue, owner: str, estimate: float, log: list[str],
                 fail: bool = False) -> None:  # fmt: skip
        self.owner, self.log, self.fail = owner, log, fail
        self.spots: list[Spot] = []
        self.release, self.started = threading.Event(), threading.Event()
        self.cancel = threading.Event()
        self.outcome = ""
        before = len(queue)
        self.thread = threading.Thread(target=self._run, args=(queue, estimate), daemon=True)
        self.thread.start()
        until(lambda: len(queue) > before)  # it has joined the line

    def _run(self, queue: TrialQueue, estimate: float) -> None:
        try:
            with queue.turn(self.owner, "trial", estimate, self.cancel, self.spots.append):
                self.log.append(self.owner)
                self.started.set()
                self.release.wait(5)
                if self.fail:
                    raise RuntimeError("the job broke")
            self.outcome = "done"
        except LeftLine as err:
            self.outcome = str(err)
        except RuntimeError as err:
            self.outcome = str(err)

    def finish(self) -> None:
        self.release.set()
        self.thread.join(5)
        assert not self.thread.is_alive()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(clock) -> TrialQueue:
    return TrialQueue(slots=1, poll_s=0.01, clock=clock)


def test_a_second_job_waits_with_its_place_and_the_first_ones_remaining_time(queue, clock):
    log: list[str] = []
    first = Job(queue, "a", 100, log)
    first.started.wait(5)
    clock.now = 30.0  # the first job has run 30 of its expected 100 s
    second = Job(queue, "b", 50, log)
    until(lambda: second.spots)
    assert second.spots[0] == Spot(position=1, ahead=1, wait_s=70)
    assert log == ["a"] and not second.started.is_set()
    first.finish()
    assert second.started.wait(5) and log == ["a", "b"]
    second.finish()
    assert len(queue) == 0


def test_the_wait_counts_every_job_ahead_and_shrinks_as_the_line_moves(queue, clock):
    log: list[str] = []
    first = Job(queue, "a", 100, log)
    second = Job(queue, "b", 50, log)
    third = Job(queue, "c", 10, log)
    until(lambda: third.spots)
    assert third.spots[-1] == Spot(position=2, ahead=2, wait_s=150)
    clock.now = 40.0
    until(lambda: third.spots[-1].wait_s == 110)  # re-told as time passes
    first.finish()
    second.started.wait(5)
    until(lambda: third.spots[-1].position == 1)
    assert third.spots[-1] == Spot(position=1, ahead=1, wait_s=50)
    second.finish()
    third.finish()


def test_a_job_past_its_estimate_counts_as_nothing_left_and_is_flagged(queue, clock):
    first = Job(queue, "a", 20, [])
    clock.now = 45.0
    second = Job(queue, "b", 5, [])
    until(lambda: second.spots)
    assert second.spots[0] == Spot(position=1, ahead=1, wait_s=0, overdue=True)
    first.finish()
    second.finish()


def test_three_jobs_start_in_the_order_they_came(queue):
    log: list[str] = []
    jobs = [Job(queue, owner, 10, log) for owner in ("a", "b", "c")]
    for job in jobs:
        assert job.started.wait(5)
        assert log[-1] == job.owner
        job.finish()
    assert log == ["a", "b", "c"]


def test_leaving_while_waiting_takes_the_job_out_and_it_never_runs(queue):
    log: list[str] = []
    first = Job(queue, "a", 10, log)
    second = Job(queue, "b", 10, log)
    third = Job(queue, "c", 10, log)
    until(lambda: third.spots and second.spots)
    assert queue.waiting("b")
    assert queue.leave("b") is True
    second.thread.join(5)
    assert second.outcome == "You left the line before your turn came; nothing ran."
    until(lambda: third.spots[-1].position == 1)  # the job behind moved up
    first.finish()
    third.finish()
    assert log == ["a", "c"] and len(queue) == 0


def test_a_cancel_flag_set_by_itself_also_leaves_the_line(queue):
    first = Job(queue, "a", 10, [])
    second = Job(queue, "b", 10, [])
    second.cancel.set()  # the session's flag, set without telling the line
    second.thread.join(5)
    assert second.outcome.startswith("You left the line") and not second.started.is_set()
    assert not queue.waiting("b")
    first.finish()


def test_leaving_a_running_job_sets_its_cancel_flag_only(queue):
    first = Job(queue, "a", 10, [])
    first.started.wait(5)
    assert queue.leave("a") is False  # nothing of "a" was waiting
    assert first.cancel.is_set()  # the running job stops at its next item
    assert queue.leave("nobody") is False
    first.finish()


def test_a_job_that_raises_frees_the_line(queue):
    log: list[str] = []
    broken = Job(queue, "a", 10, log, fail=True)
    after = Job(queue, "b", 10, log)
    broken.finish()
    assert broken.outcome == "the job broke"
    assert after.started.wait(5)
    after.finish()
    assert log == ["a", "b"] and len(queue) == 0


def test_two_slots_run_two_jobs_and_the_third_waits(clock):
    queue = TrialQueue(slots=2, poll_s=0.01, clock=clock)
    log: list[str] = []
    jobs = [Job(queue, owner, 60, log) for owner in ("a", "b", "c")]
    assert jobs[0].started.wait(5) and jobs[1].started.wait(5)
    until(lambda: jobs[2].spots)
    assert jobs[2].spots[-1] == Spot(position=1, ahead=2, wait_s=60)  # 120 s over 2 slots
    assert not jobs[2].started.is_set()
    jobs[0].finish()
    assert jobs[2].started.wait(5)
    jobs[1].finish()
    jobs[2].finish()
