"""Folders with links of every kind: each bad one skipped with a reason, the rest ingested.

A symlink loop used to raise `RuntimeError: Symlink loop` out of `ingest._inside`, and
nothing of the folder was ingested.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from knowledge.chunking import ChunkConfig
from knowledge.index import VectorIndex, index_paths
from knowledge.reading.ingest import ingest_paths
from knowledge.reading.walk import LINKED_FOLDER, LOOP
from tests.fakes import HashEmbedder

TEXT = "Refunds are paid within 14 days by the claims unit. "


def linked_folder(tmp_path: Path) -> Path:
    root = tmp_path / "upload"
    (root / "sub").mkdir(parents=True)
    (root / "good.txt").write_text(TEXT * 3)
    (root / "sub" / "notes.md").write_text("# Notes\n" + TEXT)
    (root / "self.txt").symlink_to("self.txt")  # a -> a
    (root / "ping.txt").symlink_to("pong.txt")  # a -> b -> a
    (root / "pong.txt").symlink_to("ping.txt")
    (root / "sub" / "up").symlink_to("..")  # a folder loop
    (root / "gone.txt").symlink_to("nothing-here.txt")
    (tmp_path / "secret.txt").write_text("outside the folder " * 5)
    (root / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (root / "alias.md").symlink_to(root / "sub" / "notes.md")  # inside: read
    return root


def test_links_of_every_kind_are_reported_and_the_rest_is_read(tmp_path):
    result = ingest_paths([linked_folder(tmp_path)])
    reasons = {s.file: s.reason for s in result.skipped}
    assert reasons == {
        "self.txt": LOOP,
        "ping.txt": LOOP,
        "pong.txt": LOOP,
        "sub/up": LINKED_FOLDER,
        "gone.txt": "broken link (it points to nothing)",
        "leak.txt": "link points outside the folder",
        "sub/notes.md": "same content as alias.md",
    }
    assert sorted(d.source for d in result.documents) == ["alias.md", "good.txt"]


def test_a_folder_with_a_symlink_loop_still_indexes(tmp_path):
    index = VectorIndex("links", HashEmbedder(), ChunkConfig(40, 5), tmp_path / "chroma")
    report = index_paths([linked_folder(tmp_path)], index)
    assert report.chunks > 0 and set(index.sources()) == {"alias.md", "good.txt"}


def test_a_given_path_that_loops_is_skipped_not_raised(tmp_path):
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "ok.txt").write_text(TEXT)
    result = ingest_paths([tmp_path / "loop.txt", tmp_path / "ok.txt", tmp_path / "missing.txt"])
    assert {s.file: s.reason for s in result.skipped} == {
        "loop.txt": LOOP,
        "missing.txt": "not found",
    }
    assert [d.source for d in result.documents] == ["ok.txt"]


def test_unreadable_links_and_folders_are_reported(tmp_path, monkeypatch):
    """Root reads everything, so permission errors are simulated where the walk meets them."""
    root = tmp_path / "upload"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "inner.txt").write_text(TEXT)
    (root / "good.txt").write_text(TEXT)
    (root / "target.txt").write_text(TEXT + "target")
    (root / "link.txt").symlink_to("target.txt")
    real_stat, real_scandir = os.stat, os.scandir

    def stat(path, *args, follow_symlinks=True, **kwargs):
        if follow_symlinks and str(path).endswith("link.txt"):  # the link's target
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, follow_symlinks=follow_symlinks, **kwargs)

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "scandir", scandir)
    result = ingest_paths([root])
    reasons = {s.file: s.reason for s in result.skipped}
    assert reasons == {
        "link.txt": "cannot be read (permission denied)",
        "locked": "folder cannot be read (permission denied)",
    }
    assert sorted(d.source for d in result.documents) == ["good.txt", "target.txt"]
