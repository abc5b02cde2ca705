"""`python app.py doctor`: everything a user needs to know when something is off, at once.

It never raises: each check reports ok/problem, so one broken part (a missing
model, a bad setting, an unreachable server) does not hide the others.
"""

from __future__ import annotations

import importlib.metadata as md
import os
import platform
import time
from pathlib import Path
from typing import Any

from assistant.core.datadir import data_dir_problems
from assistant.core.models import packaged
from assistant.core.models.base import ModelError
from assistant.core.settings import Settings, SettingsError, load_settings

LIBRARIES = (
    "torch", "llama-cpp-python", "transformers", "peft", "sentence-transformers", "chromadb",
    "langchain", "langchain-chroma", "gradio", "duckdb", "pypdf",
)  # fmt: skip
SMOKE_PROMPT = [{"role": "user", "content": "Reply with one short sentence: what is 2 + 2?"}]


def _versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "missing"
    return out


def _gpu() -> dict[str, Any]:
    info: dict[str, Any] = {"cuda": False, "llama_cpp_gpu_offload": False}
    try:
        import torch

        info["cuda"] = bool(torch.cuda.is_available())
        if info["cuda"]:
            info["cuda_device"] = torch.cuda.get_device_name(0)
    except ImportError:
        pass
    try:
        from assistant.core.models.llamacpp import gpu_offload_supported

        info["llama_cpp_gpu_offload"] = gpu_offload_supported()
    except ImportError:
        pass
    return info


def _smoke(settings: Settings) -> dict[str, Any]:
    """Load the active chat model and generate one line, with its speed."""
    from assistant.core.models import load_chat_model

    try:
        start = time.perf_counter()
        model = load_chat_model(settings)
        load_s = time.perf_counter() - start
        result = model.chat(SMOKE_PROMPT, max_tokens=24)
    except ModelError as err:
        return {"ok": False, "error": str(err)}
    return {
        "ok": bool(result.text),
        "model": model.name,
        "load_seconds": round(load_s, 2),
        "reply": result.text,
        "tokens_per_second": round(result.tokens_per_second, 1),
    }


def _embed_check(settings: Settings) -> dict[str, Any]:
    from assistant.core.models import load_embedder

    try:
        embedder = load_embedder(settings)
        dim = len(embedder.embed(["doctor check"])[0])
    except ModelError as err:
        return {"ok": False, "error": str(err)}
    return {"ok": True, "model": embedder.name, "dim": dim}


def _trial_models(settings: Settings) -> list[dict[str, Any]]:
    """What a trial can run on here: the packaged stand-in, and the configured model
    (a file or folder that exists, or a server that lists its models)."""
    stand_in = packaged.describe(packaged.DEFAULT_CHAT)
    out: list[dict[str, Any]] = [{
        "model": "packaged", "kind": "stand-in", "reachable": bool(stand_in["found"]),
        "lora": "llama.cpp with the converted adapter",
    }]  # fmt: skip
    if settings.chat_backend == "openai":
        out.append(_served(settings))
    elif settings.chat_model:
        path = Path(settings.chat_model).expanduser()
        kind = "gguf" if path.suffix.lower() == ".gguf" else "hf"
        lora = {"gguf": "llama.cpp with the converted adapter", "hf": "transformers + peft"}
        out.append({"model": str(path), "kind": kind, "reachable": path.exists(),
                    "lora": lora[kind]})  # fmt: skip
    return out


def _served(settings: Settings) -> dict[str, Any]:
    """An OpenAI-compatible server: reachable, and the model names it serves."""
    import httpx

    url = settings.openai_base_url.rstrip("/")
    entry: dict[str, Any] = {"model": f"{settings.chat_model} at {url}", "kind": "openai",
                             "lora": "an adapter the server serves (--adapter-model)"}  # fmt: skip
    try:
        reply = httpx.get(f"{url}/models", timeout=3)
        names = [m.get("id") for m in reply.json().get("data", [])]
        entry |= {"reachable": reply.status_code == 200, "serves": names}
    except (httpx.HTTPError, ValueError) as err:
        entry |= {"reachable": False, "error": f"{type(err).__name__}: {err}"}
    return entry


def run_doctor(smoke: bool = True) -> dict[str, Any]:
    """A JSON-ready health report; `problems` lists every issue found, one line each."""
    report: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_cores": os.cpu_count(),
        "libraries": _versions(),
        "models": [packaged.describe(key) for key in packaged.PACKAGED],
        "gpu": _gpu(),
        "problems": [],
    }
    for key, lib in report["libraries"].items():
        if lib == "missing":
            report["problems"].append(f"library {key} is not installed: run `make setup`")
    try:
        settings = load_settings()
    except SettingsError as err:
        report["problems"].extend(err.problems)
        return report
    report["settings"] = settings.to_dict()
    report["problems"].extend(data_dir_problems(settings))
    report["backend"] = {"chat": settings.chat_backend, "embed": settings.embed_backend}
    report["trial_models"] = _trial_models(settings)
    report["problems"] += [f"trial model {m['model']} is not reachable"
                           for m in report["trial_models"] if not m["reachable"]]  # fmt: skip
    for model in report["models"]:
        required = model["key"] in (packaged.DEFAULT_CHAT, packaged.DEFAULT_EMBED)
        if required and not model["found"]:
            report["problems"].append(model["error"])
    if smoke:
        report["smoke"] = _smoke(settings)
        report["embedding"] = _embed_check(settings)
        for check in ("smoke", "embedding"):
            if not report[check]["ok"]:
                report["problems"].append(report[check].get("error", f"{check} check failed"))
    report["ok"] = not report["problems"]
    return report
