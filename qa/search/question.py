"""Checking what a caller asks before any work is done: the question text, ``k`` and the mode."""

from __future__ import annotations

import re

from qa.errors import QuestionError
from qa.settings import MODES

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_K = 1000


def valid_unicode(text: str) -> str:
    """``text`` as valid Unicode: surrogate pairs joined into their character and lone
    surrogates (which JSON clients can send, and Python makes of undecodable command-line bytes)
    replaced by U+FFFD, since the tokenizer refuses them."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def is_blank(question: str) -> bool:
    """Whether ``question`` holds nothing once control characters and spaces are gone (what
    ``clean_question`` refuses as empty)."""
    return not _stripped(question)


def _stripped(text: str) -> str:
    return _CONTROL.sub(" ", valid_unicode(text)).strip()


def clean_question(question: object, max_chars: int) -> str:
    """The question as valid Unicode, with control characters removed and spaces trimmed.

    Raises:
        QuestionError: It is not text, is empty, or is longer than ``max_chars``.
    """
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, got {type(question).__name__}")
    cleaned = _stripped(question)
    if not cleaned:
        raise QuestionError("the question is empty: type a question about the documents")
    if len(cleaned) > max_chars:
        raise QuestionError(
            f"the question is too long ({len(cleaned):,} characters; the limit is "
            f"{max_chars:,}): shorten it to the part you want answered"
        )
    return cleaned


def check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise QuestionError(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
    return k


def check_mode(mode: object) -> str:
    if mode not in MODES:
        raise QuestionError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    return mode  # type: ignore[return-value]
