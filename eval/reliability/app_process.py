"""The app in a process of its own, as a user starts it: for the browser tests and the load and
soak tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from eval import ROOT  # noqa: E402
from eval.processes import stop


class AppStartError(RuntimeError):
    """The app exited or did not answer in time; the message holds its log."""


@dataclass(frozen=True)
class AppProcess:
    """A running app: its URL, and its process id for reading its memory and files in /proc."""

    url: str
    pid: int


@contextlib.contextmanager
def running_app(
    corpus: Path, index_dir: Path, log: Path, *extra: str, timeout: float = 180
) -> Iterator[str]:
    """``python app.py`` serving ``corpus`` on a free loopback port; yields its URL once it
    answers, and stops it afterwards. ``extra`` goes to app.py's command line."""
    with app_process(corpus, index_dir, log, *extra, timeout=timeout) as app:
        yield app.url


@contextlib.contextmanager
def app_process(
    corpus: Path, index_dir: Path, log: Path, *extra: str, timeout: float = 180
) -> Iterator[AppProcess]:
    """``running_app``, yielding the process id as well as the URL."""
    port = free_port()
    command = [sys.executable, "app.py", "--corpus", str(corpus), "--index-dir", str(index_dir)]
    with open(log, "w") as out:
        server = subprocess.Popen(
            [*command, "--port", str(port), "--quiet", *extra], cwd=ROOT, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while not app_answers(url):
            if server.poll() is not None:
                raise AppStartError(f"app.py exited with {server.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise AppStartError(f"app.py did not start in {timeout:.0f} s:\n{log.read_text()}")
            time.sleep(0.5)
        yield AppProcess(url, server.pid)
    finally:
        stop(server, timeout=20)


def free_port() -> int:
    """A free loopback port: the first free one of ``QA_APP_PORTS`` ("7960-7979") when it is
    set, so that tests on a machine shared with others keep to the ports they were given, else
    any the system hands out."""
    wanted = os.environ.get("QA_APP_PORTS", "").strip()
    first, _, last = wanted.partition("-")
    candidates = range(int(first), int(last or first) + 1) if wanted else [0]
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise AppStartError(f"no free port in QA_APP_PORTS={wanted}")


def app_answers(url: str) -> bool:
    """Whether ``url`` answers 200 now (the app, or a load balancer in front of apps)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
