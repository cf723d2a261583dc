"""Connections to the PostgreSQL store: one per thread, opened on first use, every failure one
line that says what to do.

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
    """The connections of one process to one database: one per thread, kept and reused."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()

    def run(self, work: Callable[[psycopg.Cursor[Any]], T]) -> T:
        """``work(cursor)`` in one transaction on this thread's connection; a connection found
        broken is replaced and the work tried once more.

        Raises:
            StoreUnavailableError: The database cannot be reached, or the work failed on the
                server (the message names the server's reason).
        """
        import psycopg

        for attempt in (1, 2):
            connection = self._connection()
            try:
                with connection.transaction(), connection.cursor() as cursor:
                    return work(cursor)
            except psycopg.OperationalError as exc:
                self._drop()
                if attempt == 2 or not connection.broken:
                    raise unavailable(self.url, exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _connection(self) -> psycopg.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.closed:
            connection = connect(self.url)
            self._local.connection = connection
        return connection

    def _drop(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()
