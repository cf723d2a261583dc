"""From questions to ranked, de-duplicated passages: dense + BM25 search, fusion, rerank, cut.

candidates (dense and BM25, ``candidates`` deep) → fuse → rerank → collapse copies → top k
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from embeddings.encoder import Encoder
from qa.index.dedup import covered
from qa.index.stored import StoredChunk
from qa.search import fusion
from qa.search.rerank import RERANKERS, Reranker
from qa.settings import SearchSettings
from qa.store.base import SearchableIndex
from qa.types import Passage, Place

Candidates = tuple[dict[int, float], dict[int, float]]  # dense and BM25 {row: score}


class Retriever:
    """Searches one loaded index. Safe to call from several threads (state is read-only).

    Args:
        index: The index to search.
        encoder: Embeds the questions (the model the index was built with).
        settings: The search settings.
        batch_size: Questions per encoder batch.
    """

    def __init__(
        self,
        index: SearchableIndex,
        encoder: Encoder,
        settings: SearchSettings,
        batch_size: int = 64,
    ) -> None:
        self.index = index
        self.encoder = encoder
        self.settings = settings
        self.batch_size = batch_size
        self.reranker: Reranker = RERANKERS[settings.reranker]()
        # Runs hybrid search's BM25 side beside the dense one. One pool per Retriever, not one
        # per question: it starts no thread until a search asks for one, then keeps it for the
        # next; only when several threads search at once does it start more (up to its default
        # cap, min(32, cores + 4)), so they still run side by side. When the Retriever is
        # dropped (QA loads a new index) the pool goes with it and its idle threads exit; at
        # interpreter exit they are stopped and joined.
        self._lexical_pool = ThreadPoolExecutor(thread_name_prefix="qa-bm25")

    def embed(self, questions: Sequence[str]) -> np.ndarray:
        """The questions' vectors, to pass to ``search_batch`` (and to an answerer)."""
        return self.encoder.encode(list(questions), batch_size=self.batch_size)

    def search_batch(
        self,
        questions: Sequence[str],
        k: int,
        mode: str,
        vectors: np.ndarray | None = None,
    ) -> list[list[Passage]]:
        """The best ``k`` passages for each (already cleaned) question, best first.

        ``vectors``, when given, are the questions' embeddings (``embed``), so that a caller
        that needs them too does not embed the questions twice.
        """
        depth = max(self.settings.candidates, 3 * k)
        return [
            self.rank(
                self.reranker.rerank(q, fuse(dense, lexical, mode, self.settings), self.index), k
            )
            for q, (dense, lexical) in zip(
                questions, self.candidates(questions, depth, mode, vectors), strict=True
            )
        ]

    def candidates(
        self, questions: Sequence[str], depth: int, mode: str, vectors: np.ndarray | None = None
    ) -> list[Candidates]:
        """For each question, the best ``depth`` rows of dense and of BM25 search as {row:
        score} maps (empty for the side that ``mode`` leaves out)."""
        if not len(self.index):
            return [({}, {}) for _ in questions]
        none: list[dict[int, float]] = [{} for _ in questions]

        def lexical_side() -> list[dict[int, float]]:
            return [_as_map(*self.index.lexical_search(q, depth)) for q in questions]

        if mode == "bm25":
            return list(zip(none, lexical_side(), strict=True))
        if mode == "dense":
            return list(zip(self._dense_side(questions, depth, vectors), none, strict=True))
        # Hybrid: BM25 in a thread while the questions are embedded and searched by vector.
        # The two sides are independent; in a database they are two waits for the server, and
        # at 1M chunks each takes about as long as the other (docs/SCALING.md).
        lexical = self._lexical_pool.submit(lexical_side)
        dense = self._dense_side(questions, depth, vectors)
        return list(zip(dense, lexical.result(), strict=True))

    def _dense_side(
        self, questions: Sequence[str], depth: int, vectors: np.ndarray | None
    ) -> list[dict[int, float]]:
        queries = self.embed(questions) if vectors is None else vectors
        scores, rows = self.index.dense_search(queries, depth)
        return [_as_map(s, r) for s, r in zip(scores, rows, strict=True)]

    def rank(self, scores: dict[int, float], k: int) -> list[Passage]:
        """The best ``k`` rows as passages. With collapsing on, a row at least half covered by
        text already shown (a passage or one of its copies elsewhere) is left out: its place is
        in that passage's ``also_in``."""
        passages: list[Passage] = []
        shown: dict[str, list[tuple[int, int]]] = defaultdict(list)
        collapse = self.settings.collapse_duplicates
        for score, stored in self._records(fusion.ranked(scores), 2 * k):
            chunk = stored.chunk
            if collapse and covered((chunk.doc_id, chunk.start, chunk.end), shown) >= 0.5:
                continue
            shown[chunk.doc_id].append((chunk.start, chunk.end))
            for place in stored.also_in:
                shown[place.doc_id].append((place.start, place.end))
            passages.append(self._passage(stored, score, stored.also_in if collapse else ()))
            if len(passages) == k:
                break
        return passages

    def _records(
        self, ranked: list[tuple[int, float]], window: int
    ) -> Iterator[tuple[float, StoredChunk]]:
        """``ranked``'s scores with each row's chunk, read ``window`` rows at a time: one read
        of the index for the rows a search usually shows (a database backend's round trip),
        more only when collapsing copies left out too many."""
        for begin in range(0, len(ranked), window):
            part = ranked[begin : begin + window]
            stored = self.index.chunk_batch([row for row, _ in part])
            for (_, score), chunk in zip(part, stored, strict=True):
                yield score, chunk

    def _passage(self, stored: StoredChunk, score: float, also_in: tuple[Place, ...]) -> Passage:
        chunk = stored.chunk
        return Passage.of(chunk, self.index.document(chunk.doc_id), score, also_in)


def fuse(
    dense: dict[int, float], lexical: dict[int, float], mode: str, settings: SearchSettings
) -> dict[int, float]:
    """One {row: score} map from the two sides, as ``mode`` and the fusion settings say."""
    if mode == "dense":
        return dense
    if mode == "bm25":
        return lexical
    if settings.fusion == "weighted":
        return fusion.weighted(dense, lexical, settings.dense_weight)
    by_rank = [[row for row, _ in fusion.ranked(side)] for side in (dense, lexical)]
    return fusion.rrf(by_rank, settings.rrf_k)


def _as_map(scores: np.ndarray, rows: np.ndarray) -> dict[int, float]:
    return {int(r): float(s) for s, r in zip(scores, rows, strict=True) if r >= 0}
