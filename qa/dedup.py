"""Near-duplicate passages: the same text published in several documents (reposts, copies with
other quote characters).

Two ways of being the same passage are recognised, both between different documents:

- **Copy**: the chunk's text occurs in another document once both are folded (Unicode
  compatibility forms, quotes and dashes, case, runs of white space). The place found is mapped
  back to exact offsets in that document, whatever its chunk boundaries.
- **Near copy**: another document's chunk shares most word 3-shingles (Jaccard similarity at or
  above the threshold), e.g. an edited repost.

Candidates are chunks that share a sampled shingle: every shingle whose hash is 0 modulo
``SAMPLE_EVERY`` (plus each chunk's two smallest, so short chunks have some). The sample is the same
for every chunk, so a passage split across two chunks of the other copy still shares about half
its sample with each; and the work grows with the number of chunks, not its square.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from qa.lexical import fold_variants
from qa.types import Chunk

SHINGLE_WORDS = 3
SAMPLE_EVERY = 8
# A shingle shared by very many chunks ("the united states") says nothing about duplication;
# its bucket is skipped so that the pairwise checks stay few.
MAX_BUCKET = 256

Span = tuple[str, int, int]  # (doc_id, start, end)

_WORD = re.compile(r"\w+")
# What ``fold`` meets: printable ASCII, ASCII white space, or one other character.
_RUNS = re.compile(r"(?P<word>[!-~]+)|(?P<space>[ \t\n\r\x0b\x0c]+)|(?P<other>.)", re.DOTALL)


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` folded for comparison, and for each folded character its offset in ``text``.

    Folding: compatibility forms, quote and dash variants, lower case, and each run of white
    space made one space (none at the start). Runs of printable ASCII and of ASCII white space
    take a fast path (folding leaves the first unchanged, character for character); any other
    character is folded on its own, since it may fold to several characters or to a space.
    """
    chars: list[str] = []
    origin: list[int] = []
    after_space = True
    for run in _RUNS.finditer(text):
        start, end = run.span()
        if run.lastgroup == "word":
            chars.append(run.group().lower())
            origin.extend(range(start, end))
            after_space = False
        elif run.lastgroup == "space":
            if not after_space:
                chars.append(" ")
                origin.append(start)
                after_space = True
        else:
            for c in fold_variants(run.group()).lower():
                if c.isspace():
                    if after_space:
                        continue
                    c, after_space = " ", True
                else:
                    after_space = False
                chars.append(c)
                origin.append(start)
    return "".join(chars), origin


def normalise(text: str) -> list[str]:
    """Lower-case words of ``text`` with quote, dash and compatibility variants folded."""
    return _WORD.findall(fold(text)[0])


def shingles(text: str) -> set[int]:
    """Hashes of the word 3-grams of ``text`` (of its words when it is shorter)."""
    words = normalise(text)
    n = min(SHINGLE_WORDS, len(words))
    grams = {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)} if n else set()
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest()) for g in grams}


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def duplicate_places(
    chunks: Sequence[Chunk], texts: Mapping[str, str], threshold: float
) -> list[list[Span]]:
    """For each chunk, the places in other documents that hold the same passage.

    Args:
        chunks: All chunks of the index.
        texts: Document text by doc_id (the texts the chunk offsets refer to).
        threshold: Jaccard similarity of word shingles from which two chunks are near copies.
    """
    sets = [shingles(c.text) for c in chunks]
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in {h for h in s if h % SAMPLE_EVERY == 0} | set(sorted(s)[:2]):
            buckets[h].append(i)
    similar: dict[int, set[int]] = defaultdict(set)
    for members in buckets.values():
        if len(members) <= MAX_BUCKET:
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    if chunks[i].doc_id != chunks[j].doc_id:
                        similar[i].add(j)
                        similar[j].add(i)

    folded_docs: dict[str, tuple[str, list[int]]] = {}
    places: list[list[Span]] = [[] for _ in chunks]
    for i, others in similar.items():
        needle = fold(chunks[i].text)[0]
        found_in: set[str] = set()
        for doc_id in sorted({chunks[j].doc_id for j in others}):
            if doc_id not in folded_docs:
                folded_docs[doc_id] = fold(texts[doc_id])
            haystack, origin = folded_docs[doc_id]
            at = haystack.find(needle) if needle else -1
            if at >= 0:
                places[i].append((doc_id, origin[at], origin[at + len(needle) - 1] + 1))
                found_in.add(doc_id)
        for j in sorted(others):
            near = chunks[j].doc_id not in found_in and jaccard(sets[i], sets[j]) >= threshold
            if near:
                places[i].append((chunks[j].doc_id, chunks[j].start, chunks[j].end))
    return places


def covered(span: Span, shown: Mapping[str, list[tuple[int, int]]]) -> float:
    """Share of ``span`` that lies inside spans already shown in the same document."""
    doc_id, start, end = span
    if end <= start:
        return 0.0
    inside = sum(max(0, min(end, b) - max(start, a)) for a, b in _merged(shown.get(doc_id, [])))
    return inside / (end - start)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged
