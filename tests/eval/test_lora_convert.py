"""The GGUF LoRA converter: llama.cpp with the converted adapter answers as peft does.

Unit checks on the row reordering and the refusals, and one slow test that trains a real
adapter on the packaged model, converts it, and compares greedy answers of peft on
transformers with llama.cpp on the converted file (the issue's bar: ≥ 18 of 20).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.core.errors import ModelError
from eval.runners.lora.convert import BaseShape, _oriented, permute_rows

ROOT = Path(__file__).resolve().parents[2]
SYSTEM = "Route the message to one team. Answer with the team name only."


def test_query_rows_are_reordered_as_llama_cpp_expects():
    b = np.arange(16, dtype=np.float32).reshape(8, 2)
    # 2 heads of 4 rows: each head's halves (0,1 | 2,3) interleave to 0,2,1,3
    assert permute_rows(b, 2, 2)[:, 0].tolist() == [0, 4, 2, 6, 8, 12, 10, 14]
    assert permute_rows(b, 2, 2).tolist() != b.tolist()  # it does move rows


def test_shapes_that_do_not_fit_the_base_are_refused():
    base = BaseShape("llama", 1, 2, 2, {"blk.0.attn_v.weight": (6, 4)})  # 4 outputs, 6 inputs
    a, b = np.zeros((2, 6), np.float32), np.zeros((4, 2), np.float32)
    assert _oriented("blk.0.attn_v.weight", a, b, base).shape == (4, 2)
    with pytest.raises(ModelError, match="do not fit"):
        _oriented("blk.0.attn_v.weight", np.zeros((2, 5), np.float32), b, base)


def _rows(n: int) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in (ROOT / "examples/support_routing.jsonl").open()][:n]
    return [(r.get("input") or r["instruction"], r["output"]) for r in rows]


@pytest.mark.slow
def test_llama_cpp_with_the_converted_adapter_answers_as_peft(tmp_path, real_settings):
    from assistant.core.models import load_chat_model
    from assistant.core.models.hf import TransformersChat, load_causal_lm
    from assistant.core.models.registry import chat_model_path
    from eval.config import LoraConfig
    from eval.runners.lora.convert import convert_adapter
    from eval.runners.lora.train import attach_lora, chat_example, save_adapter, train_lora

    base = chat_model_path(real_settings)
    model, tokenizer = load_causal_lm(base, real_settings.data_path / "models", "cpu")
    config = LoraConfig(max_steps=24, batch_size=4, learning_rate=1e-3, time_budget_s=600)
    rows = _rows(60)
    examples = [chat_example(tokenizer, SYSTEM, text, label, 256) for text, label in rows[:40]]
    model = attach_lora(model, config)
    train_lora(model, tokenizer, examples, config, steps=24)
    save_adapter(model, tmp_path / "adapter")
    gguf = convert_adapter(tmp_path / "adapter", base, tmp_path / "adapter.gguf")
    peft = TransformersChat(model, tokenizer, "peft", 0)
    llama = load_chat_model(real_settings, "trial")
    adapted = llama.with_lora(gguf)
    same, changed = 0, 0
    try:
        for text, _ in rows[40:60]:
            messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}]
            ours = adapted.chat(messages, max_tokens=16).text
            same += ours == peft.chat(messages, max_tokens=16).text
            changed += ours != llama.chat(messages, max_tokens=16).text
    finally:
        adapted.close()
    assert same >= 18, f"only {same} of 20 answers agree"
    assert changed >= 15  # the adapter really changes the answers: the test can fail
