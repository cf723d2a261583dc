"""Extractive answers: the sentences of the retrieved passages that best answer the question.

No language model writes anything: each sentence of the top passages is embedded and compared
with the question, and the best ones are returned verbatim with ``[n]`` markers. When even the
best sentence is not similar enough, the answer says that the corpus does not seem to answer the
question and offers the nearest passages instead of guessing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embeddings.encoder import Encoder
from qa.answering.sentences import Sentence, candidate_sentences
from qa.index.dedup import jaccard, shingles
from qa.search.fusion import min_max
from qa.settings import AnswerSettings
from qa.store.base import WordWeights
from qa.types import Answer, Passage, Quote

NO_ANSWER = "The corpus does not seem to answer this question."


class ExtractiveAnswerer:
    """Answers with the best sentences of the passages, quoted verbatim.

    Args:
        encoder: Embeds the sentences (the model that embedded the question).
        weights: The lexical side's word analysis and IDF.
        settings: The answer settings (similarity threshold and score weights).
        max_sentences: Most sentences in the answer.
        margin: A further sentence joins the answer only if it scores within this of the best.
    """

    def __init__(
        self,
        encoder: Encoder,
        weights: WordWeights,
        settings: AnswerSettings,
        max_sentences: int = 2,
        margin: float = 0.08,
    ) -> None:
        self.encoder = encoder
        self.weights = weights
        self.settings = settings
        self.max_sentences = max_sentences
        self.margin = margin

    def answer(
        self, question: str, passages: Sequence[Passage], question_vector: np.ndarray
    ) -> Answer:
        """The best sentences of ``passages`` for ``question``, cited.

        A sentence scores its cosine similarity to the question, plus ``answer_term_weight``
        times the share of the question's words (weighted by IDF) that it contains, plus
        ``answer_passage_weight`` times its passage's retrieval score rescaled to [0, 1] over
        the passages given. The embedding alone favours sentences that echo the question's
        topic; the rare words ("brokered") and the passage-level evidence of the hybrid search
        point at the answer.
        """
        sentences = candidate_sentences(passages)
        if not sentences:
            return _no_answer(question, passages)
        similarity = self.encoder.encode([s.text for s in sentences]) @ question_vector
        closest = round(float(similarity.max()), 4)
        if closest < self.settings.min_answer_similarity:
            return _no_answer(question, passages, closest)
        weights = self.weights.idf(set(self.weights.words(question)))
        overlap = np.array([_term_overlap(weights, s.text, self.weights) for s in sentences])
        prior = min_max({i: p.score for i, p in enumerate(passages)})
        ranked_prior = np.array([prior[s.passage] for s in sentences])
        score = (
            similarity
            + self.settings.answer_term_weight * overlap
            + self.settings.answer_passage_weight * ranked_prior
        )
        order = np.argsort(-score, kind="stable")
        best = float(score[order[0]])

        chosen: list[int] = []
        for i in order:
            if len(chosen) == self.max_sentences or score[i] < best - self.margin:
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


def _term_overlap(weights: dict[str, float], sentence: str, lexical: WordWeights) -> float:
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
