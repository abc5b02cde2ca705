"""Typed application settings: defaults that work with nothing configured.

Precedence (lowest to highest): field defaults, an optional TOML file, environment
variables named ``ADVISOR_<FIELD>``. The TOML file is ``advisor.toml`` in the working
directory, or the path in ``ADVISOR_CONFIG``. Every result we store carries
``Settings.to_dict()`` so a number can always be traced back to its configuration.
"""

from __future__ import annotations

import os
import tomllib
import types
import typing
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from assistant.core.errors import SettingsError

ENV_PREFIX = "ADVISOR_"
CHAT_BACKENDS = ("llamacpp", "transformers", "openai")
EMBED_BACKENDS = ("sentence-transformers", "openai")
DEVICES = ("auto", "cpu", "cuda", "mps")
# Settings that became trial options (eval.config): each run stores them once, there.
MOVED_TO_TRIAL_OPTIONS = {
    "chunk_size": "--chunk-size",
    "chunk_overlap": "--chunk-overlap",
    "top_k": "--top-k",
}


def _f(default: Any, doc: str) -> Any:
    """A dataclass field with its documentation attached (shown in the README table)."""
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Settings:
    """Everything a user can configure; each field carries its own documentation."""

    chat_backend: str = _f(
        "llamacpp",
        "Chat model backend: llamacpp (GGUF, default), transformers (HF dir or GGUF), openai.",
    )
    chat_model: str = _f(
        "", "GGUF path, HF model dir or served model name; empty = packaged SmolLM2-135M-Instruct."
    )
    context_size: int = _f(4096, "Context window (tokens) for local chat models.")
    threads: int = _f(
        0,
        "CPU threads per llama.cpp generation; 0 = share the cores between generations.",
    )
    gpu_layers: int = _f(
        -1, "llama.cpp layers offloaded to a GPU; -1 = all when the build supports GPU, 0 = none."
    )
    device: str = _f("auto", "Device for transformers/sentence-transformers: auto, cpu, cuda, mps.")
    max_tokens: int = _f(256, "Maximum tokens generated per answer.")
    temperature: float = _f(0.0, "Sampling temperature; 0 = greedy (reproducible numbers).")
    seed: int = _f(0, "Seed for sampling, splits and training.")
    openai_base_url: str = _f(
        "", "Base URL of an OpenAI-compatible server (vLLM, llama.cpp server, TGI)."
    )
    openai_api_key: str = _f(
        "", "API key for that server (sent as a Bearer token); empty for none."
    )
    openai_timeout: float = _f(60.0, "Seconds to wait for the OpenAI-compatible server.")
    openai_repeat_penalty: float = _f(
        1.0,
        "Repeat penalty sent to that server: 1.0 = none, as in-process llama.cpp (its own "
        "server defaults to 1.1); 0 = leave it to the server. Dropped if the server refuses it.",
    )
    judge_model: str = _f("", "Judge model for `trial --judge` (same backend); empty = chat model.")
    embed_backend: str = _f(
        "sentence-transformers", "Embedding backend: sentence-transformers (default) or openai."
    )
    embed_model: str = _f(
        "",
        "Sentence-transformers dir or served embedding model; empty = packaged all-MiniLM-L6-v2.",
    )
    embed_batch_size: int = _f(32, "Texts per embedding batch.")
    data_dir: str = _f("data", "Folder for indexes, runs, the database and converted models.")
    db_path: str = _f(
        "", "DuckDB file for runs and recommendations; empty = <data_dir>/advisor.duckdb."
    )
    chroma_host: str = _f(
        "", "Chroma server host; empty = embedded persistent Chroma under data_dir."
    )
    chroma_port: int = _f(8000, "Chroma server port.")
    host: str = _f("127.0.0.1", "Address the web app listens on.")
    port: int = _f(7860, "Port the web app listens on.")
    trusted_proxies: str = _f(
        "",
        "Reverse proxies (comma-separated addresses) whose X-Forwarded-For names the client; "
        "empty = none, so a client cannot choose the address its login attempts count under.",
    )
    max_upload_mb: float = _f(50.0, "Largest file a user may upload to the web app, in MB.")
    max_concurrent_trials: int = _f(
        1, "Trials the web app runs at once (others wait in line, told their place and the wait)."
    )
    max_waiting_answers: int = _f(
        8,
        "Side questions that may wait for the chat model's summary at once; beyond that a "
        "visitor gets the quoted guidance at once, with their place in line and the wait.",
    )
    max_message_kb: float = _f(8.0, "Longest chat message the web app accepts, in KB.")
    login_attempts_per_minute: int = _f(
        5, "Login attempts one client address may make a minute; more are refused (HTTP 429)."
    )
    auth_username: str = _f("", "With auth_password set, the web app asks for this login.")
    auth_password: str = _f("", "Password for the web app login; empty = no login.")
    cpu_usd_per_hour: float = _f(0.10, "Your cost of one CPU serving machine per hour (USD).")
    gpu_usd_per_hour: float = _f(1.50, "Your cost of one GPU serving machine per hour (USD).")
    expert_usd_per_hour: float = _f(150.0, "Your domain experts' review time per hour (USD).")
    prompt_usd_per_million_tokens: float = _f(
        0.20, "What your model costs per million prompt tokens (USD), for stand-in runs."
    )
    completion_usd_per_million_tokens: float = _f(
        0.60, "What your model costs per million generated tokens (USD), for stand-in runs."
    )
    base_model_updates_per_year: float = _f(
        2.0, "Base-model upgrades a year (each one re-trains an adapter)."
    )

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise SettingsError("; ".join(problems), problems)

    def problems(self) -> list[str]:
        """Every invalid value at once, so `doctor` can report them together."""
        out = [
            _choice("chat_backend", self.chat_backend, CHAT_BACKENDS),
            _choice("embed_backend", self.embed_backend, EMBED_BACKENDS),
            _choice("device", self.device, DEVICES),
            _range("gpu_layers", self.gpu_layers, low=-1),
            _range("port", self.port, low=1, high=65535),
            _range("chroma_port", self.chroma_port, low=1, high=65535),
            _range("temperature", self.temperature, low=0.0, high=2.0),
            _range("openai_timeout", self.openai_timeout, low=0.1),
            _range("openai_repeat_penalty", self.openai_repeat_penalty, low=0.0, high=2.0),
            _range("max_upload_mb", self.max_upload_mb, low=0.1),
            _range("max_message_kb", self.max_message_kb, low=0.1),
        ]
        for name in ("cpu_usd_per_hour", "gpu_usd_per_hour", "expert_usd_per_hour",
                     "prompt_usd_per_million_tokens", "completion_usd_per_million_tokens",
                     "base_model_updates_per_year"):  # fmt: skip
            out.append(_range(name, getattr(self, name), low=0.0))
        for name in ("context_size", "max_tokens", "embed_batch_size", "max_concurrent_trials",
                     "max_waiting_answers", "login_attempts_per_minute"):  # fmt: skip
            out.append(_range(name, getattr(self, name), low=1))
        for name in ("threads", "seed"):
            out.append(_range(name, getattr(self, name), low=0))
        if "openai" in (self.chat_backend, self.embed_backend) and not self.openai_base_url:
            out.append(
                f"the openai backend needs openai_base_url: set {ENV_PREFIX}OPENAI_BASE_URL "
                "to the server's URL, e.g. http://localhost:8000/v1"
            )
        if self.chat_backend == "openai" and not self.chat_model:
            out.append(
                "the openai backend needs chat_model (the served model's name): "
                f"set {ENV_PREFIX}CHAT_MODEL"
            )
        if bool(self.auth_username) != bool(self.auth_password):
            out.append(
                "set both auth_username and auth_password (ADVISOR_AUTH_USERNAME, "
                "ADVISOR_AUTH_PASSWORD) to require a login, or neither"
            )
        return [p for p in out if p]

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def db_file(self) -> Path:
        return Path(self.db_path) if self.db_path else self.data_path / "advisor.duckdb"

    def to_dict(self, *, redact: bool = True) -> dict[str, Any]:
        """The settings as JSON-ready data, secrets redacted, for storing with results."""
        data = asdict(self)
        for secret in ("openai_api_key", "auth_password"):
            if redact and data[secret]:
                data[secret] = "***"
        return data

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)


def _choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value in choices:
        return ""
    return (
        f"unknown {name} {value!r}; available: {', '.join(choices)} "
        f"(set {ENV_PREFIX}{name.upper()})"
    )


def _range(name: str, value: float, *, low: float, high: float | None = None) -> str:
    if low <= value and (high is None or value <= high):
        return ""
    bound = f">= {low}" if high is None else f"between {low} and {high}"
    return f"{name} must be {bound}, got {value!r} (set {ENV_PREFIX}{name.upper()})"


def _field_types() -> dict[str, type]:
    hints = typing.get_type_hints(Settings)
    out: dict[str, type] = {}
    for f in fields(Settings):
        hint = hints[f.name]
        if isinstance(hint, types.UnionType):
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        out[f.name] = hint
    return out


def _coerce(name: str, raw: Any, kind: type, origin: str) -> Any:
    """Turn a TOML or environment value into the field's type, or explain the problem."""
    if isinstance(raw, kind) and not (kind is int and isinstance(raw, bool)):
        return raw
    text = str(raw).strip()
    try:
        if kind is bool:
            if text.lower() in ("1", "true", "yes", "on"):
                return True
            if text.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(text)
        return kind(text)
    except ValueError:
        raise SettingsError(f"{name} from {origin} must be {kind.__name__}, got {raw!r}") from None


def load_settings(
    env: typing.Mapping[str, str] | None = None,
    toml_path: str | Path | None = None,
    **overrides: Any,
) -> Settings:
    """Build Settings from defaults, the TOML file, the environment and explicit overrides."""
    env = os.environ if env is None else env
    kinds = _field_types()
    values: dict[str, tuple[str, Any, str]] = {}
    path = Path(toml_path or env.get(f"{ENV_PREFIX}CONFIG", "advisor.toml"))
    if path.is_file():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise SettingsError(f"config file {path} is not valid TOML: {err}") from None
        for key, raw in table.items():
            _refuse_moved(key, str(path))
            if key not in kinds:
                raise SettingsError(
                    f"unknown setting {key!r} in {path}; available: {', '.join(kinds)}"
                )
            values[key] = (key, raw, str(path))
    elif toml_path is not None:
        raise SettingsError(f"config file {path} does not exist")
    for key in MOVED_TO_TRIAL_OPTIONS:
        if f"{ENV_PREFIX}{key.upper()}" in env:
            _refuse_moved(key, f"{ENV_PREFIX}{key.upper()}")
    for key, _kind in kinds.items():
        env_key = f"{ENV_PREFIX}{key.upper()}"
        if env_key in env:
            values[key] = (key, env[env_key], env_key)
    for key, raw in overrides.items():
        if raw is not None:
            values[key] = (key, raw, "the command line")
    problems: list[str] = []
    typed: dict[str, Any] = {}
    for key, (name, raw, origin) in values.items():
        try:
            typed[key] = _coerce(name, raw, kinds[key], origin)
        except SettingsError as err:
            problems.append(str(err))
    if problems:
        raise SettingsError("; ".join(problems), problems)
    return Settings(**typed)


def _refuse_moved(key: str, origin: str) -> None:
    """An old setting that is now a per-run trial option: one line saying where it went."""
    if key in MOVED_TO_TRIAL_OPTIONS:
        flag = MOVED_TO_TRIAL_OPTIONS[key]
        raise SettingsError(
            f"{origin}: {key} moved to trial options: use `app.py trial {flag} N` or the "
            "Trials tab slider, and remove this setting"
        )


def describe_settings() -> list[tuple[str, str, str]]:
    """(name, default, description) rows for the README table and `doctor`."""
    return [(f.name, repr(f.default), f.metadata.get("doc", "")) for f in fields(Settings)]
