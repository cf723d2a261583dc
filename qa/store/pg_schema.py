"""The tables of the PostgreSQL store, and their migrations.

Schema ``qa``, shared by every corpus of the database::

    qa.schema_version     one row: the number of the last migration applied
    qa.corpora            corpus_id → its live version (NULL: none)
    qa.versions           one row per version: its corpus, record format, manifest, files,
                          whether it was set aside as damaged
    qa.v<N>_documents     version N's documents: row, doc_id, record (JSON text)
    qa.v<N>_chunks        row, record (JSON text), embedding vector(d) (HNSW, inner product),
                          BM25 word ids, the duplicate search's samples
    qa.v<N>_words         BM25's vocabulary: id, word, document frequency
    qa.v<N>_postings      BM25 score of each (word, row) pair, as the files backend computes it

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
SCHEMA_VERSION = 1
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
}


def table(version: int, part: str) -> sql.Identifier:
    """The table ``qa.v<version>_<part>`` (documents, chunks, words, postings)."""
    from psycopg import sql

    return sql.Identifier(SCHEMA, f"v{int(version)}_{part}")


PARTS = ("documents", "chunks", "words", "postings")


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


def create_version(cursor: psycopg.Cursor[Any], version: int, dimension: int) -> None:
    """The empty tables of ``version``, its vectors of ``dimension``."""
    from psycopg import sql

    statements = {
        "documents": "CREATE TABLE {} (row integer PRIMARY KEY, doc_id text NOT NULL UNIQUE,"
        " record text NOT NULL)",
        "chunks": "CREATE TABLE {} (row integer PRIMARY KEY, record text NOT NULL,"
        f" embedding vector({int(dimension)}) NOT NULL, words integer[] NOT NULL,"
        " samples bigint[] NOT NULL)",
        "words": "CREATE TABLE {} (id integer PRIMARY KEY, word text NOT NULL UNIQUE,"
        " df integer NOT NULL)",
        "postings": "CREATE TABLE {} (word integer NOT NULL, row integer NOT NULL,"
        " score real NOT NULL, PRIMARY KEY (word, row) INCLUDE (score))",
    }
    for part, statement in statements.items():
        cursor.execute(sql.SQL(statement).format(table(version, part)))  # type: ignore[arg-type]


def index_version(cursor: psycopg.Cursor[Any], version: int) -> None:
    """The HNSW index of ``version``'s vectors (inner product: they are normalised), built
    once its rows are in (faster than row by row)."""
    from psycopg import sql

    cursor.execute(
        sql.SQL("CREATE INDEX ON {} USING hnsw (embedding vector_ip_ops)").format(
            table(version, "chunks")
        )
    )


def drop_version(cursor: psycopg.Cursor[Any], version: int) -> None:
    from psycopg import sql

    for part in PARTS:
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table(version, part)))
    cursor.execute("DELETE FROM qa.versions WHERE version = %s", (version,))


def missing_tables(cursor: psycopg.Cursor[Any], version: int) -> list[str]:
    """The tables of ``version`` that are not in the database."""
    names = [f"{SCHEMA}.v{int(version)}_{part}" for part in PARTS]
    cursor.execute(
        "SELECT name FROM unnest(%s::text[]) name WHERE to_regclass(name) IS NULL", (names,)
    )
    return [row[0] for row in cursor.fetchall()]
