"""The answerer seam: from a question and its passages to a cited ``Answer``.

An ``Answerer`` is built once per loaded index (``ANSWERERS`` in ``qa.answering`` maps the
``answerer`` setting to a factory) and called for each question with the passages the search
found and the question's embedding, which the search already computed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

import numpy as np

from qa.types import Answer, Draft, Passage, Turn

NO_ANSWER = "The corpus does not seem to answer this question."


def refused(answer: Answer, why: str = "") -> Answer:
    """``answer`` turned into a refusal: it says the corpus does not seem to answer (and
    ``why``, a sentence), then quotes what it was as the closest the corpus comes. A refusal
    that knows why is sure of it: its confidence is 0. A quote that opens verbatim (a table's
    rows, a code block) stays a paragraph of its own, so that the refusal is read as prose and
    the quote as it stands (``Answer.blocks``)."""
    said = f"{NO_ANSWER} {why} " if why else f"{NO_ANSWER} "
    blocks = answer.blocks()
    gap = "\n\n" if blocks and blocks[0][1] else " "  # its first paragraph is verbatim
    closest = f"The closest it comes:{gap}{answer.text}"
    confidence = 0.0 if why else answer.confidence
    return replace(answer, text=f"{said}{closest}", confident=False, confidence=confidence)


@dataclass(frozen=True)
class Asked:
    """The question as the user wrote it, beside what was searched: a follow-up ("What is its
    GID?") is searched joined to the earlier questions it leans on, but answered for what it
    asks. ``vector`` is its embedding, made only when it differs from the query's."""

    text: str
    vector: np.ndarray | None = None


class Answerer(Protocol):
    def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        question_vector: np.ndarray,
        *,
        asked: Asked | None = None,
    ) -> Answer:
        """The answer to ``question`` (cleaned; what was searched) from ``passages`` (best
        first); its ``[n]`` markers cite ``Answer.citations``. ``asked`` is the question as
        written (default: ``question``). When the passages do not answer it, ``confident`` is
        False and nothing is invented."""
        ...


@runtime_checkable
class StreamingAnswerer(Protocol):
    """An answerer that writes its answer over time (``qa.answering.generated``)."""

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        question_vector: np.ndarray,
        *,
        asked: Asked | None = None,
        earlier: Sequence[Turn] = (),
    ) -> Iterator[Draft | Answer]:
        """Pieces of the answer as ``Draft``s while it is written, then the ``Answer``.
        ``question`` is what was searched, ``asked`` the question as written (as
        ``Answerer.answer``) and ``earlier`` the conversation's earlier turns (questions, and
        the answers given where known)."""
        ...


def answer_parts(
    answerer: Answerer,
    question: str,
    passages: Sequence[Passage],
    question_vector: np.ndarray,
    asked: Asked,
    earlier: Sequence[Turn],
) -> Iterator[Draft | Answer]:
    """``answerer``'s answer as a stream: its ``Draft``s and ``Answer`` if it streams, else
    its ``Answer`` alone."""
    if isinstance(answerer, StreamingAnswerer):
        yield from answerer.stream(
            question, passages, question_vector, asked=asked, earlier=earlier
        )
    else:
        yield answerer.answer(question, passages, question_vector, asked=asked)
