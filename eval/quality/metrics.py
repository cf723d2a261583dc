"""Retrieval and answer metrics: pure functions over spans, checked by hand in tests.

A gold quote is a span of a document, possibly with copies elsewhere (the article of 000 is
also 001). A retrieved passage is *relevant* to a gold quote when one of its places (the
passage itself, or a place in its ``also_in``) covers at least ``MIN_COVER`` of the quote's
characters in the same document.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_COVER = 0.6


@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` of document ``doc_id``."""

    doc_id: str
    start: int
    end: int


def covered_fraction(passage: Span, quote: Span) -> float:
    """Share of ``quote``'s characters that ``passage`` covers (0 in another document)."""
    if passage.doc_id != quote.doc_id or quote.end <= quote.start:
        return 0.0
    overlap = min(passage.end, quote.end) - max(passage.start, quote.start)
    return max(0, overlap) / (quote.end - quote.start)


def covers(places: Sequence[Span], quote_places: Sequence[Span]) -> bool:
    """Whether any place of a passage covers ``MIN_COVER`` of any place of a gold quote."""
    return any(covered_fraction(p, q) >= MIN_COVER for p in places for q in quote_places)


def relevance(ranked: Sequence[Sequence[Span]], gold: Sequence[Sequence[Span]]) -> list[set[int]]:
    """For each ranked passage (given by its places), the gold quotes (by index) it covers."""
    return [{g for g, quote in enumerate(gold) if covers(places, quote)} for places in ranked]


def hit_at(hits: Sequence[set[int]], k: int) -> float:
    """1.0 when one of the first ``k`` passages covers a gold quote, else 0.0."""
    return float(any(hits[:k]))


def reciprocal_rank(hits: Sequence[set[int]], k: int = 10) -> float:
    """1 / rank of the first relevant passage within the first ``k``, else 0."""
    return next((1.0 / rank for rank, h in enumerate(hits[:k], start=1) if h), 0.0)


def ndcg_at(hits: Sequence[set[int]], n_gold: int, k: int = 10) -> float:
    """nDCG@k with binary gains, each gold quote counted once: a passage gains 1 only for a
    quote no higher passage covered, so repeating one quote earns nothing."""
    if n_gold == 0:
        return 0.0
    seen: set[int] = set()
    dcg = 0.0
    for rank, covered in enumerate(hits[:k], start=1):
        if covered - seen:
            dcg += 1.0 / math.log2(rank + 1)
            seen |= covered
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(n_gold, k) + 1))
    return dcg / ideal


def recall_at(hits: Sequence[set[int]], n_gold: int, k: int) -> float:
    """Share of the gold quotes covered by the first ``k`` passages."""
    if n_gold == 0:
        return 0.0
    return len(set().union(*hits[:k])) / n_gold


def contains_answer(text: str, answers: Sequence[str]) -> bool:
    """Whether ``text`` contains one of the expected ``answers`` (case and spacing ignored)."""
    folded = " ".join(text.lower().split())
    return any(" ".join(a.lower().split()) in folded for a in answers)


def cites_gold(cited_docs: Sequence[str], gold_docs: Sequence[str]) -> bool:
    """Whether one of the documents an answer quotes (``cited_docs``, copies included) is one
    the gold quotes are in."""
    return not set(cited_docs).isdisjoint(gold_docs)
