"""The child processes the harnesses start (the app, its replicas, nginx, the LLM server), and
how they are stopped: one place for it, so that every harness leaves no process behind."""

from __future__ import annotations

import subprocess
from typing import Any


def stop(*processes: subprocess.Popen[Any], timeout: float) -> None:
    """Stop ``processes`` and reap them: SIGTERM to all at once (so they shut down side by
    side), then up to ``timeout`` seconds for each to exit, SIGKILL to one that has not. One
    that has already exited is left as it is."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()  # SIGKILL cannot be caught: this returns at once, leaving no zombie
