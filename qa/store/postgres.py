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
import logging
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.errors import (
    IndexCorruptError,
    IndexFormatError,
    IndexWriteError,
    SettingsError,
    StoreUnavailableError,
)
from qa.index.manifest import FileStat, Manifest
from qa.index.ragged import Ragged
from qa.index.stored import StoredIndex
from qa.store import pg_copy, pg_schema
from qa.store.pg_connection import Database, connect, redact, unavailable
from qa.store.pg_index import PostgresIndex
from qa.store.records import FORMAT_VERSION, chunk_record, document_record

if TYPE_CHECKING:
    import psycopg

logger = logging.getLogger(__name__)

# How vectors are stored: "vector" (float32) or "halfvec" (float16). halfvec by default: the
# same Basra, real-documents and SciFact scores to 4 decimals, an HNSW index 0.57 times the
# size and a table 0.72 times (qa bench --sections postgres; docs/SCALING.md).
VECTOR_TYPES = tuple(pg_copy.VECTOR_DTYPES)
DEFAULT_VECTORS = "halfvec"
# HNSW's build parameters: pgvector's m, ef_construction doubled (64 → 128): recall@10 at
# ef_search 200 0.991 → 0.997 at 100k halfvec vectors and 0.977 → 0.988 at 300k, for about
# twice the build time; m 24 gained nothing at 100k (docs/SCALING.md, "What was tried").
HNSW_M, HNSW_EF_CONSTRUCTION = 16, 128
# The HNSW build's parallel workers beside the leader (PostgreSQL's default is 2).
BUILD_WORKERS = 2
# The build's memory: a graph element's bytes beyond its vector, per neighbour slot (layer 0
# has 2·m) and fixed; the estimate is raised by a fifth and capped here.
GRAPH_BYTES_PER_NEIGHBOUR, GRAPH_BYTES_PER_ELEMENT = 16, 200
MAX_BUILD_MEMORY_MB = 8192


class PostgresStore:
    """The index of corpus ``corpus_id`` in the database at ``url``."""

    def __init__(
        self,
        url: str,
        corpus_id: str,
        vectors: str = DEFAULT_VECTORS,
        m: int = HNSW_M,
        ef_construction: int = HNSW_EF_CONSTRUCTION,
    ) -> None:
        if vectors not in VECTOR_TYPES:
            raise SettingsError(
                f"unknown vector type {vectors!r} for the PostgreSQL store; choose from "
                f"{', '.join(VECTOR_TYPES)}"
            )
        self.url = url
        self.corpus_id = corpus_id
        self.vectors, self.m, self.ef_construction = vectors, m, ef_construction
        # Seconds of the last write's steps: its rows, the tables' keys, the HNSW index.
        self.write_seconds: dict[str, float] = {}
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
                "SELECT v.version, v.format, v.manifest, v.file_stats, v.layout FROM qa.corpora c "
                "JOIN qa.versions v ON v.version = c.live WHERE c.corpus_id = %s",
                (self.corpus_id,),
            )
            found = cursor.fetchone()
            if found is not None:
                missing = pg_schema.missing_tables(cursor, found[0], found[4])
                if missing:
                    raise IndexCorruptError(f"tables of the live version are missing: {missing}")
                return (*found, pg_schema.vector_type(cursor, found[0]))
            return None

        found = self._db.run(live)
        if found is None:
            return None
        version, format_, manifest, files, layout, vectors = found
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
        return PostgresIndex(self._db, int(version), parsed, stats, vectors, int(layout))

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
            "INSERT INTO qa.versions (corpus_id, format, layout, manifest, file_stats) "
            "VALUES (%s, %s, %s, %s, %s) RETURNING version",
            (
                self.corpus_id,
                FORMAT_VERSION,
                pg_schema.LAYOUT,
                json.dumps(index.manifest.to_json(), ensure_ascii=False),
                json.dumps(files, ensure_ascii=False),
            ),
        )
        version = int(cursor.fetchone()[0])  # type: ignore[index]
        dimension = index.manifest.settings.dimension
        clock = time.perf_counter()
        pg_schema.create_version(cursor, version, dimension, self.vectors)
        _copy_rows(cursor, version, index, self.vectors)
        clock = self._lap("rows", clock)
        pg_schema.add_keys(cursor, version)
        clock = self._lap("keys", clock)
        cursor.execute("SELECT pg_size_bytes(current_setting('maintenance_work_mem'))")
        server_memory = int(cursor.fetchone()[0])  # type: ignore[index]
        wanted = build_settings(len(index.chunks), dimension, self.vectors, self.m, server_memory)
        for name, value in wanted.items():  # SET LOCAL: for this transaction only
            cursor.execute("SELECT set_config(%s, %s, true)", (name, value))
        pg_schema.index_vectors(cursor, version, self.vectors, self.m, self.ef_construction)
        self._lap("hnsw", clock)
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

    def _lap(self, step: str, since: float) -> float:
        now = time.perf_counter()
        self.write_seconds[step] = round(now - since, 2)
        logger.info("%s: %s written in %.1f s", self.location, step, now - since)
        return now

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


def _copy_rows(cursor: psycopg.Cursor[Any], version: int, index: StoredIndex, vectors: str) -> None:
    """The rows of every table of ``version``, by binary COPY (``pg_copy``): numbers and
    vectors as their bytes, the big tables encoded in bulk. FREEZE writes them as already
    visible to every transaction (allowed because the tables were created in this one), so the
    first readers do not rewrite every page to set visibility hints."""
    from psycopg import sql

    def copy(part: str, columns: str, rows: Iterator[bytes]) -> None:
        statement = sql.SQL(
            "COPY {} (" + columns + ") FROM STDIN (FORMAT BINARY, FREEZE)"  # type: ignore[arg-type]
        ).format(pg_schema.table(version, part))
        with cursor.copy(statement) as out:
            out.write(pg_copy.SIGNATURE)
            for block in rows:
                out.write(block)
            out.write(pg_copy.TRAILER)

    documents = (
        pg_copy.row(
            pg_copy.int4(row), pg_copy.text(doc.doc_id), pg_copy.text(_json(document_record(doc)))
        )
        for row, doc in enumerate(index.documents)
    )
    copy("documents", "row, doc_id, record", pg_copy.blocks(documents))
    copy("chunks", "row, record, embedding, words, samples", _chunk_rows(index, vectors))
    word, row_of, score = index.lexical.postings()  # by word, then row
    counts = np.bincount(word, minlength=len(index.lexical.vocabulary))
    starts = np.concatenate([[0], np.cumsum(counts)]).tolist()
    rows, scores = pg_copy.column_bytes(row_of, score)
    df = counts.tolist()
    words = (
        pg_copy.row(
            pg_copy.int4(i),
            pg_copy.text(text),
            pg_copy.int4(df[i]),
            pg_copy.field(rows[4 * starts[i] : 4 * starts[i + 1]]),
            pg_copy.field(scores[4 * starts[i] : 4 * starts[i + 1]]),
        )
        for i, text in enumerate(index.lexical.vocabulary)
    )
    copy("words", "id, word, df, posting_rows, posting_scores", pg_copy.blocks(words))


def _chunk_rows(index: StoredIndex, vectors: str) -> Iterator[bytes]:
    """The chunks' rows, ``pg_copy.BLOCK_ROWS`` at a time: each block's vectors and arrays
    encoded together."""
    matrix = index.vectors.vectors()
    words, samples = index.lexical.word_ids, index.samples
    records = iter(index.chunks)
    for begin in range(0, len(matrix), pg_copy.BLOCK_ROWS):
        end = min(begin + pg_copy.BLOCK_ROWS, len(matrix))
        embedded = pg_copy.vectors(matrix[begin:end], vectors)
        word_arrays = _arrays(words, begin, end, pg_copy.INT4_OID)
        sample_arrays = _arrays(samples, begin, end, pg_copy.INT8_OID)
        yield b"".join(
            pg_copy.row(
                pg_copy.int4(row),
                pg_copy.text(_json(chunk_record(next(records)))),
                embedded[i],
                word_arrays[i],
                sample_arrays[i],
            )
            for i, row in enumerate(range(begin, end))
        )


def _arrays(ragged: Ragged, begin: int, end: int, oid: int) -> list[bytes]:
    """Rows ``begin`` to ``end`` of ``ragged`` as array fields."""
    offsets = ragged.offsets[begin : end + 1]
    values = ragged.values[offsets[0] : offsets[-1]]
    return pg_copy.arrays(values, offsets - offsets[0], oid)


def build_settings(
    rows: int, dimension: int, vectors: str, m: int, server_memory: int = 0
) -> dict[str, str]:
    """What the HNSW build of ``rows`` vectors is given, as settings of its transaction: memory
    enough for the whole graph (pgvector builds much slower once it no longer fits, and says so
    in a notice), never less than the server's own ``server_memory`` (bytes), and
    ``BUILD_WORKERS`` parallel workers."""
    value = 4 + dimension * (2 if vectors == "halfvec" else 4)
    graph = rows * (value + 2 * m * GRAPH_BYTES_PER_NEIGHBOUR + GRAPH_BYTES_PER_ELEMENT)
    megabytes = min(max(64, int(graph * 1.2 / 2**20) + 1), MAX_BUILD_MEMORY_MB)
    megabytes = max(megabytes, server_memory // 2**20)
    return {
        "maintenance_work_mem": f"{megabytes}MB",
        "max_parallel_maintenance_workers": str(BUILD_WORKERS),
    }


def _json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)
