"""Larger corpora built from SciFact's text, for measuring how the pipeline scales.

Each synthetic document is a real SciFact title followed by sentences drawn at random from all
abstracts, with the length of a real abstract, so that the words, sentence lengths and chunk
counts are SciFact's while the documents are new. Seeded: the same arguments give the same text.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from pathlib import Path

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
