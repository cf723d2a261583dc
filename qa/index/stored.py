"""An index as built or as read back: documents, chunks with their content hashes and copies,
the vector and BM25 indexes, and the duplicate search's samples, row ``i`` being chunk ``i``
everywhere. What searching it takes is ``qa.store.base.SearchableIndex``; this is the in-memory
form that the build makes and that the folder store writes and reads."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from embeddings.vector_index import VectorIndex
from qa.errors import DocumentNotFoundError
from qa.index.lexical import LexicalIndex
from qa.index.manifest import FileStat, Manifest
from qa.index.ragged import Ragged
from qa.types import Chunk, Document, Place


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as indexed: the chunk, its content hash (the embedding cache key) and the places
    in other documents that hold the same passage, with their title, part and author."""

    chunk: Chunk
    content_hash: str
    also_in: tuple[Place, ...] = ()


@dataclass
class StoredIndex:
    """Everything a search needs, as built or read from a store.

    ``file_stats`` lists the documents' files in the order of ``documents``; ``documents`` and
    ``chunks`` are lists when built and lazily parsed records when read from the folder store.
    """

    manifest: Manifest
    documents: Sequence[Document]
    file_stats: dict[str, FileStat]
    chunks: Sequence[StoredChunk]
    vectors: VectorIndex
    lexical: LexicalIndex
    samples: Ragged
    version: str = ""  # the version it was read from ("" before it is written)

    def __len__(self) -> int:
        return len(self.chunks)

    @functools.cached_property
    def _document_rows(self) -> dict[str, int]:
        return {doc_id: row for row, doc_id in enumerate(self.file_stats)}

    def document(self, doc_id: str) -> Document:
        """The document ``doc_id``.

        Raises:
            DocumentNotFoundError: The index has no such document.
        """
        row = self._document_rows.get(doc_id)
        if row is None:
            raise DocumentNotFoundError(f"no document {doc_id!r} in the index")
        return self.documents[row]

    @property
    def outdated(self) -> bool:
        """Whether its vectors are in a layout no longer written (``qa.store.sync`` rewrites
        such an index once)."""
        return self.vectors.outdated

    def chunk(self, row: int) -> StoredChunk:
        return self.chunks[row]

    def chunk_batch(self, rows: Sequence[int]) -> list[StoredChunk]:
        """The chunks of ``rows``, in their order."""
        return [self.chunks[row] for row in rows]

    def dense_search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and rows of the ``k`` nearest chunks for each query vector, best first."""
        return self.vectors.search(queries, k)

    def lexical_search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """BM25 scores and rows of the best ``k`` chunks for ``query``, best first."""
        return self.lexical.search(query, k)

    def lexical_words(self, row: int) -> list[str]:
        """The words BM25 indexed for chunk ``row`` (its text, then its title and headings)."""
        return self.lexical.row_words(row)

    @property
    def word_weights(self) -> LexicalIndex:
        """The BM25 side's word analysis and IDF (``qa.answering.base.WordWeights``)."""
        return self.lexical


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
