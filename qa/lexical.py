"""The lexical side of retrieval: BM25 over stemmed words, with bm25s.

bm25s stores its index as ``.npy`` arrays and JSON (no pickle), scores with sparse matrices,
and matched rank_bm25's scores in its own tests while being much faster.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from qa.errors import IndexCorruptError

# Quote and dash variants are folded so that "Sadr’s" and "Sadr's" are the same word.
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_COMPOUND = re.compile(r"\b\w+(?:-\w+)+\b")
# NLTK's English list (179 words): unlike the 33-word default it drops question words ("who",
# "what", "did"), which otherwise make any short text containing them rank high.
STOPWORDS = "en_plus"

logging.getLogger("bm25s").setLevel(logging.WARNING)


def fold_variants(text: str) -> str:
    """``text`` with Unicode compatibility forms ("…" → "...") and quote and dash variants
    folded, so that "Sadr’s" and "Sadr's" are the same word. Used by BM25 and duplicate search."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def _prepare(text: str) -> str:
    """Text as BM25 sees it: folded variants, and each hyphenated compound also written joined,
    so that "cease-fire" and "ceasefire" meet."""
    text = fold_variants(text)
    joined = [m.group().replace("-", "") for m in _COMPOUND.finditer(text)]
    return f"{text} {' '.join(joined)}" if joined else text


def _words(texts: Sequence[str], stemmer: Stemmer.Stemmer) -> list[list[str]]:
    return bm25s.tokenize(
        [_prepare(t) for t in texts],
        stopwords=STOPWORDS,
        stemmer=stemmer,
        return_ids=False,
        show_progress=False,
    )


class LexicalIndex:
    """BM25 (Lucene variant, k1=1.5, b=0.75) over English-stemmed words without stop-words."""

    def __init__(self, bm25: bm25s.BM25, size: int) -> None:
        self._bm25 = bm25
        self._size = size
        self._stemmer = Stemmer.Stemmer("english")

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        tokens = _words(texts, Stemmer.Stemmer("english"))
        if not any(tokens):
            # bm25s cannot index an empty vocabulary; a word no query can produce stands in.
            tokens = [["\x00"] for _ in texts]
        bm25 = bm25s.BM25()
        bm25.index(tokens, show_progress=False)
        return cls(bm25, len(texts))

    def words(self, text: str) -> list[str]:
        """The stemmed, stop-word-free words of ``text``, as BM25 matches them."""
        return _words([text], self._stemmer)[0]

    def idf(self, words: Sequence[str]) -> dict[str, float]:
        """BM25's inverse document frequency of each word (a word never seen counts as rarest)."""
        indptr = self._bm25.scores["indptr"]
        vocab = self._bm25.vocab_dict
        n = self._size
        weights = {}
        for word in words:
            df = int(indptr[vocab[word] + 1] - indptr[vocab[word]]) if word in vocab else 0
            weights[word] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
        return weights

    def __len__(self) -> int:
        return self._size

    def search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and row ids of the best ``k`` rows, best first; rows scoring 0 are left out."""
        words = self.words(query)
        vocab = self._bm25.vocab_dict
        ids = [vocab[w] for w in words if w in vocab]
        if not ids or self._size == 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        scores = self._bm25.get_scores_from_ids(ids)
        k = min(k, self._size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[scores[top] > 0]
        return scores[top].astype(np.float32), top.astype(np.int64)

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)
        (folder / "size.txt").write_text(str(self._size))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        try:
            bm25 = bm25s.BM25.load(str(folder), show_progress=False)
            size = int((folder / "size.txt").read_text())
        except (OSError, ValueError, KeyError) as exc:
            raise IndexCorruptError(f"cannot read the BM25 index: {exc}") from exc
        return cls(bm25, size)
