"""What every section of ``qa bench`` shares: the corpora it compares on, running one case of
``bench_cases`` in a fresh process (and saying how long it took), and the throughput of an
index build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

from eval import ROOT

CORPORA = ("basra", "scifact", "mixed")


class BenchError(RuntimeError):
    """A measurement process failed; the message holds the end of its error output."""


def run_case(case: str, **arguments: Any) -> dict[str, Any]:
    """Run one case of ``eval.performance.bench_cases`` in a fresh process; its result, plus
    ``wall_seconds``: from starting the process to its result."""
    command = [sys.executable, "-m", "eval.performance.bench_cases", case, json.dumps(arguments)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=_child_env())
    wall = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout.strip():
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise BenchError(f"{case} failed (exit {done.returncode}):\n{tail}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(wall, 2)
    return result


def _child_env() -> dict[str, str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TQDM_DISABLE="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


class Steps:
    """Runs cases one after another, saying what runs and how long it took."""

    def __init__(self, corpus: str) -> None:
        self.corpus = corpus

    def __call__(self, title: str, case: str, **arguments: Any) -> dict[str, Any]:
        print(f"  {self.corpus}: {title} …", end="", flush=True)
        result = run_case(case, **arguments)
        print(f" {result['wall_seconds']:.1f} s", flush=True)
        return result


def throughput(build: dict[str, Any]) -> dict[str, float]:
    """Documents/s and chunks/s of the whole build and of its embedding step."""
    index_s, embed_s = build["index_seconds"], build["embedding_seconds"]
    return {
        "documents_per_s": round(build["documents"] / index_s, 2),
        "chunks_per_s": round(build["chunks"] / index_s, 2),
        "embedding_documents_per_s": round(build["documents"] / embed_s, 2),
        "embedding_chunks_per_s": round(build["chunks"] / embed_s, 2),
        "embedding_characters_per_s": round(build["characters_embedded"] / embed_s, 1),
    }
