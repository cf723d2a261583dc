"""Which store keeps an index: chosen by what the caller names, in one place.

The lookup order: a ``store`` given to ``QA`` (or ``--store``), then an ``index_dir`` given
(a folder, explicitly), then ``$QA_STORE``, then the default folder under ``QA_HOME``.
"""

from __future__ import annotations

from pathlib import Path

from qa.errors import SettingsError
from qa.paths import corpus_key, default_index_dir, store_url
from qa.store.base import Store
from qa.store.folder import FolderStore

SCHEMES = ("postgresql", "postgres")


def open_store(store: Store | str | None, corpus: Path, index_dir: Path | None) -> Store:
    """The store for ``corpus``: ``store`` itself when it is one, the database it names when a
    ``postgresql://`` URL, else a folder (``index_dir``, or the default under ``QA_HOME``).

    Raises:
        SettingsError: ``store`` is text but no URL of a known database.
    """
    if store is None and index_dir is None:
        store = store_url()
    if store is None:
        return FolderStore(index_dir if index_dir is not None else default_index_dir(corpus))
    if not isinstance(store, str):
        return store
    scheme, separator, _ = store.partition("://")
    if separator and scheme.lower() in SCHEMES:
        from qa.store.postgres import PostgresStore

        return PostgresStore(store, corpus_key(corpus))
    from qa.store.pg_connection import redact

    raise SettingsError(
        f"unknown store {redact(store)!r}: give a postgresql://user@host/database URL, or none "
        "to keep the index in a folder under QA_HOME"
    )
