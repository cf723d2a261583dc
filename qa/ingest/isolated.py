"""Run a reader's parsing in a child process with a time limit, so that no file can hang the
indexer or take its memory with it.

A parser in C (PDFium) may loop for ever on a hostile file, and nothing in the calling thread
can stop it. ``call(function, *args, seconds=...)`` runs ``function`` (a module-level function,
named by module and name) in one long-lived child process (``_serve`` in a new Python)
and waits at most ``seconds``; past that the child is killed, the call raises ``SkipFile``, and
the next call starts a new child. The child's own error comes back as the same exception
(``SkipFile`` with its reason, or any other, which ``load_document`` turns into a skip). When no
child can be started at all, the function runs in this process.

The parent and the child talk over the child's stdin and stdout in plain data, never pickle:
each message is JSON (an 8-byte length, then the text) followed by the byte strings it names as
``{"blob": i}`` (each an 8-byte length, then the bytes), so a PDF's bytes and a page's PNG pass
as they are. Arguments and results are therefore JSON values and bytes (tuples come back as
lists). An error comes back as its type's name and message: ``SkipFile`` as itself, a built-in
exception as its type, any other as a ``RuntimeError``. The child writes nothing else to
stdout: its file descriptor 1 points to stderr, so a library that prints cannot break the
protocol.
"""

from __future__ import annotations

import atexit
import builtins
import importlib
import json
import os
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from qa.ingest.source import SkipFile

_HEADER = struct.Struct("<Q")
_PROJECT = str(Path(__file__).resolve().parents[2])  # the folder that holds ``qa``


class _Child:
    """One child process and its pipes."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PROJECT, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from qa.ingest.isolated import _serve; _serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )

    def call(self, request: dict[str, Any], seconds: float) -> Any:
        """The child's answer to ``request``; raises TimeoutError past ``seconds`` and
        EOFError when the child died."""
        assert self.process.stdin is not None and self.process.stdout is not None
        _send(self.process.stdin, request)
        return _receive(self.process.stdout, time.monotonic() + seconds)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


_child: _Child | None = None
_lock = threading.Lock()


def call(function: Callable[..., Any], *args: Any, seconds: float) -> Any:
    """``function(*args)``, run in the child process, in at most ``seconds``.

    Raises:
        SkipFile: The call took longer than ``seconds`` (the child is killed), the child died
            while running it (a crash in the parser), or ``function`` raised it.
    """
    global _child
    request = {"module": function.__module__, "name": function.__name__, "args": list(args)}
    with _lock:
        if _child is None or _child.process.poll() is not None:
            try:
                _child = _Child()
            except OSError:  # no process can be started here: parse in this one
                return function(*args)
        try:
            answer = _child.call(request, seconds)
        except TimeoutError:
            _stop()
            raise SkipFile(f"took over {seconds:g} s to read; stopped") from None
        except (EOFError, OSError, ValueError):
            _stop()
            raise SkipFile("the parser crashed on this file") from None
    if "error" in answer:
        raise _error(answer["error"], answer["message"])
    return answer["value"]


def _error(kind: str, message: str) -> Exception:
    """The exception the child reported, by its type's name."""
    if kind == "SkipFile":
        return SkipFile(message)
    known = getattr(builtins, kind, None)
    if isinstance(known, type) and issubclass(known, Exception):
        return known(message)
    return RuntimeError(f"{kind}: {message}")


def child_peak_mib() -> int | None:
    """The child's peak resident memory so far, in MiB (Linux), or None without a child."""
    with _lock:
        if _child is None:
            return None
        try:
            status = Path(f"/proc/{_child.process.pid}/status").read_text()
        except OSError:
            return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return None


def _stop() -> None:
    global _child
    if _child is not None:
        _child.kill()
        _child = None


atexit.register(lambda: _stop())


def _send(pipe: IO[bytes], message: Any) -> None:
    blobs: list[bytes] = []
    text = json.dumps(_plain(message, blobs)).encode()
    parts = [_HEADER.pack(len(text)), text, _HEADER.pack(len(blobs))]
    for blob in blobs:
        parts += [_HEADER.pack(len(blob)), blob]
    pipe.write(b"".join(parts))
    pipe.flush()


def _receive(pipe: IO[bytes], deadline: float | None = None) -> Any:
    """The next message; raises ValueError when it is malformed."""

    def sized() -> bytes:
        return _read_exactly(
            pipe, _HEADER.unpack(_read_exactly(pipe, _HEADER.size, deadline))[0], deadline
        )

    text = sized()
    blobs = [sized() for _ in range(_HEADER.unpack(_read_exactly(pipe, _HEADER.size, deadline))[0])]
    return _unplain(json.loads(text), blobs)


def _plain(value: Any, blobs: list[bytes]) -> Any:
    """``value`` as JSON, its byte strings moved to ``blobs``."""
    if isinstance(value, bytes):
        blobs.append(value)
        return {"blob": len(blobs) - 1}
    if isinstance(value, list | tuple):
        return [_plain(item, blobs) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item, blobs) for key, item in value.items()}
    return value


def _unplain(value: Any, blobs: list[bytes]) -> Any:
    if isinstance(value, list):
        return [_unplain(item, blobs) for item in value]
    if isinstance(value, dict):
        if value.keys() == {"blob"}:
            return blobs[value["blob"]]
        return {key: _unplain(item, blobs) for key, item in value.items()}
    return value


def _read_exactly(pipe: IO[bytes], size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([pipe], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(pipe.fileno(), min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _serve() -> None:
    """The child: answer requests until the parent closes stdin."""
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what the parsers print goes to stderr, never into the protocol
    while True:
        try:
            request = _receive(requests)
        except EOFError:
            return
        try:
            function = getattr(importlib.import_module(request["module"]), request["name"])
            answer: dict[str, Any] = {"value": function(*request["args"])}
        except SkipFile as skip:
            answer = {"error": "SkipFile", "message": skip.reason}
        except Exception as error:  # noqa: BLE001  (sent back and raised in the parent)
            answer = {"error": type(error).__name__, "message": str(error)}
        try:
            _send(answers, answer)
        except (TypeError, ValueError) as error:  # a result that is not plain data
            _send(answers, {"error": "TypeError", "message": f"not plain data: {error}"})
