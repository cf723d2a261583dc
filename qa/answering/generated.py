"""Generated answers: a language model the user runs writes the answer, and every sentence is
checked against the passage it cites.

The model gets the numbered passages (``prompt``) and streams its reply (``qa.llm``); each
piece is passed on as a ``Draft`` while it arrives. Then ``citation_check`` cuts the reply
into sentences and scores each against the passages it cites: an unsupported sentence is
marked ``(unsupported)`` and listed in ``Answer.checks`` with why. The extractive answer stays
the fallback, with a one-line note, whenever the generated one cannot be trusted or was not
written: the endpoint is down, slow or answers with an error (``GenerationError``), the reply
cites nothing, or no sentence of it is supported. The model's "the passages do not answer"
falls back too, since the extractive answer says how close the corpus comes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

import numpy as np

from embeddings.encoder import Encoder
from qa.answering.base import Asked
from qa.answering.citation_check import UNSUPPORTED_MARK, CitationChecker, marked
from qa.answering.extractive import ExtractiveAnswerer
from qa.answering.prompt import NOT_ANSWERED, messages
from qa.errors import GenerationError
from qa.llm import ChatClient
from qa.settings import AnswerSettings
from qa.store.base import WordWeights
from qa.types import Answer, Check, Draft, Passage, Turn

FALLBACK = "The extractive answer is given instead."


class GeneratedAnswerer:
    """Answers with a language model's sentences, each checked against its citation.

    Args:
        encoder: The bundled encoder (the checker's similarity, and the fallback's).
        weights: The corpus's word analysis and IDF (the checker's coverage).
        settings: ``llm`` (the endpoint), ``llm_model``, ``llm_timeout``,
            ``llm_max_tokens``, ``min_support`` and ``support_similarity_weight``.
        client: The chat client, when not the one ``settings`` describe (tests).
    """

    def __init__(
        self,
        encoder: Encoder,
        weights: WordWeights,
        settings: AnswerSettings,
        client: ChatClient | None = None,
    ) -> None:
        self.client = client or ChatClient(
            settings.llm or "",
            settings.llm_model or "",
            timeout=settings.llm_timeout,
            max_tokens=settings.llm_max_tokens,
        )
        self.checker = CitationChecker(
            encoder, weights, settings.min_support, settings.support_similarity_weight
        )
        self.fallback = ExtractiveAnswerer(encoder, weights, settings)

    def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        question_vector: np.ndarray,
        *,
        asked: Asked | None = None,
    ) -> Answer:
        """The checked answer (``stream``'s last item)."""
        *_, last = self.stream(question, passages, question_vector, asked=asked)
        assert isinstance(last, Answer)  # stream always ends with the Answer
        return last

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        question_vector: np.ndarray,
        *,
        asked: Asked | None = None,
        earlier: Sequence[Turn] = (),
    ) -> Iterator[Draft | Answer]:
        """The model's reply piece by piece as ``Draft``s, then the checked ``Answer``.

        Args:
            question: What was searched (a follow-up joined to the questions it leans on);
                the fallback answers it.
            passages: The passages, best first; ``[n]`` cites ``passages[n - 1]``.
            question_vector: ``question``'s embedding (for the fallback).
            asked: The question as the user wrote it, for the model and the fallback
                (default: ``question``).
            earlier: The conversation's earlier turns, oldest first: each question, and the
                answer given where the caller kept it (``prompt`` gives the model the last
                ``MAX_EARLIER``).
        """

        def extractive() -> Answer:
            return self.fallback.answer(question, passages, question_vector, asked=asked)

        if not passages:
            yield extractive()
            return
        pieces: list[str] = []
        try:
            for piece in self.client.stream(
                messages(asked.text if asked else question, passages, earlier)
            ):
                pieces.append(piece)
                yield Draft(piece)
        except GenerationError as exc:
            yield _fall_back(extractive(), f"{exc}.")
            return
        text = "".join(pieces).strip()
        if not text or NOT_ANSWERED.rstrip(".").lower() in text.lower():
            note = "The language model found no answer in the passages."
            yield _fall_back(extractive(), note)
            return
        found, checks, quotes = self.checker.check(text, passages)
        if not any(claim.citations for claim in found):
            note = "The language model's answer cited no passage."
            yield _fall_back(extractive(), note)
            return
        supported = sum(check.supported for check in checks)
        if not supported:
            note = "No sentence of the language model's answer is supported by its citation."
            yield _fall_back(extractive(), note, tuple(checks))
            return
        note = None
        if supported < len(checks):
            unsupported = len(checks) - supported
            note = (
                f"{unsupported} of {len(checks)} sentences of this generated answer "
                f"{'is' if unsupported == 1 else 'are'} not supported by a passage cited, "
                f"marked {UNSUPPORTED_MARK}."
            )
        yield Answer(
            question=question,
            text=_prose(marked(text, found, checks)) + (f"\n\n{note}" if note else ""),
            citations=list(passages),
            confident=True,
            quotes=quotes,
            checks=tuple(checks),
            note=note,
        )


def _fall_back(answer: Answer, why: str, checks: tuple[Check, ...] = ()) -> Answer:
    """The extractive ``answer``, with ``why`` and ``FALLBACK`` as its first line."""
    note = f"{_capitalised(why)} {FALLBACK}"
    return replace(answer, text=f"{note}\n\n{answer.text}", note=note, checks=checks)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _prose(text: str) -> str:
    """``text``'s paragraphs with their line breaks made spaces: the model's line breaks are
    not a code block's (``Answer.blocks`` shows a paragraph that holds one as it stands)."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())
