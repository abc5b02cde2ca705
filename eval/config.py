"""Typed trial configuration; stored with every run so its numbers can be reproduced."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

TRIAL_NAMES = ("prompt", "rag", "lora", "rag+lora")


class ConfigError(ValueError):
    """A bad trial setting; the message names it."""


@dataclass(frozen=True)
class LoraConfig:
    """LoRA defaults from the guidance (rank 16) with a higher rate for very short runs."""

    rank: int = 16
    alpha: int = 32
    dropout: float = 0.05
    learning_rate: float = 3e-4
    target_modules: str = "all-linear"
    time_budget_s: float = 150.0  # CPU runs stop here; steps follow from the measured speed
    max_steps: int = 400
    batch_size: int = 4
    max_length: int = 256  # tokens per training example (dynamic padding below that)
    doc_chunks: int = 64  # document chunks mixed in as plain text (knowledge injection)

    def problems(self) -> list[str]:
        out = []
        if self.rank < 1 or self.alpha < 1:
            out.append("lora rank and alpha must be >= 1")
        if not 0 < self.learning_rate < 1:
            out.append(f"lora learning_rate must be in (0, 1), got {self.learning_rate}")
        if self.time_budget_s < 5:
            out.append(f"lora time_budget_s must be >= 5 seconds, got {self.time_budget_s}")
        if self.batch_size < 1 or self.max_steps < 1 or self.max_length < 16:
            out.append("lora batch_size, max_steps >= 1 and max_length >= 16 are required")
        return out


@dataclass(frozen=True)
class TrialConfig:
    """What a trial run does; defaults suit the packaged models on 2 CPU cores."""

    trials: tuple[str, ...] = ("prompt", "rag", "lora")
    seed: int = 0
    heldout_min: int = 20
    heldout_fraction: float = 0.3
    max_pairs: int = 200  # cap on evaluation pairs per run (generated or uploaded)
    generate_pairs: int = 40  # Q/A pairs to generate when no Q/A file is given
    # From bench/rag_context.py on the sample set (40 Q/A): k=5 with the 5 best sentences
    # gave contains 0.45 and recall@5 0.85; three whole chunks gave 0.25.
    top_k: int = 5
    context_sentences: int = 5
    max_answer_tokens: int = 48
    probe_questions: int = 40
    cpu_usd_per_hour: float = 0.10
    gpu_usd_per_hour: float = 1.50
    judge: bool = False
    lora: LoraConfig = field(default_factory=LoraConfig)

    def __post_init__(self) -> None:
        problems = list(self.lora.problems())
        unknown = [t for t in self.trials if t not in TRIAL_NAMES]
        if unknown or not self.trials:
            problems.append(
                f"unknown trials {unknown or '(none)'}; available: {', '.join(TRIAL_NAMES)}"
            )
        if not 0 < self.heldout_fraction < 1:
            problems.append(f"heldout_fraction must be in (0, 1), got {self.heldout_fraction}")
        for name in ("heldout_min", "max_pairs", "top_k", "context_sentences",
                     "max_answer_tokens", "generate_pairs"):  # fmt: skip
            if getattr(self, name) < 1:
                problems.append(f"{name} must be >= 1")
        if problems:
            raise ConfigError("; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrialConfig:
        data = dict(data)
        lora = LoraConfig(**data.pop("lora", {}))
        if "trials" in data:
            data["trials"] = tuple(data["trials"])
        return cls(lora=lora, **data)
