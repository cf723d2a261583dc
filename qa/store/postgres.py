"""The PostgreSQL store: indexes kept in a database with pgvector, shared by every process that
reaches it (``QA(store="postgresql://user@host/db")``, ``qa index --store URL``, ``QA_STORE``).

One corpus is one ``corpus_id`` (``qa.paths.corpus_key``: its folder's name and a hash of its
path), so several corpora share one database; the tables are ``qa.pg_schema``'s. A version is
written in one transaction that also makes it the live one: a reader sees the old version or
the new one, never a mix, and an indexer killed at any moment leaves the old one serving (the
transaction is rolled back with everything it created). The live version and the one before
it are kept, so that a process still searching the previous one is not cut off mid-answer;
older ones are dropped by the next write. One writer per corpus at a time: a PostgreSQL
advisory lock, held by the writer's session (released by the server should the writer die).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.errors import IndexCorruptError, IndexFormatError, IndexWriteError, StoreUnavailableError
from qa.index.manifest import FileStat, Manifest
from qa.index.stored import StoredIndex
from qa.store import pg_schema
from qa.store.pg_connection import Database, connect, redact, unavailable
from qa.store.pg_index import PostgresIndex, vector_literal
from qa.store.records import FORMAT_VERSION, chunk_record, document_record

if TYPE_CHECKING:
    import psycopg


class PostgresStore:
    """The index of corpus ``corpus_id`` in the database at ``url``."""

    def __init__(self, url: str, corpus_id: str) -> None:
        self.url = url
        self.corpus_id = corpus_id
        self._db = Database(url)
        self._writer = threading.local()  # the session holding the writer lock, per thread

    @property
    def location(self) -> str:
        return f"{redact(self.url)} (corpus {self.corpus_id})"

    def read(self) -> PostgresIndex | None:
        def live(cursor: psycopg.Cursor[Any]) -> tuple[Any, ...] | None:
            if pg_schema.installed_version(cursor) is None:
                return None
            cursor.execute(
                "SELECT v.version, v.format, v.manifest, v.file_stats FROM qa.corpora c "
                "JOIN qa.versions v ON v.version = c.live WHERE c.corpus_id = %s",
                (self.corpus_id,),
            )
            found = cursor.fetchone()
            if found is not None:
                missing = pg_schema.missing_tables(cursor, found[0])
                if missing:
                    raise IndexCorruptError(f"tables of the live version are missing: {missing}")
            return found

        found = self._db.run(live)
        if found is None:
            return None
        version, format_, manifest, files = found
        if format_ != FORMAT_VERSION:
            raise IndexFormatError(
                f"it is in index format {format_!r}; this version of the program reads format "
                f"{FORMAT_VERSION}"
            )
        try:
            parsed = Manifest.from_json(json.loads(manifest))
            stats = {str(d): FileStat(int(s), int(m)) for d, s, m in json.loads(files)}
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise IndexCorruptError(f"malformed manifest in the database: {exc}") from exc
        return PostgresIndex(self._db, int(version), parsed, stats)

    def write(self, index: StoredIndex) -> None:
        import psycopg

        held = getattr(self._writer, "connection", None)
        connection = held if held is not None else connect(self.url)
        try:
            if held is None:
                pg_schema.migrate(connection)
            with connection.transaction(), connection.cursor() as cursor:
                self._write(cursor, index)
        except psycopg.Error as exc:
            had = "the previous index is kept" if self._has_live() else "no index was written"
            reason = " ".join(str(exc).split())
            raise IndexWriteError(
                f"cannot write the index to {self.location}: {reason}; {had}"
            ) from exc
        finally:
            if held is None:
                connection.close()

    def _write(self, cursor: psycopg.Cursor[Any], index: StoredIndex) -> int:
        """Every table of a new version, then the switch to it; returns its number."""
        cursor.execute(
            "INSERT INTO qa.corpora (corpus_id) VALUES (%s) ON CONFLICT DO NOTHING",
            (self.corpus_id,),
        )
        cursor.execute(  # row-locks the corpus: switches of one corpus are serialised
            "SELECT live FROM qa.corpora WHERE corpus_id = %s FOR UPDATE", (self.corpus_id,)
        )
        previous = cursor.fetchone()[0]  # type: ignore[index]
        files = [[d, s.size, s.mtime_ns] for d, s in index.file_stats.items()]
        cursor.execute(
            "INSERT INTO qa.versions (corpus_id, format, manifest, file_stats) "
            "VALUES (%s, %s, %s, %s) RETURNING version",
            (
                self.corpus_id,
                FORMAT_VERSION,
                json.dumps(index.manifest.to_json(), ensure_ascii=False),
                json.dumps(files, ensure_ascii=False),
            ),
        )
        version = int(cursor.fetchone()[0])  # type: ignore[index]
        pg_schema.create_version(cursor, version, index.manifest.settings.dimension)
        _copy_rows(cursor, version, index)
        pg_schema.index_version(cursor, version)
        cursor.execute(
            "UPDATE qa.corpora SET live = %s, updated = now() WHERE corpus_id = %s",
            (version, self.corpus_id),
        )
        cursor.execute(
            "SELECT version FROM qa.versions WHERE corpus_id = %s AND NOT broken "
            "AND version <> ALL(%s)",
            (self.corpus_id, [v for v in (version, previous) if v is not None]),
        )
        for (old,) in cursor.fetchall():
            pg_schema.drop_version(cursor, old)
        return version

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """The corpus's advisory lock, on a session of its own that the write then uses."""
        import psycopg

        connection = connect(self.url)
        try:
            pg_schema.migrate(connection)
            try:
                connection.execute(
                    "SELECT pg_advisory_lock(%s, hashtext(%s))",
                    (pg_schema.LOCK_SPACE, self.corpus_id),
                )
            except psycopg.OperationalError as exc:
                raise unavailable(self.url, exc) from None
            self._writer.connection = connection
            yield
        finally:
            self._writer.connection = None
            connection.close()  # ends the session, and with it the lock

    def is_current(self, index: StoredIndex) -> bool:
        if not index.version:
            return False
        return self._live() == int(index.version)

    def set_aside(self) -> str | None:
        def mark(cursor: psycopg.Cursor[Any]) -> int | None:
            cursor.execute(
                "SELECT live FROM qa.corpora WHERE corpus_id = %s FOR UPDATE", (self.corpus_id,)
            )
            found = cursor.fetchone()
            live = found[0] if found else None
            if live is not None:
                cursor.execute("UPDATE qa.versions SET broken = true WHERE version = %s", (live,))
                cursor.execute(
                    "UPDATE qa.corpora SET live = NULL WHERE corpus_id = %s", (self.corpus_id,)
                )
            return live

        live = self._db.run(mark)
        return None if live is None else f"version {live} (tables qa.v{live}_*)"

    def lost_pointer(self) -> bool:
        def lost(cursor: psycopg.Cursor[Any]) -> bool:
            if pg_schema.installed_version(cursor) is None:
                return False
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM qa.versions v JOIN qa.corpora c USING (corpus_id)"
                " WHERE c.corpus_id = %s AND c.live IS NULL AND NOT v.broken)",
                (self.corpus_id,),
            )
            return bool(cursor.fetchone()[0])  # type: ignore[index]

        return self._db.run(lost)

    def _live(self) -> int | None:
        def live(cursor: psycopg.Cursor[Any]) -> int | None:
            if pg_schema.installed_version(cursor) is None:
                return None
            cursor.execute("SELECT live FROM qa.corpora WHERE corpus_id = %s", (self.corpus_id,))
            found = cursor.fetchone()
            return None if found is None or found[0] is None else int(found[0])

        return self._db.run(live)

    def _has_live(self) -> bool:
        try:
            return self._live() is not None
        except StoreUnavailableError:
            return True  # cannot tell; nothing was changed either way


def _copy_rows(cursor: psycopg.Cursor[Any], version: int, index: StoredIndex) -> None:
    """The rows of every table of ``version``, by COPY."""
    from psycopg import sql

    def copy(part: str, columns: str) -> Any:
        return cursor.copy(
            sql.SQL("COPY {} (" + columns + ") FROM STDIN").format(  # type: ignore[arg-type]
                pg_schema.table(version, part)
            )
        )

    with copy("documents", "row, doc_id, record") as rows:
        for row, doc in enumerate(index.documents):
            rows.write_row((row, doc.doc_id, _json(document_record(doc))))
    vectors = index.vectors.vectors()
    words, samples = index.lexical.word_ids, index.samples
    with copy("chunks", "row, record, embedding, words, samples") as rows:
        for row, stored in enumerate(index.chunks):
            rows.write_row(
                (
                    row,
                    _json(chunk_record(stored)),
                    vector_literal(vectors[row]),
                    words.row(row).tolist(),
                    samples.row(row).tolist(),
                )
            )
    word, row_of, score = index.lexical.postings()
    df = np.bincount(word, minlength=len(index.lexical.vocabulary))
    with copy("words", "id, word, df") as rows:
        for i, text in enumerate(index.lexical.vocabulary):
            rows.write_row((i, text, int(df[i])))
    with copy("postings", "word, row, score") as rows:
        for w, r, s in zip(word.tolist(), row_of.tolist(), score.tolist(), strict=True):
            rows.write_row((w, r, s))


def _json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)
