"""Answering: from passages to a cited answer, and from a conversation to the query to search.

``ANSWERERS`` maps the ``answerer`` setting to a factory; ``followup.standalone_query`` turns a
follow-up question into a query that stands alone.
"""

from collections.abc import Callable

from embeddings.encoder import Encoder
from qa.answering.base import Answerer
from qa.answering.extractive import ExtractiveAnswerer
from qa.answering.generated import GeneratedAnswerer
from qa.settings import AnswerSettings
from qa.store.base import WordWeights

ANSWERERS: dict[str, Callable[[Encoder, WordWeights, AnswerSettings], Answerer]] = {
    "extractive": ExtractiveAnswerer,
    "generated": GeneratedAnswerer,
}

__all__ = ["ANSWERERS", "Answerer", "ExtractiveAnswerer", "GeneratedAnswerer"]
