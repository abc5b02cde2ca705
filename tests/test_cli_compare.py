"""`app.py compare A B`: the trials' verdict rule on two files of per-item scores."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from tests.fakes.runs import wins_losses

ROOT = Path(__file__).resolve().parents[1]


def write_jsonl(path: Path, scores: list[float], ids: list[str] | None = None) -> str:
    ids = ids or [f"q{i}" for i in range(len(scores))]
    lines = [json.dumps({"id": i, "score": s}) for i, s in zip(ids, scores, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def write_csv(path: Path, scores: list[float]) -> str:
    rows = [f"q{i},{s}" for i, s in enumerate(scores)]
    path.write_text("id,score\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["compare", *args, "--json"])
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1  # exactly one JSON object
    return code, json.loads(out)


def test_four_wins_of_thirty_is_inconclusive(tmp_path, capsys):
    a, b = wins_losses(4, 0, 30)
    code, out = run_json(capsys, write_jsonl(tmp_path / "a.jsonl", a),
                         write_jsonl(tmp_path / "b.jsonl", b))  # fmt: skip
    assert code == 0
    assert (out["n"], out["p_value"], out["verdict"]) == (30, 0.125, "inconclusive")
    assert (out["mean_a"], out["mean_b"], out["delta"]) == (0.5667, 0.4333, 0.1333)
    assert out["items_range"][0] <= out["items_needed"] <= out["items_range"][1]
    assert out["margin"] == 0.05 and len(out["ci95"]) == 2


def test_twenty_wins_two_losses_of_sixty_is_better_across_formats(tmp_path, capsys):
    a, b = wins_losses(20, 2, 60)
    code, out = run_json(capsys, write_jsonl(tmp_path / "a.jsonl", a),
                         write_csv(tmp_path / "b.csv", b))  # fmt: skip
    assert code == 0 and out["verdict"] == "better" and out["p_value"] < 0.001
    assert out["test"] == "exact McNemar" and out["ci95"][0] > 0


def test_identical_scores_on_300_items_are_equivalent(tmp_path, capsys):
    scores = [1.0 if i % 3 else 0.0 for i in range(300)]
    code, out = run_json(capsys, write_jsonl(tmp_path / "a.jsonl", scores),
                         write_jsonl(tmp_path / "b.jsonl", scores))  # fmt: skip
    assert code == 0 and out["verdict"] == "equivalent"
    assert out["ci95"] == [-0.0126, 0.0126]


def test_pairing_is_by_id_not_by_line(tmp_path, capsys):
    a, b = wins_losses(20, 2, 60)
    ids = [f"q{i}" for i in range(60)]
    shuffled = list(zip(ids, b, strict=True))[::-1]  # b's file lists the items backwards
    fb = write_jsonl(tmp_path / "b.jsonl", [s for _, s in shuffled], [i for i, _ in shuffled])
    _, out = run_json(capsys, write_jsonl(tmp_path / "a.jsonl", a, ids), fb)
    assert out["verdict"] == "better" and out["delta"] == 0.3


def test_continuous_scores_and_the_margin_flag(tmp_path, capsys):
    a = [0.5 + 0.01 * (i % 7) for i in range(200)]
    b = [x - 0.02 for x in a]  # 0.02 lower on every item
    fa, fb = write_jsonl(tmp_path / "a.jsonl", a), write_jsonl(tmp_path / "b.jsonl", b)
    _, out = run_json(capsys, fa, fb)
    assert out["test"] == "sign-flip" and out["interval"] == "BCa bootstrap"
    assert out["verdict"] == "equivalent"  # 0.02 is within the default 0.05
    _, strict = run_json(capsys, fa, fb, "--margin", "0.01")
    assert strict["margin"] == 0.01 and strict["verdict"] == "better"


def test_human_output_names_test_interval_p_and_items(tmp_path, capsys):
    a, b = wins_losses(4, 0, 30)
    code = main(["compare", write_jsonl(tmp_path / "a.jsonl", a),
                 write_jsonl(tmp_path / "b.jsonl", b)])  # fmt: skip
    text = capsys.readouterr().out
    assert code == 0
    assert "30 paired items, means 0.567 vs 0.433" in text
    assert "p = 0.125 (exact McNemar)" in text and "verdict: inconclusive" in text
    assert "would find it with 80% power" in text


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ('{"id": "q0", "score": 1}\nnot json\n', "a.jsonl", "a.jsonl: line 2 is not JSON"),
        ('{"id": "q0", "score": "x"}\n', "a.jsonl", "line 1 has no numeric score"),
        ('{"id": "q0", "score": 7}\n', "a.jsonl", "scores must lie between 0 and 1"),
        ('{"score": 1}\n', "a.jsonl", "line 1 has no id"),
        ('{"id": "q0", "score": 1}\n{"id": "q0", "score": 0}\n', "a.jsonl", "appears twice"),
        ("name,value\nq0,1\n", "a.csv", "must name the columns id and score"),
        ("", "a.jsonl", "no scores found"),
        ("id\tscore\n", "a.tsv", "use a .jsonl file"),
    ],
)
def test_bad_files_are_one_clear_error(tmp_path, capsys, content, name, message):
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    good = write_jsonl(tmp_path / "b.jsonl", [1.0])
    code, out = run_json(capsys, str(bad), good)
    assert code == 2 and message in out["error"] and set(out) == {"error"}


def test_unpaired_ids_and_missing_files_exit_non_zero_with_one_line(tmp_path):
    fa = write_jsonl(tmp_path / "a.jsonl", [1.0, 0.0, 1.0])
    fb = write_jsonl(tmp_path / "b.jsonl", [1.0, 0.0, 1.0], ["q0", "q1", "q7"])
    proc = app("compare", fa, fb)
    assert proc.returncode == 2 and proc.stdout == ""
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith("error: the files do not score the same items: 1 only in ")
    assert "(q2)" in line and "(q7)" in line and "Traceback" not in proc.stderr
    missing = app("compare", fa, str(tmp_path / "no.csv"), "--json")
    assert missing.returncode == 2
    assert json.loads(missing.stdout)["error"].startswith("cannot read ")
