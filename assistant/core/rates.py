"""The team's cost rates: the one home of every price the product multiplies by.

Four of them are settings a team changes (`ADVISOR_CPU_USD_PER_HOUR`, ...); the rest are
stated assumptions the plan's ranges rest on. Trials price their measured answer times
with the same object the plan and the cost table read, so a trial's "cost per 1,000
queries" and the report's figures can never use different rates.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class CostRates:
    """USD rates (and one count) behind every cost figure."""

    engineer_day_usd: float = 800.0  # one ML/software engineer day, fully loaded
    expert_hour_usd: float = 150.0  # domain expert review time (setting)
    gpu_hour_usd: float = 3.0  # one rented data-centre GPU for training
    hosting_month_usd_low: float = 50.0  # vector store + embedding for a small index
    hosting_month_usd_high: float = 500.0
    cpu_serving_hour_usd: float = 0.10  # one CPU machine serving the model (setting)
    gpu_serving_hour_usd: float = 1.50  # one serving GPU (setting)
    # Per-token prices of the team's model (settings): how a stand-in run's token counts
    # are priced, since the stand-in's seconds say nothing about the team's hardware.
    prompt_usd_per_million_tokens: float = 0.20
    completion_usd_per_million_tokens: float = 0.60
    # Not dollars: base-model upgrades a year, each one re-trains an adapter (setting).
    base_model_updates_per_year: float = 2.0

    @classmethod
    def from_settings(cls, settings: Any) -> CostRates:
        """The assumptions with the team's own rates from settings laid over them."""
        return cls(
            expert_hour_usd=settings.expert_usd_per_hour,
            cpu_serving_hour_usd=settings.cpu_usd_per_hour,
            gpu_serving_hour_usd=settings.gpu_usd_per_hour,
            base_model_updates_per_year=settings.base_model_updates_per_year,
            prompt_usd_per_million_tokens=settings.prompt_usd_per_million_tokens,
            completion_usd_per_million_tokens=settings.completion_usd_per_million_tokens,
        )

    def serving_hour(self, device: str) -> float:
        """The hourly rate of the hardware an answer ran on ("cuda" = a GPU)."""
        return self.gpu_serving_hour_usd if device == "cuda" else self.cpu_serving_hour_usd

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
