"""The vector index: exact below the size threshold, an inverted file of float16 vectors above,
both round-trip; the float32 inverted file of earlier versions still loads."""

from __future__ import annotations

from pathlib import Path

import faiss
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
    assert loaded.kind == kind and len(loaded) == 4000 and not loaded.outdated
    # Re-indexing reuses stored vectors: they come back in row order, exactly from the exact
    # index, rounded to float16 from the inverted file.
    assert np.array_equal(loaded.vectors(), vectors) == (kind == "exact")
    assert cosines(loaded.vectors(), vectors).min() >= 0.9999
    scores, rows = loaded.search(vectors[:50], 5)
    assert (rows[:, 0] == np.arange(50)).mean() >= 0.95  # each row finds itself
    assert np.all(np.diff(scores, axis=1) <= 1e-6)  # best first


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def recall_at_10(index: VectorIndex, vectors: np.ndarray, queries: np.ndarray) -> float:
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    truth = exact.search(queries, 10)[1]
    found = np.stack([index.search(q[None, :], 10)[1][0] for q in queries])
    return float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, found, strict=True)]))


def test_the_inverted_file_finds_what_exact_search_finds(tmp_path: Path):
    vectors, queries = unit_rows(20_000), unit_rows(200, seed=7)
    VectorIndex.build(vectors, exact_below=100).save(tmp_path / "vectors.faiss")
    index = VectorIndex.load(tmp_path / "vectors.faiss")
    assert index.kind == "ivf"
    assert recall_at_10(index, vectors, queries) >= 0.98


def test_the_inverted_file_is_memory_mapped_and_half_the_size_of_float32(tmp_path: Path):
    vectors = unit_rows(4000)
    VectorIndex.build(vectors, exact_below=100).save(tmp_path / "vectors.faiss")
    old_ivf_flat(vectors).save(tmp_path / "flat.faiss")
    loaded = VectorIndex.load(tmp_path / "vectors.faiss")
    # Loading maps the lists only for a type tag it knows as an inverted file (``_is_ivf``).
    assert memory_mapped(loaded)
    size = (tmp_path / "vectors.faiss").stat().st_size
    assert size < 0.6 * (tmp_path / "flat.faiss").stat().st_size


def test_reused_vectors_do_not_drift_over_rounds_of_reindexing():
    vectors = unit_rows(4000)
    once = VectorIndex.build(vectors, exact_below=100).vectors()
    twice = VectorIndex.build(once, exact_below=100).vectors()
    assert np.array_equal(once, twice)


def memory_mapped(index: VectorIndex) -> bool:
    lists = faiss.downcast_InvertedLists(index._index.invlists)
    return isinstance(lists, faiss.OnDiskInvertedLists)


def old_ivf_flat(vectors: np.ndarray) -> VectorIndex:
    """The float32 inverted file that versions before float16 built."""
    dimension = vectors.shape[1]
    index = faiss.IndexIVFFlat(
        faiss.IndexFlatIP(dimension), dimension, 20, faiss.METRIC_INNER_PRODUCT
    )
    index.train(vectors)
    index.add(vectors)
    return VectorIndex(index)


def test_an_inverted_file_of_float32_from_earlier_versions_still_loads(tmp_path: Path):
    vectors = unit_rows(4000)
    old_ivf_flat(vectors).save(tmp_path / "vectors.faiss")
    loaded = VectorIndex.load(tmp_path / "vectors.faiss")
    assert loaded.kind == "ivf-flat" and loaded.outdated and len(loaded) == 4000
    assert memory_mapped(loaded)
    assert np.array_equal(loaded.vectors(), vectors)
    assert recall_at_10(loaded, vectors, unit_rows(100, seed=7)) >= 0.98


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
