"""Backend parity: one GGUF in process and behind `python -m llama_cpp.server`.

Usage: python bench/backend_parity.py [--docs examples/sample_docs --qa examples/sample_qa.csv]

Starts llama-cpp-python's server on a free local port with the packaged model, runs the
same prompt + RAG trial three ways (in process; the server as our client calls it,
repeat_penalty 1.0; the server with its own defaults) and prints one JSON object: RAG
`contains` per way and how many answers are word-for-word the in-process ones.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.core.offline import enforce_offline

enforce_offline()

from assistant.core.models import load_chat_model, load_embedder  # noqa: E402
from assistant.core.models.registry import chat_model_path  # noqa: E402
from assistant.core.settings import load_settings  # noqa: E402
from eval.config import KnowledgeConfig  # noqa: E402
from eval.run import TrialJob, run_trials  # noqa: E402
from eval.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def start_server(
    model: Path, context: int, log: Path, adapters: dict[str, Path] | None = None
) -> tuple[subprocess.Popen, str]:
    """llama-cpp-python's server on a free local port; its output goes to `log`.

    The model is served as "served"; each of `adapters` (alias → GGUF LoRA) as one more
    model alias, the same base file with that adapter on (a config file, as the exported
    adapter's README shows). A file, not a pipe, for the log: llama.cpp logs enough while
    loading to fill a pipe and block.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    models = [{"model": str(model), "model_alias": "served", "n_ctx": context}]
    models += [{"model": str(model), "model_alias": alias, "n_ctx": context,
                "lora_path": str(path)} for alias, path in (adapters or {}).items()]  # fmt: skip
    config = log.with_suffix(".json")
    config.write_text(json.dumps({"host": "127.0.0.1", "port": port, "models": models}))
    cmd = [sys.executable, "-m", "llama_cpp.server", "--config_file", str(config)]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError(f"llama_cpp.server did not start: {log.read_text()[-500:]}")


def rag_answers(settings, args, data: Path) -> tuple[float, list[str]]:
    """RAG `contains` and the answers, one fresh store and index per way."""
    with Store(data / "advisor.duckdb") as store:
        job = TrialJob(
            "knowledge", settings, store, load_chat_model(settings, "trial"),
            load_embedder(settings), KnowledgeConfig(trials=("prompt", "rag")),
            workspace="parity", docs=[Path(d) for d in args.docs], qa_file=Path(args.qa),
        )  # fmt: skip
        result = run_trials(job)
    return result.trials["rag"]["summary"]["contains"], [i.prediction for i in result.items["rag"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", nargs="+", default=[str(ROOT / "examples" / "sample_docs")])
    parser.add_argument("--qa", default=str(ROOT / "examples" / "sample_qa.csv"))
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="parity-"))
    base = load_settings(data_dir=str(tmp / "local"))
    proc, url = start_server(chat_model_path(base), base.context_size, tmp / "server.log")
    try:
        ways = {
            "in_process": base,
            "server_repeat_penalty_1.0": base.with_(
                chat_backend="openai", chat_model="served", openai_base_url=url,
                data_dir=str(tmp / "ours")),
            "server_defaults": base.with_(
                chat_backend="openai", chat_model="served", openai_base_url=url,
                openai_repeat_penalty=0.0, data_dir=str(tmp / "theirs")),
        }  # fmt: skip
        out, reference = {}, None
        for name, settings in ways.items():
            contains, answers = rag_answers(settings, args, settings.data_path)
            reference = reference or answers
            same = sum(a == b for a, b in zip(answers, reference, strict=True))
            out[name] = {"rag_contains": contains, "identical_answers": f"{same}/{len(answers)}"}
    finally:
        proc.terminate()
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
