"""`app.py trial --plan`: the plan printed, the run not started, no model loaded."""

from __future__ import annotations

import json
import os

import pytest

from assistant.cli import main
from tests.fakes.jobs import routing_file


@pytest.fixture
def no_models(tmp_path, monkeypatch):
    import assistant.core.models as models

    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.startswith("ADVISOR_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))

    def refuse(*args, **kwargs):
        raise AssertionError("--plan must not load a model")

    monkeypatch.setattr(models, "load_chat_model", refuse)
    monkeypatch.setattr(models, "load_embedder", refuse)


def test_plan_prints_and_exits_without_a_model(tmp_path, no_models, capsys):
    argv = ["trial", "--examples", str(routing_file(tmp_path)), "--lora-budget", "20",
            "--db", str(tmp_path / "p.duckdb"), "--plan"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("Expected about ") and "zero-shot" in out and "LoRA" in out
    assert "`--lora-budget " in out  # 20 s cannot fit the planned steps: the flag that does


def test_plan_json_gives_the_figures(tmp_path, no_models, capsys):
    argv = ["trial", "--examples", str(routing_file(tmp_path)), "--trials", "prompt,few-shot",
            "--db", str(tmp_path / "p.duckdb"), "--plan", "--json"]  # fmt: skip
    assert main(argv) == 0
    plan = json.loads(capsys.readouterr().out)["plan"]
    assert set(plan["arms"]) == {"prompt", "few-shot"} and plan["lora"] is None
    assert plan["n_heldout"] == 30 and plan["n_train"] == 30 and plan["timing"] == "default"
    assert plan["expected_s"] == pytest.approx(sum(plan["arms"].values()), abs=0.2)


def test_a_q_a_file_with_no_usable_row_is_refused_with_its_reason(tmp_path, no_models, capsys):
    """A PNG renamed .csv was planned as fine (questions to be written instead), and a real
    run failed only after indexing the documents, without saying the file was binary."""
    from pathlib import Path

    qa = tmp_path / "qa.csv"
    qa.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    docs = Path(__file__).resolve().parents[1] / "examples" / "sample_docs"
    argv = ["trial", "--docs", str(docs), "--qa", str(qa), "--plan", "--json"]
    assert main(argv) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error.startswith("qa.csv: no usable question/answer rows") and "binary" in error
