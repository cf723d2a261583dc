"""The tables of the PostgreSQL store, and their migrations.

Schema ``qa``, shared by every corpus of the database::

    qa.schema_version     one row: the number of the last migration applied
    qa.corpora            corpus_id → its live version (NULL: none)
    qa.versions           one row per version: its corpus, record format, manifest, files,
                          whether it was set aside as damaged, the layout of its tables
    qa.v<N>_documents     version N's documents: row, doc_id, record (JSON text)
    qa.v<N>_chunks        row, record (JSON text), embedding vector(d) (HNSW, inner product),
                          BM25 word ids, the duplicate search's samples
    qa.v<N>_words         BM25's vocabulary: id, word, document frequency, and the word's
                          postings (its column of the files backend's BM25 scores: rows as
                          int32, scores as float32, little-endian bytes)

Layout 1 (schema 1) kept the postings in a table of their own, ``qa.v<N>_postings``, one row
per (word, row) pair, summed by a join: at 100k chunks 44 bytes a posting, 31 more in its key,
and a question's BM25 a hash aggregate of every posting of its words (31 ms p50, where the
files backend adds numpy columns in 1.7). Layout 2 stores each word's column as two byte
strings in its row of ``words``, read in one statement for the question's words and added up
as the files backend adds them (``qa.index.lexical.best_rows``): 8 bytes a posting, the same
scores and order. Versions of layout 1 are still read (a reader cannot rewrite them); the next
write of the corpus is in layout 2.

A version's tables are written in the transaction that makes it live, so they are complete
or absent; a version is the database's twin of the folder store's ``v-…`` folder, and
dropping its tables is as cheap as removing that folder. Records are JSON text, not jsonb:
they are only ever read whole, and text keeps them byte for byte as the folder store writes
them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qa.errors import StoreUnavailableError

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql

SCHEMA = "qa"
SCHEMA_VERSION = 2
# The layout of the version tables written now (``qa.versions.layout``; see above).
LAYOUT = 2
# A 32-bit key space of this program's advisory locks, beside the corpus's hash (the second
# key); the first lock of the space (0) guards the migrations.
LOCK_SPACE = 0x7161  # "qa"

# Migration n takes the schema from version n - 1 to n; each runs in one transaction.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE qa.schema_version (version integer NOT NULL)",
        "INSERT INTO qa.schema_version VALUES (0)",
        "CREATE TABLE qa.corpora (corpus_id text PRIMARY KEY, live bigint,"
        " updated timestamptz NOT NULL DEFAULT now())",
        "CREATE TABLE qa.versions (version bigserial PRIMARY KEY, corpus_id text NOT NULL,"
        " format integer NOT NULL, manifest text NOT NULL, file_stats text NOT NULL,"
        " broken boolean NOT NULL DEFAULT false, created timestamptz NOT NULL DEFAULT now())",
    ),
    2: ("ALTER TABLE qa.versions ADD COLUMN layout integer NOT NULL DEFAULT 1",),
}


def table(version: int, part: str) -> sql.Identifier:
    """The table ``qa.v<version>_<part>`` (documents, chunks, words; postings in layout 1)."""
    from psycopg import sql

    return sql.Identifier(SCHEMA, f"v{int(version)}_{part}")


PARTS = ("documents", "chunks", "words")
LEGACY_PARTS = ("postings",)  # layout 1's


def parts(layout: int) -> tuple[str, ...]:
    """The tables of a version of ``layout``."""
    return PARTS + LEGACY_PARTS if layout < 2 else PARTS


def installed_version(cursor: psycopg.Cursor[Any]) -> int | None:
    """The schema's version in the database, or None when it has no ``qa`` schema yet.

    Raises:
        StoreUnavailableError: The schema is newer than this program knows.
    """
    cursor.execute("SELECT to_regclass('qa.schema_version') IS NOT NULL")
    row = cursor.fetchone()
    if not row or not row[0]:
        return None
    cursor.execute("SELECT version FROM qa.schema_version")
    found = cursor.fetchone()
    version = int(found[0]) if found else 0
    if version > SCHEMA_VERSION:
        raise StoreUnavailableError(
            f"the database's qa schema is at version {version}, this program knows up to "
            f"{SCHEMA_VERSION}: upgrade qa-citations to use it"
        )
    return version


def migrate(connection: psycopg.Connection) -> None:
    """Create the ``vector`` extension if missing, then the ``qa`` schema, and apply the
    migrations it lacks; under an advisory lock, so that processes starting together migrate
    once.

    Raises:
        StoreUnavailableError: The extension is not there and cannot be created, or the
            schema cannot be created (no privilege), or it is newer than this program.
    """
    import psycopg

    with connection.transaction(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", (LOCK_SPACE,))
        _ensure_vector(cursor)
        version = installed_version(cursor)
        if version is not None and version >= SCHEMA_VERSION:
            return
        try:
            cursor.execute("SELECT to_regnamespace('qa') IS NULL")
            if cursor.fetchone()[0]:  # type: ignore[index]
                # Only when missing: CREATE SCHEMA IF NOT EXISTS asks for CREATE on the database
                # even when the schema is there (made by its owner for a least-privileged role).
                cursor.execute("CREATE SCHEMA qa")
            for number in range((version or 0) + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[number]:
                    cursor.execute(statement)  # type: ignore[arg-type]  # our own constants
                cursor.execute("UPDATE qa.schema_version SET version = %s", (number,))
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreUnavailableError(
                f"cannot create the qa schema: {exc.diag.message_primary}; grant the indexing "
                "role CREATE on the database, or create it as its owner (README, PostgreSQL)"
            ) from None


def _ensure_vector(cursor: psycopg.Cursor[Any]) -> None:
    import psycopg

    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'")
    if cursor.fetchone():
        return
    try:
        with cursor.connection.transaction():  # a savepoint: a refusal leaves the rest usable
            cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
    except psycopg.Error as exc:
        raise StoreUnavailableError(
            f"the database lacks the vector extension (pgvector) and it cannot be created "
            f"({exc.diag.message_primary}): install pgvector on the server, then run "
            "CREATE EXTENSION vector; in the database as its owner"
        ) from None


def create_version(
    cursor: psycopg.Cursor[Any], version: int, dimension: int, vectors: str = "vector"
) -> None:
    """The empty tables of ``version`` (in ``LAYOUT``), its vectors of ``dimension`` as
    pgvector's ``vectors`` type (``vector`` or ``halfvec``). Their keys come after the rows
    (``add_keys``): one sorted build of each index instead of an insert into it per row."""
    from psycopg import sql

    if vectors not in VECTOR_OPS:
        raise ValueError(f"vectors must be one of {', '.join(VECTOR_OPS)}, not {vectors!r}")
    statements = [
        ("documents", "CREATE TABLE {} (row integer NOT NULL, doc_id text NOT NULL,"
         " record text NOT NULL)"),
        ("chunks", "CREATE TABLE {} (row integer NOT NULL, record text NOT NULL,"
         f" embedding {vectors}({int(dimension)}) NOT NULL, words integer[] NOT NULL,"
         " samples bigint[] NOT NULL)"),
        ("words", "CREATE TABLE {} (id integer NOT NULL, word text NOT NULL, df integer NOT NULL,"
         " posting_rows bytea NOT NULL, posting_scores bytea NOT NULL)"),
        # The postings out of line and uncompressed: read whole, never decompressed (a float32
        # column hardly compresses).
        ("words", "ALTER TABLE {} ALTER COLUMN posting_rows SET STORAGE EXTERNAL,"
         " ALTER COLUMN posting_scores SET STORAGE EXTERNAL"),
    ]  # fmt: skip
    for part, statement in statements:
        cursor.execute(sql.SQL(statement).format(table(version, part)))  # type: ignore[arg-type]


# pgvector's inner-product operator class of each vector type.
VECTOR_OPS = {"vector": "vector_ip_ops", "halfvec": "halfvec_ip_ops"}
KEYS = {
    "documents": ("PRIMARY KEY (row)", "UNIQUE (doc_id)"),
    "chunks": ("PRIMARY KEY (row)",),
    "words": ("PRIMARY KEY (id)", "UNIQUE (word)"),
}


def add_keys(cursor: psycopg.Cursor[Any], version: int) -> None:
    """The keys of ``version``'s tables, once their rows are in, and the planner's statistics
    of the table the BM25 query reads."""
    from psycopg import sql

    for part, keys in KEYS.items():
        for key in keys:
            cursor.execute(
                sql.SQL("ALTER TABLE {} ADD " + key).format(table(version, part))  # type: ignore[arg-type]
            )
    cursor.execute(sql.SQL("ANALYZE {}").format(table(version, "words")))


def index_vectors(
    cursor: psycopg.Cursor[Any],
    version: int,
    vectors: str = "vector",
    m: int = 16,
    ef_construction: int = 64,
) -> None:
    """The HNSW index of ``version``'s vectors (inner product: they are normalised; pgvector's
    ``m`` and ``ef_construction``), built once the rows are in (faster than row by row)."""
    from psycopg import sql

    cursor.execute(
        sql.SQL(
            "CREATE INDEX ON {} USING hnsw (embedding " + VECTOR_OPS[vectors] + ")"  # type: ignore[arg-type]
            " WITH (m = {}, ef_construction = {})"
        ).format(table(version, "chunks"), sql.Literal(int(m)), sql.Literal(int(ef_construction)))
    )


def vector_type(cursor: psycopg.Cursor[Any], version: int) -> str:
    """The pgvector type (``vector`` or ``halfvec``) of ``version``'s vectors."""
    cursor.execute(
        "SELECT t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE a.attrelid = to_regclass(%s) AND a.attname = 'embedding'",
        (f"{SCHEMA}.v{int(version)}_chunks",),
    )
    found = cursor.fetchone()
    return str(found[0]) if found else "vector"


def drop_version(cursor: psycopg.Cursor[Any], version: int) -> None:
    from psycopg import sql

    for part in PARTS + LEGACY_PARTS:
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table(version, part)))
    cursor.execute("DELETE FROM qa.versions WHERE version = %s", (version,))


def missing_tables(cursor: psycopg.Cursor[Any], version: int, layout: int = LAYOUT) -> list[str]:
    """The tables of ``version`` (of ``layout``) that are not in the database."""
    names = [f"{SCHEMA}.v{int(version)}_{part}" for part in parts(layout)]
    cursor.execute(
        "SELECT name FROM unnest(%s::text[]) name WHERE to_regclass(name) IS NULL", (names,)
    )
    return [row[0] for row in cursor.fetchall()]
