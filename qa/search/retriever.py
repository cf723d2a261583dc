"""From questions to ranked, de-duplicated passages: dense + BM25 search, fusion, collapse."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from embeddings.encoder import Encoder
from qa.errors import QuestionError
from qa.index.dedup import covered
from qa.search import fusion
from qa.settings import MODES, Settings
from qa.store.versions import StoredIndex
from qa.types import Passage, Place

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_K = 1000


def clean_question(question: object, max_chars: int) -> str:
    """The question with control characters removed and spaces trimmed.

    Raises:
        QuestionError: It is not text, is empty, or is longer than ``max_chars``.
    """
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, got {type(question).__name__}")
    cleaned = _CONTROL.sub(" ", question).strip()
    if not cleaned:
        raise QuestionError(
            "the question is empty: ask something, e.g. 'Who brokered the ceasefire?'"
        )
    if len(cleaned) > max_chars:
        raise QuestionError(
            f"the question is too long ({len(cleaned):,} characters; the limit is "
            f"{max_chars:,}): shorten it to the part you want answered"
        )
    return cleaned


def check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise QuestionError(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
    return k


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise QuestionError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    return mode


class Retriever:
    """Searches one loaded index. Safe to call from several threads (state is read-only)."""

    def __init__(self, index: StoredIndex, encoder: Encoder, settings: Settings) -> None:
        self.index = index
        self.encoder = encoder
        self.settings = settings

    def search_batch(self, questions: Sequence[str], k: int, mode: str) -> list[list[Passage]]:
        """The best ``k`` passages for each (already cleaned) question, best first."""
        depth = max(self.settings.candidates, 3 * k)
        return [
            self.rank(fuse(dense, lexical, mode, self.settings), k)
            for dense, lexical in self.candidates(questions, depth, mode)
        ]

    def candidates(
        self, questions: Sequence[str], depth: int, mode: str
    ) -> list[tuple[dict[int, float], dict[int, float]]]:
        """For each question, the best ``depth`` rows of dense and of BM25 search as {row:
        score} maps (empty for the side that ``mode`` leaves out)."""
        if not self.index.chunks:
            return [({}, {}) for _ in questions]
        dense: list[dict[int, float]] = [{} for _ in questions]
        if mode in ("dense", "hybrid"):
            queries = self.encoder.encode(list(questions), batch_size=self.settings.batch_size)
            scores, rows = self.index.vectors.search(queries, depth)
            dense = [_as_map(s, r) for s, r in zip(scores, rows, strict=True)]
        lexical: list[dict[int, float]] = [{} for _ in questions]
        if mode in ("bm25", "hybrid"):
            lexical = [_as_map(*self.index.lexical.search(q, depth)) for q in questions]
        return list(zip(dense, lexical, strict=True))

    def rank(self, scores: dict[int, float], k: int) -> list[Passage]:
        """The best ``k`` rows as passages. With collapsing on, a row at least half covered by
        text already shown (a passage or one of its copies elsewhere) is left out: its place is
        in that passage's ``also_in``."""
        passages: list[Passage] = []
        shown: dict[str, list[tuple[int, int]]] = defaultdict(list)
        collapse = self.settings.collapse_duplicates
        for row, score in fusion.ranked(scores):
            stored = self.index.chunks[row]
            chunk = stored.chunk
            if collapse and covered((chunk.doc_id, chunk.start, chunk.end), shown) >= 0.5:
                continue
            for doc_id, start, end in ((chunk.doc_id, chunk.start, chunk.end), *stored.also_in):
                shown[doc_id].append((start, end))
            passages.append(self._passage(row, score, stored.also_in if collapse else ()))
            if len(passages) == k:
                break
        return passages

    def _passage(self, row: int, score: float, also_in: Sequence[tuple[str, int, int]]) -> Passage:
        chunk = self.index.chunks[row].chunk
        return Passage(
            text=chunk.text,
            score=float(score),
            doc_id=chunk.doc_id,
            title=self.index.document(chunk.doc_id).title,
            start=chunk.start,
            end=chunk.end,
            section=chunk.section,
            author=chunk.author,
            date=chunk.date,
            also_in=tuple(self._place(*span) for span in also_in),
        )

    def _place(self, doc_id: str, start: int, end: int) -> Place:
        doc = self.index.document(doc_id)
        segment = next(
            (s for s in doc.segments if s.start <= start < s.end and s.kind != "boilerplate"),
            None,
        )
        comment = segment is not None and segment.kind == "comment"
        return Place(
            doc_id=doc_id,
            title=doc.title,
            start=start,
            end=end,
            section="comment" if comment else "article",
            author=segment.author if comment and segment else doc.author,
        )


def fuse(
    dense: dict[int, float], lexical: dict[int, float], mode: str, settings: Settings
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
