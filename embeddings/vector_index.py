"""The FAISS index over normalised embeddings: inner product equals cosine similarity.

The index type follows the number of vectors, as measured with 384-dimension MiniLM vectors
on 2 cores (SciFact embeddings and synthetic collections built from them; ``qa bench``):

- below ``EXACT_BELOW`` vectors, exact search (``IndexFlatIP``): one query takes 0.6 ms at 10k
  vectors and 4.5 ms at 40k, single-threaded, and is never wrong;
- from there on, an inverted file (``4·√n`` lists, ``NPROBE`` probed): at 1M vectors recall@10
  against exact search was 0.985 at 2.2 ms a query, where exact search took 120 ms. Its lists
  hold the vectors as float16 (``IndexIVFScalarQuantizer``, ``QT_fp16``, no residuals; issue
  17): at 1M vectors (``python -m eval.performance.scale --sizes 1000000``) that found 0.9927
  of the exact top 10 against 0.9933 with float32 lists (``IndexIVFFlat``, used until then),
  in a 746 MB file instead of 1,478 MB, and the process held 1,832 MiB after its searches
  instead of 2,483; 8-bit codes found only 0.978. The lists are memory-mapped on load
  (``IO_FLAG_MMAP``), so opening a large index reads nothing up front, and a code decodes to
  the stored vector (cosine to the original ≥ 0.9999), so re-indexing can reuse them. A file
  with float32 lists still loads (kind "ivf-flat"); ``qa.store.sync`` rewrites it once.

A query or a few are searched on the calling thread only: with two threads per search on two
cores, a single query took 2.5 to 28 times as long whenever another process was busy.
"""

from __future__ import annotations

import math
from pathlib import Path

import faiss
import numpy as np

from embeddings.errors import VectorIndexError

EXACT_BELOW = 40_000
NPROBE = 64
TRAIN_PER_LIST = 40  # k-means training points per list
FEW_QUERIES = 16  # up to this many queries are searched single-threaded
# How an inverted file stores its vectors: a FAISS scalar quantizer's codes (``QT_fp16``) of
# the vectors themselves, not of their residuals to the list centre, so that decoding a code
# gives the stored vector back.
IVF_CODES = "fp16"
_ALL_THREADS = faiss.omp_get_max_threads()  # read before any thread sets its own


def list_count(count: int) -> int:
    """Lists of an inverted file over ``count`` vectors: 4·√n, with enough vectors to train."""
    return max(1, min(round(4 * math.sqrt(count)), count // TRAIN_PER_LIST))


def training_sample(vectors: np.ndarray, lists: int) -> np.ndarray:
    """The vectors k-means trains ``lists`` centres on: ``TRAIN_PER_LIST`` each, drawn alike
    every time."""
    sample = np.random.default_rng(0).permutation(len(vectors))[: lists * TRAIN_PER_LIST]
    return vectors[np.sort(sample)]


class VectorIndex:
    """Inner-product search over normalised vectors (float32 in, float16 stored by an inverted
    file); row ``i`` is chunk ``i`` of the chunk records, so ids need no mapping."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index
        if isinstance(index, faiss.IndexIVF):
            index.nprobe = NPROBE

    @classmethod
    def build(cls, vectors: np.ndarray, exact_below: int = EXACT_BELOW) -> VectorIndex:
        """An index holding ``vectors`` (n × dimension, L2-normalised) in row order: exact
        below ``exact_below`` rows, an inverted file from there on."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        count, dimension = vectors.shape
        if count < max(exact_below, 1):
            index = faiss.IndexFlatIP(dimension)
        else:
            lists = list_count(count)
            index = faiss.IndexIVFScalarQuantizer(
                faiss.IndexFlatIP(dimension),
                dimension,
                lists,
                getattr(faiss.ScalarQuantizer, f"QT_{IVF_CODES}"),
                faiss.METRIC_INNER_PRODUCT,
                False,  # by_residual
            )
            index.train(training_sample(vectors, lists))
        if count:
            index.add(vectors)
        return cls(index)

    @property
    def kind(self) -> str:
        """The index type: "exact", "ivf" (float16 vectors) or "ivf-flat" (float32 vectors, as
        versions before float16 wrote it: still read and searched, no longer written)."""
        if isinstance(self._index, faiss.IndexIVFFlat):
            return "ivf-flat"
        return "ivf" if isinstance(self._index, faiss.IndexIVF) else "exact"

    @property
    def outdated(self) -> bool:
        """Whether this index is in a layout that ``build`` no longer makes (see ``kind``)."""
        return self.kind == "ivf-flat"

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def vectors(self) -> np.ndarray:
        """All stored vectors, in row order (used to reuse embeddings when re-indexing).

        An inverted file gives them back as stored: rounded to float16, which agrees with the
        float32 vectors to a cosine of at least 0.9999 and, being exact in float32, comes back
        unchanged from any number of re-indexing rounds.
        """
        if len(self) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if isinstance(self._index, faiss.IndexIVF):
            out = np.empty((len(self), self.dimension), dtype=np.float32)
            for row_ids, codes in self._inverted_lists():
                out[row_ids] = codes
            return out
        return self._index.reconstruct_n(0, len(self))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and row ids of the ``k`` nearest rows for each query, best first.

        Rows beyond the index size come back with id -1 and are the caller's to drop.
        """
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        k = max(1, min(k, len(self)))
        # Sets this thread's OpenMP team size only (an OpenMP setting is per thread).
        faiss.omp_set_num_threads(1 if len(queries) <= FEW_QUERIES else _ALL_THREADS)
        return self._index.search(queries, k)

    def save(self, path: Path) -> None:
        """Write the index to ``path``.

        Raises:
            OSError: The file cannot be written in full (the disk is full, say).
        """
        # Through a Python file, not FAISS's own: FAISS ignores an error from fclose (where a
        # full disk shows when the last buffer is flushed), printing it and leaving a truncated
        # file, while Python raises it; the writer's callback passes write errors on as well.
        with open(path, "wb") as handle:
            faiss.write_index(self._index, faiss.PyCallbackIOWriter(handle.write))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        """Read an index written by ``save``; an inverted file's lists are memory-mapped."""
        try:
            flags = faiss.IO_FLAG_READ_ONLY | faiss.IO_FLAG_MMAP if _is_ivf(path) else 0
            return cls(faiss.read_index(str(path), flags))
        except (RuntimeError, OSError) as exc:  # FAISS reports unreadable files as RuntimeError
            raise VectorIndexError(f"cannot read vector index {path.name}: {exc}") from exc

    def _inverted_lists(self):
        """(row ids, vectors) of each non-empty list of an inverted file."""
        index, lists = self._index, self._index.invlists
        for number in range(lists.nlist):
            size = lists.list_size(number)
            if size == 0:
                continue
            ids = faiss.rev_swig_ptr(lists.get_ids(number), size).copy()
            codes = faiss.rev_swig_ptr(lists.get_codes(number), size * lists.code_size)
            codes = codes.reshape(size, lists.code_size)
            if isinstance(index, faiss.IndexIVFFlat):
                yield ids, codes.view(np.float32).copy()
                continue
            decoded = index.sq.decode(codes)
            if index.by_residual:  # not written by build, but a valid file of this type
                decoded += index.quantizer.reconstruct(number)
            yield ids, decoded


# FAISS's four-byte type tags of the inverted files we write or wrote: float16 (IVFSQ, also
# FAISS's tag for every other scalar quantizer) and the float32 ``IndexIVFFlat`` of older versions.
_IVF_TAGS = (b"IwSq", b"IwFl")


def _is_ivf(path: Path) -> bool:
    """Whether the file holds an inverted-file index, whose lists can be memory-mapped."""
    with open(path, "rb") as handle:
        return handle.read(4) in _IVF_TAGS
