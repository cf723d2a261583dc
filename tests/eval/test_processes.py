"""``stop``: a child that heeds SIGTERM exits by it, one that ignores it is killed after the
timeout, and every one is reaped."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from eval.processes import stop

IGNORES_SIGTERM = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('ready', flush=True); time.sleep(60)"
)


def child(code: str) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    process.stdout.close()
    return process


def test_stop_terminates_then_kills_what_ignores_it_and_reaps_all() -> None:
    heeds = child("import time; print('ready', flush=True); time.sleep(60)")
    ignores = child(IGNORES_SIGTERM)
    started = time.monotonic()
    stop(heeds, ignores, timeout=0.5)
    assert time.monotonic() - started < 10
    assert heeds.returncode == -signal.SIGTERM
    assert ignores.returncode == -signal.SIGKILL


def test_stop_leaves_an_exited_process_alone() -> None:
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    stop(done, timeout=0.5)
    assert done.returncode == 0
