"""Larger corpora built from SciFact's text, for measuring how the pipeline scales.

Each synthetic document is a real SciFact title followed by sentences drawn at random from all
abstracts, with the length of a real abstract, so that the words, sentence lengths and chunk
counts are SciFact's while the documents are new. Seeded: the same arguments give the same text.

Two forms: Markdown files (``write_synthetic_corpus``), which the real pipeline reads, chunks
and embeds; and documents already cut into chunks (``synthetic_chunked_documents``), which
skip the model so that an index of a million chunks can be built in minutes rather than hours.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from qa.answering.sentences import split_sentences
from qa.types import Chunk, Document, Segment

FILES_PER_FOLDER = 1000  # keeps directory listings short at 300k documents
# A first chunk with less room than this after its heading is the heading alone.
MIN_FIRST_FILL = 40


def scifact_texts(folder: Path) -> tuple[list[str], list[str]]:
    """The titles and the abstracts of the BEIR SciFact corpus in ``folder``."""
    from eval.quality.beir import load_dataset

    documents = load_dataset(folder, "test").documents.values()
    return [title for title, _ in documents], [text for _, text in documents]


def document_path(number: int) -> str:
    """Where synthetic document ``number`` lives, relative to the corpus (its ``doc_id``)."""
    return f"d{number // FILES_PER_FOLDER:04d}/s{number:07d}.md"


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
        path = folder / document_path(number)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {title}\n\n{text}\n", encoding="utf-8")
    done.write_text(f"{count} {seed}\n")
    return folder


def chunk_templates(chunks: Sequence[Chunk]) -> list[tuple[int, ...]]:
    """The lengths of each real document's chunks, in order: one template per document, so
    that synthetic documents copy both the number of chunks a document has and their sizes."""
    by_document: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_document.setdefault(chunk.doc_id, []).append(chunk)
    return [
        tuple(len(c.text) for c in sorted(found, key=lambda c: c.start))
        for found in by_document.values()
    ]


def synthetic_chunked_documents(
    titles: Sequence[str],
    abstracts: Sequence[str],
    templates: Sequence[tuple[int, ...]],
    count: int,
    seed: int = 0,
) -> Iterator[tuple[Document, list[Chunk]]]:
    """Documents holding ``count`` chunks in all, each with its chunks, as if read and chunked.

    Each document copies a random real document's chunk lengths (``chunk_templates``): a "# "
    heading with a real title opens the first chunk, and every chunk is random pool sentences
    of about its template length. Chunk offsets are real offsets into the document's text.
    Unlike real chunks they do not overlap, so documents are a little longer than SciFact's.
    """
    rng = random.Random(seed)
    pool = sentence_pool(abstracts)
    made = 0
    for number in itertools.count():
        if made >= count:
            return
        lengths = rng.choice(templates)[: count - made]
        title = rng.choice(titles)
        texts = _chunk_texts(f"# {title}", lengths, pool, rng)
        yield _chunked_document(document_path(number), title, texts)
        made += len(texts)


def _chunk_texts(
    heading: str, lengths: Sequence[int], pool: Sequence[str], rng: random.Random
) -> list[str]:
    """The texts of one document's chunks: the heading (with sentences when the first chunk
    has room for them), then a chunk of sentences for each further length."""
    room = lengths[0] - len(heading) - 2
    first = f"{heading}\n\n{_sentences(room, pool, rng)}" if room >= MIN_FIRST_FILL else heading
    return [first, *(_sentences(length, pool, rng) for length in lengths[1:])]


def _sentences(length: int, pool: Sequence[str], rng: random.Random) -> str:
    """Random sentences of ``pool`` joined by spaces, as many as come nearest to ``length``
    characters (at least one)."""
    chosen, size = [], -1
    while size < length:
        chosen.append(rng.choice(pool))
        size += len(chosen[-1]) + 1
    shorter = size - len(chosen[-1]) - 1
    if len(chosen) > 1 and length - shorter < size - length:
        chosen.pop()
    return " ".join(chosen)


def _chunked_document(
    doc_id: str, title: str, texts: Sequence[str]
) -> tuple[Document, list[Chunk]]:
    """One document made of ``texts``, a blank line between them, and its chunks at their
    offsets."""
    gap = "\n\n"
    text = gap.join(texts)
    chunks, position = [], 0
    for piece in texts:
        chunks.append(Chunk(doc_id, position, position + len(piece), piece, "article"))
        position += len(piece) + len(gap)
    document = Document(doc_id, title, text, segments=(Segment("article", 0, len(text)),))
    return document, chunks


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
