"""Which store keeps an index: chosen by what the caller names, in one place.

The lookup order: a ``store`` given to ``QA`` (or ``--store``), then an ``index_dir`` given
(a folder, explicitly), then ``$QA_STORE``, then the default folder under ``QA_HOME``. Within a
store, a corpus is known by its id: the one given (``corpus_id``, ``--corpus-id``), else
``qa.paths.corpus_key`` of its folder (its name and a hash of its path on this machine).
"""

from __future__ import annotations

import re
from pathlib import Path

from qa.errors import CorpusError, SettingsError
from qa.paths import corpus_key, qa_home, store_url
from qa.store.base import Store
from qa.store.folder import FolderStore

SCHEMES = ("postgresql", "postgres")
# A corpus id is a folder's name under QA_HOME as well as a key in a database: nothing that
# could climb out of a folder or hide in a listing.
_CORPUS_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")


def check_corpus_id(corpus_id: object) -> str:
    """``corpus_id`` when it is a valid id.

    Raises:
        SettingsError: It is not 1 to 100 letters, digits, "_", "." or "-", starting with a
            letter, digit or "_".
    """
    if not isinstance(corpus_id, str) or not _CORPUS_ID.fullmatch(corpus_id):
        raise SettingsError(
            f"a corpus id is 1 to 100 letters, digits, '_', '.' or '-', starting with a letter, "
            f"digit or '_' (e.g. manuals or demo_corpus-1a2b3c4d5e6f), not {corpus_id!r}"
        )
    return corpus_id


def open_store(
    store: Store | str | None,
    corpus: Path | None,
    index_dir: Path | None,
    corpus_id: str | None = None,
) -> Store:
    """The store for the corpus ``corpus_id`` (default: ``corpus_key(corpus)``): ``store``
    itself when it is one, the database it names when a ``postgresql://`` URL, else a folder
    (``index_dir``, or the corpus's folder under ``QA_HOME``).

    Raises:
        SettingsError: ``store`` is text but no URL of a known database, or neither a corpus
            folder nor a valid ``corpus_id`` is given.
    """
    if corpus_id is not None:
        key = check_corpus_id(corpus_id)
    elif corpus is not None:
        key = corpus_key(corpus)
    else:
        raise SettingsError("name the corpus: its folder, or its id in the store (corpus_id)")
    if store is None and index_dir is None:
        store = store_url()
    if store is None:
        return FolderStore(index_dir if index_dir is not None else qa_home() / "indexes" / key)
    if not isinstance(store, str):
        return store
    scheme, separator, _ = store.partition("://")
    if separator and scheme.lower() in SCHEMES:
        from qa.store.postgres import PostgresStore

        return PostgresStore(store, key)
    from qa.store.pg_connection import redact

    raise SettingsError(
        f"unknown store {redact(store)!r}: give a postgresql://user@host/database URL, or none "
        "to keep the index in a folder under QA_HOME"
    )


def missing_corpus(store: Store, corpus_id: str) -> CorpusError:
    """The error for a reader of ``corpus_id`` that ``store`` holds no index of: it names the
    corpora a database holds, and how to add this one."""
    from qa.store.postgres import PostgresStore

    if not isinstance(store, PostgresStore):
        return CorpusError(
            f"no index of {corpus_id} at {store.location}: index it first "
            f"(qa index FOLDER --corpus-id {corpus_id})"
        )
    index = f"qa index FOLDER --store URL --corpus-id {corpus_id}"
    from qa.store.pg_catalog import stored_corpora
    from qa.store.pg_connection import Database, redact

    db = Database(store.url, size=1)
    try:
        names = [c.corpus_id for c in stored_corpora(db) if c.version is not None]
    finally:
        db.close()
    held = f"it holds {', '.join(names)}" if names else "it holds no corpus yet"
    return CorpusError(
        f"no corpus {corpus_id!r} in the database at {redact(store.url)}: {held} (qa corpora "
        f"--store URL lists them); index it with {index}"
    )
