"""The lexical side of retrieval: BM25 over stemmed words.

Words come from bm25s's tokenizer (its stop-word lists and the Snowball stemmer in C). The
scores are computed here with numpy, as bm25s computes them (``tests/index/test_lexical.py`` checks
that they agree), because an update must reuse the words of unchanged rows: re-tokenising a
corpus is most of what building BM25 costs. Everything is stored as ``.npy`` arrays and JSON
(no pickle).
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from qa.errors import IndexCorruptError
from qa.index.ragged import Ragged

# Quote and dash variants are folded so that "Sadr’s" and "Sadr's" are the same word.
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_COMPOUND = re.compile(r"\b\w+(?:-\w+)+\b")
_SHORT_OPTION = re.compile(r"(?<![\w-])-([A-Za-z0-9])(?![\w-])")  # "-k", "-0"; not "x-k", "-kv"
_DOT_COMMAND = re.compile(r"(?<![\w.])\.([A-Za-z]\w*)")  # ".once", ".NET"; not "e.g", "a.md"
# "founded" stems as "found", the past of "find" ("can be found in"): founding is written as
# its noun, so "Who founded Debian?" meets "founder of the Debian project", not "not found".
_FOUNDING = re.compile(r"\bfound(?:ed|ing)\b", re.IGNORECASE)
# NLTK's English list (179 words): unlike the 33-word default it drops question words ("who",
# "what", "did"), which otherwise make any short text containing them rank high.
STOPWORDS = "en_plus"
STOPWORDS_SET = frozenset(STOPWORDS_EN_PLUS)  # the same words, to test one
K1, B = 1.5, 0.75

logging.getLogger("bm25s").setLevel(logging.WARNING)


def fold_variants(text: str) -> str:
    """``text`` with Unicode compatibility forms ("…" → "...") and quote and dash variants
    folded, so that "Sadr’s" and "Sadr's" are the same word. Used by BM25 and duplicate search."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def _prepare(text: str) -> str:
    """Text as BM25 sees it: folded variants, each hyphenated compound also written joined,
    so that "cease-fire" and "ceasefire" meet, and each one-letter option ("-k") and dot
    command named by a stop-word (".once") also written as a word ("dash_k", "dot_once"): the
    tokenizer drops one-letter words and stop-words, which left "What does -k do?" and "What
    does the .once command do?" without their only key word."""
    text = _FOUNDING.sub("founder", fold_variants(text))
    joined = [m.group().replace("-", "") for m in _COMPOUND.finditer(text)]
    joined += [f"dash_{m.group(1)}" for m in _SHORT_OPTION.finditer(text)]
    joined += [
        f"dot_{m.group(1)}"
        for m in _DOT_COMMAND.finditer(text)
        if m.group(1).lower() in STOPWORDS_SET  # ".bz2" keeps its word "bz2" anyway
    ]
    return f"{text} {' '.join(joined)}" if joined else text


def tokenize(texts: Sequence[str], stemmer: Stemmer.Stemmer) -> list[list[str]]:
    """Each text's stemmed, stop-word-free words, as BM25 indexes and matches them."""
    return bm25s.tokenize(
        [_prepare(t) for t in texts],
        stopwords=STOPWORDS,
        stemmer=stemmer,
        return_ids=False,
        show_progress=False,
    )


class LexicalIndex:
    """BM25 (Lucene variant, k1=1.5, b=0.75) over English-stemmed words without stop-words.

    Scores are precomputed per (word, row) and stored word by word, so a question's scores are
    the sum of its words' columns. Each row's words are kept too, as ids into the vocabulary:
    an update tokenises only new rows.
    """

    def __init__(self, vocabulary: list[str], words: Ragged, columns: _Columns) -> None:
        self._vocabulary = vocabulary
        self._ids = {word: i for i, word in enumerate(vocabulary)}
        self._words = words
        self._columns = columns
        self._stemmer = Stemmer.Stemmer("english")

    @classmethod
    def build(
        cls,
        texts: Sequence[str],
        previous: LexicalIndex | None = None,
        same_as: Sequence[int | None] = (),
    ) -> LexicalIndex:
        """An index of ``texts``. ``same_as[i]``, when not None, is the row of ``previous`` that
        indexed exactly ``texts[i]``: its words are reused instead of tokenised again."""
        reuse = list(same_as) if previous is not None and same_as else [None] * len(texts)
        fresh = [i for i, row in enumerate(reuse) if row is None]
        ids = dict(previous._ids) if previous is not None else {}
        new_rows = {}
        tokenised = tokenize([texts[i] for i in fresh], Stemmer.Stemmer("english"))
        for i, words in zip(fresh, tokenised, strict=True):
            new_rows[i] = [ids.setdefault(word, len(ids)) for word in words]
        old = previous._words if previous is not None else Ragged.from_rows([], np.int32)
        rows = [new_rows[i] if row is None else old.row(row) for i, row in enumerate(reuse)]
        vocabulary, words = _compact(list(ids), Ragged.from_rows(rows, np.int32))
        return cls(vocabulary, words, _Columns.score(words, len(vocabulary)))

    @classmethod
    def from_words(cls, vocabulary: list[str], words: Ragged) -> LexicalIndex:
        """The index whose rows hold ``words`` (ids into ``vocabulary``), scored afresh: how a
        store that keeps only the words and the postings gives the index back for an update."""
        return cls(vocabulary, words, _Columns.score(words, len(vocabulary)))

    @property
    def vocabulary(self) -> list[str]:
        """Every word of the index; a word's id is its position here."""
        return self._vocabulary

    @property
    def word_ids(self) -> Ragged:
        """Each row's words as ids into ``vocabulary``, in their order in its text."""
        return self._words

    def postings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Word id, row and BM25 score of every (word, row) pair present, by word id."""
        starts = self._columns.starts
        word = np.repeat(np.arange(len(starts) - 1, dtype=np.int32), np.diff(starts))
        return word, np.asarray(self._columns.rows), np.asarray(self._columns.scores)

    def words(self, text: str) -> list[str]:
        """The stemmed, stop-word-free words of ``text``, as BM25 matches them."""
        return tokenize([text], self._stemmer)[0]

    def row_words(self, row: int) -> list[str]:
        """The words BM25 indexed for ``row``, in their order in its text."""
        vocabulary = self._vocabulary
        return [vocabulary[i] for i in self._words.row(row)]

    def idf(self, words: Iterable[str]) -> dict[str, float]:
        """BM25's inverse document frequency of each word (a word never seen counts as rarest)."""
        starts = self._columns.starts
        weights = {}
        for word in words:
            i = self._ids.get(word)
            df = 0 if i is None else int(starts[i + 1] - starts[i])
            weights[word] = float(inverse_document_frequency(df, len(self)))
        return weights

    def __len__(self) -> int:
        return len(self._words)

    def search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and row ids of the best ``k`` rows, best first; rows scoring 0 are left out."""
        ids = [self._ids[w] for w in self.words(query) if w in self._ids]
        columns = self._columns
        spans = ((columns.starts[i], columns.starts[i + 1]) for i in ids)
        return best_rows(((columns.rows[a:b], columns.scores[a:b]) for a, b in spans), len(self), k)

    def save(self, folder: Path) -> None:
        (folder / "vocabulary.json").write_text(json.dumps(self._vocabulary, ensure_ascii=False))
        self._words.save(folder, "words")
        np.save(folder / "column-starts.npy", self._columns.starts)
        np.save(folder / "column-rows.npy", self._columns.rows)
        np.save(folder / "column-scores.npy", self._columns.scores)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        try:
            vocabulary = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
            words = Ragged.load(folder, "words")
            columns = _Columns(
                np.load(folder / "column-starts.npy", allow_pickle=False),
                np.load(folder / "column-rows.npy", mmap_mode="r", allow_pickle=False),
                np.load(folder / "column-scores.npy", mmap_mode="r", allow_pickle=False),
            )
        except (OSError, ValueError) as exc:
            raise IndexCorruptError(f"cannot read the BM25 index: {exc}") from exc
        consistent = (
            isinstance(vocabulary, list)
            and len(columns.starts) == len(vocabulary) + 1
            and columns.starts[-1] == len(columns.rows) == len(columns.scores)
        )
        if not consistent:
            raise IndexCorruptError("the BM25 index's files do not agree with each other")
        return cls(vocabulary, words, columns)


@dataclass(frozen=True)
class _Columns:
    """BM25 scores by word: word ``i`` scores ``scores[a:b]`` on rows ``rows[a:b]``, where
    ``a, b = starts[i], starts[i + 1]`` (a sparse matrix in compressed-column form)."""

    starts: np.ndarray
    rows: np.ndarray
    scores: np.ndarray

    @classmethod
    def score(cls, words: Ragged, vocabulary_size: int) -> _Columns:
        """Lucene's BM25 of every (word, row) pair present:
        idf · tf / (tf + k1·(1 − b + b·|d| / mean |d|))."""
        n, lengths = len(words), words.lengths()
        stride = max(n, 1)
        row_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
        pairs, tf = np.unique(words.values.astype(np.int64) * stride + row_of, return_counts=True)
        word, row = pairs // stride, pairs % stride
        df = np.bincount(word, minlength=vocabulary_size)
        idf = inverse_document_frequency(df, n)
        mean_length = max(float(lengths.mean()), 1e-9) if n else 1.0
        norm = K1 * (1 - B + B * lengths[row] / mean_length)
        starts = np.zeros(vocabulary_size + 1, dtype=np.int64)
        np.cumsum(df, out=starts[1:])
        scores = (idf[word] * tf / (tf + norm)).astype(np.float32)
        return cls(starts, row.astype(np.int32), scores)


def best_rows(
    postings: Iterable[tuple[np.ndarray, np.ndarray]], n: int, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """BM25 scores and rows of the best ``k`` of ``n`` rows, best first, rows scoring 0 left
    out: each (rows, scores) column of the question's words, in its order (a word said twice
    comes twice and counts twice), added up in float32. Shared by the files backend (columns
    of its arrays) and the PostgreSQL one (columns read from the database), so that both give
    the same scores and the same order, ties included."""
    scores = np.zeros(n, dtype=np.float32)
    added = False
    for rows, column in postings:
        scores[rows] += column
        added = True
    if not added or n == 0 or k < 1:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    k = min(k, n)
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    top = top[scores[top] > 0]
    return scores[top], top.astype(np.int64)


def inverse_document_frequency(df: int | np.ndarray, n: int) -> float | np.ndarray:
    """BM25's IDF of a word found in ``df`` of ``n`` rows (Lucene's, never negative)."""
    return np.log1p((n - df + 0.5) / (df + 0.5))


def _compact(vocabulary: list[str], words: Ragged) -> tuple[list[str], Ragged]:
    """Drop words no row uses any more (they were only in removed or changed rows)."""
    used = np.unique(words.values)
    if len(used) == len(vocabulary):
        return vocabulary, words
    new_id = np.full(len(vocabulary), -1, dtype=np.int32)
    new_id[used] = np.arange(len(used), dtype=np.int32)
    return [vocabulary[i] for i in used], Ragged(new_id[words.values], words.offsets)
