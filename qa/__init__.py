"""Question answering over a document corpus, with citations to the exact passages used.

    from qa import retrieve, answer, QA

    passages = retrieve("Who brokered the ceasefire?", k=5)
    ans = answer("Who brokered the ceasefire?")
    qa = QA(corpus="path/to/folder")

Heavy libraries (torch, sentence-transformers, FAISS) load on first use, not on import.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qa.errors import (
    CorpusError,
    DocumentNotFoundError,
    IndexCorruptError,
    IndexWriteError,
    ModelError,
    QAError,
    QuestionError,
    SettingsError,
)
from qa.settings import AnswerSettings, IndexSettings, SearchSettings, Settings
from qa.types import (
    Answer,
    Check,
    Chunk,
    Document,
    Draft,
    Passage,
    Place,
    Quote,
    Segment,
    Turn,
)

if TYPE_CHECKING:
    from qa.service import QA

__all__ = [
    "QA",
    "Answer",
    "AnswerSettings",
    "Check",
    "Chunk",
    "CorpusError",
    "Document",
    "DocumentNotFoundError",
    "Draft",
    "IndexCorruptError",
    "IndexSettings",
    "IndexWriteError",
    "ModelError",
    "Passage",
    "Place",
    "QAError",
    "QuestionError",
    "Quote",
    "SearchSettings",
    "Segment",
    "Settings",
    "SettingsError",
    "Turn",
    "answer",
    "default_qa",
    "retrieve",
]

_default: QA | None = None
_default_lock = threading.Lock()


def __getattr__(name: str) -> object:
    # QA pulls in the index code (FAISS, bm25s); import it only when asked for.
    if name == "QA":
        from qa.service import QA

        return QA
    raise AttributeError(f"module 'qa' has no attribute {name!r}")


def default_qa() -> QA:
    """The shared ``QA`` over the default corpus, created on first use."""
    global _default
    with _default_lock:
        if _default is None:
            from qa.service import QA

            _default = QA()
        return _default


def retrieve(question: str, k: int = 5, mode: str | None = None) -> list[Passage]:
    """The ``k`` best passages of the default corpus for ``question``; see ``QA.retrieve``."""
    return default_qa().retrieve(question, k=k, mode=mode)


def answer(
    question: str, k: int = 5, mode: str | None = None, history: Sequence[str | Turn] = ()
) -> Answer:
    """An extractive, cited answer from the default corpus; see ``QA.answer``."""
    return default_qa().answer(question, k=k, mode=mode, history=history)
