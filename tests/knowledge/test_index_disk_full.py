"""A real full disk: the index on a 4 MB tmpfs, then the same tmpfs grown to 64 MB.

With the data folder on a 4 MB file system, a 300-page PDF ended in a traceback
("database or disk is full") after 256 of 900 chunks, and after freeing space the file
counted as "unchanged". Needs root and a private mount namespace (`unshare`); skipped
where either is missing. The fast tests of the same path use a fake full disk
(test_index_safety.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from pathlib import Path
from assistant.core.errors import AdvisorError
from knowledge.chunking import ChunkConfig
from knowledge.index import VectorIndex, index_paths
from knowledge.reading.ingest import IngestLimits
from tests.fakes import HashEmbedder

try:
    index = VectorIndex("tiny", HashEmbedder(dim=64), ChunkConfig(60, 10), Path(sys.argv[1]))
    report = index_paths([sys.argv[2]], index, limits=IngestLimits(max_chunks=50_000))
    print("OK", report.chunks, index.count(), ",".join(report.ingest.unchanged), flush=True)
except AdvisorError as err:
    print("ERROR", err, flush=True)
"""


def _can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
             "mount -t tmpfs -o size=1m tmpfs /mnt && umount /mnt"]  # fmt: skip
    return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0


@pytest.mark.slow
def test_a_full_disk_says_where_and_how_much_and_the_file_is_redone_after(tmp_path):
    if not _can_mount():
        pytest.skip("needs root and unshare to mount a private tmpfs")
    docs, tiny = tmp_path / "docs", tmp_path / "tiny"
    docs.mkdir()
    tiny.mkdir()
    lines = (f"Line {i}: pallets of lot {i} clear customs at dock {i % 9}." for i in range(30_000))
    (docs / "manual.txt").write_text("\n".join(lines))
    script = tmp_path / "ingest.py"
    script.write_text(SCRIPT)
    run = f"{sys.executable} {script} {tiny / 'chroma'} {docs}"
    shell = (
        f"mount -t tmpfs -o size=4m tmpfs {tiny} && {run}; "
        f"mount -o remount,size=64m {tiny} && {run}"
    )
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", shell],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    out = [line for line in done.stdout.splitlines() if line.startswith(("OK", "ERROR"))]
    assert len(out) == 2, done.stdout[-2000:] + done.stderr[-3000:]
    full, after = out
    assert full.startswith(f"ERROR Ran out of disk space in {tiny / 'chroma'}")
    assert "manual.txt" in full and "MB more is needed" in full
    status, chunks, count, unchanged = [*after.split(" "), ""][:4]
    assert status == "OK" and int(chunks) == int(count) > 1000 and unchanged == ""
