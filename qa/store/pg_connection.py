"""Connections to the PostgreSQL store: a small pool per process (``Database``), opened on first
use, every failure one line that says what to do.

psycopg is imported here on first connection, never when ``qa`` is imported (it takes about
0.1 s, and the files backend does not need it). A read whose connection broke (the server
restarted, a network blip) is tried once more on a new connection before it fails.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from qa.errors import StoreUnavailableError

if TYPE_CHECKING:
    import psycopg

T = TypeVar("T")
CONNECT_SECONDS = 10  # how long a connection attempt may take before it counts as unreachable
POOL_SIZE = 8  # connections per process at most (``Database``)
WAIT_SECONDS = 30.0  # how long a query may wait for one of them
_PASSWORD = re.compile(r"(://[^:/@]*):[^@]*@")


def redact(url: str) -> str:
    """``url`` without its password, to be shown and logged."""
    return _PASSWORD.sub(r"\1:***@", url)


def connect(url: str) -> psycopg.Connection:
    """A new autocommit connection to ``url``.

    Raises:
        StoreUnavailableError: psycopg is not installed, or the server cannot be reached or
            refuses the login.
    """
    try:
        import psycopg
    except ImportError:
        raise StoreUnavailableError(
            "a postgresql:// store needs psycopg: pip install -e '.[postgres]'"
        ) from None
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_SECONDS)
    except psycopg.Error as exc:
        raise unavailable(url, exc) from None


def unavailable(url: str, exc: Exception) -> StoreUnavailableError:
    """The one-line error for a database that cannot be reached or used."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return StoreUnavailableError(
        f"cannot use the database at {redact(url)}: {reason}; start the server or correct the "
        "URL (--store or QA_STORE)"
    )


class Database:
    """The connections of one process to one database: a small pool of at most ``size``, reused
    by every thread. A thread that finds them all busy waits for one (at most
    ``WAIT_SECONDS``); so a server of many threads (Gradio's 40) and many replicas keeps within
    the server's ``max_connections`` (100 by default): ``size`` times the replicas.

    A caller opens a missing connection itself, so that a server that is down is reported at
    once (psycopg_pool's pool would connect in a background worker and keep the caller waiting
    for its whole timeout). A connection found broken means the server went away: every idle
    one is dropped with it (they broke too) and the work is tried once more on a new
    connection, which succeeds once the server is back.
    """

    def __init__(self, url: str, size: int = POOL_SIZE) -> None:
        if size < 1:
            raise ValueError(f"a pool needs at least one connection, not {size}")
        self.url = url
        self.size = size
        self._idle: list[psycopg.Connection] = []  # the last one returned is reused first
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)

    def run(self, work: Callable[[psycopg.Cursor[Any]], T], transaction: bool = True) -> T:
        """``work(cursor)`` in one transaction on a connection of the pool; a connection found
        broken is replaced and the work tried once more. With ``transaction`` False each of
        its statements is a transaction of its own (no BEGIN and COMMIT: two round trips
        fewer), for reads that need no common snapshot, such as those of a version's tables,
        which never change once written.

        Raises:
            StoreUnavailableError: The database cannot be reached, every connection stayed busy
                for ``WAIT_SECONDS``, or the work failed on the server (the message names the
                server's reason).
        """
        import psycopg

        for attempt in (1, 2):
            if not self._slots.acquire(timeout=WAIT_SECONDS):
                raise StoreUnavailableError(
                    f"all {self.size} connections to the database at {redact(self.url)} stayed "
                    f"busy for {WAIT_SECONDS:.0f} s: the database is overloaded or a query hangs"
                )
            try:
                connection = self._take()
                try:
                    if transaction:
                        with connection.transaction(), connection.cursor() as cursor:
                            result = work(cursor)
                    else:
                        with connection.cursor() as cursor:
                            result = work(cursor)
                except psycopg.OperationalError as exc:
                    connection.close()
                    if not connection.broken or attempt == 2:
                        raise unavailable(self.url, exc) from None
                    self.close()  # the server restarted or went away: the idle ones broke too
                    continue
                finally:
                    self._give(connection)
                return result
            finally:
                self._slots.release()
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        """Close the idle connections (those in use are closed when given back, if broken)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _take(self) -> psycopg.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return connect(self.url)

    def _give(self, connection: psycopg.Connection) -> None:
        from psycopg.pq import TransactionStatus

        if connection.closed or connection.info.transaction_status != TransactionStatus.IDLE:
            connection.close()
            return
        with self._lock:
            self._idle.append(connection)
