"""CLI commands that need no models: recommend and report, including their errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.core.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "app.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_recommend_json_is_cited_and_logged(tmp_path):
    db = str(tmp_path / "c.duckdb")
    proc = cli("recommend", "--profile", "examples/legal_team.json", "--db", db, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) >= {"approach", "strength", "reasons", "prerequisites", "risks", "plan"}
    assert "confidence" not in out and out["strength"]["level"] in ("weak", "moderate", "strong")
    assert out["approach"] == "rag"
    assert all((ROOT / r["source"]).is_file() for r in out["reasons"])


def test_recommend_jsonl_prints_one_line_per_profile_and_flags_bad_ones(tmp_path):
    lines = [json.dumps({"use_case": "document_qa", "gaps": ["knowledge"]}),
             json.dumps({"use_case": "poetry"}),
             json.dumps({"gaps": ["format"], "labeled_examples": -4})]  # fmt: skip
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(lines) + "\n")
    proc = cli("recommend", "--profile", str(path), "--db", str(tmp_path / "c.duckdb"), "--json")
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 1 and len(rows) == 3
    assert rows[0]["approach"] and rows[1]["field"] == "use_case"
    assert rows[2]["field"] == "labeled_examples" and "line 3" in rows[2]["error"]


def test_report_from_a_profile_writes_a_pdf(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "r.pdf"
    proc = cli("report", "--profile", "examples/legal_team.json", "--format", "pdf",
               "--out", str(out), "--db", str(tmp_path / "c.duckdb"), "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert json.loads(proc.stdout)["approach"] == "rag"
    text = re.sub(r"\s+", " ", text)
    assert "retrieval-augmented generation (RAG)" in text  # the recommended approach, named
    assert "Executive summary" in text and "Plan" in text


def test_unknown_run_is_one_clear_line(tmp_path):
    proc = cli("report", "--run-id", "nope", "--format", "md", "--out", str(tmp_path / "r.md"),
               "--db", str(tmp_path / "c.duckdb"))  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error:") and "nope" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_profile_file(tmp_path):
    proc = cli("recommend", "--profile", str(tmp_path / "none.json"), "--db",
               str(tmp_path / "c.duckdb"))  # fmt: skip
    assert proc.returncode == 2 and "cannot read profile file" in proc.stderr


def test_trial_flags_come_from_the_config_dataclasses():
    from assistant.cli import build_parser
    from assistant.cli.trials import config_from_args
    from assistant.core.settings import load_settings
    from eval.config import LoraConfig, RetrievalConfig

    settings = load_settings(env={"ADVISOR_SEED": "7"})
    args = build_parser().parse_args(
        ["trial", "--docs", "x", "--top-k", "3", "--chunk-size", "120", "--lora-budget", "40"]
    )
    config = config_from_args(args, "knowledge", settings)
    assert (config.retrieval.top_k, config.retrieval.chunk_size) == (3, 120)
    assert config.lora.time_budget_s == 40.0 and config.seed == 7
    plain = build_parser().parse_args(["trial", "--docs", "x"])
    defaults = config_from_args(plain, "knowledge", load_settings(env={}))
    assert defaults.retrieval == RetrievalConfig() and defaults.lora == LoraConfig()
    shots = build_parser().parse_args(["trial", "--docs", "x", "--shots", "3"])
    with pytest.raises(ConfigError, match="shots do\\(es\\) not apply to a knowledge trial"):
        config_from_args(shots, "knowledge", settings)


def test_margin_flag_applies_to_both_kinds_and_is_checked():
    from assistant.cli import build_parser
    from assistant.cli.trials import config_from_args
    from assistant.core.settings import load_settings

    settings = load_settings(env={})
    for kind, source in (("knowledge", ["--docs", "x"]), ("behaviour", ["--examples", "x"])):
        args = build_parser().parse_args(["trial", *source, "--margin", "0.1"])
        assert config_from_args(args, kind, settings).margin == 0.1
    default = build_parser().parse_args(["trial", "--docs", "x"])
    assert config_from_args(default, "knowledge", settings).margin == 0.05
    zero = build_parser().parse_args(["trial", "--docs", "x", "--margin", "0"])
    with pytest.raises(ConfigError, match="margin must be between 0 and 1"):
        config_from_args(zero, "knowledge", settings)


def test_unreachable_chroma_server_is_one_error_line(tmp_path):
    env = {**os.environ, "ADVISOR_CHROMA_HOST": "127.0.0.1", "ADVISOR_CHROMA_PORT": "9",
           "ADVISOR_DATA_DIR": str(tmp_path)}  # fmt: skip
    out = subprocess.run(
        [sys.executable, str(ROOT / "app.py"), "ingest", str(ROOT / "examples" / "sample_docs")],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot open the vector index")
    assert "Traceback" not in out.stderr


def test_an_unexpected_error_is_logged_with_an_id_not_shown_as_a_traceback(capsys, caplog):
    from assistant.cli import COMMANDS, main
    from assistant.cli.base import Command

    def boom(args):
        raise KeyError("secret/path/in/a/bug")

    COMMANDS["boom"] = Command("test", boom)
    try:
        assert main(["boom"]) == 1
    finally:
        del COMMANDS["boom"]
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: internal error (KeyError), see log ") and "secret" not in err
    ref = err.rsplit(" ", 1)[1]
    assert any(ref in r.getMessage() and r.exc_info for r in caplog.records)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--docs", "examples/sample_docs", "--qa", "nowhere.csv"], "not found: nowhere.csv"),
        (["--docs", "no/such/folder"], "not found: no/such/folder"),
        (["--examples", "examples/support_routing.jsonl", "--model", "absent.gguf"],
         "model absent.gguf: file not found"),
        (["--docs", "examples/sample_docs", "--model", "http://127.0.0.1:9/v1"],
         "served model's name"),
    ],
)  # fmt: skip
def test_trial_inputs_are_refused_before_any_model_loads(tmp_path, args, said):
    start = time.monotonic()
    proc = cli("trial", *args, "--db", str(tmp_path / "t.duckdb"), "--json")
    assert proc.returncode == 2 and said in json.loads(proc.stdout)["error"]
    assert time.monotonic() - start < 30  # no model was loaded to find this out


def test_export_of_an_unknown_run_is_one_line(tmp_path):
    proc = cli("export", "nope", "--db", str(tmp_path / "e.duckdb"))
    assert proc.returncode == 2 and proc.stderr.startswith("error: no run 'nope'")
