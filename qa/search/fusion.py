"""Combining the dense and BM25 rankings into one. Pure functions over {row id: score} maps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def rrf(rankings: Sequence[Sequence[int]], k: int = 60) -> dict[int, float]:
    """Reciprocal rank fusion: each ranking gives ``1 / (k + rank)`` (rank from 1) to its ids.

    Every id of every ranking appears in the result.
    """
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking, start=1):
            fused[row] = fused.get(row, 0.0) + 1.0 / (k + rank)
    return fused


def min_max(scores: Mapping[int, float]) -> dict[int, float]:
    """Scores rescaled to [0, 1] (all 1.0 when they are equal)."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high == low:
        return dict.fromkeys(scores, 1.0)
    return {row: (s - low) / (high - low) for row, s in scores.items()}


def weighted(
    dense: Mapping[int, float], lexical: Mapping[int, float], dense_weight: float
) -> dict[int, float]:
    """``dense_weight`` × min-max(dense) + (1 − dense_weight) × min-max(lexical).

    An id missing from one side gets 0 from it. Every id of either side appears in the result.
    """
    d, b = min_max(dense), min_max(lexical)
    return {
        row: dense_weight * d.get(row, 0.0) + (1.0 - dense_weight) * b.get(row, 0.0)
        for row in d.keys() | b.keys()
    }


def ranked(scores: Mapping[int, float]) -> list[tuple[int, float]]:
    """(id, score) pairs, best first; ties broken by the smaller id for stable results."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
