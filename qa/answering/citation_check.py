"""Checking a generated answer's citations: is each sentence said by the passage it cites?

The answer is cut into sentences (``claims``), each with the ``[n]`` markers at its end. A
sentence is *supported* when one of the passages it cites (a number that was given) scores at
least ``min_support``:

    support = w · similarity + (1 − w) · coverage

- ``similarity``: the bundled encoder's cosine between the sentence and the passage's closest
  window (one or two of its sentences: a passage of 192 word pieces says many things, and the
  claim needs only one of them);
- ``coverage``: the share of the sentence's key terms that the passage (with its title and
  section) holds, each word weighted by its IDF in the corpus, names and numbers counted
  twice; a number the passage does not hold is what a swapped citation most often gets wrong.

``w`` (``support_similarity_weight``) and ``min_support`` were chosen on the dev questions'
labelled pairs (a gold answer sentence with its own passage, and with a passage of another
document) by ``python -m eval.quality.citation_pairs``; the README has its precision and
recall on the test questions. No language model judges another here: the check is cheap,
deterministic and uses only what is bundled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from embeddings.encoder import Encoder
from qa.answering.sentences import reading_text
from qa.store.base import WordWeights
from qa.types import Check, Passage, Quote

UNSUPPORTED_MARK = "(unsupported)"
NAME_WEIGHT = 2.0  # a name's or a number's weight in coverage, relative to its IDF
MAX_WINDOW_SENTENCES = 2

_MARKERS = r"(?:\s*\[\d{1,4}\])+"
# A sentence ends at . ! ? (and closing quotes or brackets), then its markers; or at its
# markers followed by a capital letter; or at a line break.
_END = re.compile(rf"[.!?]+[\"'”’)]*(?:{_MARKERS})?(?=\s|$)|(?:{_MARKERS})(?=\s+[A-Z(\"“])|\n+")
_MARKER = re.compile(r"\[(\d{1,4})\]")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w.-]*[a-z0-9][\w-]*|\b[A-Z]{2,}\b")
_PASSAGE_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|\n|$)")


@dataclass(frozen=True)
class Claim:
    """One sentence of a generated answer: ``answer[start:end]`` (its markers included),
    ``text`` without markers, and the numbers it cites."""

    text: str
    citations: tuple[int, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Support:
    """How well one passage supports one sentence, and the window that says it (offsets in
    the passage's text)."""

    similarity: float
    coverage: float
    window: tuple[int, int]


def claims(answer: str) -> list[Claim]:
    """The sentences of ``answer``, in order, each with the ``[n]`` markers it holds."""
    found = []
    start = 0
    ends = [m.end() for m in _END.finditer(answer)]
    for end in [*ends, len(answer)]:
        piece = answer[start:end]
        if piece.strip():
            left = start + len(piece) - len(piece.lstrip())
            right = start + len(piece.rstrip())
            numbers = tuple(int(n) for n in _MARKER.findall(piece))
            text = " ".join(_MARKER.sub(" ", piece).split())
            text = re.sub(r"\s+([.!?,;:])", r"\1", text)
            if any(ch.isalnum() for ch in text):
                found.append(Claim(text, numbers, left, right))
            elif found and numbers:  # markers alone on a line: they belong to the sentence before
                last = found[-1]
                found[-1] = Claim(last.text, last.citations + numbers, last.start, right)
        start = end
    return found


def windows(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` to compare a sentence with: each of its sentences, and each two
    sentences in a row."""
    spans = [
        (m.start() + len(m.group()) - len(m.group().lstrip()), m.end())
        for m in _PASSAGE_SENTENCE.finditer(text)
        if m.group().strip()
    ]
    joined = [
        (spans[i][0], spans[i + MAX_WINDOW_SENTENCES - 1][1])
        for i in range(len(spans) - MAX_WINDOW_SENTENCES + 1)
    ]
    return (spans + joined) or [(0, len(text))]


class CitationChecker:
    """Scores sentences against the passages they cite.

    Args:
        encoder: The bundled sentence encoder (the one the questions are embedded with).
        weights: The corpus's word analysis and IDF (``WordWeights``).
        min_support: The support from which a sentence counts as supported.
        similarity_weight: ``w`` of the module doc: the weight of the similarity in support.
    """

    def __init__(
        self,
        encoder: Encoder,
        weights: WordWeights,
        min_support: float,
        similarity_weight: float,
    ) -> None:
        self.encoder = encoder
        self.weights = weights
        self.min_support = min_support
        self.similarity_weight = similarity_weight

    def support(self, similarity: float, coverage: float) -> float:
        w = self.similarity_weight
        return w * max(similarity, 0.0) + (1 - w) * coverage

    def measure(self, pairs: Sequence[tuple[str, Passage]]) -> list[Support]:
        """The similarity and coverage of each (sentence, passage) pair, in one encoder pass.

        A passage is read as its reader reads it (``reading_text``): a PDF's running header
        and footer inside it (a paragraph going on over a page break) are neither a window
        nor words it covers. Its offsets are the passage text's, so a window is a quote."""
        texts: list[str] = []
        spans: list[list[tuple[int, int]]] = []
        for sentence, passage in pairs:
            text = reading_text(passage)
            found = windows(text)
            spans.append(found)
            texts += [sentence, *(text[a:b] for a, b in found)]
        unique = list(dict.fromkeys(texts))  # a passage cited twice is embedded once
        where = {text: i for i, text in enumerate(unique)}
        embedded = self.encoder.encode(unique) if unique else np.zeros((0, 1))
        vectors = embedded[[where[t] for t in texts]] if texts else embedded
        results = []
        row = 0
        for (sentence, passage), found in zip(pairs, spans, strict=True):
            cosines = vectors[row + 1 : row + 1 + len(found)] @ vectors[row]
            row += 1 + len(found)
            best = int(np.argmax(cosines))
            results.append(
                Support(float(cosines[best]), self.coverage(sentence, passage), found[best])
            )
        return results

    def coverage(self, sentence: str, passage: Passage) -> float:
        """The IDF-weighted share of ``sentence``'s key terms that ``passage`` holds (in its
        reading text, title or section); names and numbers weigh ``NAME_WEIGHT`` times; 1 for a
        sentence without key terms."""
        context = " ".join(filter(None, (passage.title, passage.section, reading_text(passage))))
        held = set(self.weights.words(context))
        named = {w for name in _NAME.findall(sentence) for w in self.weights.words(name)}
        terms = set(self.weights.words(sentence))
        idf = self.weights.idf(terms)
        weight = {t: idf[t] * (NAME_WEIGHT if t in named else 1.0) for t in terms}
        # Numbers are checked on the text itself: the word analysis drops one-digit numbers.
        numbers = set(_NUMBER.findall(sentence))
        passage_numbers = set(_NUMBER.findall(context))
        total = sum(weight.values()) + NAME_WEIGHT * len(numbers)
        if total == 0:
            return 1.0
        found = sum(w for t, w in weight.items() if t in held)
        found += NAME_WEIGHT * len(numbers & passage_numbers)
        return found / total

    def check(
        self, answer: str, passages: Sequence[Passage]
    ) -> tuple[list[Claim], list[Check], list[Quote]]:
        """Each sentence of ``answer`` checked against the passages it cites (``[n]`` is
        ``passages[n - 1]``), and for each supported one the window of its best passage."""
        found = claims(answer)
        pairs = [
            (claim.text, passages[n - 1])
            for claim in found
            for n in claim.citations
            if 1 <= n <= len(passages)
        ]
        measured = iter(self.measure(pairs))
        checks, quotes = [], []
        for claim in found:
            given = [n for n in claim.citations if 1 <= n <= len(passages)]
            missing = sorted(set(claim.citations) - set(given))
            scored = [(n, next(measured)) for n in given]
            if not claim.citations:
                checks.append(Check(claim.text, (), False, 0.0, 0.0, 0.0, "cites no passage"))
                continue
            if not scored:
                listed = ", ".join(f"[{n}]" for n in missing)
                reason = f"cites {listed}, not one of the {len(passages)} passages given"
                checks.append(Check(claim.text, claim.citations, False, 0.0, 0.0, 0.0, reason))
                continue
            n, best = max(scored, key=lambda s: self.support(s[1].similarity, s[1].coverage))
            score = self.support(best.similarity, best.coverage)
            supported = score >= self.min_support
            reason = None if supported else f"not supported by [{n}]"
            checks.append(
                Check(
                    claim.text,
                    claim.citations,
                    supported,
                    round(score, 4),
                    round(best.similarity, 4),
                    round(best.coverage, 4),
                    reason,
                )
            )
            if supported:
                passage = passages[n - 1]
                start, end = best.window
                quotes.append(Quote(n, passage.doc_id, passage.start + start, passage.start + end))
        return found, checks, quotes


def marked(answer: str, found: Sequence[Claim], checks: Sequence[Check]) -> str:
    """``answer`` with ``UNSUPPORTED_MARK`` after each sentence that is not supported."""
    parts = []
    cursor = 0
    for claim, check in zip(found, checks, strict=True):
        parts.append(answer[cursor : claim.end])
        if not check.supported:
            parts.append(f" {UNSUPPORTED_MARK}")
        cursor = claim.end
    parts.append(answer[cursor:])
    return "".join(parts)
