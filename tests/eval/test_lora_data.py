"""LoRA training data: the loss sees only the answer, and padding never counts."""

from __future__ import annotations

from eval.runners.lora.train import chat_example, collate


class WordTokenizer:
    """A tokenizer stand-in: one id per word, a plain-text chat template."""

    eos_token_id = 0

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}

    def apply_chat_template(self, messages, add_generation_prompt=False, tokenize=False):
        text = " ".join(f"<{m['role']}> {m['content']} </s>" for m in messages)
        return text + (" <assistant>" if add_generation_prompt else "")

    def __call__(self, text, add_special_tokens=False):
        ids = [self.vocab.setdefault(w, len(self.vocab) + 1) for w in text.split()]
        return {"input_ids": ids}


def test_prompt_tokens_are_masked_and_answer_tokens_are_learned():
    tok = WordTokenizer()
    example = chat_example(tok, "Route it.", "my parcel is late", "delivery_delay", 64)
    labels, ids = example["labels"], example["input_ids"]
    learned = [tok_id for tok_id, label in zip(ids, labels, strict=True) if label != -100]
    words = {v: k for k, v in tok.vocab.items()}
    assert [words[i] for i in learned] == ["delivery_delay", "</s>"]
    assert labels[: len(ids) - 2] == [-100] * (len(ids) - 2)


def test_truncation_keeps_labels_aligned_and_can_drop_the_answer():
    tok = WordTokenizer()
    long_input = " ".join(f"w{i}" for i in range(50))
    example = chat_example(tok, "Route it.", long_input, "billing", 20)
    assert len(example["input_ids"]) == len(example["labels"]) == 20
    assert all(label == -100 for label in example["labels"])  # build_examples drops these


def test_padding_is_never_part_of_the_loss():
    batch = collate(
        [{"input_ids": [5, 6, 7], "labels": [-100, 6, 7]}, {"input_ids": [8], "labels": [8]}],
        pad_id=0,
    )
    assert batch["labels"].tolist() == [[-100, 6, 7], [8, -100, -100]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1], [1, 0, 0]]
