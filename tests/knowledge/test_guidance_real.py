"""The guidance base with the real embedder and chat model: retrieval recall and citations."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.chunking import markdown_sections
from knowledge.guidance import GUIDANCE_DIR, ask_guidance, guidance_files, open_guidance

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "tests" / "data" / "guidance_questions.csv"


@pytest.fixture(scope="module")
def guidance(real_settings, real_embedder):
    return open_guidance(real_settings, real_embedder)


def test_every_guidance_file_is_indexed(guidance):
    assert set(guidance.sources()) == {p.name for p in guidance_files()}
    assert len(guidance_files()) >= 8


def test_retrieval_recall_at_3_on_known_questions(guidance):
    rows = list(csv.DictReader(QUESTIONS.open(encoding="utf-8")))
    assert len(rows) >= 15
    misses = []
    for row in rows:
        sources = [hit.source for hit in guidance.search(row["question"], k=3)]
        if row["expected_file"] not in sources:
            misses.append((row["question"], row["expected_file"], sources))
    recall = 1 - len(misses) / len(rows)
    assert recall >= 0.9, misses


def test_reopening_embeds_nothing_new(real_settings, real_embedder, guidance):
    from knowledge.guidance import sync_guidance

    assert sync_guidance(guidance).chunks == 0


def test_ask_cites_real_files_and_headings(guidance, real_chat):
    answer = ask_guidance("When should I fine-tune instead of using RAG?", guidance, real_chat)
    assert answer.text and answer.citations
    for citation in answer.citations:
        path = ROOT / citation.source
        assert path.is_file() and path.parent == GUIDANCE_DIR
        headings = {h for h, _ in markdown_sections(path.read_text(encoding="utf-8"))}
        assert citation.heading in headings


def test_cli_ask_json(tmp_path, real_settings):
    env = {**os.environ, "ADVISOR_DATA_DIR": real_settings.data_dir}
    proc = subprocess.run(
        [sys.executable, "app.py", "ask", "What LoRA rank should we start with?", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    out = json.loads(proc.stdout)
    assert out["answer"]
    assert out["citations"] and out["citations"][0]["source"].startswith("knowledge/guidance/")
