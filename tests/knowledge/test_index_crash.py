"""A process killed with SIGKILL part-way through indexing a file: the restart redoes it.

Before the file table, a kill -9 after 256 of 900 chunks left the file's hash in the
index, so the re-upload said "Added 0 ... unchanged" and 644 chunks never came.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from knowledge.chunking import ChunkConfig
from knowledge.index import VectorIndex, index_paths
from knowledge.reading.ingest import IngestLimits
from tests.fakes import HashEmbedder

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ChunkConfig(40, 5)

CHILD = """
import sys, time
from pathlib import Path
from knowledge.chunking import ChunkConfig
from knowledge.index import VectorIndex, index_paths
from knowledge.reading.ingest import IngestLimits
from tests.fakes import HashEmbedder

class SlowEmbedder(HashEmbedder):  # a real model on 2 cores: seconds per batch
    def embed(self, texts):
        time.sleep(0.5)
        return super().embed(texts)

index = VectorIndex("crash", SlowEmbedder(dim=32), ChunkConfig(40, 5), Path(sys.argv[1]))
report = lambda stage, done, total: print(stage, done, total, flush=True)
index_paths([sys.argv[2]], index, limits=IngestLimits(max_chunks=10_000), progress=report)
print("finished", flush=True)
"""


def big_text(chunks: int = 900) -> str:
    return "\n\n".join(
        f"Clause {i}: pallets of lot {i} clear customs at dock {i % 9} within {i % 30} days."
        for i in range(chunks)
    )


def kill_mid_ingest(persist: Path, docs: Path) -> tuple[int, int]:
    """Run the ingest in a child and SIGKILL it once a first batch is written."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(persist), str(docs)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    done = total = 0
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("embedding chunks"):
                done, total = map(int, line.split()[2:4])
                if 0 < done < total:
                    os.kill(child.pid, signal.SIGKILL)
                    break
    finally:
        child.kill()
        stderr = child.stderr.read() if child.stderr else ""
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, f"not killed mid-ingest: {stderr[-2000:]}"
    return done, total


def test_a_file_half_written_when_the_process_was_killed_is_redone(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "contract.txt").write_text(big_text(), encoding="utf-8")
    persist = tmp_path / "chroma"
    done, total = kill_mid_ingest(persist, docs)
    assert 256 <= done < total

    index = VectorIndex("crash", HashEmbedder(dim=32), CONFIG, persist)  # the restart
    assert index.sources() == {}  # never counted
    assert index.count() == 0  # and its partial chunks are gone
    report = index_paths([docs], index, limits=IngestLimits(max_chunks=10_000))
    assert report.ingest.unchanged == [] and report.chunks == total
    assert index.count() == total
    assert list(index.sources()) == ["contract.txt"]
    again = index_paths([docs], index, limits=IngestLimits(max_chunks=10_000))
    assert again.ingest.unchanged == ["contract.txt"] and again.chunks == 0
