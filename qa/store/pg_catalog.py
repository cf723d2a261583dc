"""The corpora a PostgreSQL store holds: what ``qa corpora --store URL`` lists, and what an app
replica asking for a corpus the database lacks is told to choose from.

One query of ``qa.corpora`` and the live versions' manifests (their counts and folder, read in
SQL: a manifest holds every document's text counts, too much to fetch for a listing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from qa.store import pg_schema
from qa.store.pg_connection import Database

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class StoredCorpus:
    """One corpus of the database: its id, its live version (None: none is live) with its
    counts, the folder it was indexed from (on the indexer's machine) and when it changed."""

    corpus_id: str
    version: int | None
    documents: int
    chunks: int
    folder: str
    updated: datetime


def stored_corpora(db: Database) -> list[StoredCorpus]:
    """Every corpus in the database, by id; none when its ``qa`` schema is not there yet.

    Raises:
        StoreUnavailableError: The database cannot be reached.
    """

    def listing(cursor: psycopg.Cursor[Any]) -> list[StoredCorpus]:
        if pg_schema.installed_version(cursor) is None:
            return []
        cursor.execute(
            "SELECT c.corpus_id, c.live, (m.doc->'counts'->>'documents')::int,"
            " (m.doc->'counts'->>'chunks')::int, m.doc->>'corpus', c.updated"
            " FROM qa.corpora c LEFT JOIN qa.versions v ON v.version = c.live"
            " LEFT JOIN LATERAL (SELECT v.manifest::json AS doc) m ON true"
            " ORDER BY c.corpus_id"
        )
        return [
            StoredCorpus(corpus_id, live, documents or 0, chunks or 0, folder or "", updated)
            for corpus_id, live, documents, chunks, folder, updated in cursor.fetchall()
        ]

    return db.run(listing)


def corpus_table(corpora: list[StoredCorpus]) -> str:
    """The corpora as ``qa corpora`` prints them: one line each, aligned."""
    if not corpora:
        return "No corpus in this database yet: qa index FOLDER --store URL --corpus-id NAME"
    lines = [("corpus id", "version", "documents", "passages", "updated (UTC)", "indexed from")]
    for c in corpora:
        lines.append(
            (
                c.corpus_id,
                "none live" if c.version is None else str(c.version),
                str(c.documents),
                str(c.chunks),
                c.updated.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
                c.folder,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(w) for cell, w in zip(line, widths, strict=False)), line[-1]])
        for line in lines
    ).rstrip()
