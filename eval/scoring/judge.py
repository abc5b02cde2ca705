"""Optional LLM-as-judge: one specific yes/no question per answer, verdicts kept raw.

A concrete question ("Does the answer state X?") gives a usable signal where a 1-5
rating gives noise. Verdicts that are neither yes nor no are counted as malformed,
never guessed, and never crash the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.core.models.base import ChatModel

JUDGE_SYSTEM = "You check answers. Reply with exactly one word: yes or no."
_VERDICT = re.compile(r"^\W*(yes|no)\b", re.IGNORECASE)


def criterion(question: str, reference: str) -> str:
    return f'Does the answer state "{reference}" as the answer to: {question}'


def parse_verdict(text: str) -> bool | None:
    """True/False for a clear yes/no at the start of the reply, else None (malformed)."""
    match = _VERDICT.match(text or "")
    return None if match is None else match.group(1).lower() == "yes"


@dataclass
class JudgeResult:
    verdicts: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        clear = [v["yes"] for v in self.verdicts if v["yes"] is not None]
        return {
            "judge_yes_rate": round(sum(clear) / len(clear), 4) if clear else None,
            "judge_malformed": len(self.verdicts) - len(clear),
            "judge_verdicts": self.verdicts,
        }


def behaviour_criterion(criteria: str) -> Callable[[Any], str]:
    """The yes/no question for an input→output example, with the team's own criteria.

    "Is the reply polite and under 50 words?" says more about a support reply than
    ROUGE-L does; without criteria the judge checks meaning against the reference.
    """
    check = criteria.strip().rstrip("?") or "Does the reply say the same as the reference"

    def ask(item: Any) -> str:
        return f"{check}?\nInput: {item.question}\nReference reply: {item.reference}"

    return ask


def judge_items(
    judge: ChatModel, items: Sequence[Any], ask: Callable[[Any], str] | None = None
) -> JudgeResult:
    """Ask the judge about every item (anything with question/reference/prediction)."""
    result = JudgeResult()
    for item in items:
        question = ask(item) if ask else criterion(item.question, item.reference)
        prompt = f"{question}\n\nAnswer to check: {item.prediction}"
        messages = [
            {"role": "system", "content": JUDGE_SYSTEM},
            {"role": "user", "content": prompt},
        ]
        raw = judge.chat(messages, max_tokens=4).text
        result.verdicts.append({"question": item.question, "raw": raw, "yes": parse_verdict(raw)})
    return result
