"""Where a user changes a run option, named for the surface they are on.

A message that tells a web user to "raise --lora-budget" names something they cannot
type anywhere; the same advice on the command line must name the flag. So advice about an
option names it through here: the CLI flag comes from the option's `eval.config` field
(one source for the flag), the web name is the label of the Trials tab control that
sets it (the tab reads its labels from here too). An option without a web control has no
web name, and advice that needs it is not offered on the web.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from eval.config import BehaviourConfig, KnowledgeConfig, LoraConfig, RetrievalConfig

SURFACES = ("cli", "web")
WEB_LABELS = {
    "time_budget_s": "LoRA time budget (s)",
    "shots": "Examples in the prompt",
    "chunk_size": "Chunk size (tokens)",
    "top_k": "Top-k chunks",
    "model": "Model",
    "model_name": "Served model name (for a URL)",
    "adapter_model": "Served adapter name (LoRA arm on a URL)",
}
WEB_LIMITS = {
    "time_budget_s": (20, 600),
    "shots": (1, 16),
    "chunk_size": (64, 256),
    "top_k": (1, 8),
}  # fmt: skip  the sliders' ranges


@dataclass(frozen=True)
class Control:
    """One option as each surface spells it ("" = the surface has no control for it)."""

    cli: str
    web: str

    def named(self, surface: str) -> str:
        """'--lora-budget' on the command line, '"LoRA time budget (s)"' on the web."""
        if surface == "cli":
            return f"`{self.cli}`" if self.cli else ""
        return f'"{self.web}"' if self.web else ""


def _flags() -> dict[str, str]:
    found = {}
    for config_type in (RetrievalConfig, LoraConfig, KnowledgeConfig, BehaviourConfig):
        for f in fields(config_type):
            if f.metadata.get("flag"):
                found.setdefault(f.name, f.metadata["flag"])
    return found


CONTROLS = {name: Control(flag, WEB_LABELS.get(name, "")) for name, flag in _flags().items()}


def control(option: str, surface: str) -> str:
    """The option's name on `surface`, or "" when that surface cannot set it."""
    if surface not in SURFACES:
        raise ValueError(f"surface must be one of {SURFACES}, got {surface!r}")
    found = CONTROLS.get(option)
    return found.named(surface) if found else ""
