"""How llama.cpp generations share the cores (threads that spin must not outnumber them)."""

import threading

from assistant.core.models.llamacpp import CoreShare


def test_a_lone_generation_uses_every_core_and_two_split_them():
    share = CoreShare(8)
    with share.running():
        assert share.threads() == 8
        with share.running():
            assert share.threads() == 4
            with share.running():
                assert share.threads() == 2
    assert share.active == 0


def test_two_cores_give_two_generations_one_thread_each():
    share = CoreShare(2)
    with share.running():
        assert share.threads() == 2
        with share.running():
            assert share.threads() == 1


def test_a_failing_generation_gives_its_share_back():
    share = CoreShare(4)
    try:
        with share.running():
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert share.active == 0 and share.threads() == 4


def test_counts_stay_right_across_threads():
    share, seen = CoreShare(16), []
    start, stop = threading.Barrier(4), threading.Event()

    def work():
        with share.running():
            start.wait()
            seen.append(share.threads())
            stop.wait(5)

    workers = [threading.Thread(target=work) for _ in range(4)]
    for w in workers:
        w.start()
    while len(seen) < 4:
        pass
    stop.set()
    for w in workers:
        w.join()
    assert seen == [4, 4, 4, 4] and share.active == 0
