"""Which model a trial runs on: the packaged stand-in, a GGUF file, an HF folder, or a model
an OpenAI-compatible server serves — chosen per run, not at launch.

A run on the packaged SmolLM2-135M is stand-in evidence: it compares approaches on the
team's data, but a 135M model reads context and follows worked examples far worse than
the team's own model will, so its numbers must be named as such wherever they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.errors import ConfigError

KINDS = ("settings", "packaged", "gguf", "hf", "openai")


@dataclass(frozen=True)
class ModelChoice:
    """A trial's model: `kind`, and the file, folder or URL (+ served name) behind it."""

    kind: str = "settings"  # the app's own chat model setting (packaged unless configured)
    location: str = ""
    name: str = ""

    @classmethod
    def parse(cls, spec: str, name: str = "") -> ModelChoice:
        """'' (the app's model), 'packaged', a .gguf path, an HF folder, or an http(s) URL.

        >>> ModelChoice.parse("http://localhost:8000/v1", "qwen").kind
        'openai'
        >>> ModelChoice.parse("packaged").stand_in_kind
        True
        """
        spec = spec.strip()
        if spec in ("", "settings"):
            return cls()
        if spec == "packaged":
            return cls("packaged")
        if spec.startswith(("http://", "https://")):
            if not name.strip():
                raise ConfigError(
                    f"model {spec}: give the served model's name (--model-name NAME, or the "
                    "'served model name' field)"
                )
            return cls("openai", spec.rstrip("/"), name.strip())
        path = Path(spec).expanduser()
        if path.is_dir():
            if not (path / "config.json").is_file():
                raise ConfigError(f"model {spec}: a folder needs a Hugging Face config.json")
            return cls("hf", str(path))
        if path.suffix.lower() == ".gguf":
            if not path.is_file():
                raise ConfigError(f"model {spec}: file not found")
            return cls("gguf", str(path))
        raise ConfigError(
            f"model {spec!r}: expected 'packaged', a .gguf file, a Hugging Face model folder "
            "or an http(s):// OpenAI-compatible URL"
        )

    @property
    def stand_in_kind(self) -> bool:
        return self.kind == "packaged"

    def apply(self, settings: Any) -> Any:
        """The settings a trial on this model runs with (everything else unchanged)."""
        if self.kind == "settings":
            return settings
        if self.kind == "packaged":
            return settings.with_(chat_backend="llamacpp", chat_model="")
        if self.kind == "gguf":
            return settings.with_(chat_backend="llamacpp", chat_model=self.location)
        if self.kind == "hf":
            return settings.with_(chat_backend="transformers", chat_model=self.location)
        return settings.with_(
            chat_backend="openai", chat_model=self.name, openai_base_url=self.location
        )


def is_stand_in(settings: Any) -> bool:
    """True when these settings run the packaged small model (no model of the team's)."""
    return settings.chat_backend == "llamacpp" and not settings.chat_model


def describe_model(settings: Any) -> str:
    """The model a number came from, as a reader should see it.

    >>> from types import SimpleNamespace as S
    >>> describe_model(S(chat_backend="llamacpp", chat_model=""))
    'the packaged stand-in SmolLM2-135M-Instruct'
    >>> describe_model(S(chat_backend="openai", chat_model="qwen", openai_base_url="http://h/v1"))
    'qwen at http://h/v1'
    """
    if is_stand_in(settings):
        return "the packaged stand-in SmolLM2-135M-Instruct"
    if settings.chat_backend == "openai":
        return f"{settings.chat_model} at {settings.openai_base_url}"
    return Path(settings.chat_model).name
