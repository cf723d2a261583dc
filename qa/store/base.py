"""The store seam: what search needs from a stored index, and what keeping one takes.

``SearchableIndex`` is all that ``qa.search`` and ``qa.answering`` see of an index: vector and
lexical search by row, chunk and document records by id, word weights, the manifest. ``Store``
is what the index lifecycle (``qa.store.sync``) needs of a backend: read the live index, write
a new version and switch to it atomically, one writer at a time, and a way to set a damaged
index aside. ``qa.store.folder.FolderStore`` (a versioned folder of plain files) is the first
backend; another (PostgreSQL, say) is a module of its own implementing these two protocols.
The incremental build still works on a ``StoredIndex`` (vectors, BM25 words, samples), which
such a backend hands back from ``read``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

import numpy as np

from qa.index.manifest import Manifest
from qa.index.stored import StoredChunk, StoredIndex
from qa.types import Document


class WordWeights(Protocol):
    """The lexical side's word analysis: what counts as a word, and how rare each one is."""

    def words(self, text: str) -> list[str]: ...

    def idf(self, words: Iterable[str]) -> dict[str, float]: ...


class SearchableIndex(Protocol):
    """What a search reads from a stored index. Row ``i`` is the same chunk on every side."""

    manifest: Manifest
    documents: Sequence[Document]  # in doc_id order, each read when asked for (or held)

    def __len__(self) -> int: ...

    def dense_search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and rows of the ``k`` nearest chunks of each query vector (row -1: none)."""
        ...

    def lexical_search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and rows of the best ``k`` chunks for ``query`` by BM25; no zero scores."""
        ...

    def chunk(self, row: int) -> StoredChunk: ...

    def chunk_batch(self, rows: Sequence[int]) -> list[StoredChunk]:
        """The chunks of ``rows``, in their order: what a search shows, asked for at once (a
        database backend reads them, and their documents, in one query)."""
        ...

    def lexical_words(self, row: int) -> list[str]:
        """The words BM25 indexed for chunk ``row``, in order (``WordWeights.words`` of its
        text, then of its document's title and its headings)."""
        ...

    def document(self, doc_id: str) -> Document:
        """Raises ``DocumentNotFoundError`` for an unknown id."""
        ...

    @property
    def word_weights(self) -> WordWeights: ...


class Store(Protocol):
    """Where an index is kept, with atomic switches to new versions and one writer at a time."""

    @property
    def location(self) -> str:
        """Where it is, for people (a folder, a database)."""
        ...

    def read(self) -> StoredIndex | None:
        """The live index, or None when none has been written.

        Raises:
            IndexCorruptError: It is damaged or in another format (``IndexFormatError``).
        """
        ...

    def write(self, index: StoredIndex) -> None:
        """Store ``index`` as a new version and make it the live one, atomically. Call under
        ``writer_lock``. Raises ``IndexWriteError``, the live version unchanged."""
        ...

    def writer_lock(self) -> AbstractContextManager[None]:
        """Held while writing: one writer at a time, others wait."""
        ...

    def is_current(self, index: StoredIndex) -> bool:
        """Whether ``index`` was read from the version that is still the live one."""
        ...

    def set_aside(self) -> str | None:
        """Move a damaged live version out of the way (kept for inspection); where it went."""
        ...

    def lost_pointer(self) -> bool:
        """Whether versions are there although none is live (the pointer to it was lost)."""
        ...
