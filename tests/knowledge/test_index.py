"""The Chroma index and workspace ingestion, with a deterministic fake embedder."""

from __future__ import annotations

import pytest

from assistant.core.errors import WorkspaceNameError
from knowledge.chunking import ChunkConfig
from knowledge.index import VectorIndex, collection_name, index_paths
from tests.fakes import HashEmbedder


@pytest.fixture
def embedder():
    return HashEmbedder()


def make_index(tmp_path, embedder, workspace="w", config=ChunkConfig(60, 10)):
    return VectorIndex(workspace, embedder, config, persist_dir=tmp_path / "chroma")


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_search_returns_our_hits_with_sources(tmp_path, embedder):
    docs = tmp_path / "docs"
    write(docs, "courier.txt", "Orders ship with the courier Nordlys Express every weekday.")
    write(docs, "canteen.txt", "The canteen serves soup and bread at lunch time.")
    index = make_index(tmp_path, embedder)
    report = index_paths([docs], index)
    assert report.chunks == 2 and index.count() == 2
    hits = index.search("which courier ships orders", k=2)
    assert hits[0].source == "courier.txt"
    assert hits[0].score > hits[1].score
    assert 0.0 < hits[0].score <= 1.0
    assert index.get_chunks([hits[0].chunk.id])[0].text == hits[0].text


def test_unchanged_files_are_not_parsed_or_embedded_again(tmp_path, embedder):
    docs = tmp_path / "docs"
    write(docs, "a.txt", "Alpha facts about retrieval. " * 30)
    write(docs, "b.md", "# B\n## Part\nBeta facts about adapters. " * 10)
    index = make_index(tmp_path, embedder)
    first = index_paths([docs], index)
    embedded = embedder.texts_embedded
    second = index_paths([docs], index)
    assert first.chunks > 0
    assert second.chunks == 0 and sorted(second.ingest.unchanged) == ["a.txt", "b.md"]
    assert embedder.texts_embedded == embedded  # nothing embedded the second time
    assert index.count() == first.chunks


def test_changed_file_replaces_its_old_chunks(tmp_path, embedder):
    docs = tmp_path / "docs"
    path = write(docs, "policy.txt", "Refunds are allowed within 30 days.")
    index = make_index(tmp_path, embedder)
    index_paths([docs], index)
    path.write_text("Refunds are allowed within 60 days.", encoding="utf-8")
    report = index_paths([docs], index)
    assert report.replaced == ["policy.txt"]
    texts = [h.text for h in index.search("refunds days", k=5)]
    assert texts == ["Refunds are allowed within 60 days."]


def test_a_broken_reupload_keeps_what_was_indexed(tmp_path, embedder):
    docs = tmp_path / "docs"
    path = write(docs, "notes.txt", "Retrieval keeps facts fresh.")
    index = make_index(tmp_path, embedder)
    index_paths([docs], index)
    path.write_bytes(b"\x00\x01\x02binary junk\x00" * 10)
    report = index_paths([docs], index)
    assert report.ingest.skipped and report.ingest.skipped[0].file == "notes.txt"
    assert index.count() == 1
    assert index.search("facts fresh", k=1)[0].text == "Retrieval keeps facts fresh."


def test_workspaces_are_isolated(tmp_path, embedder):
    write(tmp_path / "one", "a.txt", "Secret plans of team one.")
    write(tmp_path / "two", "b.txt", "Holiday rota of team two.")
    one, two = make_index(tmp_path, embedder, "one"), make_index(tmp_path, embedder, "two")
    index_paths([tmp_path / "one"], one)
    index_paths([tmp_path / "two"], two)
    assert [h.source for h in two.search("secret plans", k=5)] == ["b.txt"]


def test_a_chunking_change_builds_a_separate_index_and_keeps_the_first(tmp_path, embedder):
    write(tmp_path / "d", "a.txt", "Some text about LoRA adapters. " * 20)
    write(tmp_path / "other", "b.txt", "Other files for a trial at another chunk size. " * 5)
    index = make_index(tmp_path, embedder, config=ChunkConfig(60, 10))
    first = index_paths([tmp_path / "d"], index).chunks
    assert first > 1
    trial = make_index(tmp_path, embedder, config=ChunkConfig(30, 5))
    assert trial.count() == 0 and trial.name != index.name
    assert index_paths([tmp_path / "other"], trial).chunking == ChunkConfig(30, 5)
    reopened = make_index(tmp_path, embedder, config=ChunkConfig(60, 10))
    assert reopened.count() == first  # nothing wiped
    assert list(reopened.sources()) == ["a.txt"]
    assert reopened.chunking == ChunkConfig(60, 10)
    assert "chunks of 60 tokens (10 overlapping)" in reopened.describe()
    assert [(c.chunk_size, n) for c, n in reopened.other_chunkings()] == [(30, trial.count())]


def test_progress_is_reported(tmp_path, embedder):
    write(tmp_path / "d", "a.txt", "Progress text. " * 200)
    seen = []
    index_paths(
        [tmp_path / "d"], make_index(tmp_path, embedder), progress=lambda *a: seen.append(a)
    )
    assert seen[0][0] == "reading files"
    assert seen[-1][0] == "embedding chunks" and seen[-1][1] == seen[-1][2] > 0


def test_empty_query_and_empty_index_give_no_hits(tmp_path, embedder):
    index = make_index(tmp_path, embedder)
    assert index.search("anything") == []
    assert index.search("   ") == []


@pytest.mark.parametrize(
    "workspace, expected",
    [("guidance", "ws-guidance"), ("session-abc123", "ws-session-abc123"), ("a_b", "ws-a_b")],
)
def test_collection_names_keep_the_workspace_name(workspace, expected):
    assert collection_name(workspace) == expected


@pytest.mark.parametrize(
    "workspace", ["team a", "team/a", "../evil name!", "", "Team", "-a", "x" * 41, "é"]
)
def test_workspace_names_outside_the_alphabet_are_refused(tmp_path, embedder, workspace):
    with pytest.raises(WorkspaceNameError, match="lowercase letters, digits") as err:
        make_index(tmp_path, embedder, workspace)
    assert repr(workspace) in str(err.value)


def test_names_that_used_to_share_a_collection_no_longer_can():
    names = ["team-a", "team_a", "teama", "team-a-", "team--a"]
    assert len({collection_name(n, 200, 30, "e") for n in names}) == len(names)
