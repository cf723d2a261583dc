"""``QA``: one corpus, its index on disk, and the questions asked of it.

The index is loaded (or built, or brought up to date) on first use, once, and shared by every
call; loading is guarded by a lock so that concurrent first calls do the work once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from embeddings.encoder import Encoder, load_encoder
from qa.answering.extractive import extract_answer
from qa.errors import IndexCorruptError, IndexFormatError
from qa.index.build import IndexReport, build_index, index_settings, is_up_to_date
from qa.ingest.files import list_corpus_files
from qa.search.retriever import Retriever, check_k, check_mode, clean_question
from qa.settings import DEFAULT_CORPUS, Settings, default_index_dir
from qa.store.versions import (
    StoredIndex,
    has_unnamed_versions,
    is_current,
    move_aside,
    read_index,
    write_index,
    writer_lock,
)
from qa.types import Answer, Document, Passage

log = logging.getLogger("qa")


class QA:
    """Question answering over one folder of documents.

    Args:
        corpus: Folder of .txt, .md and .html files (searched recursively). Defaults to the
            bundled Basra corpus.
        index_dir: Where the index is kept. Defaults to a folder per corpus under ``QA_HOME``
            (see ``qa.settings``).
        settings: A ``Settings``; keyword arguments override single fields, e.g.
            ``QA(chunk_tokens=128, mode="dense")``.
        progress: Show progress bars while indexing.

    Example:
        >>> qa = QA(corpus="docs/")
        >>> qa.answer("Who brokered the ceasefire?").text
    """

    def __init__(
        self,
        corpus: str | Path | None = None,
        index_dir: str | Path | None = None,
        *,
        settings: Settings | None = None,
        progress: bool = True,
        **overrides: object,
    ) -> None:
        self.corpus = Path(corpus).expanduser() if corpus is not None else DEFAULT_CORPUS
        self.index_dir = (
            Path(index_dir).expanduser()
            if index_dir is not None
            else default_index_dir(self.corpus)
        )
        self.settings = (settings or Settings()).updated(**overrides)
        self.progress = progress
        self.last_report: IndexReport | None = None
        self._retriever: Retriever | None = None
        self._lock = threading.Lock()

    @property
    def encoder(self) -> Encoder:
        return load_encoder(self.settings.model, self.settings.precision)

    def index(self, rebuild: bool = False) -> IndexReport:
        """Bring the index up to date with the corpus folder and load it.

        Only new or changed files are read and only new text is embedded, unless ``rebuild``.

        Raises:
            CorpusError: The folder is missing or holds no readable document.
            ModelError: The embedding model cannot be loaded.
            IndexWriteError: The index cannot be written (disk full, no permission); the
                previous index on disk is kept as it was.
        """
        with self._lock:
            return self._update(rebuild=rebuild)

    def retrieve(self, question: str, k: int = 5, mode: str | None = None) -> list[Passage]:
        """The ``k`` passages that best match ``question``, best first.

        Args:
            question: Any text; control characters are ignored.
            k: Number of passages.
            mode: "hybrid" (default), "dense" or "bm25".

        Raises:
            QuestionError: Empty or over-long question, or bad ``k`` or ``mode``.
        """
        return self.retrieve_batch([question], k=k, mode=mode)[0]

    def retrieve_batch(
        self, questions: Sequence[str], k: int = 5, mode: str | None = None
    ) -> list[list[Passage]]:
        """``retrieve`` for several questions at once (one encoder pass)."""
        cleaned = [clean_question(q, self.settings.max_question_chars) for q in questions]
        k = check_k(k)
        mode = check_mode(mode or self.settings.mode)
        return self._ready().search_batch(cleaned, k, mode)

    def answer(self, question: str, k: int = 5, mode: str | None = None) -> Answer:
        """An extractive answer with ``[n]`` citations, from the top ``k`` passages.

        ``Answer.confident`` is False when no sentence is close enough to the question; the
        answer then says so and cites the nearest passages.
        """
        passages = self.retrieve(question, k=k, mode=mode)
        cleaned = clean_question(question, self.settings.max_question_chars)
        return extract_answer(
            cleaned,
            passages,
            self.encoder,
            self._ready().index.lexical,
            self.settings.min_answer_similarity,
            self.settings.answer_term_weight,
            self.settings.answer_passage_weight,
        )

    @property
    def retriever(self) -> Retriever:
        """The loaded index's searcher (loading or building the index on first use)."""
        return self._ready()

    def document(self, doc_id: str) -> Document:
        """The indexed document ``doc_id`` (its text is what passage offsets refer to).

        Raises:
            KeyError: No such document in the index.
        """
        return self._ready().index.document(doc_id)

    # -- loading -----------------------------------------------------------------------------

    def _ready(self) -> Retriever:
        retriever = self._retriever
        if retriever is None:
            with self._lock:
                if self._retriever is None:
                    self._update(rebuild=False)
                retriever = self._retriever
        return retriever  # type: ignore[return-value]  # _update always sets it

    def _update(self, rebuild: bool) -> IndexReport:
        encoder = self.encoder
        files = list_corpus_files(self.corpus)
        # Fast path without the lock: an index that is up to date is only read.
        previous = None if rebuild else self._read_existing(locked=False)
        if previous is None or not is_up_to_date(previous, files, self.settings, encoder):
            with writer_lock(self.index_dir):
                # Another process may have updated the index while this one waited.
                if previous is None or not is_current(self.index_dir, previous):
                    previous = None if rebuild else self._read_existing(locked=True)
                if previous is None or not is_up_to_date(previous, files, self.settings, encoder):
                    if previous is not None:
                        _explain_rebuild(
                            previous, index_settings(self.settings, encoder), self.index_dir
                        )
                    index, report = build_index(
                        self.corpus, self.settings, encoder, previous, self.progress, files
                    )
                    write_index(self.index_dir, index)
                    self._retriever = Retriever(index, encoder, self.settings)
                    self.last_report = replace(report, index_dir=str(self.index_dir))
                    return self.last_report
        self._retriever = Retriever(previous, encoder, self.settings)
        self.last_report = _up_to_date_report(self, previous)
        return self.last_report

    def _read_existing(self, locked: bool) -> StoredIndex | None:
        """The index on disk, or None when there is none or it is damaged (then moved aside).

        Damage is only acted on under the writer lock: without it, a version that another
        process replaced while this one read it would look damaged.
        """
        try:
            return read_index(self.index_dir)
        except FileNotFoundError:
            # Under the lock a version folder without CURRENT is no write in progress: the
            # pointer was lost, and the user should hear why everything is embedded again.
            if locked and has_unnamed_versions(self.index_dir):
                log.warning(
                    "The index at %s has lost its CURRENT pointer: rebuilding it.", self.index_dir
                )
            return None
        except IndexCorruptError as exc:
            if not locked:
                with writer_lock(self.index_dir):
                    return self._read_existing(locked=True)
            moved = move_aside(self.index_dir)
            where = f"; the old copy is kept at {moved}" if moved else ""
            what = "is from another version" if isinstance(exc, IndexFormatError) else "is damaged"
            log.warning(
                "The index at %s %s (%s): rebuilding it%s.", self.index_dir, what, exc, where
            )
            return None


def _explain_rebuild(previous: StoredIndex, wanted: dict[str, object], index_dir: Path) -> None:
    """Say why an index is rebuilt when its settings, not just the corpus, changed."""
    built = previous.manifest.get("settings", {})
    changed = [f"{k} {built.get(k)} → {v}" for k, v in wanted.items() if built.get(k) != v]
    if changed:
        log.warning(
            "The index at %s was built with other settings (%s): updating it.",
            index_dir,
            ", ".join(changed),
        )


def _up_to_date_report(qa: QA, index: StoredIndex) -> IndexReport:
    counts = index.manifest.get("counts", {}).get("segments", {})
    return IndexReport(
        corpus=str(qa.corpus),
        index_dir=str(qa.index_dir),
        documents=len(index.documents),
        article_segments=counts.get("article", 0),
        comment_segments=counts.get("comment", 0),
        boilerplate_segments=counts.get("boilerplate", 0),
        chunks=len(index.chunks),
        embedded=0,
        reused=len(index.chunks),
        documents_read=0,
        skipped=list(index.skipped),
        up_to_date=True,
    )
