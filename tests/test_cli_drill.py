"""`app.py trial --drill K --sweep --json` on fake models: one JSON object with the drill's
figures per arm, the sweep's offer and every item's failure label."""

from __future__ import annotations

import json
import os

from assistant.cli import main
from tests.fakes import HashEmbedder, ScriptedChat
from tests.fakes.jobs import DOCS, QA
from tests.fakes.readers import reader


def test_trial_json_reports_the_drill_per_arm(tmp_path, monkeypatch, capsys):
    import assistant.core.models as models

    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.startswith("ADVISOR_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(models, "load_chat_model", lambda *a, **k: ScriptedChat(respond=reader))
    monkeypatch.setattr(models, "load_embedder", lambda *a, **k: HashEmbedder())
    argv = ["trial", "--docs", str(DOCS), "--qa", str(QA), "--trials", "prompt,rag",
            "--drill", "20", "--sweep", "--db", str(tmp_path / "c.duckdb"), "--json"]  # fmt: skip
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    rag = out["drill"]["arms"]["rag"]
    for key in ("new_value_share", "old_value_share", "seconds_to_correct"):
        assert key in rag
    assert out["drill"]["changed"] == 4 and out["drill"]["percent"] == 20
    assert out["sweep"]["offer"].startswith("--chunk-size ")
    labels = out["failures"]["rag"]
    attribution = out["trials"]["rag"]["attribution"]
    assert len(labels) == out["n_heldout"] == attribution["n"]
    assert attribution["misses"] == sum(label != "correct" for label in labels)
