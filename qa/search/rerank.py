"""The rerank seam: a second look at the fused candidates, between fusion and the final cut.

A ``Reranker`` gets the question and the fused {row: score} candidates and returns new scores
for them (it may drop rows, never add any). ``NoReranker`` keeps fusion's order; a model or a
feature-based ranker is one new class here and one entry in ``RERANKERS``, chosen by the
``reranker`` setting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from qa.store.base import SearchableIndex


class Reranker(Protocol):
    def rerank(
        self, question: str, candidates: Mapping[int, float], index: SearchableIndex
    ) -> dict[int, float]:
        """New scores for ``candidates`` (rows of ``index``); higher is better."""
        ...


class NoReranker:
    """Fusion's scores, unchanged."""

    def rerank(
        self, question: str, candidates: Mapping[int, float], index: SearchableIndex
    ) -> dict[int, float]:
        return dict(candidates)


RERANKERS: dict[str, Callable[[], Reranker]] = {"none": NoReranker}
