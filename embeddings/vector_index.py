"""The FAISS index over normalised embeddings: inner product equals cosine similarity."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from qa.errors import IndexCorruptError


class VectorIndex:
    """Exact inner-product search over float32 vectors (``faiss.IndexFlatIP``).

    Row ``i`` of the index is chunk ``i`` of the chunk records, so ids need no mapping.
    """

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray) -> VectorIndex:
        """An index holding ``vectors`` (n × dimension, L2-normalised) in row order."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        index = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            index.add(vectors)
        return cls(index)

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def vectors(self) -> np.ndarray:
        """All stored vectors, in row order (used to reuse embeddings when re-indexing)."""
        if len(self) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._index.reconstruct_n(0, len(self))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and row ids of the ``k`` nearest rows for each query, best first.

        Rows beyond the index size come back with id -1 and are the caller's to drop.
        """
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        k = max(1, min(k, len(self)))
        return self._index.search(queries, k)

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        try:
            return cls(faiss.read_index(str(path)))
        except RuntimeError as exc:  # FAISS reports unreadable files as RuntimeError
            raise IndexCorruptError(f"cannot read vector index {path.name}: {exc}") from exc
