"""Near-duplicate chunks: the same passage published twice (reposts, quote-character variants).

Texts are normalised (Unicode compatibility forms, quotes and dashes folded, case and punctuation
dropped) and compared as sets of word 3-shingles. Two chunks are duplicates when the Jaccard
similarity of their shingle sets reaches the threshold. Candidates come from bottom-k sketches
(the k smallest shingle hashes of each chunk), so the work grows with the number of chunks, not
its square; similar sets share their smallest hashes with high probability.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

SHINGLE_WORDS = 3
SKETCH_SIZE = 8
# A shingle shared by very many chunks ("the united states") says nothing about duplication;
# its bucket is skipped so that the pairwise checks stay few.
MAX_BUCKET = 256

_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_WORD = re.compile(r"\w+")


def normalise(text: str) -> list[str]:
    """Lower-case words of ``text`` with quote, dash and compatibility variants folded."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
    return _WORD.findall(folded)


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


def duplicate_groups(texts: Sequence[str], threshold: float) -> list[int]:
    """For each text, the id of its duplicate group: the index of the group's first member.

    A text with no duplicate is its own group. Groups are closed under "is a duplicate of".
    """
    sets = [shingles(t) for t in texts]
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in sorted(s)[:SKETCH_SIZE]:
            buckets[h].append(i)
    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) > MAX_BUCKET:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if (i, j) in checked or find(i) == find(j):
                    continue
                checked.add((i, j))
                if jaccard(sets[i], sets[j]) >= threshold:
                    parent[max(find(i), find(j))] = min(find(i), find(j))
    return [find(i) for i in range(len(texts))]
