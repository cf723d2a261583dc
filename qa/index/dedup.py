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

An update passes what the previous index found (``Known``): the places of a chunk carried over
are kept, except in documents that changed, and only pairs with a new chunk are compared. The
result equals a search from scratch (``tests/index/test_dedup.py`` checks it): a sampled
shingle that crossed ``MAX_BUCKET`` has its pairs compared again.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from qa.index.lexical import fold_variants
from qa.index.ragged import Ragged
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


def folded(text: str) -> str:
    """``fold(text)[0]`` without the offsets, much faster: the whole text at once."""
    text = text.lower() if text.isascii() else text.translate(_FOLD_TABLE)
    text = _SPACES.sub(" ", text)
    return text[1:] if text.startswith(" ") else text


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding one character as ``fold`` does (filled as met)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = value = char.lower() if code < 128 else fold_variants(char).lower()
        return value


_FOLD_TABLE = _FoldTable()
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> list[str]:
    """Lower-case words of ``text`` with quote, dash and compatibility variants folded."""
    return _WORD.findall(folded(text))


def shingles(text: str) -> set[int]:
    """Hashes of the word 3-grams of ``text`` (of its words when it is shorter)."""
    words = normalise(text)
    n = min(SHINGLE_WORDS, len(words))
    grams = {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)} if n else set()
    return {zlib.crc32(g.encode()) for g in grams}


def sample(hashes: set[int]) -> list[int]:
    """The shingles a chunk is bucketed by (see the module's docstring), ascending."""
    return sorted({h for h in hashes if h % SAMPLE_EVERY == 0} | set(heapq.nsmallest(2, hashes)))


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Known:
    """What the previous index found. ``rows[i]`` is chunk i's row in it when chunk i was carried
    over unchanged with its whole document (None for a new chunk); ``samples`` and ``places``
    are the previous index's, by its rows."""

    rows: Sequence[int | None]
    samples: Ragged
    places: Sequence[Sequence[Span]]


@dataclass(frozen=True)
class Duplicates:
    """For each chunk, the places in other documents holding the same passage, and its sample."""

    places: list[list[Span]]
    samples: Ragged


def duplicate_places(
    chunks: Sequence[Chunk], texts: Mapping[str, str], threshold: float, known: Known | None = None
) -> Duplicates:
    """For each chunk, the places in other documents that hold the same passage.

    Args:
        chunks: All chunks of the index.
        texts: Document text by doc_id (the texts the chunk offsets refer to).
        threshold: Jaccard similarity of word shingles from which two chunks are near copies.
        known: What the previous index found, for an update.
    """
    rows = list(known.rows) if known else [None] * len(chunks)
    search = _Search(chunks, texts, threshold)
    samples = [
        known.samples.row(r).tolist() if known and r is not None else sample(search.shingles(i))
        for i, r in enumerate(rows)
    ]
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, keys in enumerate(samples):
        for h in keys:
            buckets[h].append(i)
    small = {h for h, members in buckets.items() if len(members) <= MAX_BUCKET}
    redo = _places_to_redo(chunks, rows, buckets, small, known)
    stable = {chunks[i].doc_id for i, r in enumerate(rows) if r is not None}
    places: list[list[Span]] = []
    for i, (chunk, row) in enumerate(zip(chunks, rows, strict=True)):
        docs = redo.get(i, set())
        kept = [] if known is None or row is None else known.places[row]
        found = [p for p in kept if p[0] in stable and p[0] not in docs]
        if row is None or docs:
            candidates = {
                j
                for h in samples[i]
                if h in small
                for j in buckets[h]
                if chunks[j].doc_id != chunk.doc_id and (row is None or chunks[j].doc_id in docs)
            }
            found += search.places(i, candidates)
        places.append(sorted(found))
    return Duplicates(places, Ragged.from_rows(samples, np.uint32))


def _places_to_redo(
    chunks: Sequence[Chunk],
    rows: Sequence[int | None],
    buckets: Mapping[int, list[int]],
    small: set[int],
    known: Known | None,
) -> dict[int, set[str]]:
    """For each carried chunk whose places must be searched again, the documents to search:
    new documents where it has candidates, and the documents of chunks it shares a sampled
    shingle with whose bucket crossed ``MAX_BUCKET`` (candidates may have come or gone)."""
    redo: dict[int, set[str]] = {}
    if known is None:
        return redo
    before = Counter(known.samples.values.tolist())
    for h, members in buckets.items():
        if h in small:
            new = [i for i in members if rows[i] is None]
            carried = [i for i in members if rows[i] is not None] if new else []
            for i in carried:
                docs = {chunks[j].doc_id for j in new} - {chunks[i].doc_id}
                redo.setdefault(i, set()).update(docs)
        if (h in small) != (before[h] <= MAX_BUCKET):
            carried = [i for i in members if rows[i] is not None]
            for i in carried:
                docs = {chunks[j].doc_id for j in carried} - {chunks[i].doc_id}
                redo.setdefault(i, set()).update(docs)
    return redo


class _Search:
    """The search for one chunk's places among given candidates, with what it computes cached."""

    def __init__(self, chunks: Sequence[Chunk], texts: Mapping[str, str], threshold: float):
        self.chunks, self.texts, self.threshold = chunks, texts, threshold
        self._shingles: dict[int, set[int]] = {}
        self._folded: dict[str, str] = {}
        self._origins: dict[str, list[int]] = {}

    def shingles(self, i: int) -> set[int]:
        if i not in self._shingles:
            self._shingles[i] = shingles(self.chunks[i].text)
        return self._shingles[i]

    def places(self, i: int, candidates: set[int]) -> list[Span]:
        """Chunk ``i``'s places in the documents of ``candidates``: where its text occurs, or
        else the candidates that are near copies of it."""
        chunks = self.chunks
        needle = folded(chunks[i].text)
        found: list[Span] = []
        by_doc: dict[str, list[int]] = defaultdict(list)
        for j in candidates:
            by_doc[chunks[j].doc_id].append(j)
        for doc_id, others in sorted(by_doc.items()):
            at = self._folded_text(doc_id).find(needle) if needle else -1
            if at >= 0:
                origin = self._origin(doc_id)
                found.append((doc_id, origin[at], origin[at + len(needle) - 1] + 1))
                continue
            for j in sorted(others):
                if self._near(i, j):
                    found.append((doc_id, chunks[j].start, chunks[j].end))
        return found

    def _near(self, i: int, j: int) -> bool:
        a, b = self.shingles(i), self.shingles(j)
        if min(len(a), len(b)) < self.threshold * max(len(a), len(b)):
            return False  # Jaccard is at most the ratio of the sizes
        return jaccard(a, b) >= self.threshold

    def _folded_text(self, doc_id: str) -> str:
        if doc_id not in self._folded:
            self._folded[doc_id] = folded(self.texts[doc_id])
        return self._folded[doc_id]

    def _origin(self, doc_id: str) -> list[int]:
        if doc_id not in self._origins:
            self._origins[doc_id] = fold(self.texts[doc_id])[1]
        return self._origins[doc_id]


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
