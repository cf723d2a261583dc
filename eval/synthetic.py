"""Larger corpora built from SciFact's text, for measuring how the pipeline scales.

Each synthetic document is a real SciFact title followed by sentences drawn at random from all
abstracts, with the length of a real abstract, so that the words, sentence lengths and chunk
counts are SciFact's while the documents are new. Seeded: the same arguments give the same text.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from qa.answerer import split_sentences

FILES_PER_FOLDER = 1000  # keeps directory listings short at 300k documents


def sentence_pool(texts: Sequence[str]) -> list[str]:
    """Every sentence of ``texts``, in order."""
    return [text[a:b].strip() for text in texts for a, b in split_sentences(text) if b > a]


def synthetic_documents(
    titles: Sequence[str], abstracts: Sequence[str], count: int, seed: int = 0
) -> Iterator[tuple[str, str]]:
    """``count`` (title, text) pairs: a real title, then random sentences from the pool, as
    many as a randomly chosen real abstract has."""
    rng = random.Random(seed)
    pool = sentence_pool(abstracts)
    lengths = [max(1, len(split_sentences(a))) for a in abstracts]
    for _ in range(count):
        sentences = rng.choices(pool, k=rng.choice(lengths))
        yield rng.choice(titles), " ".join(sentences)


def write_synthetic_corpus(
    folder: Path, titles: Sequence[str], abstracts: Sequence[str], count: int, seed: int = 0
) -> Path:
    """Write ``count`` synthetic documents as Markdown under ``folder`` (skipped when a
    complete copy is already there, marked by a ``.complete`` file holding the count)."""
    done = folder / ".complete"
    if done.exists() and done.read_text().strip() == f"{count} {seed}":
        return folder
    for number, (title, text) in enumerate(synthetic_documents(titles, abstracts, count, seed)):
        path = folder / f"d{number // FILES_PER_FOLDER:04d}" / f"s{number:07d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {title}\n\n{text}\n", encoding="utf-8")
    done.write_text(f"{count} {seed}\n")
    return folder


def synthetic_vectors(
    real: np.ndarray, count: int, seed: int = 0, neighbours: int = 20, block: int = 50_000
) -> np.ndarray:
    """``count`` unit vectors shaped like ``real`` (unit rows): each is
    normalise((1 - t)·v_i + t·v_j + 0.4·g), with v_i a random real vector, v_j one of its
    ``neighbours`` nearest, t uniform on [0, 0.5] and g Gaussian noise with the real vectors'
    covariance. Pure Gaussian vectors have no clusters and make approximate search look far
    worse than on embeddings; these match the real SciFact vectors' query top-1/top-10 and
    nearest-neighbour similarities within about 0.04 at the same size (checked when the
    recipe was chosen).
    """
    import faiss

    rng = np.random.default_rng(seed)
    real = np.ascontiguousarray(real, dtype=np.float32)
    exact = faiss.IndexFlatIP(real.shape[1])
    exact.add(real)
    _, near = exact.search(real, neighbours + 1)
    centred = real - real.mean(axis=0)
    shape = np.linalg.cholesky(np.cov(centred, rowvar=False) + 1e-6 * np.eye(real.shape[1]))
    out = np.empty((count, real.shape[1]), dtype=np.float32)
    for begin in range(0, count, block):
        size = min(block, count - begin)
        first = rng.integers(0, len(real), size)
        second = near[first, rng.integers(1, neighbours + 1, size)]
        mix = rng.uniform(0, 0.5, (size, 1)).astype(np.float32)
        noise = (rng.standard_normal((size, real.shape[1])) @ shape.T).astype(np.float32)
        rows = (1 - mix) * real[first] + mix * real[second] + 0.4 * noise
        out[begin : begin + size] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return out
