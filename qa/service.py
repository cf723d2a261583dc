"""``QA``: one corpus, its stored index, and the questions asked of it.

The pipeline, stage by stage: ``qa.ingest`` reads the folder, ``qa.index`` builds or updates
the index, ``qa.store`` keeps it (``qa.store.sync`` decides which of the two is needed),
``qa.search`` finds passages and ``qa.answering`` answers from them. The index is loaded (or
built, or brought up to date) on first use, once, and shared by every call; loading is guarded
by a lock so that concurrent first calls do the work once.

Several processes may share one stored index (app replicas on one database): each asks its
store at most every ``REFRESH_SECONDS`` whether another process has made a new version live,
and if so reads it and swaps it in whole; a question already under way finishes on the version
it started with (the store keeps the previous version for it). A ``read_only`` QA only ever
reads: it needs no corpus folder, which is how a replica on another machine serves.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from embeddings import errors as embedding_errors
from embeddings.encoder import Encoder, Role, choose_precision, load_encoder
from qa.answering import ANSWERERS, Answerer
from qa.answering.base import Asked, answer_parts
from qa.answering.code_ends import carry_code_on
from qa.answering.definitions import search_depth, with_definition
from qa.answering.focus import with_specifics_written
from qa.answering.followup import standalone_query
from qa.errors import (
    IndexCorruptError,
    ModelError,
    QAError,
    QuestionError,
    SettingsError,
    UploadError,
)
from qa.index.build import build_settings
from qa.index.manifest import Manifest
from qa.index.report import IndexedFile, IndexReport
from qa.index.stored import StoredIndex
from qa.ingest import SkipFile, isolated
from qa.ingest.example_questions import MAX_EXAMPLES, example_questions, questions_from_headings
from qa.ingest.pdf_page import page_texts, page_view_from, render_plain
from qa.ingest.upload import MAX_UPLOAD_BYTES, save_upload
from qa.paths import DEFAULT_CORPUS, corpus_key, models_dir
from qa.search.question import check_k, check_mode, clean_question
from qa.search.retriever import Retriever
from qa.settings import IndexSettings, Settings
from qa.store.base import Store
from qa.store.folder import FolderStore
from qa.store.registry import missing_corpus, open_store
from qa.store.sync import open_index
from qa.types import Answer, Document, Draft, PageView, Passage, Place, SkippedFile, Turn

T = TypeVar("T")
# Example questions come from the first documents by doc_id, not from every chunk and document
# record (5,183 SciFact abstracts read whole: 0.48 s on the files store; a database sends each
# record over its connection).
EXAMPLE_DOCUMENTS = 200
# The Documents panel counts each document's passages from every chunk record, read this many
# at a time: a database sends each batch in one statement, not one statement a chunk.
RECORDS_AT_ONCE = 1024
RENDER_SECONDS = 20.0  # the most a PDF page may take to render for the viewer
# How often, at most, a QA asks its store whether another process switched to a new version:
# one small query (a file's read for a folder) on the path of a question, every 2 s at most.
REFRESH_SECONDS = 2.0
log = logging.getLogger("qa")


@dataclass(frozen=True)
class _Loaded:
    """What answering needs once the index is loaded."""

    retriever: Retriever
    answerer: Answerer


def _turns(history: Sequence[str | Turn] | None) -> tuple[Turn, ...]:
    """``QA.answer``'s ``history`` as ``Turn``s (a question alone is a turn without its answer).

    Raises:
        QuestionError: ``history`` is not a list of questions (text) and ``Turn``s.
    """
    wrong = QuestionError(
        "history must be a list of the earlier questions, as text, or of Turns (a question "
        "and the answer given to it, as text)"
    )
    history = () if history is None else history
    if isinstance(history, str | bytes) or not isinstance(history, Sequence):
        raise wrong
    turns = []
    for item in history:
        turn = Turn(item) if isinstance(item, str) else item
        if not isinstance(turn, Turn) or not isinstance(turn.question, str):
            raise wrong
        if turn.answer is not None and not isinstance(turn.answer, str):
            raise wrong
        turns.append(turn)
    return tuple(turns)


def load_index_encoder(settings: IndexSettings, role: Role = "questions") -> Encoder:
    """The encoder ``settings`` name for ``role`` (documents or questions), loaded once per
    process, its OpenVINO trace kept in ``QA_HOME`` (``qa.paths.models_dir``).

    Raises:
        embeddings.errors.ModelError: The model cannot be loaded.
    """
    return load_encoder(settings.model, settings.precision, settings.runtime, models_dir(), role)


class QA:
    """Question answering over one folder of documents.

    Args:
        corpus: Folder of documents, searched recursively (the formats of
            ``qa.ingest.formats``: PDF, Word, HTML, Markdown, reStructuredText, text). Defaults
            to the bundled demo corpus.
        index_dir: Where the index is kept. Defaults to a folder per corpus under ``QA_HOME``
            (see ``qa.paths``).
        settings: A ``Settings``; keyword arguments override single fields by name, e.g.
            ``QA(chunk_tokens=128, mode="dense")``.
        progress: Show progress bars while indexing.
        store: Where the index is kept, when not a folder on this machine: a
            ``postgresql://user@host/database`` URL (a PostgreSQL database with pgvector,
            shared by every process that reaches it; ``qa.store.postgres``) or a
            ``qa.store.base.Store``. ``index_dir`` is then ignored. Without either,
            ``$QA_STORE`` is used when set (``qa.store.registry`` has the order).
        corpus_id: The corpus's name in the store (``qa index --corpus-id``): letters, digits,
            "_", "." and "-". Defaults to its folder's name and a hash of its path on this
            machine (``qa.paths.corpus_key``), which another machine cannot know: name it when
            replicas elsewhere are to read it.
        read_only: Only read the index the store holds (its live version, as another process
            indexed it), never list the folder nor index: an app replica. ``corpus`` may then be
            omitted (with ``corpus_id`` given); without the folder, PDF page images are not
            shown (the document's text is) and the example questions come from its headings.
        refresh_seconds: How often, at most, to check for a new version written by another
            process (``REFRESH_SECONDS``); 0 checks before every question.
        llm, llm_model (keyword settings): an OpenAI-compatible chat API that writes the
            answers ("http://127.0.0.1:11434/v1"), each sentence checked against the passage
            it cites; ``answer_stream`` streams them (``qa.answering.generated``).

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
        store: Store | str | None = None,
        corpus_id: str | None = None,
        read_only: bool = False,
        refresh_seconds: float = REFRESH_SECONDS,
        **overrides: object,
    ) -> None:
        self.read_only = bool(read_only)
        self.corpus: Path | None  # None: a replica without the folder
        if corpus is not None:
            self.corpus = Path(corpus).expanduser()
        elif self.read_only and corpus_id is not None:
            self.corpus = None
        else:
            self.corpus = DEFAULT_CORPUS
        folder = Path(index_dir).expanduser() if index_dir is not None else None
        self.store: Store = open_store(store, self.corpus, folder, corpus_id)
        # Its id in the store: the one given, else made from its folder (there unless given).
        self.corpus_id = corpus_id or corpus_key(self.corpus)  # type: ignore[arg-type]
        # The index's folder, when in a folder (the server keeps it from being served).
        self.index_dir = self.store.index_dir if isinstance(self.store, FolderStore) else None
        self.settings = (settings or Settings()).updated(**overrides)
        self.progress = progress
        if not 0 <= refresh_seconds < float("inf"):
            raise SettingsError(f"refresh_seconds must be 0 or more, not {refresh_seconds}")
        self.refresh_seconds = refresh_seconds
        self.last_report: IndexReport | None = None
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()
        self._checking = threading.Lock()  # one thread at a time asks the store for news
        self._checked = 0.0  # when the store was last asked (time.monotonic)
        self._check_failed = False
        self._files: tuple[_Loaded, list[IndexedFile]] | None = None  # for the loaded index
        self._examples: tuple[_Loaded, list[str]] | None = None  # for the loaded index

    @property
    def name(self) -> str:
        """The corpus's name for people: its folder's name, else (a replica without the
        folder) its id in the store."""
        return self.corpus.resolve().name if self.corpus is not None else self.corpus_id

    @property
    def encoder(self) -> Encoder:
        """The embedding model as it embeds questions and answer sentences, loaded once per
        process.

        Raises:
            ModelError: The model cannot be loaded.
        """
        return self._encoder("questions")

    @property
    def document_encoder(self) -> Encoder:
        """The embedding model as it embeds the corpus's chunks (with the default precision,
        int8 where OpenVINO runs it: ``embeddings.encoder.choose_precision``).

        Raises:
            ModelError: The model cannot be loaded.
        """
        return self._encoder("documents")

    def _encoder(self, role: Role) -> Encoder:
        try:
            return load_index_encoder(self.settings.index, role)
        except embedding_errors.ModelError as exc:
            raise ModelError(str(exc)) from exc

    def index(self, rebuild: bool = False) -> IndexReport:
        """Bring the index up to date with the corpus folder and load it.

        Only new or changed files are read and only new text is embedded, unless ``rebuild``.
        A ``read_only`` QA reads the live version the store holds instead (the report says it
        was up to date).

        Raises:
            CorpusError: The folder is missing or holds no readable document; for a
                ``read_only`` QA, the store holds no index of the corpus (the message names
                those it holds).
            ModelError: The embedding model cannot be loaded.
            IndexWriteError: The index cannot be written (disk full, no permission); the
                previous index on disk is kept as it was.
            SettingsError: ``rebuild`` asked of a ``read_only`` QA.
        """
        if rebuild and self.read_only:
            raise SettingsError(
                "this QA only reads the stored index (read_only): rebuild it where the corpus "
                "folder is, with qa index FOLDER --rebuild"
            )
        with self._lock:
            return self._load(rebuild=rebuild)

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
        cleaned = [clean_question(q, self.settings.search.max_question_chars) for q in questions]
        k = check_k(k)
        mode = check_mode(mode or self.settings.search.mode)
        return self._on_live(lambda loaded: loaded.retriever.search_batch(cleaned, k, mode))

    def answer(
        self,
        question: str,
        k: int = 5,
        mode: str | None = None,
        history: Sequence[str | Turn] | None = (),
    ) -> Answer:
        """An answer with ``[n]`` citations, from the top ``k`` passages: extractive, or with
        ``llm`` written by the model and checked (``Answer.checks``).

        Args:
            question: The question.
            k: Passages to answer from.
            mode: "hybrid" (default), "dense" or "bm25".
            history: The conversation's earlier turns, oldest first: each a question (text),
                or a ``Turn`` with the answer given to it too (``Turn.of(question, answer)``).
                A follow-up that leans on the earlier questions ("Did the government accept
                them?") is searched together with them; ``Answer.query`` says what was
                searched. A language model (``llm``) is also given the last few turns, their
                answers included; the extractive answer reads only the questions.

        ``Answer.confident`` is False when no sentence is close enough to the question; the
        answer then says so and cites the nearest passages.

        Raises:
            QuestionError: Empty or over-long question, bad ``k``, ``mode`` or ``history``.
        """
        *_, answer = self.answer_stream(question, k, mode, history)
        return answer  # type: ignore[return-value]  # the stream ends with the Answer

    def answer_stream(
        self,
        question: str,
        k: int = 5,
        mode: str | None = None,
        history: Sequence[str | Turn] | None = (),
    ) -> Iterator[Draft | Answer]:
        """``answer``, as it is written: with a language model (``QA(llm=URL)``) its reply
        piece by piece as ``Draft``s, then the checked ``Answer``; the extractive answer comes
        as the ``Answer`` alone. Arguments and errors as ``answer``."""
        limit = self.settings.search.max_question_chars
        cleaned = clean_question(question, limit)
        turns = _turns(history)
        searched = standalone_query(cleaned, turns, limit)
        query = clean_question(searched.text, limit)
        own = searched.asked  # "its" put as the thing the last answer named, if so
        k = check_k(k)
        mode = check_mode(mode or self.settings.search.mode)

        def search(loaded: _Loaded) -> tuple[_Loaded, Any, list[Passage]]:
            # once, for the search and the answer; a follow-up's own question too (what it asks)
            vectors = loaded.retriever.embed([query, own] if own != query else [query])
            depth = search_depth(query, k)
            found = loaded.retriever.search_batch([query], depth, mode, vectors[:1])[0]
            document = loaded.retriever.index.document
            # "What does X do?": X's own description, if the passages shown lack it
            found = with_definition(query, found[:k], found[k:], document)
            # an example cut by its chunk's end is answered from whole (``code_ends``)
            return loaded, vectors, carry_code_on(found, document)

        loaded, vectors, passages = self._on_live(search)
        asked = Asked(own, vectors[1] if own != query else None)
        for part in answer_parts(loaded.answerer, query, passages, vectors[0], asked, turns):
            if isinstance(part, Draft):
                yield part
                continue
            # the documents cannot say what they never write ("Debian 12": they speak of others);
            # a follow-up's earlier questions were checked when they were asked
            checked = with_specifics_written(part, own, loaded.retriever.index.document)
            yield replace(checked, question=cleaned, query=query, query_joined=searched.joined)

    @property
    def retriever(self) -> Retriever:
        """The loaded index's searcher (loading or building the index on first use)."""
        return self._ready().retriever

    @property
    def manifest(self) -> Manifest:
        """What the loaded index holds and how it was built: its documents, chunks and PDF
        pages, and when (loading or building the index on first use)."""
        return self._ready().retriever.index.manifest

    def indexed_files(self) -> list[IndexedFile]:
        """Every document of the loaded index, sorted by ``doc_id``: its title, passages, PDF
        pages, and characters indexed and left out where the index records them. Worked out
        once per loaded index (it reads every chunk record, ``RECORDS_AT_ONCE`` at a time,
        and every document record) and kept."""
        loaded = self._ready()
        kept = self._files
        if kept is not None and kept[0] is loaded:
            return kept[1]
        index = loaded.retriever.index
        rows = range(len(index))
        chunks: Counter[str] = Counter()
        for start in rows[::RECORDS_AT_ONCE]:  # a database reads each batch in one statement
            batch = index.chunk_batch(rows[start : start + RECORDS_AT_ONCE])
            chunks.update(stored.chunk.doc_id for stored in batch)
        texts = index.manifest.texts
        files = []
        for doc_id in sorted(set(chunks) | set(texts)):
            doc = index.document(doc_id)
            kept_text = texts.get(doc_id)
            files.append(
                IndexedFile(
                    doc_id=doc_id,
                    title=doc.title,
                    chunks=chunks[doc_id],
                    pages=len(doc.pages),
                    characters=kept_text.characters if kept_text else None,
                    dropped=kept_text.lost if kept_text else None,
                )
            )
        self._files = (loaded, files)
        return files

    def example_questions(self) -> list[str]:
        """A few questions to offer a newcomer, from this corpus alone: those of the folder's
        ``.questions.txt`` (one a line, ``#`` comments), else ones made from its documents'
        section headings ("How do I embed the entire ICU?"); see
        ``qa.ingest.example_questions``. Worked out once per loaded index and kept; may be
        empty (a folder of documents without headings)."""
        loaded = self._ready()
        kept = self._examples
        if kept is not None and kept[0] is loaded:
            return list(kept[1])
        # The first documents by doc_id (the stores keep that order), read one at a time: a
        # corpus of thousands is not read whole before its first page shows.
        documents = itertools.islice(loaded.retriever.index.documents, EXAMPLE_DOCUMENTS)
        if self.corpus is None:  # a replica without the folder, and so without its questions file
            questions = questions_from_headings(documents, MAX_EXAMPLES)
        else:
            questions = example_questions(self.corpus, documents, MAX_EXAMPLES)
        self._examples = (loaded, questions)
        return list(questions)

    @property
    def skipped_files(self) -> list[SkippedFile]:
        """The corpus files the loaded index left out, each with its one-line reason (an
        encrypted PDF, an empty file, a format the reader does not know)."""
        return list(self.manifest.skipped)

    def add_file(
        self, name: str, source: str | Path, max_bytes: int = MAX_UPLOAD_BYTES
    ) -> IndexReport:
        """Check the file at ``source`` (an upload), save it into the corpus folder as
        ``name`` and bring the index up to date with it (``index``: only it is read).

        The checks (``qa.ingest.upload``): a plain file name of a format the reader knows, not
        empty and at most ``max_bytes``, content that matches its suffix and that its reader
        reads; a file of that name already in the folder is never replaced.

        Raises:
            UploadError: The file is refused (or this QA is ``read_only``); nothing was saved.
            IndexWriteError: The file was saved but the index cannot be written; the index
                served so far is kept, and the next ``index`` takes the file in.
        """
        if self.read_only or self.corpus is None:
            raise UploadError(
                "this server only reads a shared index: add the file to the corpus folder where "
                "it is indexed (qa index FOLDER --store URL --corpus-id NAME)"
            )
        save_upload(self.corpus, name, Path(source), max_bytes)
        return self.index()

    def document(self, doc_id: str) -> Document:
        """The indexed document ``doc_id`` (its text is what passage offsets refer to).

        Raises:
            DocumentNotFoundError: No such document in the index.
        """
        return self._ready().retriever.index.document(doc_id)

    def page_view(self, where: Passage | Place) -> PageView:
        """The pages of a PDF that ``where`` stands on, rendered from the file in the corpus
        folder, with its lines boxed; no images for a document that is not a PDF.

        The file is read now, not at indexing, in the parsers' child process
        (``qa.ingest.isolated``); one that is gone, broken, encrypted or changed since it was
        indexed, or takes over ``RENDER_SECONDS``, gives fewer images (or none) and a one-line
        ``note``. A replica without the corpus folder shows no page images, only the note
        saying why (the viewer shows the document's text all the same).

        Raises:
            DocumentNotFoundError: No such document in the index.
        """
        if not where.doc_id.lower().endswith(".pdf"):
            return PageView()
        texts = page_texts(self.document(where.doc_id), where.start, where.end)
        if self.corpus is None:
            return PageView(
                note="The page images are not shown: this server reads a shared index without "
                "the documents' files; the text is the document's as indexed."
            )
        relative = PurePosixPath(where.doc_id)
        if relative.is_absolute() or ".." in relative.parts:  # an index's ids never are
            return PageView(note=f"The page cannot be shown: {where.doc_id} is outside the corpus.")
        path = self.corpus.joinpath(*relative.parts)
        try:  # in the parsers' child process, so that a hostile PDF cannot hang the server
            plain = isolated.call(render_plain, str(path), texts, seconds=RENDER_SECONDS)
        except SkipFile as stop:
            return PageView(note=f"The page cannot be shown: {stop.reason}.")
        return page_view_from(plain)

    # -- loading -----------------------------------------------------------------------------

    def _ready(self) -> _Loaded:
        loaded = self._loaded
        if loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._load(rebuild=False)
                return self._loaded  # type: ignore[return-value]  # _load always sets it
        due = time.monotonic() >= self._checked + self.refresh_seconds
        if due and self._checking.acquire(blocking=False):
            try:  # one thread asks; the others answer from the version they have meanwhile
                self._checked = time.monotonic()
                return self._refresh(loaded)
            finally:
                self._checking.release()
        return loaded

    def _on_live(self, work: Callable[[_Loaded], T]) -> T:
        """``work`` on the loaded version; once more on the live one should the loaded one be
        gone from the store meanwhile (replaced twice since it was read: a long question, or
        re-indexing faster than ``refresh_seconds``)."""
        loaded = self._ready()
        try:
            return work(loaded)
        except IndexCorruptError:
            if self.store.is_current(loaded.retriever.index):
                raise  # damage, not a version gone: nothing newer to answer from
            return work(self._refresh(loaded))

    def _refresh(self, loaded: _Loaded) -> _Loaded:
        """The version to answer from: ``loaded`` while it is the store's live one, else the
        live one, read and swapped in (never built: that is the indexer's work). Should the
        store fail to say or to read, ``loaded`` is kept and a warning logged once."""
        try:
            if self.store.is_current(loaded.retriever.index):
                self._check_failed = False
                return loaded
            with self._lock:
                if self._loaded is loaded:  # no other thread has swapped meanwhile
                    index = self.store.read()
                    if index is None:
                        raise IndexCorruptError("the live version is gone from the store")
                    self._use(index, IndexReport.of(index.manifest, self.store.location))
                self._check_failed = False
                return self._loaded  # type: ignore[return-value]  # _use sets it
        except QAError as exc:
            if not self._check_failed:
                log.warning(
                    "Cannot check %s for a new version of the index (%s): answering from the "
                    "version loaded.",
                    self.store.location,
                    exc,
                )
            self._check_failed = True
            return loaded

    def _load(self, rebuild: bool) -> IndexReport:
        if self.read_only:
            index = self.store.read()
            if index is None:
                raise missing_corpus(self.store, self.corpus_id)
            report = IndexReport.of(index.manifest, self.store.location)
            self._use(index, report)
            return report
        encoder = self.encoder
        settings = self.settings.index
        # What the documents' encoder will resolve to, without loading it: an index that is up
        # to date is used as it stands, and that model stays unloaded (about 120 MB).
        documents = choose_precision(settings.precision, encoder.runtime, "documents")
        index, report = open_index(
            self.store,
            self.corpus,  # type: ignore[arg-type]  # set unless read_only
            settings,
            lambda: self.document_encoder,
            build_settings(settings, encoder, documents),
            rebuild=rebuild,
            progress=self.progress,
        )
        self._use(index, report)
        return report

    def _use(self, index: StoredIndex, report: IndexReport) -> None:
        """Answer from ``index`` from now on (a question under way finishes on the one before).
        A replica takes the model the index was built with, whatever its own settings say."""
        built = index.manifest.settings.model
        if self.read_only and built != self.settings.index.model:
            self.settings = self.settings.updated(model=built)
        encoder = self.encoder
        if encoder.dimension != index.manifest.settings.dimension:
            raise IndexCorruptError(
                f"the index at {self.store.location} holds vectors of "
                f"{index.manifest.settings.dimension} dimensions, the model {built} makes "
                f"{encoder.dimension}: index the corpus again"
            )
        retriever = Retriever(
            index, encoder, self.settings.search, batch_size=self.settings.index.batch_size
        )
        make_answerer = ANSWERERS[self.settings.answer.answerer]
        self._loaded = _Loaded(
            retriever, make_answerer(encoder, index.word_weights, self.settings.answer)
        )
        self.last_report = report
        self._checked = time.monotonic()  # just read: live as of now
