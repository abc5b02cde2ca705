"""Rebuild examples/debian_sections.jsonl: real input→label data nobody in this project wrote.

Each row is one Debian package's one-line description (written by its maintainer) and
the archive section Debian files it under. Routing a short free-text description to one
of a few categories is the shape of most "our model picks the wrong label" problems, and
the labels were assigned by Debian, not by us, so the trial cannot be tuned to them.

Run on any Debian/Ubuntu machine after `apt-get update`:
    python bench/debian_sections.py > examples/debian_sections.jsonl
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

SECTIONS = ("games", "sound", "graphics", "net", "science", "admin")
PER_SECTION = 50
INSTRUCTION = (
    "Which Debian archive section does this package belong in? Answer with one of: "
    + ", ".join(SECTIONS)
    + "."
)


def records(text: str) -> list[dict[str, str]]:
    """Package stanzas as dicts of their first-line fields."""
    out = []
    for stanza in text.split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            if line[:1] not in (" ", "\t") and ":" in line:
                key, value = line.split(":", 1)
                fields[key] = value.strip()
        if fields.get("Package"):
            out.append(fields)
    return out


def main() -> int:
    dump = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True)
    seen: set[str] = set()
    by_section: dict[str, list[str]] = {s: [] for s in SECTIONS}
    for rec in records(dump.stdout):
        section, text = rec.get("Section", "").split("/")[-1], rec.get("Description", "")
        if section in by_section and text and text.lower() not in seen:
            seen.add(text.lower())
            by_section[section].append(text)
    rng = random.Random(0)
    rows = []
    for section in SECTIONS:
        texts = sorted(by_section[section])
        rows += [(t, section) for t in rng.sample(texts, PER_SECTION)]
    rng.shuffle(rows)
    for text, section in rows:
        print(json.dumps({"instruction": INSTRUCTION, "input": text, "output": section}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
