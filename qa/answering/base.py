"""The answerer seam: from a question and its passages to a cited ``Answer``.

An ``Answerer`` is built once per loaded index (``ANSWERERS`` in ``qa.answering`` maps the
``answerer`` setting to a factory) and called for each question with the passages the search
found and the question's embedding, which the search already computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from qa.types import Answer, Passage


class Answerer(Protocol):
    def answer(
        self, question: str, passages: Sequence[Passage], question_vector: np.ndarray
    ) -> Answer:
        """The answer to ``question`` (cleaned) from ``passages`` (best first); its ``[n]``
        markers cite ``Answer.citations``. When the passages do not answer it, ``confident``
        is False and nothing is invented."""
        ...
