"""App replicas behind nginx on one PostgreSQL index: throughput by replica count, one replica
killed mid-run, a re-index seen by every replica without a restart, and the processes' memory.

    python -m eval.reliability.replicas [--replicas 1 2 4] [--users 50] [--questions 20]
                                        [--no-kill] [--out FILE]

Starts a PostgreSQL with pgvector (``eval.postgres_server``), indexes the bundled corpus into it
as ``--corpus-id demo``, and starts as many ``python app.py --store URL --corpus-id demo`` as the
largest count asks, each on a loopback port (``QA_APP_PORTS``, e.g. 7960-7989, when set) and
none with the corpus folder. For each count, Debian's nginx (``nginx -p DIR -c FILE``, its
pid and logs in a temporary folder) balances over that many replicas, and ``--users`` threads
ask ``--questions`` eval questions each through it, as load.py does (Gradio's queue over HTTP:
``POST /gradio_api/call/ask``, then the outcome's stream). The report gives errors,
p50/p95/p99 seen by users, questions per second, and how many each replica took.

Sticky routing: a Gradio question is two requests (joining the queue, then reading its
outcome) that must reach the same process, as must a browser's conversation (its state lives
in the process). nginx sets a ``qa_route`` cookie on a client's first response and hashes it
(``hash ... consistent``) to a replica; a replica that is down is skipped
(``proxy_next_upstream``, ``max_fails``) and its clients move to the next on the ring.

The kill: with every replica behind nginx, the first is killed (SIGKILL) once half the questions
are answered. A question in flight on it fails cleanly (an error, never a hang); every question
asked after it died must be answered by the others. Then the re-index: a copy of the corpus with
one more file is indexed under the same id, and every live replica must cite that file within
``REFRESH_SECONDS`` and a margin, with no restart.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval import ROOT
from eval.postgres_server import postgres_server
from eval.processes import stop
from eval.reliability.app_process import AppStartError, app_answers
from eval.reliability.load import (
    TIMEOUT,
    ask_over_http,
    eval_questions,
    load_average,
    machine,
    percentiles_99,
)
from eval.report import print_report
from qa.paths import DEFAULT_CORPUS
from qa.service import REFRESH_SECONDS

CORPUS_ID = "demo"
# Debian's, from its package (make browser installs it); /usr/sbin is not on every user's PATH.
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NEW_FILE = "# Harbour notes\n\nThe pelican census of Umm Qasr counted 4,711 pelicans in spring.\n"
NEW_QUESTION = "How many pelicans did the census of Umm Qasr count?"


@dataclass
class Asked:
    """One question as a user saw it: when it began and ended (seconds from the run's start),
    its outcome ("answered", "busy", "other"), what went wrong, and the replica that took it."""

    began: float
    ended: float
    kind: str
    detail: str
    served_by: str


@dataclass
class LoadRun:
    replicas: int
    users: int
    questions_each: int
    answered: int
    errors: list[str]
    latency: dict[str, float]
    seconds: float
    questions_per_second: float
    served_by: dict[str, int]
    kill: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReplicaReport:
    runs: list[LoadRun] = field(default_factory=list)
    reindex: dict[str, Any] = field(default_factory=dict)
    rss_mb: dict[str, Any] = field(default_factory=dict)
    steps_s: dict[str, float] = field(default_factory=dict)  # how long each step took
    machine: dict[str, Any] = field(default_factory=dict)


@dataclass
class Replica:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


# -- processes -------------------------------------------------------------------------------


def free_ports(count: int) -> list[int]:
    """``count`` free loopback ports, of ``QA_APP_PORTS`` ("7960-7989") when it is set, each
    held until all are found so that none is handed out twice."""
    wanted = os.environ.get("QA_APP_PORTS", "").strip()
    first, _, last = wanted.partition("-")
    candidates = iter(range(int(first), int(last or first) + 1) if wanted else [0] * count)
    with contextlib.ExitStack() as held:
        ports: list[int] = []
        for port in candidates:
            probe = held.enter_context(socket.socket())
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            ports.append(probe.getsockname()[1])
            if len(ports) == count:
                return ports
    raise AppStartError(f"fewer than {count} free ports in QA_APP_PORTS={wanted}")


@contextlib.contextmanager
def running_replicas(
    store: str, count: int, work: Path, timeout: float = 300
) -> Iterator[list[Replica]]:
    """``count`` replicas of ``CORPUS_ID`` reading ``store``, started together; yields them
    once each answers, and stops them afterwards."""
    replicas = []
    try:
        for i, port in enumerate(free_ports(count)):
            command = [sys.executable, "app.py", "--store", store, "--corpus-id", CORPUS_ID]
            with open(work / f"replica-{i}.log", "w") as log:
                process = subprocess.Popen(
                    [*command, "--port", str(port), "--quiet"], cwd=ROOT, stdout=log, stderr=log
                )
            replicas.append(Replica(port, process))
        deadline = time.monotonic() + timeout
        for i, replica in enumerate(replicas):
            while not app_answers(replica.url):
                log_text = (work / f"replica-{i}.log").read_text()
                if replica.process.poll() is not None:
                    raise AppStartError(f"replica {i} exited:\n{log_text}")
                if time.monotonic() > deadline:
                    raise AppStartError(
                        f"replica {i} did not start in {timeout:.0f} s:\n{log_text}"
                    )
                time.sleep(0.5)
        yield replicas
    finally:
        stop(*(replica.process for replica in replicas), timeout=20)


def nginx_config(ports: list[int], listen: int, folder: Path) -> str:
    """An nginx configuration balancing ``listen`` over the replicas on ``ports``, its pid,
    logs and temporary files in ``folder``; the replica that took a request is named in an
    ``X-QA-Replica`` header."""
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports
    )
    # As root, the workers run as root too: as nobody they could not use the temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""daemon off;
{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    # A client keeps its replica: a Gradio question is two requests to one process, and a
    # browser's conversation lives in one. First response: a new route; then the cookie's.
    map $cookie_qa_route $qa_route {{
        "" $request_id;
        default $cookie_qa_route;
    }}
    upstream qa_replicas {{
        hash $qa_route consistent;
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{listen};
        client_max_body_size 60m;
        location / {{
            proxy_pass http://qa_replicas;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering off;  # answers stream (server-sent events)
            proxy_read_timeout 300s;
            # A replica that refuses or drops the connection before answering: the next one.
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries 3;
            proxy_connect_timeout 2s;
            add_header Set-Cookie "qa_route=$qa_route; Path=/; HttpOnly; SameSite=Lax" always;
            add_header X-QA-Replica $upstream_addr always;
        }}
    }}
}}
"""


@contextlib.contextmanager
def running_nginx(ports: list[int], folder: Path) -> Iterator[str]:
    """Debian's nginx in front of the replicas on ``ports``; yields its URL."""
    if not os.access(NGINX, os.X_OK):
        raise AppStartError("nginx is not installed: make browser installs it (apt-get)")
    folder.mkdir(parents=True, exist_ok=True)
    (listen,) = free_ports(1)
    config = folder / "nginx.conf"
    config.write_text(nginx_config(ports, listen, folder))
    log = open(folder / "nginx.out", "w")  # noqa: SIM115  (closed below)
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(config)], stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{listen}/"
    try:
        deadline = time.monotonic() + 20
        while not app_answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AppStartError(f"nginx did not start:\n{(folder / 'nginx.out').read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        stop(process, timeout=10)
        log.close()


# -- the load ------------------------------------------------------------------------------


def ask_users(
    url: str, users: int, each: int, questions: list[str], kill: Replica | None = None
) -> tuple[list[Asked], float, tuple[float, float] | None]:
    """``users`` threads asking ``each`` questions in turn through ``url``, each on an HTTP
    client of its own that keeps its cookies (its route), as a browser does. With ``kill``,
    that replica is killed once half of all questions are answered. Returns what each question
    met, the run's seconds, and when the kill signal was sent and when the replica was found
    dead (None: no kill)."""
    import httpx

    asked: list[Asked] = []
    lock = threading.Lock()
    start = threading.Barrier(users + 1)
    half = users * each // 2
    killed: list[tuple[float, float]] = []
    answered = threading.Event()  # set at half
    began = 0.0

    def user(number: int) -> None:
        with httpx.Client(base_url=url, timeout=TIMEOUT) as http:
            with contextlib.suppress(httpx.HTTPError):
                http.get("gradio_api/info")  # the route cookie, and the connection, first
            start.wait()
            for i in range(each):
                question = questions[(number * each + i) % len(questions)]
                t0 = time.perf_counter() - began
                try:
                    kind, detail, served_by = ask_over_http(http, question)
                except Exception as exc:  # a broken connection or a hang is the measurement
                    kind, detail, served_by = "other", f"{type(exc).__name__}: {exc}"[:300], ""
                with lock:
                    asked.append(Asked(t0, time.perf_counter() - began, kind, detail, served_by))
                    if sum(a.kind == "answered" for a in asked) >= half:
                        answered.set()

    with ThreadPoolExecutor(max_workers=users) as pool:
        futures = [pool.submit(user, n) for n in range(users)]
        began = time.perf_counter()
        start.wait()
        if kill is not None:
            answered.wait()
            signalled = time.perf_counter() - began
            kill.process.send_signal(signal.SIGKILL)
            kill.process.wait()  # dead: its port refuses from now on
            killed.append((signalled, time.perf_counter() - began))
        for future in futures:
            future.result()
    return asked, time.perf_counter() - began, killed[0] if killed else None


def load_run(
    url: str, replicas: list[Replica], users: int, each: int, kill: Replica | None = None
) -> LoadRun:
    asked, seconds, killed = ask_users(url, users, each, eval_questions(), kill)
    errors = [f"{a.kind}: {a.detail}" for a in asked if a.kind != "answered"]
    ok = [a for a in asked if a.kind == "answered"]
    port_of = {f"127.0.0.1:{r.port}": str(r.port) for r in replicas}

    def replica(a: Asked) -> str:  # after a retry nginx names every replica it tried: "a, b"
        last = a.served_by.split(",")[-1].strip()
        return port_of.get(last, last)

    served = Counter(replica(a) for a in ok)
    run = LoadRun(
        replicas=len(replicas),
        users=users,
        questions_each=each,
        answered=len(ok),
        errors=errors[:20] + ([f"... {len(errors) - 20} more"] if len(errors) > 20 else []),
        latency=percentiles_99([(a.ended - a.began) * 1000 for a in asked]),
        seconds=round(seconds, 1),
        questions_per_second=round(len(ok) / seconds, 2),
        served_by=dict(sorted(served.items())),
    )
    if kill is not None and killed is not None:
        signalled, dead = killed
        before = [a for a in asked if a.ended < signalled]
        in_flight = [a for a in asked if a.began < dead and a.ended >= signalled]
        after = [a for a in asked if a.began >= dead]
        run.kill = {
            "killed_port": kill.port,
            "killed_at_s": round(signalled, 1),
            "dead_after_ms": round((dead - signalled) * 1000, 1),
            "before": {"asked": len(before), "answered": _count(before)},
            "in_flight": {
                "asked": len(in_flight),
                "answered": _count(in_flight),
                "failed": [a.detail[:160] for a in in_flight if a.kind != "answered"][:10],
                "slowest_ms": round(max((a.ended - a.began for a in in_flight), default=0) * 1000),
            },
            "after": {
                "asked": len(after),
                "answered": _count(after),
                "errors": [a.detail[:160] for a in after if a.kind != "answered"][:10],
                "served_by": dict(Counter(replica(a) for a in after if a.served_by)),
            },
        }
        run.errors = []  # judged by the kill's own counts: in-flight failures are expected
    return run


def _count(asked: list[Asked]) -> int:
    return sum(a.kind == "answered" for a in asked)


# -- re-index and memory -------------------------------------------------------------------


def reindex_seen(store: str, replicas: list[Replica], work: Path) -> dict[str, Any]:
    """Index a copy of the corpus with one more file under ``CORPUS_ID``; then how long until
    each live replica cites that file (asked directly, not through nginx), with no restart."""
    import httpx

    from qa.service import QA

    folder = work / "corpus-v2"
    shutil.copytree(DEFAULT_CORPUS, folder)
    (folder / "harbour.md").write_text(NEW_FILE)
    QA(folder, store=store, corpus_id=CORPUS_ID, progress=False).index()
    indexed = time.perf_counter()
    seen: dict[str, Any] = {}
    live = [r for r in replicas if r.process.poll() is None]
    deadline = indexed + REFRESH_SECONDS + 30
    for replica in live:
        with httpx.Client(base_url=replica.url, timeout=TIMEOUT) as http:
            while True:
                found = _cited(http)
                if found or time.perf_counter() > deadline:
                    break
                time.sleep(0.2)
        seen[str(replica.port)] = (
            round(time.perf_counter() - indexed, 2) if found else "not seen within 30 s"
        )
    return {"new_file": "harbour.md", "seconds_until_cited": seen}


def _cited(http: Any) -> bool:
    joined = http.post("gradio_api/call/ask", json={"data": [NEW_QUESTION, 3, "bm25", []]})
    if joined.status_code != 200:
        return False
    with http.stream("GET", f"gradio_api/call/ask/{joined.json()['event_id']}") as stream:
        text = "\n".join(stream.iter_lines())
    return '"harbour.md"' in text


def rss_mb(pid: int) -> dict[str, float]:
    """A process's resident memory now and at its peak (VmRSS, VmHWM), in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = round(int(value.split()[0]) / 1024, 1)
    return fields


def files_store_rss(work: Path, questions: list[str]) -> dict[str, float]:
    """The memory of one app on the files store (the same corpus, indexed beforehand as the
    replicas' was, so that it loads no documents' encoder; ``questions`` asked once each), to
    set beside a replica's."""
    import httpx

    from eval.reliability.app_process import app_process
    from qa.service import QA

    QA(DEFAULT_CORPUS, work / "files-index", progress=False).index()
    with app_process(DEFAULT_CORPUS, work / "files-index", work / "files-app.log") as app:
        with httpx.Client(base_url=app.url, timeout=TIMEOUT) as http:
            for question in questions:
                ask_over_http(http, question)
        return rss_mb(app.pid)


# -- the whole run -------------------------------------------------------------------------


def run(
    counts: list[int], users: int, each: int, work: Path, kill: bool = True, rss: bool = True
) -> ReplicaReport:
    """Every measurement of the module docstring, on ``work`` (a temporary folder)."""
    report = ReplicaReport()
    load_before = load_average()
    from qa.service import QA

    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        report.steps_s[name] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()

    with postgres_server() as store:
        step("start PostgreSQL")
        QA(DEFAULT_CORPUS, store=store, corpus_id=CORPUS_ID, progress=False).index()
        step("index the corpus")
        with running_replicas(store, max(counts), work) as replicas:
            step(f"start {len(replicas)} replicas")
            if rss:
                report.rss_mb["replica, started"] = rss_mb(replicas[-1].process.pid)
            for count in counts:
                with running_nginx(
                    [r.port for r in replicas[:count]], work / f"nginx-{count}"
                ) as url:
                    report.runs.append(load_run(url, replicas[:count], users, each))
                step(f"load on {count}")
            if rss:
                report.rss_mb["replica, after the load"] = rss_mb(replicas[-1].process.pid)
            if kill and len(replicas) > 1:
                with running_nginx([r.port for r in replicas], work / "nginx-kill") as url:
                    report.runs.append(load_run(url, replicas, users, each, kill=replicas[0]))
                step("load with a kill")
            report.reindex = reindex_seen(store, replicas, work)
            step("re-index seen")
    if rss:
        questions = eval_questions()[:each]
        report.rss_mb[f"files-store app, after {len(questions)} questions"] = files_store_rss(
            work, questions
        )
    report.machine = machine(load_before)
    return report


def failures(report: ReplicaReport) -> list[str]:
    """What the run found wrong: errors, unanswered questions after a kill, a replica that
    never saw the re-index."""
    found = []
    for r in report.runs:
        if r.errors:
            found.append(f"{r.replicas} replicas: {len(r.errors)} errors")
        if r.kill:
            after = r.kill["after"]
            if after["answered"] != after["asked"]:
                found.append(f"after the kill, {after['asked'] - after['answered']} unanswered")
    for port, seconds in report.reindex.get("seconds_until_cited", {}).items():
        if not isinstance(seconds, float | int):
            found.append(f"replica {port} did not see the re-index")
    return found


def main(argv: list[str] | None = None) -> int:
    summary = __doc__.splitlines()[0]
    parser = argparse.ArgumentParser(
        prog="python -m eval.reliability.replicas", description=summary
    )
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--users", type=int, default=50, help="simulated users at once")
    parser.add_argument("--questions", type=int, default=20, help="questions each user asks")
    parser.add_argument("--no-kill", action="store_true", help="skip the run with a kill")
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    args = parser.parse_args(argv)
    if min(args.replicas) < 1 or args.users < 1 or args.questions < 1:
        parser.error("--replicas, --users and --questions must be 1 or more")
    with tempfile.TemporaryDirectory(prefix="qa-replicas-") as work:
        report = run(args.replicas, args.users, args.questions, Path(work), not args.no_kill)
    print_report(report, args.out)
    problems = failures(report)
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
