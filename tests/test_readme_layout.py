"""The README's layout table matches the tree: every package has a row, every row a folder,
and every module a row names exists there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("assistant", "knowledge", "eval")


def layout_rows() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([^`]+)` \| (.+) \|$", section, flags=re.M))


def package_folders() -> set[str]:
    """Folders under the packages that hold code or guidance (caches left out)."""
    found = set()
    for top in PACKAGES:
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".md") and "__pycache__" not in path.parts:
                found.add(path.parent.relative_to(ROOT).as_posix() + "/")
    return found


def test_every_package_folder_has_a_row_and_every_row_exists():
    rows = layout_rows()
    listed = {p for p in rows if p.split("/")[0] in PACKAGES}
    assert listed == package_folders()
    missing = [p for p in rows if not (ROOT / p).exists()]
    assert not missing, f"rows for paths that do not exist: {missing}"


def test_modules_a_row_names_exist_in_its_folder():
    wrong = []
    for folder, job in layout_rows().items():
        if not folder.endswith("/"):
            continue
        for name in re.findall(r"`(\w+\.py)`", job):
            if not (ROOT / folder / name).is_file():
                wrong.append(f"{folder}{name}")
    assert not wrong, f"the README names modules that are not there: {wrong}"
