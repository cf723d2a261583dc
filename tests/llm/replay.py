"""A tiny HTTP server that replays recorded chat completion responses, for the client's tests.

Not a mock of our code: the client talks HTTP to it as to llama.cpp's server, and it answers
with bytes recorded from that server (``tests/llm/recorded/*.sse``: each a response body as
sent, its status and content type beside it in ``*.sse.json``), or with a status or pauses
that make a fault. It keeps each request's JSON body and headers, so a test can check what
was sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from eval.llm_server import free_port

RECORDED = Path(__file__).resolve().parent / "recorded"


@dataclass
class Reply:
    """What the server answers: ``status``, ``content_type`` and ``body`` sent in ``pieces``
    pieces, with ``pause`` seconds before each."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/event-stream"
    pause: float = 0.0
    pieces: int = 1


@dataclass
class Replayer:
    reply: Reply
    requests: list[dict] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""


def recorded(name: str) -> Reply:
    """A response recorded from the real llama.cpp server (``record_llm.py`` wrote it)."""
    return Reply((RECORDED / name).read_bytes())


@contextmanager
def replaying(reply: Reply) -> Iterator[Replayer]:
    """A server on a free loopback port that answers every POST with ``reply``; its URL (with
    ``/v1``) is ``.url``."""
    replayer = Replayer(reply)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
            length = int(self.headers.get("content-length", 0))
            replayer.requests.append(json.loads(self.rfile.read(length) or b"{}"))
            replayer.headers.append(dict(self.headers))
            answer = replayer.reply
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Connection", "close")
            self.end_headers()
            size = max(1, -(-len(answer.body) // answer.pieces))
            try:
                for at in range(0, max(len(answer.body), 1), size):
                    time.sleep(answer.pause)
                    self.wfile.write(answer.body[at : at + size])
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):  # the client gave up: a timeout
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    replayer.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield replayer
    finally:
        server.shutdown()
        server.server_close()
