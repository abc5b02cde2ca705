"""Uploads whose names fold alike stay two files; session workspaces pass the name rule."""

from __future__ import annotations

import unicodedata

import pytest

from assistant.core.settings import load_settings
from assistant.web import uploads
from assistant.web.session import SessionState, bind_session, upload_dir
from knowledge.chroma import check_workspace
from knowledge.chunking import ChunkConfig
from knowledge.index import index_paths, open_index
from tests.web.test_web import FakeServices

NFC = unicodedata.normalize("NFC", "café.txt")
NFD = unicodedata.normalize("NFD", "café.txt")


@pytest.fixture
def web(tmp_path) -> FakeServices:
    return FakeServices(load_settings(env={}, data_dir=str(tmp_path / "data")))


def upload_in_turn(services, session, tmp_path, named: list[tuple[str, str]]) -> list[str]:
    replies = []
    for i, (name, text) in enumerate(named):
        path = tmp_path / f"upload{i}" / name
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        replies.append(uploads.upload_files(services, session, [str(path)], None, "x"))
    return replies


@pytest.mark.parametrize(
    "first, second",
    [
        ("résumé.txt", "resume.txt"),
        (NFC, NFD),
        ("文档.txt", "报告.txt"),
        ("Report.txt", "report.txt"),
    ],
)
def test_two_uploads_whose_names_fold_alike_are_both_kept(web, tmp_path, first, second):
    session = SessionState(session_id="names")
    replies = upload_in_turn(
        web, session, tmp_path,
        [(first, "Alpha cranes lift. " * 20), (second, "Beta customs clear goods. " * 20)],
    )  # fmt: skip
    assert all("Added 1 document" in r for r in replies), replies
    stored = sorted(p.name for p in upload_dir(web.settings, session).glob("*.txt"))
    assert len(stored) == 2 and len(session.uploads) == 2
    index = open_index(session.workspace, web.settings, web.embedder())
    texts = " ".join(c.text for c in index.all_chunks())
    assert "Alpha" in texts and "Beta" in texts
    shown = sorted(unicodedata.normalize("NFC", n) for n in (first, second))
    assert sorted(index.names().values()) == shown  # citations name what was uploaded


def test_a_reupload_of_a_folded_name_replaces_only_its_own_earlier_version(web, tmp_path):
    session = SessionState(session_id="replace")
    upload_in_turn(
        web, session, tmp_path,
        [("résumé.txt", "Old cranes text. " * 20), ("resume.txt", "Other customs text. " * 20),
         ("résumé.txt", "New harbour text. " * 20)],
    )  # fmt: skip
    index = open_index(session.workspace, web.settings, web.embedder())
    texts = " ".join(c.text for c in index.all_chunks())
    assert "New harbour" in texts and "Other customs" in texts and "Old cranes" not in texts


def test_stored_uploads_reindexed_at_another_chunk_size_keep_their_names(web, tmp_path):
    session = SessionState(session_id="trial")
    upload_in_turn(web, session, tmp_path, [("résumé.txt", "Alpha cranes lift. " * 40)])
    trial = open_index(session.workspace, web.settings, web.embedder(), ChunkConfig(20, 2))
    report = index_paths(session.uploads, trial)
    assert report.chunks > 0 and list(trial.names().values()) == ["résumé.txt"]
    first = open_index(session.workspace, web.settings, web.embedder())
    assert first.count() > 0  # the upload's own index was left as it was


def test_every_visitor_workspace_passes_the_workspace_name_rule():
    """Server-drawn ids, login names of any alphabet, and a not-yet-bound state."""
    states = [bind_session(SessionState()) for _ in range(20)]
    states += [SessionState(user=name) for name in ("bob", "bob!", "Zoë", "文档", "a" * 200)]
    states.append(SessionState())
    names = [check_workspace(s.workspace) for s in states]
    assert len(set(names)) == len(names)  # and no two visitors share one
