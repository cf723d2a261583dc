"""The read side of the PostgreSQL store: an index searched in SQL, so that an app process holds
no vectors and no postings, only the records it has just shown (a few small caches).

``PostgresIndex`` is a ``StoredIndex`` (what ``qa.store.sync`` and the build take) whose
searches run in the database: dense search by pgvector's HNSW index (inner product), BM25 from
the question's words' postings (the files backend's columns, read in one statement and added
up as it adds them), records by row or id. The vectors, the BM25 words and the duplicate
search's samples that an update reuses are read only when a build asks for them.

A question costs few round trips (each is a wait for the server, and on a loaded machine a
wait for a core): one for the HNSW search, one for the BM25 postings, one for the records of
the chunks it shows and of their documents (``chunk_batch``); none is wrapped in BEGIN and
COMMIT, since a version's tables never change once written. Before this, a question took
about 30 round trips at 100k chunks (records fetched 256 rows at a time, documents one by
one, BM25 summed by a join in the database), and 164 ms p50 against 30 on the files backend
(docs/SCALING.md).
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import Stemmer

from embeddings.vector_index import VectorIndex
from qa.errors import DocumentNotFoundError, IndexCorruptError
from qa.index.lexical import LexicalIndex, best_rows, inverse_document_frequency, tokenize
from qa.index.manifest import FileStat, Manifest
from qa.index.ragged import Ragged
from qa.index.stored import StoredChunk, StoredIndex
from qa.store import pg_schema
from qa.store.pg_connection import Database
from qa.store.records import RecordSequence, chunk_from, document_from
from qa.types import Document

if TYPE_CHECKING:
    import psycopg

T = TypeVar("T")
BLOCK = 256  # chunk records are fetched this many rows at a time
# HNSW search keeps this many candidates at least (pgvector's ef_search; its default, 40, is
# below the retriever's 50 candidates, and HNSW returns no more rows than it keeps). 400
# finds 0.983 of the exact top 10 at 1M vectors, at 13.9 ms p50 (200: 0.959, 8.0 ms; 100:
# 0.910), and 0.9997 at 100k (halfvec, m 16, ef_construction 128, the store's build;
# docs/SCALING.md). A database or role setting (ALTER DATABASE db SET hnsw.ef_search = 600)
# is kept when larger.
EF_SEARCH = 400
# The search's ef_search for the connection's session: the larger of the server's (or the
# one set before) and the one asked. Set once per connection (``_EF_SEARCH_SET``), not once
# per search: a round trip fewer for each question.
SET_EF_SEARCH = (
    "SELECT set_config('hnsw.ef_search', greatest(current_setting('hnsw.ef_search', true)::int,"
    " %s)::text, false)"
)
_EF_SEARCH_SET: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
DOCUMENTS_CACHED = 256  # document records kept per index (the last ones shown)


class PostgresIndex(StoredIndex):
    """Version ``version`` of a corpus's index in the database ``db``.

    Only the manifest and the files' list are read up front; everything else is queried when
    asked for. Thread-safe: each thread queries on its own connection.
    """

    def __init__(
        self,
        db: Database,
        version: int,
        manifest: Manifest,
        file_stats: dict[str, FileStat],
        vectors: str = "vector",
        layout: int = pg_schema.LAYOUT,
    ) -> None:
        # StoredIndex's fields, without its __init__: vectors, lexical and samples are
        # properties read on demand below.
        self.manifest = manifest
        self.file_stats = file_stats
        self.version = str(version)
        self._db = db
        self._number = version
        self.vector_type = vectors  # pgvector's type of the stored vectors: vector or halfvec
        self.layout = layout  # of its tables (pg_schema.LAYOUT)
        self.documents = Rows(db, version, "documents", document_from, manifest.documents)
        self.chunks = Rows(db, version, "chunks", chunk_from, manifest.chunks)
        self._documents: OrderedDict[str, Document] = OrderedDict()  # the last ones read
        self._documents_lock = threading.Lock()
        self._weights = DatabaseWordWeights(db, version, manifest.chunks)

    def __len__(self) -> int:
        return self.manifest.chunks

    @property
    def outdated(self) -> bool:
        return False  # its vectors are in the database's one layout

    def document(self, doc_id: str) -> Document:
        with self._documents_lock:
            found = self._documents.get(doc_id)
        if found is not None:
            return found
        row = self._query(
            "SELECT record FROM {} WHERE doc_id = %s", "documents", (doc_id,), fetch="one"
        )
        if row is None:
            raise DocumentNotFoundError(f"no document {doc_id!r} in the index")
        document = _parse(document_from, row[0], "document")
        self._keep([document])
        return document

    def _keep(self, documents: Iterable[Document]) -> None:
        with self._documents_lock:
            for document in documents:
                self._documents[document.doc_id] = document
                self._documents.move_to_end(document.doc_id)
            while len(self._documents) > DOCUMENTS_CACHED:
                self._documents.popitem(last=False)

    def chunk(self, row: int) -> StoredChunk:
        return self.chunks[row]

    def chunk_batch(self, rows: Sequence[int]) -> list[StoredChunk]:
        """The chunks of ``rows``, in their order, and their documents into the cache that
        ``document`` reads: one statement for both (only the documents not cached are sent)."""
        from psycopg import sql

        if not rows:
            return []
        with self._documents_lock:
            cached = list(self._documents)
        query = sql.SQL(
            "WITH c AS (SELECT row, record FROM {} WHERE row = ANY(%s)) "
            "SELECT row, record FROM c UNION ALL "
            "SELECT NULL, d.record FROM {} d WHERE d.doc_id IN "
            "(SELECT DISTINCT record::json->>'doc_id' FROM c) AND d.doc_id <> ALL(%s)"
        ).format(
            pg_schema.table(self._number, "chunks"), pg_schema.table(self._number, "documents")
        )
        wanted = [int(row) for row in rows]
        found = self._run(lambda c: c.execute(query, (wanted, cached)).fetchall(), False)
        chunks = {row: record for row, record in found if row is not None}
        documents = (record for row, record in found if row is None)
        self._keep(_parse(document_from, record, "document") for record in documents)
        missing = [row for row in wanted if row not in chunks]
        if missing:
            raise IndexCorruptError(f"rows {missing} of the chunks are missing from the database")
        return [_parse(chunk_from, chunks[row], "chunk") for row in wanted]

    def dense_search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and rows of the ``k`` nearest chunks of each query vector by HNSW (row -1
        where fewer are found)."""
        from psycopg import sql

        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        scores = np.zeros((len(queries), k), dtype=np.float32)
        rows = np.full((len(queries), k), -1, dtype=np.int64)
        cast = "::" + self.vector_type  # the column's type, for its HNSW index to be used
        query = sql.SQL(
            "SELECT row, -(embedding <#> %(q)s" + cast + ") FROM {} "  # type: ignore[arg-type]
            "ORDER BY embedding <#> %(q)s" + cast + " LIMIT %(k)s"
        ).format(pg_schema.table(self._number, "chunks"))

        def search(cursor: psycopg.Cursor[Any]) -> list[list[tuple[int, float]]]:
            wanted = ef_search(k)
            if _EF_SEARCH_SET.get(cursor.connection, 0) < wanted:
                cursor.execute(SET_EF_SEARCH, (wanted,))
                _EF_SEARCH_SET[cursor.connection] = wanted
            found = []
            for vector in queries:
                cursor.execute(query, {"q": vector_literal(vector), "k": k})
                found.append(cursor.fetchall())
            return found

        for i, hits in enumerate(self._run(search, False)):
            for j, (row, score) in enumerate(hits):
                rows[i, j], scores[i, j] = row, score
        return scores, rows

    def lexical_search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """BM25 scores and rows of the best ``k`` chunks for ``query``: each of its words'
        postings summed (a word said twice counts twice), best first, as the files backend
        adds and orders them."""
        from psycopg import sql

        words = self._weights.words(query)
        if not words or k < 1:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        if self.layout < 2:
            return self._lexical_search_joined(words, k)
        query_sql = sql.SQL(
            "SELECT w.posting_rows, w.posting_scores FROM unnest(%s::text[]) WITH ORDINALITY "
            "AS q(word, i) JOIN {} w ON w.word = q.word ORDER BY q.i"
        ).format(pg_schema.table(self._number, "words"))

        def read(cursor: psycopg.Cursor[Any]) -> list[tuple[bytes, bytes]]:
            # binary: the byte strings as they are, not in hex to be decoded
            return cursor.execute(query_sql, (words,), binary=True).fetchall()

        columns = (
            (np.frombuffer(rows, dtype="<i4"), np.frombuffer(scores, dtype="<f4"))
            for rows, scores in self._run(read, False)
        )
        return best_rows(columns, len(self), k)

    def _lexical_search_joined(self, words: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """``lexical_search`` in a version of layout 1 (``pg_schema``): postings summed by a
        join in the database, ties by row."""
        from psycopg import sql

        query_sql = sql.SQL(
            "SELECT p.row, sum(p.score) AS score FROM unnest(%s::text[]) AS q(word) "
            "JOIN {} w ON w.word = q.word JOIN {} p ON p.word = w.id "
            "GROUP BY p.row ORDER BY score DESC, p.row LIMIT %s"
        ).format(pg_schema.table(self._number, "words"), pg_schema.table(self._number, "postings"))

        def search(cursor: psycopg.Cursor[Any]) -> list[tuple[int, float]]:
            cursor.execute(query_sql, (words, k))
            return cursor.fetchall()

        hits = self._run(search, False)
        scores = np.array([score for _, score in hits], dtype=np.float32)
        rows = np.array([row for row, _ in hits], dtype=np.int64)
        keep = scores > 0
        return scores[keep], rows[keep]

    def lexical_words(self, row: int) -> list[str]:
        from psycopg import sql

        query = sql.SQL(
            "SELECT w.word FROM {} c, unnest(c.words) WITH ORDINALITY AS u(id, i) "
            "JOIN {} w ON w.id = u.id WHERE c.row = %s ORDER BY u.i"
        ).format(pg_schema.table(self._number, "chunks"), pg_schema.table(self._number, "words"))
        return [word for (word,) in self._run(lambda c: c.execute(query, (row,)).fetchall())]

    @property
    def word_weights(self) -> DatabaseWordWeights:  # type: ignore[override]
        return self._weights

    # -- what a build reuses, read on demand ----------------------------------------------

    @functools.cached_property
    def vectors(self) -> VectorIndex:  # type: ignore[override]
        embeddings = self._column("embedding::real[]")
        dimension = self.manifest.settings.dimension
        array = np.array(embeddings, dtype=np.float32).reshape(len(embeddings), dimension)
        return VectorIndex.build(array, exact_below=len(array) + 1)  # flat: only read back

    @functools.cached_property
    def lexical(self) -> LexicalIndex:  # type: ignore[override]
        vocabulary = [
            word for (word,) in self._query("SELECT word FROM {} ORDER BY id", "words", (), "all")
        ]
        words = Ragged.from_rows(self._column("words"), np.int32)
        return LexicalIndex.from_words(vocabulary, words)

    @functools.cached_property
    def samples(self) -> Ragged:  # type: ignore[override]
        return Ragged.from_rows(self._column("samples"), np.uint32)

    # -- queries ----------------------------------------------------------------------------

    def _column(self, expression: str) -> list[Any]:
        from psycopg import sql

        query = sql.SQL("SELECT " + expression + " FROM {} ORDER BY row").format(
            pg_schema.table(self._number, "chunks")
        )
        return [value for (value,) in self._run(lambda c: c.execute(query).fetchall())]

    def _query(self, text: str, part: str, params: tuple[Any, ...], fetch: str) -> Any:
        from psycopg import sql

        query = sql.SQL(text).format(pg_schema.table(self._number, part))  # type: ignore[arg-type]

        def run(cursor: psycopg.Cursor[Any]) -> Any:
            cursor.execute(query, params)
            return cursor.fetchone() if fetch == "one" else cursor.fetchall()

        return self._run(run, False)

    def _run(self, work: Any, transaction: bool = True) -> Any:
        return run_on_version(self._db, self._number, work, transaction)


def run_on_version(db: Database, version: int, work: Any, transaction: bool = True) -> Any:
    """``db.run(work, transaction)``, a version whose tables are gone (replaced twice since it
    was read) reported as such."""
    import psycopg

    try:
        return db.run(work, transaction)
    except psycopg.errors.UndefinedTable:
        raise IndexCorruptError(
            f"version {version} of the index is no longer in the database (it was replaced "
            "since this process read it): open the index again"
        ) from None


def ef_search(k: int) -> int:
    return min(max(EF_SEARCH, 2 * k), 1000)  # pgvector accepts 1 to 1000


def vector_literal(vector: np.ndarray) -> str:
    """pgvector's text form of ``vector``; each float32 written so that it reads back exactly."""
    return "[" + ",".join(map(repr, np.asarray(vector, dtype=np.float32).tolist())) + "]"


def _parse(parse: Any, text: str, what: str) -> Any:
    import json

    try:
        return parse(json.loads(text))
    except (KeyError, TypeError, ValueError) as exc:
        raise IndexCorruptError(f"a {what} record in the database is malformed: {exc}") from exc


class Rows(RecordSequence[T]):
    """The records of one of a version's tables by row: fetched ``BLOCK`` rows at a time (the
    last 64 blocks kept), or all in one query when iterated (what a build does)."""

    def __init__(self, db: Database, version: int, part: str, parse: Any, count: int) -> None:
        self._db, self._version, self._part = db, version, part
        self._parse, self._count = parse, count
        self._block = functools.lru_cache(maxsize=64)(self._fetch_block)

    def __len__(self) -> int:
        return self._count

    def _at(self, i: int) -> T:
        block = self._block(i // BLOCK)
        if i % BLOCK >= len(block):
            raise IndexCorruptError(f"row {i} of the {self._part} is missing from the database")
        return block[i % BLOCK]

    def __iter__(self) -> Iterator[T]:
        records = self._select("ORDER BY row", ())
        if len(records) != self._count:
            raise IndexCorruptError(
                f"{len(records)} {self._part} in the database, the manifest says {self._count}"
            )
        return iter(records)

    def _fetch_block(self, block: int) -> list[T]:
        return self._select(
            "WHERE row >= %s AND row < %s ORDER BY row", (block * BLOCK, (block + 1) * BLOCK)
        )

    def _select(self, where: str, params: tuple[Any, ...]) -> list[T]:
        from psycopg import sql

        query = sql.SQL("SELECT record FROM {} " + where).format(  # type: ignore[arg-type]
            pg_schema.table(self._version, self._part)
        )
        rows = run_on_version(
            self._db, self._version, lambda c: c.execute(query, params).fetchall(), False
        )
        return [_parse(self._parse, text, self._part.rstrip("s")) for (text,) in rows]


class DatabaseWordWeights:
    """BM25's word analysis (``qa.store.base.WordWeights``): words as the files backend cuts
    them, document frequencies from the database."""

    def __init__(self, db: Database, version: int, rows: int) -> None:
        self._db, self._version, self._rows = db, version, rows
        self._stemmer = Stemmer.Stemmer("english")

    def words(self, text: str) -> list[str]:
        return tokenize([text], self._stemmer)[0]

    def idf(self, words: Iterable[str]) -> dict[str, float]:
        from psycopg import sql

        words = list(words)
        query = sql.SQL("SELECT word, df FROM {} WHERE word = ANY(%s)").format(
            pg_schema.table(self._version, "words")
        )
        found = dict(
            run_on_version(
                self._db, self._version, lambda c: c.execute(query, (words,)).fetchall(), False
            )
        )
        return {w: float(inverse_document_frequency(found.get(w, 0), self._rows)) for w in words}
