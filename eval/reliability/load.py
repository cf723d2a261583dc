"""Many users at once: the app answering concurrent questions through its API, on loopback.

    python -m eval.reliability.load [--users 50] [--questions 20] [--burst 200] [--queue-size 64]
                                    [--out FILE]

Starts the app (``app.py``, the bundled corpus) on a free loopback port. Each simulated user is
a thread with its own ``gradio_client.Client`` that asks ``--questions`` questions of the eval
set one after another through ``/ask``; every answer must be a real one (text and citations).
Reports errors and the p50/p95/p99 latency seen by users (queueing included).

Then the overload: ``--burst`` callers asking at the same moment, each on a connection of its
own, more than the queue holds (the app's ``--queue-size``, ``qa.settings.QUEUE_SIZE`` by default).
Each must end, within the time limit, either answered or refused at once with Gradio's "Queue is
full" (HTTP 503; the page shows "This application is currently busy. Please try again."): no
hang, no other error. The report gives both counts and how long a refusal took.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.performance.bench_cases import percentiles
from eval.quality.questions import QUESTIONS
from eval.reliability.app_process import running_app
from eval.report import print_report
from qa.paths import DEFAULT_CORPUS
from qa.ui import QUEUE_SIZE

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
    # The machine: cores, and its 1/5/15-minute load averages before and after the run, since
    # other work on it slows every answer.
    machine: dict[str, Any] = field(default_factory=dict)


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
    """``requests`` callers asking at the same moment, each on its own connection as that many
    browser tabs would: how many were answered, refused as busy, or failed otherwise (the last
    must be none).

    Raw HTTP through Gradio's queue (``POST /gradio_api/call/ask`` joins it, the same step as the
    page's ``queue/join``; ``GET /gradio_api/call/ask/{event_id}`` streams the outcome), so that
    every request reaches the server at once. One ``gradio_client.Client`` would not do: it
    sends through a pool of 40 threads, fewer than the queue holds, so the queue never fills.
    """
    import httpx

    start = threading.Barrier(requests)
    lock = threading.Lock()
    outcome: dict[str, Any] = {"submitted": requests, "answered": 0, "busy": 0, "other": []}
    busy_ms: list[float] = []
    answered_ms: list[float] = []
    messages: set[str] = set()

    def caller(_: int) -> None:
        with httpx.Client(base_url=url, timeout=TIMEOUT) as http:
            try:
                http.get("gradio_api/info")  # open the connection before the burst
            except httpx.HTTPError:
                pass  # the question below meets the same trouble and records it
            start.wait()
            began = time.perf_counter()
            try:
                kind, detail, _ = ask_over_http(http, question)
            except Exception as exc:  # a hang (timeout) or a broken connection is a failure
                kind, detail = "other", f"{type(exc).__name__}: {str(exc)[:200]}"
            elapsed_ms = (time.perf_counter() - began) * 1000
        with lock:
            if kind == "answered":
                outcome["answered"] += 1
                answered_ms.append(elapsed_ms)
            elif kind == "busy":
                outcome["busy"] += 1
                busy_ms.append(elapsed_ms)
                messages.add(detail)
            else:
                outcome["other"].append(detail)

    with ThreadPoolExecutor(max_workers=requests) as pool:
        list(pool.map(caller, range(requests)))
    outcome["busy_messages"] = sorted(messages)
    if busy_ms:
        outcome["busy_latency"] = percentiles_99(busy_ms)
    if answered_ms:
        outcome["answered_latency"] = percentiles_99(answered_ms)
    return outcome


def ask_over_http(http: Any, question: str) -> tuple[str, str, str]:
    """("answered", ""), ("busy", the server's reason) or ("other", what went wrong); and who
    took the question: the ``X-QA-Replica`` header a load balancer adds (eval.reliability.
    replicas's nginx), else "". Two requests: joining the queue, then its outcome's stream."""
    joined = http.post("gradio_api/call/ask", json={"data": [question, 5, "hybrid", []]})
    served_by = joined.headers.get("x-qa-replica", "")
    kind, detail = _outcome(http, joined)
    return kind, detail, served_by


def _outcome(http: Any, joined: Any) -> tuple[str, str]:
    if joined.status_code == 503:  # Gradio's answer when the queue is full
        return "busy", str(joined.json().get("detail"))
    if joined.status_code != 200:
        return "other", f"joining the queue: HTTP {joined.status_code} {joined.text[:200]}"
    event_id = joined.json()["event_id"]
    event = None
    with http.stream("GET", f"gradio_api/call/ask/{event_id}") as stream:
        for line in stream.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event in ("complete", "error"):
                data = json.loads(line.removeprefix("data: "))
                if event == "error":
                    return "other", f"the server's error: {str(data)[:200]}"
                answer = data[0] if isinstance(data, list) and data else {}
                if answer.get("text") and answer.get("citations"):
                    return "answered", ""
                return "other", f"an empty answer: {str(data)[:200]}"
    return "other", f"the stream ended without an outcome (last event {event!r})"


def percentiles_99(samples_ms: list[float]) -> dict[str, float]:
    found = percentiles(samples_ms)
    if len(samples_ms) >= 2:
        found["p99_ms"] = round(statistics.quantiles(samples_ms, n=100, method="inclusive")[98], 1)
    return found


def run(users: int, each: int, burst: int, work: Path, queue_size: int = QUEUE_SIZE) -> LoadReport:
    """Start the app with a queue of ``queue_size``, then the users, then the burst."""
    questions = eval_questions()
    load_before = load_average()
    extra = ("--queue-size", str(queue_size))
    with running_app(DEFAULT_CORPUS, work / "index", work / "app.log", *extra) as url:
        report = simulate_users(url, users, each, questions)
        if burst:
            report.burst = {"queue_size": queue_size, **overload(url, burst, questions[0])}
    report.machine = machine(load_before)
    return report


def load_average() -> list[float]:
    """The machine's 1, 5 and 15-minute load averages, rounded."""
    return [round(x, 2) for x in os.getloadavg()]


def machine(load_before: list[float]) -> dict[str, object]:
    """What a report says of the machine it ran on: cores, and the load before and after."""
    return {"cpus": os.cpu_count(), "load_before": load_before, "load_after": load_average()}


def main(argv: list[str] | None = None) -> int:
    summary = __doc__.splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m eval.reliability.load", description=summary)
    parser.add_argument("--users", type=int, default=50, help="simulated users at once")
    parser.add_argument("--questions", type=int, default=20, help="questions each user asks")
    parser.add_argument("--burst", type=int, default=200, help="requests of the overload burst")
    parser.add_argument(
        "--queue-size",
        type=int,
        default=QUEUE_SIZE,
        help=f"the app's --queue-size (default: {QUEUE_SIZE})",
    )
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qa-load-") as work:
        report = run(args.users, args.questions, args.burst, Path(work), args.queue_size)
    print_report(report, args.out)
    # A burst that never overflowed the queue has not tested the busy path: a failure too.
    failed = report.errors or report.burst.get("other") or report.burst.get("busy") == 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
