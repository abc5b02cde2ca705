"""Hand a run's trained adapter over in the forms serving stacks load.

A run folder is not a deliverable. `export_adapter` writes, for one run's LoRA:
`peft/` (transformers, vLLM), `adapter.gguf` (llama.cpp, llama-server, Ollama) and a
README with the exact commands for each, filled in with the run's own base model, rank
and names. The Trials tab offers the same folder as one zip.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.errors import AdvisorError
from eval.kinds import ADAPTER_TRIALS

GUIDE = """# LoRA adapter from trial run {run_id}

Trained on {base_label} ({kind} trial, {steps} steps, rank {rank}, alpha {alpha}).
`peft/` is the adapter as peft saved it; `adapter.gguf` is the same adapter for llama.cpp.
Both need the base model they were trained on: {base_label}.

## llama.cpp
    llama-cli -m {base_gguf} --lora adapter.gguf -p "..."
    llama-server -m {base_gguf} --lora adapter.gguf --port 8080

## llama-cpp-python's server (base and adapter side by side, as the trial measured them)
    python -m llama_cpp.server --config_file server.json
with server.json:
{server_json}
then ask model "{alias}" for the adapter and "base" for the base model.

## Ollama
Modelfile:
    FROM {base_gguf}
    ADAPTER ./adapter.gguf
then `ollama create {alias} -f Modelfile` and `ollama run {alias}`.

## vLLM (GPU)
    vllm serve <the base model's Hugging Face folder> --enable-lora \\
        --lora-modules {alias}=./peft --max-lora-rank {rank}
or, on a running server started with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True:
    curl -X POST http://localhost:8000/v1/load_lora_adapter \\
        -H "Content-Type: application/json" \\
        -d '{{"lora_name": "{alias}", "lora_path": "<absolute path to>/peft"}}'
then ask model "{alias}".

## transformers + peft
    from peft import PeftModel
    model = PeftModel.from_pretrained(base_model, "peft")

Measure it on your own model before you rely on it: `app.py trial ... --model <your model>`.
"""


@dataclass(frozen=True)
class Exported:
    folder: Path
    files: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "files": list(self.files)}


def adapter_summary(run: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(trial name, summary) of the run's trained adapter; AdvisorError when there is none."""
    for name in ADAPTER_TRIALS:
        summary = (run["trials"].get(name) or {}).get("summary") or {}
        if summary.get("adapter_path") and Path(summary["adapter_path"]).is_dir():
            return name, summary
    run_id = run["run"]["run_id"]
    raise AdvisorError(
        f"run {run_id} has no trained adapter to export (run a trial with the LoRA arm, and "
        "keep its run folder)"
    )


def base_gguf(settings: dict[str, Any]) -> Path | None:
    """The GGUF file the run's model was, or None (an HF folder or a served model)."""
    from assistant.core.models import packaged

    if settings.get("chat_backend", "llamacpp") != "llamacpp":
        return None
    chosen = settings.get("chat_model") or ""
    return Path(chosen) if chosen else packaged.locate(packaged.DEFAULT_CHAT)


def export_adapter(run: dict[str, Any], out: Path) -> Exported:
    """Write the run's adapter as peft folder + GGUF LoRA + README into `out`."""
    name, summary = adapter_summary(run)
    settings = run["run"].get("settings") or {}
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(summary["adapter_path"], out / "peft", dirs_exist_ok=True)
    files = ["peft/"]
    base = base_gguf(settings)
    if base is not None:
        gguf = Path(summary.get("adapter_gguf") or "")
        if gguf.is_file():
            shutil.copy2(gguf, out / "adapter.gguf")
        else:
            from eval.runners.lora.convert import convert_adapter

            convert_adapter(out / "peft", base, out / "adapter.gguf")
        files.append("adapter.gguf")
    (out / "README.md").write_text(_guide(run, name, summary, base), encoding="utf-8")
    return Exported(out, (*files, "README.md"))


def _guide(run: dict[str, Any], name: str, summary: dict[str, Any], base: Path | None) -> str:
    config = json.loads((Path(summary["adapter_path"]) / "adapter_config.json").read_text())
    run_id, alias = run["run"]["run_id"], f"lora-{run['run']['run_id']}"
    base_text = str(base) if base else "<your base model as GGUF>"
    adapted = {"model": base_text, "model_alias": alias, "lora_path": "adapter.gguf"}
    server = {"models": [{"model": base_text, "model_alias": "base"}, adapted]}
    model_name = (run["run"].get("models") or {}).get("chat") or base_text
    return GUIDE.format(
        run_id=run_id, base_label=model_name, kind=run["run"].get("kind", "a"),
        steps=summary.get("steps", "?"), rank=config.get("r"), alpha=config.get("lora_alpha"),
        base_gguf=base_text, alias=alias,
        server_json="\n".join("    " + line for line in json.dumps(server, indent=2).splitlines()),
    )  # fmt: skip
