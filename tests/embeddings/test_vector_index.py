"""The vector index: exact below the size threshold, an inverted file above, both round-trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embeddings.errors import VectorIndexError
from embeddings.vector_index import VectorIndex


def unit_rows(count: int, seed: int = 0) -> np.ndarray:
    """Clustered unit vectors (random directions around 50 centres)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, 32)).astype(np.float32)
    rows = centres[rng.integers(0, 50, count)] + 0.3 * rng.standard_normal((count, 32))
    rows = rows.astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("exact_below, kind", [(10_000, "exact"), (100, "ivf")])
def test_index_type_follows_size_and_survives_saving(tmp_path: Path, exact_below, kind):
    vectors = unit_rows(4000)
    index = VectorIndex.build(vectors, exact_below=exact_below)
    assert index.kind == kind
    index.save(tmp_path / "vectors.faiss")
    loaded = VectorIndex.load(tmp_path / "vectors.faiss")
    assert loaded.kind == kind and len(loaded) == 4000
    # Re-indexing reuses stored vectors, so they must come back exactly, in row order.
    assert np.array_equal(loaded.vectors(), vectors)
    scores, rows = loaded.search(vectors[:50], 5)
    assert (rows[:, 0] == np.arange(50)).mean() >= 0.95  # each row finds itself
    assert np.all(np.diff(scores, axis=1) <= 1e-6)  # best first


def test_many_queries_and_one_query_agree(tmp_path: Path):
    vectors = unit_rows(3000, seed=1)
    index = VectorIndex.build(vectors, exact_below=100)
    together = index.search(vectors[:40], 10)[1]
    alone = np.stack([index.search(v[None, :], 10)[1][0] for v in vectors[:40]])
    assert np.array_equal(together, alone)


def test_a_damaged_file_is_reported_as_corrupt(tmp_path: Path):
    path = tmp_path / "vectors.faiss"
    VectorIndex.build(unit_rows(500), exact_below=100).save(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(VectorIndexError):
        VectorIndex.load(path)
