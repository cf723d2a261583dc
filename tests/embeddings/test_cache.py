"""The embedding cache: the real bundled model's rows, kept and reused, within a bound."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.cache import EmbeddingCache

SENTENCES = [
    "The ceasefire was brokered in Qom by Iranian officials.",
    "Use --append to add to the output file instead of overwriting it.",
    "Requirements files are utf-8 encoded by default.",
    "When called, the active Timeout object no longer keeps the event loop running.",
]


def test_a_kept_row_is_the_row_the_encoder_computes(encoder):
    cache = EmbeddingCache(encoder, capacity=10)
    first = cache.encode(SENTENCES[:3])
    again = cache.encode([SENTENCES[3], SENTENCES[1], SENTENCES[1]])
    assert (cache.hits, cache.misses) == (2, 4)
    np.testing.assert_array_equal(again[1], first[1])
    np.testing.assert_array_equal(again[2], first[1])
    np.testing.assert_array_equal(again, encoder.encode([SENTENCES[3], *SENTENCES[1:2] * 2]))


def test_the_least_recently_used_rows_go_first_and_the_bound_holds(encoder):
    cache = EmbeddingCache(encoder, capacity=2)
    cache.encode(SENTENCES[:2])
    cache.encode(SENTENCES[:1])  # the first is used again: the second is now the oldest
    cache.encode(SENTENCES[2:3])
    assert len(cache) == 2
    misses = cache.misses
    cache.encode(SENTENCES[:1])
    assert cache.misses == misses  # kept
    cache.encode(SENTENCES[1:2])
    assert cache.misses == misses + 1  # let go


def test_capacity_zero_keeps_nothing_and_a_negative_one_is_refused(encoder):
    cache = EmbeddingCache(encoder, capacity=0)
    cache.encode(SENTENCES)
    cache.encode(SENTENCES)
    assert len(cache) == 0 and cache.hits == 0
    with pytest.raises(ValueError, match="capacity must be 0 or more"):
        EmbeddingCache(encoder, capacity=-1)
