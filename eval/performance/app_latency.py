"""How fast the chat answers: ``QA.answer`` in the server, and a full round trip through /ask.

    python eval/app_latency.py [--repeats 10]

Starts the app in this process on a free loopback port (model and index loaded first, as
``app.py`` does), asks the probe questions ``--repeats`` times each, and prints p50/p95/max of
the server-side answer time and of the ``gradio_client`` round trip. Writes
eval/results/app-latency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import tempfile
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from gradio_client import Client  # noqa: E402

from eval import RESULTS  # noqa: E402
from eval.performance.bench_cases import percentiles  # noqa: E402
from eval.quality.probe import OFF_TOPIC, PROBE  # noqa: E402
from qa.service import QA  # noqa: E402
from qa.ui.app import CSS, build_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    questions = [*PROBE, *OFF_TOPIC] * args.repeats

    qa = QA(index_dir=tempfile.mkdtemp(prefix="qa-latency-"), progress=False)
    qa.index()
    qa.retrieve("warm up", k=1)
    server_ms = []
    for question in questions:
        started = time.perf_counter()
        qa.answer(question)
        server_ms.append((time.perf_counter() - started) * 1000)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = build_app(qa).queue()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, css=CSS)
    client = Client(f"http://127.0.0.1:{port}/", verbose=False)
    round_trip_ms = []
    for question in questions:
        started = time.perf_counter()
        client.predict(question, api_name="/ask")
        round_trip_ms.append((time.perf_counter() - started) * 1000)
    app.close()

    result = {
        "what": "answer latency, default corpus, default settings, warm",
        "questions": len(PROBE) + len(OFF_TOPIC),
        "repeats": args.repeats,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "precision": qa.encoder.precision,
        "server_answer": percentiles(server_ms),
        "api_round_trip": percentiles(round_trip_ms),
    }
    print(f"{'':16}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'n':>6}")
    for name in ("server_answer", "api_round_trip"):
        row = result[name]
        print(f"{name:16}{row['p50_ms']:9.1f}{row['p95_ms']:9.1f}{row['max_ms']:9.1f}{row['n']:6}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "app-latency.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
