"""Typed trial options; stored with every run so its numbers can be reproduced.

Each option lives here exactly once. Fields that users change per run carry a
`flag` in their metadata: the CLI builds `--top-k`, `--chunk-size`, `--lora-budget` …
from these fields, and the web app takes its slider defaults from the same defaults,
so no front end holds a copy of a number.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from assistant.core.errors import ConfigError
from eval.kinds import BEHAVIOUR_TRIALS, KNOWLEDGE_TRIALS
from eval.scoring.verdict import MARGIN


def option(default: Any, doc: str, flag: str = "") -> Any:
    """A config field with its documentation and, for per-run knobs, its CLI flag."""
    return field(default=default, metadata={"doc": doc, "flag": flag})


@dataclass(frozen=True)
class RetrievalConfig:
    """How documents are cut and what a RAG answer sees.

    From bench/rag_context.py on the sample set (40 Q/A): k=5 with the 5 best sentences
    gave contains 0.45 and recall@5 0.85; three whole chunks gave 0.25. Picking the five
    sentences by maximal marginal relevance (`context_relevance` 0.5) instead of by match
    alone: sample contains 0.425 -> 0.525 (40 Q/A); on six Debian licence texts with 30
    generated pairs, the answer reached the picked sentences for 0.27 -> 0.37 of questions
    (recall@5 0.97 both): repeated bylines no longer crowd out the sentence that answers.
    """

    chunk_size: int = option(
        200, "Chunk size in embedding-model tokens (MiniLM reads 256).", "--chunk-size"
    )
    chunk_overlap: int = option(
        30, "Overlap between neighbouring chunks, in tokens.", "--chunk-overlap"
    )
    top_k: int = option(5, "Chunks retrieved per question.", "--top-k")
    context_sentences: int = option(
        5, "Best-matching sentences of those chunks given to the model.", "--context-sentences"
    )
    context_relevance: float = option(
        0.5,
        "Weight of matching the question vs differing from sentences already picked "
        "(maximal marginal relevance; 1 = match only).",
        "--context-relevance",
    )

    def problems(self) -> list[str]:
        out = [f"{n} must be >= 1" for n in ("chunk_size", "top_k", "context_sentences")
               if getattr(self, n) < 1]  # fmt: skip
        if not 0 < self.context_relevance <= 1:
            out.append(f"context_relevance ({self.context_relevance}) must be in (0, 1]")
        if not 0 <= self.chunk_overlap < self.chunk_size:
            out.append(
                f"chunk_overlap ({self.chunk_overlap}) must be >= 0 and smaller than "
                f"chunk_size ({self.chunk_size})"
            )
        return out


@dataclass(frozen=True)
class LoraConfig:
    """LoRA defaults from the guidance (rank 16) with a higher rate for very short runs."""

    rank: int = option(16, "LoRA rank.", "--lora-rank")
    alpha: int = option(32, "LoRA alpha (scaling).")
    dropout: float = option(0.05, "LoRA dropout.")
    learning_rate: float = option(3e-4, "AdamW learning rate for the adapter.")
    target_modules: str = option("all-linear", "Modules that get adapters.")
    time_budget_s: float = option(
        150.0, "Training stops after this many seconds (CPU runs).", "--lora-budget"
    )
    max_steps: int = option(400, "Upper bound on optimiser steps.", "--lora-steps")
    epochs: float = option(
        2.0, "Passes over the training examples (behaviour trials).", "--lora-epochs"
    )
    batch_size: int = option(4, "Examples per optimiser step.")
    max_length: int = option(256, "Tokens per training example (dynamic padding below that).")
    doc_chunks: int = option(64, "Document chunks mixed in as plain text (knowledge injection).")
    seeds: int = option(
        3, "Seeds a behaviour LoRA trains with when the budget fits them (verdicts average "
        "their per-item scores).", "--lora-seeds",
    )  # fmt: skip

    def problems(self) -> list[str]:
        out = []
        if self.rank < 1 or self.alpha < 1:
            out.append("lora rank and alpha must be >= 1")
        if not 0 < self.learning_rate < 1:
            out.append(f"lora learning_rate must be in (0, 1), got {self.learning_rate}")
        if self.time_budget_s < 5:
            out.append(f"lora time budget must be >= 5 seconds, got {self.time_budget_s}")
        if self.seeds < 1:
            out.append("lora seeds must be >= 1")
        if self.batch_size < 1 or self.max_steps < 1 or self.max_length < 16:
            out.append("lora batch_size, max_steps >= 1 and max_length >= 16 are required")
        return out


@dataclass(frozen=True)
class RunOptions:
    """What both kinds of trial share: the split, the decoding and the probe.

    One held-out rule (`eval.data.split`) reads `heldout_min`, `heldout_fraction` and
    `train_min`; the kinds differ only in their defaults.
    """

    trials: tuple[str, ...] = ()
    seed: int = 0
    heldout_min: int = 20
    heldout_fraction: float = 0.3
    train_min: int = 1  # items always left to train on, besides 20% of the set
    min_items: int = 5  # fewer usable items than this cannot be split at all
    max_answer_tokens: int = 48
    probe_questions: int = 40
    temperature: float = 0.0
    judge: bool = False  # ask the judge model a yes/no question per answer
    model: str = option(
        "", "Model every arm runs on: packaged, a .gguf file, an HF folder or an "
        "OpenAI-compatible URL (empty = the app's chat model).", "--model",
    )  # fmt: skip
    model_name: str = option("", "The served model's name at that URL.", "--model-name")
    adapter_model: str = option(
        "", "A LoRA adapter that URL serves, measured as the LoRA arm.", "--adapter-model"
    )
    margin: float = option(
        MARGIN,
        "Equivalence margin on the headline metric: smaller differences do not matter.",
        "--margin",
    )
    lora: LoraConfig = field(default_factory=LoraConfig)

    def problems(self) -> list[str]:
        out = list(self.lora.problems())
        if not 0 < self.heldout_fraction < 1:
            out.append(f"heldout_fraction must be in (0, 1), got {self.heldout_fraction}")
        for name in ("heldout_min", "train_min", "min_items", "max_answer_tokens"):
            if getattr(self, name) < 1:
                out.append(f"{name} must be >= 1")
        if not 0 < self.margin < 1:
            out.append(
                f"margin must be between 0 and 1 (a share of the 0-1 score), got {self.margin}"
            )
        if not 0 <= self.temperature <= 2:
            out.append(f"temperature must be in [0, 2], got {self.temperature}")
        return out

    def _check(self, available: tuple[str, ...], extra: list[str]) -> None:
        problems = [*self.problems(), *extra]
        unknown = [t for t in self.trials if t not in available]
        if unknown or not self.trials:
            problems.append(
                f"unknown trials {unknown or '(none)'}; available: {', '.join(available)}"
            )
        if problems:
            raise ConfigError("; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class KnowledgeConfig(RunOptions):
    """A knowledge trial: documents (+ Q/A), answered by prompt, RAG and LoRA."""

    trials: tuple[str, ...] = ("prompt", "rag", "lora")
    max_pairs: int = 200  # cap on evaluation pairs per run (generated or uploaded)
    generate_pairs: int = 40  # Q/A pairs to generate when no Q/A file is given
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    drill: int = option(
        0, "Update drill: percent of held-out questions whose facts are changed, then "
        "answered by RAG after re-indexing and by the LoRA stale and retrained (0 = none).",
        "--drill",
    )  # fmt: skip
    sweep: bool = option(
        False, "Sweep chunk size x top-k on the training questions and offer the best "
        "setting.", "--sweep",
    )  # fmt: skip

    def __post_init__(self) -> None:
        extra = list(self.retrieval.problems())
        extra += [f"{n} must be >= 1" for n in ("max_pairs", "generate_pairs")
                  if getattr(self, n) < 1]  # fmt: skip
        if not 0 <= self.drill <= 100:
            extra.append(f"drill must be a percent from 0 to 100, got {self.drill}")
        elif self.drill and not {"rag", "lora"} & set(self.trials):
            extra.append("the update drill needs the rag or lora trial (or both)")
        if self.sweep and "rag" not in self.trials:
            extra.append("the retrieval sweep needs the rag trial")
        self._check(KNOWLEDGE_TRIALS, extra)

    @property
    def top_k(self) -> int:
        return self.retrieval.top_k

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KnowledgeConfig:
        data = {k: v for k, v in data.items() if k in {f.name for f in fields(cls)}}
        lora = LoraConfig(**data.pop("lora", {}))
        retrieval = RetrievalConfig(**data.pop("retrieval", {}))
        if "trials" in data:
            data["trials"] = tuple(data["trials"])
        return cls(lora=lora, retrieval=retrieval, **data)


@dataclass(frozen=True)
class BehaviourConfig(RunOptions):
    """A behaviour trial: the team's input→output examples, answered four ways."""

    trials: tuple[str, ...] = BEHAVIOUR_TRIALS
    heldout_min: int = 30
    train_min: int = 8
    min_items: int = 30
    max_answer_tokens: int = 96
    shots: int = option(8, "Worked examples in few-shot and retrieved-shot prompts.", "--shots")
    max_examples: int = 10_000  # larger files are sampled to this many (and say so)
    criteria: str = option("", "Yes/no question the judge asks of each reply.", "--criteria")

    def __post_init__(self) -> None:
        self._check(BEHAVIOUR_TRIALS, ["shots must be >= 1"] if self.shots < 1 else [])


def flagged_fields(config_type: type) -> list[tuple[str, Any, str, str]]:
    """(field name, default, flag, doc) for every field with a CLI flag."""
    out = []
    for f in fields(config_type):
        if f.metadata.get("flag"):
            out.append((f.name, f.default, f.metadata["flag"], f.metadata.get("doc", "")))
    return out


CONFIGS: dict[str, type[RunOptions]] = {"knowledge": KnowledgeConfig, "behaviour": BehaviourConfig}
_NESTED = {"retrieval": RetrievalConfig, "lora": LoraConfig}


def build_config(
    kind: str, settings: Any, trials: tuple[str, ...] = (), **options: Any
) -> RunOptions:
    """A run's config, the same way for the CLI and the web app.

    Seed and temperature come from settings (`ADVISOR_SEED`, `ADVISOR_TEMPERATURE`);
    `options` are per-run knobs by field name (`chunk_size=300`, `time_budget_s=60`,
    `shots=4`, `judge=True`), routed to the sub-config that holds them; None means
    "not given". A knob that does not apply to this kind is refused, not ignored.
    """
    config_type = CONFIGS[kind]
    own = {f.name for f in fields(config_type)}
    given = {k: v for k, v in options.items() if v is not None}
    nested = {}
    for attr, sub in _NESTED.items():
        names = {f.name for f in fields(sub)}
        picked = {k: given.pop(k) for k in list(given) if k in names}
        if attr in own:
            nested[attr] = replace(sub(), **picked)
        elif picked:
            given.update(picked)
    wrong = sorted(set(given) - own)
    if wrong:
        raise ConfigError(f"{', '.join(wrong)} do(es) not apply to a {kind} trial")
    return config_type(
        trials=tuple(trials) or config_type().trials, seed=settings.seed,
        temperature=settings.temperature, **nested, **given,
    )  # fmt: skip


def trial_settings(settings: Any, config: RunOptions) -> Any:
    """The settings the run's model choice implies (`assistant.core.models.choice`)."""
    from assistant.core.models.choice import ModelChoice

    return ModelChoice.parse(config.model, config.model_name).apply(settings)
