"""Extractive answers: the sentences of the retrieved passages that best answer the question.

No language model writes anything: each sentence of the top passages is embedded and compared
with the question, and the best ones are returned verbatim with ``[n]`` markers. When even the
best sentence is not similar enough, the answer says that the corpus does not seem to answer the
question and offers the nearest passages instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from embeddings.encoder import Encoder
from qa.index.dedup import jaccard, shingles
from qa.index.lexical import LexicalIndex
from qa.search.fusion import min_max
from qa.types import Answer, Passage, Quote

# A sentence ends at . ! or ? (plus closing quotes or brackets) before white space, or at a line
# break. A period after a known abbreviation or a single capital ("Gen.", "M.") ends nothing.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n+")
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "brig",
    "col",
    "lt",
    "maj",
    "sgt",
    "adm",
    "capt",
    "gov",
    "sen",
    "rep",
    "st",
    "jr",
    "sr",
    "vs",
    "no",
    "inc",
    "co",
    "corp",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
    "etc",
    "approx",
    "fig",
}
MIN_SENTENCE_WORDS = 4
NO_ANSWER = "The corpus does not seem to answer this question."


@dataclass(frozen=True)
class Sentence:
    text: str
    passage: int  # index into the passages given
    start: int  # document offsets
    end: int


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, stripped of surrounding space."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for match in _END.finditer(text):
        if match.group().startswith((".",)) and _is_abbreviation(text, match.start()):
            continue
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, len(text)))
    stripped = []
    for start, end in spans:
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            stripped.append((start + lead, start + len(piece.rstrip())))
    return stripped


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[:dot])
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and text[dot - 1].isupper())


def candidate_sentences(passages: Sequence[Passage]) -> list[Sentence]:
    sentences = []
    for i, passage in enumerate(passages):
        for start, end in split_sentences(passage.text):
            text = passage.text[start:end]
            if len(text.split()) >= MIN_SENTENCE_WORDS:
                sentences.append(Sentence(text, i, passage.start + start, passage.start + end))
    return sentences


def extract_answer(
    question: str,
    passages: Sequence[Passage],
    encoder: Encoder,
    lexical: LexicalIndex,
    min_similarity: float,
    term_weight: float,
    passage_weight: float,
    max_sentences: int = 2,
    margin: float = 0.08,
) -> Answer:
    """The best sentences of ``passages`` for ``question``, cited.

    A sentence scores its cosine similarity to the question, plus ``term_weight`` times the share
    of the question's words (weighted by IDF) that it contains, plus ``passage_weight`` times its
    passage's retrieval score rescaled to [0, 1] over the passages given. The embedding alone
    favours sentences that echo the question's topic; the rare words ("brokered") and the
    passage-level evidence of the hybrid search point at the answer.

    Args:
        question: The cleaned question.
        passages: Retrieved passages, best first.
        encoder: Embeds the question and the sentences.
        lexical: Supplies the word analysis and IDF of the BM25 index.
        min_similarity: Cosine similarity the best sentence needs for a confident answer.
        term_weight: Weight of the IDF-weighted word overlap in a sentence's score.
        passage_weight: Weight of the passage's rescaled retrieval score.
        max_sentences: Most sentences in the answer.
        margin: A further sentence joins the answer only if it scores within this of the best.
    """
    sentences = candidate_sentences(passages)
    if not sentences:
        return _no_answer(question, passages)
    vectors = encoder.encode([question] + [s.text for s in sentences])
    similarity = vectors[1:] @ vectors[0]
    closest = round(float(similarity.max()), 4)
    if closest < min_similarity:
        return _no_answer(question, passages, closest)
    weights = lexical.idf(set(lexical.words(question)))
    overlap = np.array([_term_overlap(weights, s.text, lexical) for s in sentences])
    prior = min_max({i: p.score for i, p in enumerate(passages)})
    ranked_prior = np.array([prior[s.passage] for s in sentences])
    score = similarity + term_weight * overlap + passage_weight * ranked_prior
    order = np.argsort(-score, kind="stable")
    best = float(score[order[0]])

    chosen: list[int] = []
    for i in order:
        if len(chosen) == max_sentences or score[i] < best - margin:
            break
        if all(_distinct(sentences[i], sentences[j]) for j in chosen):
            chosen.append(int(i))

    citations: list[Passage] = []
    parts: list[str] = []
    quotes: list[Quote] = []
    for i in chosen:
        sentence = sentences[i]
        passage = passages[sentence.passage]
        if passage not in citations:
            citations.append(passage)
        number = citations.index(passage) + 1
        parts.append(f"{sentence.text} [{number}]")
        quotes.append(Quote(number, passage.doc_id, sentence.start, sentence.end))
    return Answer(question, " ".join(parts), citations, True, quotes, closest)


def _term_overlap(weights: dict[str, float], sentence: str, lexical: LexicalIndex) -> float:
    """Share of the question's IDF ``weights`` carried by words the sentence also has, in [0, 1]."""
    total = sum(weights.values())
    if not total:
        return 0.0
    present = set(lexical.words(sentence))
    return sum(w for word, w in weights.items() if word in present) / total


def _distinct(a: Sentence, b: Sentence) -> bool:
    """Whether two sentences say different things (not the same text in two places)."""
    return jaccard(shingles(a.text), shingles(b.text)) < 0.5


def _no_answer(
    question: str, passages: Sequence[Passage], similarity: float | None = None
) -> Answer:
    nearest = list(passages[:3])
    if nearest:
        markers = ", ".join(f"[{i}]" for i in range(1, len(nearest) + 1))
        text = f"{NO_ANSWER} The nearest passages are {markers}."
    else:
        text = NO_ANSWER
    return Answer(question, text, nearest, confident=False, similarity=similarity)
