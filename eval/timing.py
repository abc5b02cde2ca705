"""How fast this machine runs this model: the figures a run plan is built from.

Three sources, best first:

1. this model's earlier runs in the store: each trial kept its mean latency and mean prompt
   and answer tokens, and each trained LoRA its seconds and steps, measured on the real
   workload;
2. a figure measured before (`timing.json` in the data folder, keyed by model), from
3. a probe: a warm-up call, then two tiny chat completions, one with a short prompt
   and a few answer tokens, one with a long prompt and one answer token, solved for
   seconds per prompt token and per answer token. A LoRA step is not probed (it needs
   the weights loaded for training, which costs more than the probe would save); it
   comes from earlier runs, else from a constant calibrated on the packaged model,
   scaled by the model file's size.

Nothing here loads a model: the probe is handed one that is already loaded.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

# The packaged SmolLM2-135M (Q8 GGUF, ~145 MB) on 2 CPU cores, from the README's
# behaviour runs: 68 steps in 150 s, answers of 16 tokens in about 0.3 s.
STAND_IN_BYTES = 145e6
DEFAULT = {
    "prompt_token_s": 0.0008, "answer_token_s": 0.018, "call_s": 0.03,
    "lora_step_s": 2.3, "lora_setup_s": 25.0,
}  # fmt: skip
PROBE_FILLER = "The quick brown fox jumps over the lazy dog near the river bank. " * 24
RECENT_RUNS = 30  # earlier runs looked at for this model's figures


@dataclass(frozen=True)
class Timing:
    """Seconds per prompt token, per answer token and per call; per LoRA step (at the
    default batch and length) and to load and convert weights for LoRA."""

    prompt_token_s: float
    answer_token_s: float
    call_s: float
    lora_step_s: float
    lora_setup_s: float
    source: str = "default"  # earlier runs | measured | default

    def answer_s(self, prompt_tokens: float, answer_tokens: float) -> float:
        """Expected seconds for one answer of this size."""
        prompt, answer = prompt_tokens * self.prompt_token_s, answer_tokens * self.answer_token_s
        return self.call_s + prompt + answer

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def model_key(settings: Any) -> str:
    """The model a figure belongs to: backend and model ('' = the packaged one)."""
    return f"{settings.chat_backend}:{settings.chat_model or 'packaged'}"


def default_timing(settings: Any) -> Timing:
    """The packaged model's figures, scaled by the size of the model file when known."""
    scale = 1.0
    try:
        from assistant.core.models.registry import chat_model_path

        path = chat_model_path(settings)
        if settings.chat_backend != "openai" and path.is_file():
            scale = max(1.0, path.stat().st_size / STAND_IN_BYTES)
    except Exception:  # no file to measure: the stand-in's figures, said to be a default
        scale = 1.0
    figures = {k: v * (scale if k != "call_s" else 1.0) for k, v in DEFAULT.items()}
    return Timing(**figures, source="default")


def from_runs(runs: list[dict[str, Any]], fallback: Timing) -> Timing | None:
    """Figures fitted to earlier runs' trials (`Store.get_run` rows), or None if none had
    answers. Seconds per answer are split into prompt and answer tokens by least squares
    when the trials' prompt sizes differ enough, else in the fallback's proportion."""
    points, steps = [], []
    for run in runs:
        for trial in run.get("trials", {}).values():
            summary = _summary(trial)
            if summary.get("latency_mean_s"):
                points.append((summary.get("prompt_tokens_mean", 0.0),
                               summary.get("completion_tokens_mean", 0.0),
                               summary["latency_mean_s"]))  # fmt: skip
            if summary.get("steps") and summary.get("train_seconds"):
                steps.append(summary["train_seconds"] / summary["steps"])
    if not points:
        return None
    prompt_s, answer_s = _fit(points, fallback)
    step = statistics.median(steps) if steps else fallback.lora_step_s
    return replace(fallback, prompt_token_s=prompt_s, answer_token_s=answer_s, call_s=0.0,
                   lora_step_s=step, source="earlier runs")  # fmt: skip


def _summary(trial: dict[str, Any]) -> dict[str, Any]:
    summary = trial.get("summary") or {}
    return json.loads(summary) if isinstance(summary, str) else summary


def _fit(points: list[tuple[float, float, float]], fallback: Timing) -> tuple[float, float]:
    """(s per prompt token, s per answer token) minimising the squared error of latency."""
    spp = sum(p * p for p, _, _ in points)
    sgg = sum(g * g for _, g, _ in points)
    spg = sum(p * g for p, g, _ in points)
    spt = sum(p * t for p, _, t in points)
    sgt = sum(g * t for _, g, t in points)
    det = spp * sgg - spg * spg
    if det > 1e-9 * max(spp * sgg, 1e-12):
        a, b = (spt * sgg - sgt * spg) / det, (sgt * spp - spt * spg) / det
        if a > 0 and b > 0:
            return a, b
    ratio = fallback.prompt_token_s / fallback.answer_token_s
    cost = sum(g + p * ratio for p, g, _ in points) or 1.0
    b = sum(t for _, _, t in points) / cost
    return b * ratio, b


def probe(chat: Any, fallback: Timing) -> Timing:
    """Four tiny calls on a loaded model, each figure from a difference that isolates it.

    The same short prompt answered with 1 and with 16 tokens differ only in generation
    (the second reuses the first's cached prompt), so their difference is the seconds per
    answer token; a long prompt answered with 1 token, less the short one, is the seconds
    per prompt token. Solving two mixed calls instead went wrong on the packaged model:
    its prompt tokens cost far more than the fallback's ratio says, the solve came out
    negative, and the ratio fallback put 45 ms on each answer token where 9 ms was true
    (a first plan of 4 min for a 2.4 min run).
    """
    short = [{"role": "user", "content": "Say hello in five words."}]
    long = [{"role": "user", "content": PROBE_FILLER + "\nOne word: which animal?"}]
    chat.chat(short, max_tokens=1, temperature=0.0)  # warm-up: pages in, caches the prompt
    one, many, wide = (_timed(chat, m, k) for m, k in ((short, 1), (short, 16), (long, 1)))
    answer_s = max(0.0, many[2] - one[2]) / max(1, many[1] - one[1])
    if answer_s <= 0:
        answer_s = fallback.answer_token_s
    prompt_s = max(0.0, wide[2] - one[2]) / max(1, wide[0] - one[0])
    prompt_s = prompt_s or fallback.prompt_token_s
    call_s = max(0.0, one[2] - answer_s * one[1])  # what a one-token reply costs beyond it
    return replace(fallback, prompt_token_s=prompt_s, answer_token_s=answer_s, call_s=call_s,
                   source="measured")  # fmt: skip


def _timed(chat: Any, messages: list[dict[str, str]], tokens: int) -> tuple[int, int, float]:
    """(prompt tokens, answer tokens, seconds) of one call."""
    start = time.perf_counter()
    result = chat.chat(messages, max_tokens=tokens, temperature=0.0)
    seconds = result.seconds or (time.perf_counter() - start)
    return result.prompt_tokens, result.completion_tokens, seconds


def cache_file(settings: Any) -> Path:
    return Path(settings.data_path) / "timing.json"


def read_cached(settings: Any) -> Timing | None:
    try:
        data = json.loads(cache_file(settings).read_text(encoding="utf-8"))
        return Timing(**data[model_key(settings)])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_cached(settings: Any, timing: Timing) -> None:
    """Keep the figure for the next plan; a folder that cannot be written only loses it."""
    path = cache_file(settings)
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        data[model_key(settings)] = timing.to_dict()
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    except (OSError, ValueError):
        pass


def earlier_runs(store: Any, settings: Any) -> list[dict[str, Any]]:
    """This model's recent finished or partial runs, with their trials."""
    key, found = model_key(settings), []
    for row in store.list_runs(RECENT_RUNS):
        stored = row.get("settings") or {}  # the store decodes its JSON columns
        same = model_key(_Settings(stored)) == key
        if same and row.get("status") in ("finished", "partial"):
            run = store.get_run(row["run_id"])
            if run:
                found.append(run)
    return found


class _Settings:
    """Just enough of a stored run's settings for `model_key` (its own model, if chosen)."""

    def __init__(self, stored: dict[str, Any]) -> None:
        self.chat_backend = stored.get("chat_backend", "")
        self.chat_model = stored.get("chat_model", "")


def timing_for(settings: Any, store: Any = None, chat: Any = None) -> Timing:
    """The best figure there is without loading anything new (see the module docstring);
    with a loaded `chat` and nothing better, probe it and keep the result."""
    fallback = read_cached(settings) or default_timing(settings)
    if store is not None:
        fitted = from_runs(earlier_runs(store, settings), fallback)
        if fitted is not None:
            return fitted
    if fallback.source == "default" and chat is not None:
        fallback = probe(chat, fallback)
        write_cached(settings, fallback)
    return fallback
