"""Nothing lost, nothing shared: the index under colliding names, full disks, failed writes,
junk and large uploads (issue 22). Fakes only; the kill -9 test is in test_index_crash.py
and the 40,000-chunk one in test_index_large.py."""

from __future__ import annotations

import errno
import threading
import unicodedata

import pytest

from assistant.core.errors import IndexFull
from knowledge import chroma
from knowledge.chunking import ChunkConfig
from knowledge.index import VectorIndex, index_paths
from knowledge.reading.ingest import IngestLimits, safe_source
from knowledge.vector_index import _WRITE_LOCK
from tests.fakes import HashEmbedder

NFC = unicodedata.normalize("NFC", "café.txt")
NFD = unicodedata.normalize("NFD", "café.txt")
COLLIDING = {  # names that folded to one stored name before; each file's own first word
    NFC: "Amsterdam",
    NFD: "Bergen",
    "cafe.txt": "Cork",
    "résumé.txt": "Dublin",
    "resume.txt": "Essen",
    "Resume.txt": "Faro",
    "文档.txt": "Genoa",
    "报告.txt": "Hull",
    "sub/文档.txt": "Izmir",
}


def make_index(tmp_path, embedder=None, config=ChunkConfig(40, 5), workspace="w"):
    return VectorIndex(workspace, embedder or HashEmbedder(), config, tmp_path / "chroma")


def text_of(city: str, words: int = 60) -> str:
    return f"{city} " + " ".join(f"{city.lower()}{i} harbour fees." for i in range(words))


def write_folder(folder, files: dict[str, str]):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_names_that_fold_alike_never_lose_chunks_on_reingest(tmp_path):
    folder = write_folder(tmp_path / "docs", {n: text_of(c) for n, c in COLLIDING.items()})
    assert len(list(folder.rglob("*.txt"))) == len(COLLIDING)  # NFC and NFD are two files
    index = make_index(tmp_path)
    first = index_paths([folder], index)
    assert first.ingest.skipped == [] and len(first.ingest.documents) == len(COLLIDING)
    count = index.count()
    again = index_paths([folder], index)
    assert again.chunks == 0 and len(again.ingest.unchanged) == len(COLLIDING)
    assert index.count() == count == first.chunks
    assert sorted(index.names().values()) == sorted(
        unicodedata.normalize("NFC", n) for n in COLLIDING
    )
    texts: dict[str, str] = {}
    for chunk in index.all_chunks(limit=None):
        texts[chunk.name] = texts.get(chunk.name, "") + " " + chunk.text
    for name, city in COLLIDING.items():  # each file's whole text, under its own name
        shown = unicodedata.normalize("NFC", name)
        assert all(f"{city.lower()}{i} " in texts[shown] for i in range(60))
        [hit] = index.search(f"{city} harbour", k=1, sources=[safe_source(name)])
        assert hit.name == shown  # citations show the name the user gave


def test_a_changed_file_under_a_folded_name_replaces_only_itself(tmp_path):
    folder = write_folder(
        tmp_path / "d", {"résumé.txt": text_of("Dublin"), "resume.txt": text_of("Essen")}
    )
    index = make_index(tmp_path)
    index_paths([folder], index)
    (folder / "résumé.txt").write_text(text_of("Oslo"), encoding="utf-8")
    report = index_paths([folder], index)
    assert len(report.replaced) == 1 and report.ingest.unchanged == ["resume.txt"]
    texts = " ".join(c.text for c in index.all_chunks(limit=None))
    assert "Oslo" in texts and "Essen" in texts and "Dublin" not in texts


class FillsUp:
    """A collection whose disk fills after `writes` upserts (then deletes fail too)."""

    def __init__(self, real, writes: int, error: Exception) -> None:
        self.real, self.left, self.error = real, writes, error

    def upsert(self, **kwargs):
        if self.left <= 0:
            raise self.error
        self.left -= 1
        return self.real.upsert(**kwargs)

    def delete(self, **kwargs):
        if self.left <= 0:
            raise self.error
        return self.real.delete(**kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        RuntimeError(
            "Error executing plan: error returned from database: database or disk is full"
        ),
    ],
    ids=["enospc", "sqlite-full"],
)
def test_a_full_disk_is_one_clear_line_and_the_file_is_redone(tmp_path, monkeypatch, error):
    folder = write_folder(tmp_path / "d", {"small.txt": text_of("Cork", 5)})
    big = {"big.txt": "\n\n".join(text_of("Bergen", 40) for _ in range(80))}
    index = make_index(tmp_path)
    index_paths([folder], index)
    before = index.count()
    write_folder(folder, big)
    real = index.collection
    monkeypatch.setattr(index, "collection", FillsUp(real, writes=1, error=error))
    with pytest.raises(IndexFull) as err:
        index_paths([folder], index)
    message = str(err.value)
    assert str(tmp_path / "chroma") in message and "big.txt" in message
    assert "MB more is needed" in message and "\n" not in message
    assert "big.txt" not in index.sources()  # half-written: not counted
    monkeypatch.setattr(index, "collection", real)  # space freed
    reopened = make_index(tmp_path)  # the next open undoes what the failed write left
    assert reopened.count() == before
    report = index_paths([folder], reopened)
    assert report.ingest.unchanged == ["small.txt"] and report.chunks > 256
    assert reopened.count() == before + report.chunks
    assert set(reopened.sources()) == {"small.txt", "big.txt"}


def test_a_failed_write_keeps_the_earlier_version_of_a_changed_file(tmp_path, monkeypatch):
    folder = write_folder(tmp_path / "d", {"policy.txt": text_of("Cork", 30)})
    index = make_index(tmp_path)
    index_paths([folder], index)
    before = (index.count(), index.sources())
    (folder / "policy.txt").write_text("\n\n".join(text_of("Hull", 40) for _ in range(80)))
    real = index.collection
    error = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(index, "collection", FillsUp(real, writes=1, error=error))
    with pytest.raises(IndexFull):
        index_paths([folder], index)
    monkeypatch.setattr(index, "collection", real)
    index.recover()
    assert (index.count(), index.sources()) == before
    assert all("Cork" in c.text or "cork" in c.text for c in index.all_chunks(limit=None))


class SlowWatchingEmbedder(HashEmbedder):
    """Records, at each embedding call, whether another thread could take the write lock."""

    def __init__(self) -> None:
        super().__init__(dim=16)
        self.lock_free: list[bool] = []

    def embed(self, texts):
        got = []

        def probe() -> None:
            got.append(_WRITE_LOCK.acquire(timeout=0.5))
            if got[0]:
                _WRITE_LOCK.release()

        thread = threading.Thread(target=probe)
        thread.start()
        thread.join()
        self.lock_free.append(got[0])
        return super().embed(texts)


def test_the_write_lock_is_free_while_chunks_are_embedded(tmp_path):
    embedder = SlowWatchingEmbedder()
    folder = write_folder(
        tmp_path / "d", {"long.txt": "\n\n".join(text_of("Faro") for _ in range(60))}
    )
    report = index_paths([folder], make_index(tmp_path, embedder))
    assert report.chunks > 256  # several batches
    assert len(embedder.lock_free) >= 2 and all(embedder.lock_free)


def test_one_upload_embeds_at_most_max_chunks(tmp_path):
    embedder = HashEmbedder()
    files = {f"f{i}.txt": text_of(f"City{i}", 60) for i in range(4)}
    folder = write_folder(tmp_path / "d", files)
    index = make_index(tmp_path, embedder)
    per_file = index_paths([folder / "f0.txt"], make_index(tmp_path / "probe")).chunks
    limits = IngestLimits(max_chunks=per_file * 2 + 1)
    report = index_paths([folder], index, limits=limits)
    assert report.chunks == per_file * 2 == index.count()
    reasons = {s.file: s.reason for s in report.ingest.skipped}
    assert set(reasons) == {"f2.txt", "f3.txt"}
    assert "upload it on its own" in reasons["f2.txt"]
    assert report.sources == ["f0.txt", "f1.txt"]
    huge = index_paths([folder / "f3.txt"], index, limits=IngestLimits(max_chunks=3))
    assert "over the limit of 3 per upload" in huge.ingest.skipped[0].reason
    assert "split it" in huge.ingest.skipped[0].reason


def test_junk_is_skipped_before_any_embedding(tmp_path):
    import base64
    import random

    rng = random.Random(7)
    blob = base64.b64encode(bytes(rng.randrange(256) for _ in range(200_000))).decode()
    page = f"<html><body><p>{blob}</p></body></html>"
    wrapped = "\n".join(blob[i : i + 76] for i in range(0, 60_000, 76))  # MIME-style lines
    hexdump = " ".join(f"{rng.randrange(256):02x}" for _ in range(5000))
    data_uri = f"<img src='data:image/png;base64,{blob[:5000]}'>"
    mixed = f"Refunds take 14 days.\n\n{data_uri}\nAsk the claims unit."
    folder = write_folder(
        tmp_path / "d",
        {"page.html": page, "mail.txt": wrapped, "dump.txt": hexdump, "mixed.txt": mixed},
    )
    embedder = HashEmbedder()
    index = make_index(tmp_path, embedder)
    report = index_paths([folder], index)
    reasons = {s.file: s.reason for s in report.ingest.skipped}
    assert "encoded data" in reasons["page.html"] and "encoded data" in reasons["mail.txt"]
    assert "almost no real words" in reasons["dump.txt"]
    assert [d.source for d in report.ingest.documents] == ["mixed.txt"]
    assert any("mixed.txt: left out" in n for n in report.ingest.notes)
    assert embedder.texts_embedded == report.chunks == index.count() <= 3


class Spy:
    def __init__(self, real, get) -> None:
        self.real, self.get = real, get

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_every_whole_collection_read_pages(tmp_path, monkeypatch):
    """With pages of 7 records every read and delete must still see everything."""
    monkeypatch.setattr(chroma, "PAGE", 7)
    calls = []
    files = {f"f{i:02d}.txt": text_of(f"Town{i}", 20) for i in range(12)}
    folder = write_folder(tmp_path / "d", files)
    index = make_index(tmp_path)
    report = index_paths([folder], index)
    real_get = index.collection.get

    def spy(**kwargs):
        calls.append(kwargs)
        return real_get(**kwargs)

    monkeypatch.setattr(index, "collection", Spy(index.collection, spy))
    assert len(index.sources()) == 12
    chunks = index.all_chunks(limit=None)
    assert len(chunks) == report.chunks == index.count() > 7
    assert [c.id for c in chunks] == sorted(c.id for c in chunks)
    assert all(k.get("limit", 0) <= 7 and len(k.get("ids") or []) <= 7 for k in calls)
    index.delete_sources(["f00.txt", "f01.txt"])
    assert len(index.sources()) == 10
    assert {c.source for c in index.all_chunks(limit=None)} == set(files) - {"f00.txt", "f01.txt"}
