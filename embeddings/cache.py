"""Embeddings of texts seen before, kept so that they are not computed again.

The extractive answerer embeds every candidate sentence of the passages it is given. In a
serving process the same passages come back question after question, and embedding their
sentences is most of an answer's time. ``EmbeddingCache`` keeps the most recently used
``capacity`` embeddings (least recently used first out), so memory stays bounded however long
the process runs: an entry of 384 floats and its sentence of 150 characters takes about 1.9 KB
(measured with tracemalloc), so the default 20,000 take about 38 MB.

A text's embedding hardly depends on the texts batched with it (padding is masked): the 31
candidate sentences of one answer came out identical, bit for bit, embedded alone or together;
in bf16, batches of other shapes may round differently, to a cosine of 0.99986 at the least
(docs/PERFORMANCE.md). The dev answers were the same with the cache as without it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

import numpy as np

DEFAULT_CAPACITY = 20_000


class Encodes(Protocol):
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class EmbeddingCache:
    """``encoder.encode`` with the last ``capacity`` texts' embeddings kept; safe to share
    between threads. ``capacity`` 0 keeps nothing."""

    def __init__(self, encoder: Encodes, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 0:
            raise ValueError(f"capacity must be 0 or more, not {capacity}")
        self.encoder = encoder
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._kept: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text, in the order given: kept rows, and the others
        embedded together in one call (each distinct text once)."""
        out = np.empty((len(texts), self.encoder.dimension), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for row, text in enumerate(texts):
                kept = self._kept.get(text)
                if kept is None:
                    missing.setdefault(text, []).append(row)
                else:
                    self._kept.move_to_end(text)
                    out[row] = kept
            self.hits += len(texts) - sum(len(rows) for rows in missing.values())
            self.misses += len(missing)
        if not missing:
            return out
        fresh = self.encoder.encode(list(missing))  # outside the lock: the slow part
        with self._lock:
            for (text, rows), vector in zip(missing.items(), fresh, strict=True):
                out[rows] = vector
                if self.capacity:
                    self._kept[text] = vector.copy()  # not a view pinning the whole batch
                    self._kept.move_to_end(text)
            while len(self._kept) > self.capacity:
                self._kept.popitem(last=False)
        return out
