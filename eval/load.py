"""Many users at once: the app answering concurrent questions through its API, on loopback.

    python -m eval.load [--users 50] [--questions 20] [--burst 200] [--out FILE]

Starts the app (``app.py``, the bundled corpus) on a free loopback port. Each simulated user is
a thread with its own ``gradio_client.Client`` that asks ``--questions`` questions of the eval
set one after another through ``/ask``; every answer must be a real one (text and citations).
Reports errors and the p50/p95/p99 latency seen by users (queueing included).

Then the overload: ``--burst`` requests submitted at once, more than the queue holds
(``qa.webapp.QUEUE_SIZE``). Each must end, within the time limit, either answered or refused with
Gradio's "queue is full" error, which the page shows as a busy message: no hang, no other error.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eval.app_process import running_app
from eval.bench_cases import percentiles
from eval.questions import QUESTIONS
from qa.config import DEFAULT_CORPUS

TIMEOUT = 120.0  # seconds one request may take before it counts as hung


@dataclass
class LoadReport:
    users: int
    questions_each: int
    answered: int
    errors: list[str]
    latency: dict[str, float]
    seconds: float
    burst: dict[str, Any] = field(default_factory=dict)


def eval_questions() -> list[str]:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def simulate_users(url: str, users: int, each: int, questions: list[str]) -> LoadReport:
    """``users`` threads, each asking ``each`` questions in turn, starting at once."""
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(users)

    def user(number: int) -> None:
        client = Client(url, verbose=False)
        start.wait()
        for i in range(each):
            question = questions[(number * each + i) % len(questions)]
            began = time.perf_counter()
            try:
                result = client.predict(question, api_name="/ask")
                problem = None if result.get("text") and result.get("citations") else "empty"
            except Exception as exc:  # what went wrong is the measurement
                problem = f"{type(exc).__name__}: {exc}"
            with lock:
                latencies.append((time.perf_counter() - began) * 1000)
                if problem:
                    errors.append(f"user {number}, {question!r}: {problem}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(user, range(users)))
    seconds = time.perf_counter() - started
    answered = len(latencies) - len(errors)
    return LoadReport(users, each, answered, errors, percentiles_99(latencies), seconds)


def overload(url: str, requests: int, question: str) -> dict[str, Any]:
    """``requests`` submissions at once through one client: how many were answered, refused
    as busy, or failed otherwise (the last must be none)."""
    from gradio_client import Client
    from gradio_client.utils import QueueError

    client = Client(url, verbose=False)
    jobs = [client.submit(question, api_name="/ask") for _ in range(requests)]
    outcome = {"submitted": requests, "answered": 0, "busy": 0, "other": []}
    for job in jobs:
        try:
            job.result(timeout=TIMEOUT)
            outcome["answered"] += 1
        except QueueError:
            outcome["busy"] += 1
        except Exception as exc:  # anything but an answer or "busy" is a failure
            outcome["other"].append(f"{type(exc).__name__}: {str(exc)[:200]}")
    return outcome


def percentiles_99(samples_ms: list[float]) -> dict[str, float]:
    found = percentiles(samples_ms)
    if len(samples_ms) >= 2:
        found["p99_ms"] = round(statistics.quantiles(samples_ms, n=100, method="inclusive")[98], 1)
    return found


def run(users: int, each: int, burst: int, work: Path) -> LoadReport:
    questions = eval_questions()
    with running_app(DEFAULT_CORPUS, work / "index", work / "app.log") as url:
        report = simulate_users(url, users, each, questions)
        if burst:
            report.burst = overload(url, burst, questions[0])
    return report


def main(argv: list[str] | None = None) -> int:
    summary = __doc__.splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m eval.load", description=summary)
    parser.add_argument("--users", type=int, default=50, help="simulated users at once")
    parser.add_argument("--questions", type=int, default=20, help="questions each user asks")
    parser.add_argument("--burst", type=int, default=200, help="requests of the overload burst")
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qa-load-") as work:
        report = run(args.users, args.questions, args.burst, Path(work))
    text = json.dumps(asdict(report), indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    failed = report.errors or report.burst.get("other")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
