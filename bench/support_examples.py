"""Write our own behaviour samples: support messages → a routing label, and → a JSON record.

Usage: python bench/support_examples.py   (rewrites examples/support_routing.jsonl and
examples/support_records.jsonl; the same seed gives the same files)

Messages to a fictional freight co-operative (the one in examples/sample_docs/) are
assembled from hand-written openings, details and closings, so the set is varied but
reproducible. The routing file tests a label task; the records file a small JSON
extraction task, where a LoRA's consistent output format is the thing to measure.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED, PER_LABEL = 7, 30
ROUTING_INSTRUCTION = (
    "Route the customer message to one team. Answer with one of: billing, delivery_delay, "
    "damaged_goods, returns, account_access, quote."
)
RECORD_INSTRUCTION = (
    'Extract a JSON object with keys "team" (billing, delivery_delay, damaged_goods, '
    'returns, account_access or quote), "order" (the NX order number, or null) and '
    '"urgent" (true when the customer says it is urgent or time-critical).'
)
PROBLEMS = {
    "billing": [
        "I was charged twice for the same shipment",
        "the invoice shows a fuel surcharge I never agreed to",
        "my credit note has not been applied to the last invoice",
        "the VAT on this invoice looks wrong",
        "you billed the express rate but it went standard",
    ],
    "delivery_delay": [
        "my pallet was due on Tuesday and still has not arrived",
        "tracking has said 'in transit' for six days",
        "the driver never showed up for the booked slot",
        "our delivery was rescheduled twice without notice",
        "the consignment is stuck at the Trondheim hub",
    ],
    "damaged_goods": [
        "two boxes arrived crushed and the contents are broken",
        "the pallet wrap was torn and items are water damaged",
        "the glass panels arrived cracked",
        "the forklift damaged our crate during unloading",
        "several cartons were dented and the seals were broken",
    ],
    "returns": [
        "I need to send back a pallet of wrong items",
        "how do I get a return label for the lamp order",
        "we want to return the unused packaging material",
        "please arrange collection of the returned goods",
        "the customer refused delivery and it must come back to us",
    ],
    "account_access": [
        "I cannot log in to the customer portal",
        "my password reset email never arrives",
        "please add my colleague as a user on our account",
        "the portal says my account is locked",
        "I lost access after changing my phone for two-factor login",
    ],
    "quote": [
        "what would it cost to ship 12 pallets to Bergen",
        "can you quote a weekly route from Oslo to Stavanger",
        "I need a price for a temperature-controlled load",
        "how much is same-day delivery within the city",
        "please send rates for oversized cargo to Tromsø",
    ],
}
OPENINGS = ["Hi,", "Hello team,", "Good morning.", "Dear support,", "Hey -", ""]
CLOSINGS = ["Thanks.", "Regards, Kari", "Please advise.", "Best, Ola", "", "Cheers"]
URGENT = ["This is urgent.", "We need this sorted today.", "Time-critical, please hurry!"]


def message(rng: random.Random, team: str) -> tuple[str, dict]:
    """One customer message and the record a careful agent would file for it."""
    order = f"NX-{rng.randint(10000, 99999)}" if rng.random() < 0.7 else None
    urgent = rng.random() < 0.3
    parts = [rng.choice(OPENINGS), rng.choice(PROBLEMS[team]).capitalize() + "."]
    if order:
        parts.append(rng.choice([f"Order {order}.", f"Ref: {order}", f"(order no. {order})"]))
    if urgent:
        parts.append(rng.choice(URGENT))
    parts.append(rng.choice(CLOSINGS))
    text = " ".join(p for p in parts if p)
    return text, {"team": team, "order": order, "urgent": urgent}


def main() -> int:
    rng = random.Random(SEED)
    rows = [(team, *message(rng, team)) for team in PROBLEMS for _ in range(PER_LABEL)]
    rng.shuffle(rows)
    routing = [{"instruction": ROUTING_INSTRUCTION, "input": t, "output": team}
               for team, t, _ in rows]  # fmt: skip
    records = [{"messages": [
        {"role": "system", "content": RECORD_INSTRUCTION},
        {"role": "user", "content": t},
        {"role": "assistant", "content": json.dumps(rec)}]} for _, t, rec in rows]  # fmt: skip
    for name, data in (("support_routing.jsonl", routing), ("support_records.jsonl", records)):
        path = ROOT / "examples" / name
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data))
        print(f"{path.relative_to(ROOT)}: {len(data)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
