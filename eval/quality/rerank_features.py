"""What a second-stage ranker would know about a candidate passage: a few numbers per
(question, passage) pair that the first stage does not use, or uses only through one fused
score. ``rerank_study`` measures them; none beat fusion, so no ranker ships and these live
with the study, not in ``qa.search``.

The first stage gives each candidate a dense similarity and a BM25 score. These features add
how the question's words sit in the passage (all of them? close together? in the question's
order?), whether they name its section or document, and what kind of text it is (a heading
with nothing under it, a block of code). All come from the words BM25 already indexed for the
passage, so no text is tokenised again and no model runs: the ranker costs well under a
millisecond per candidate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from qa.store.base import SearchableIndex

FEATURES = (
    "fused",  # the first stage's fused score, in [0, 1]
    "dense",  # cosine similarity of question and passage
    "dense_gap",  # ... minus the best candidate's (0 for the best)
    "bm25",  # BM25 score over the best candidate's, in [0, 1]
    "coverage",  # share of the question's word weight (IDF) the passage holds
    "all_words",  # 1 when the passage holds every word of the question
    "proximity",  # the question's words close together: their share times their density
    "bigrams",  # share of the question's word pairs found side by side
    "heading",  # share of the question's word weight in the passage's section and title
    "length",  # log of the passage's words
    "code",  # share of its lines that look like code
    "bare_heading",  # 1 when it is little more than a heading
    "document",  # the best fused score of another candidate from the same document
    "document_share",  # share of the candidates from the same document
    "neighbour",  # the best fused score of the chunk just before or after it
)
_CODE_LINE = re.compile(r"^(?:\s{2,}|\t)\S|[;{}]\s*$|^\s*(?:\$|#|//|>>>)\s")
SHORT_PASSAGE = 12  # words: fewer is a heading with little under it


@dataclass(frozen=True)
class Question:
    """A question as the features see it: its BM25 words, their IDF, and its word pairs."""

    words: tuple[str, ...]
    idf: Mapping[str, float]
    pairs: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, text: str, index: SearchableIndex) -> Question:
        weights = index.word_weights
        words = tuple(weights.words(text))
        return cls(words, weights.idf(set(words)), frozenset(zip(words, words[1:], strict=False)))


def features(
    question: Question,
    rows: Sequence[int],
    dense: Mapping[int, float],
    lexical: Mapping[int, float],
    fused: Mapping[int, float],
    index: SearchableIndex,
) -> np.ndarray:
    """One row of ``FEATURES`` per candidate row, in the order of ``rows``."""
    best_dense = max(dense.values(), default=0.0)
    least_dense = min(dense.values(), default=0.0)  # a row dense search did not return
    best_bm25 = max(lexical.values(), default=0.0) or 1.0
    total = sum(question.idf.values()) or 1.0
    chunks = [index.chunk(row).chunk for row in rows]
    by_document: dict[str, list[float]] = {}
    for row, chunk in zip(rows, chunks, strict=True):
        by_document.setdefault(chunk.doc_id, []).append(fused.get(row, 0.0))
    headings: dict[tuple[str, str | None], set[str]] = {}
    table = np.zeros((len(rows), len(FEATURES)), dtype=np.float32)
    for n, (row, chunk) in enumerate(zip(rows, chunks, strict=True)):
        words = index.lexical_words(row)
        present = set(words) & set(question.words)
        place = (chunk.doc_id, chunk.section)
        if place not in headings:
            title = index.document(chunk.doc_id).title or ""
            headings[place] = set(index.word_weights.words(f"{chunk.section or ''} {title}"))
        own = fused.get(row, 0.0)
        others = sorted(by_document[chunk.doc_id], reverse=True)
        others.remove(own)
        cosine = dense.get(row, least_dense)
        table[n] = (
            fused.get(row, 0.0),
            cosine,
            cosine - best_dense,
            lexical.get(row, 0.0) / best_bm25,
            sum(question.idf[w] for w in present) / total,
            float(bool(question.words) and present == set(question.words)),
            _proximity(words, present) * len(present) / max(len(set(question.words)), 1),
            _pair_share(words, question.pairs),
            sum(question.idf[w] for w in headings[place] & present) / total,
            math.log1p(len(words)),
            _code_share(chunk.text),
            float(len(chunk.text.split()) < SHORT_PASSAGE),
            others[0] if others else 0.0,
            len(others) / len(rows),
            _neighbour(row, chunk.doc_id, fused, index),
        )
    return table


def _neighbour(row: int, doc_id: str, fused: Mapping[int, float], index: SearchableIndex) -> float:
    """The best fused score of the chunks before and after ``row`` in its document (a
    document's chunks are consecutive rows), 0 where they are not candidates."""
    return max(
        (
            fused[side]
            for side in (row - 1, row + 1)
            if side in fused and index.chunk(side).chunk.doc_id == doc_id
        ),
        default=0.0,
    )


def _proximity(words: Sequence[str], present: set[str]) -> float:
    """How close together the passage holds the question's words: their number over the
    length of the shortest window of ``words`` holding each of them once (1: side by side)."""
    if len(present) < 2:
        return float(len(present))
    need, have, best, left = len(present), {}, len(words), 0
    for right, word in enumerate(words):
        if word in present:
            have[word] = have.get(word, 0) + 1
        while len(have) == need:
            best = min(best, right - left + 1)
            gone = words[left]
            if gone in have:
                have[gone] -= 1
                if not have[gone]:
                    del have[gone]
            left += 1
    return need / best


def _pair_share(words: Sequence[str], pairs: frozenset[tuple[str, str]]) -> float:
    if not pairs:
        return 0.0
    found = pairs & set(zip(words, words[1:], strict=False))
    return len(found) / len(pairs)


def _code_share(text: str) -> float:
    lines = [line for line in text.splitlines() if line.strip()]
    return sum(bool(_CODE_LINE.search(line)) for line in lines) / len(lines) if lines else 0.0
