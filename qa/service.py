"""``QA``: one corpus, its stored index, and the questions asked of it.

The pipeline, stage by stage: ``qa.ingest`` reads the folder, ``qa.index`` builds or updates
the index, ``qa.store`` keeps it (``qa.store.sync`` decides which of the two is needed),
``qa.search`` finds passages and ``qa.answering`` answers from them. The index is loaded (or
built, or brought up to date) on first use, once, and shared by every call; loading is guarded
by a lock so that concurrent first calls do the work once.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from embeddings import errors as embedding_errors
from embeddings.encoder import Encoder, Role, choose_precision, load_encoder
from qa.answering import ANSWERERS, Answerer
from qa.answering.base import answer_parts
from qa.answering.followup import standalone_query
from qa.errors import ModelError, QuestionError
from qa.index.build import build_settings
from qa.index.manifest import Manifest
from qa.index.report import IndexedFile, IndexReport
from qa.ingest import SkipFile, isolated
from qa.ingest.example_questions import MAX_EXAMPLES, example_questions
from qa.ingest.pdf_page import page_texts, page_view_from, render_plain
from qa.ingest.upload import MAX_UPLOAD_BYTES, save_upload
from qa.paths import DEFAULT_CORPUS, default_index_dir, models_dir
from qa.search.question import check_k, check_mode, clean_question
from qa.search.retriever import Retriever
from qa.settings import IndexSettings, Settings
from qa.store.base import Store
from qa.store.registry import open_store
from qa.store.sync import open_index
from qa.types import Answer, Document, Draft, PageView, Passage, Place, SkippedFile

RENDER_SECONDS = 20.0  # the most a PDF page may take to render for the viewer


@dataclass(frozen=True)
class _Loaded:
    """What answering needs once the index is loaded."""

    retriever: Retriever
    answerer: Answerer


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
        **overrides: object,
    ) -> None:
        self.corpus = Path(corpus).expanduser() if corpus is not None else DEFAULT_CORPUS
        self.index_dir = (
            Path(index_dir).expanduser()
            if index_dir is not None
            else default_index_dir(self.corpus)
        )
        self.store: Store = open_store(
            store, self.corpus, Path(index_dir).expanduser() if index_dir is not None else None
        )
        self.settings = (settings or Settings()).updated(**overrides)
        self.progress = progress
        self.last_report: IndexReport | None = None
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()
        self._files: tuple[_Loaded, list[IndexedFile]] | None = None  # for the loaded index
        self._examples: tuple[_Loaded, list[str]] | None = None  # for the loaded index

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

        Raises:
            CorpusError: The folder is missing or holds no readable document.
            ModelError: The embedding model cannot be loaded.
            IndexWriteError: The index cannot be written (disk full, no permission); the
                previous index on disk is kept as it was.
        """
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
        return self._ready().retriever.search_batch(cleaned, k, mode)

    def answer(
        self,
        question: str,
        k: int = 5,
        mode: str | None = None,
        history: Sequence[str] | None = (),
    ) -> Answer:
        """An answer with ``[n]`` citations, from the top ``k`` passages: extractive, or with
        ``llm`` written by the model and checked (``Answer.checks``).

        Args:
            question: The question.
            k: Passages to answer from.
            mode: "hybrid" (default), "dense" or "bm25".
            history: The questions asked before it in the same conversation, oldest first. A
                follow-up that leans on them ("Did the government accept them?") is searched
                together with them; ``Answer.query`` says what was searched.

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
        history: Sequence[str] | None = (),
    ) -> Iterator[Draft | Answer]:
        """``answer``, as it is written: with a language model (``QA(llm=URL)``) its reply
        piece by piece as ``Draft``s, then the checked ``Answer``; the extractive answer comes
        as the ``Answer`` alone. Arguments and errors as ``answer``."""
        limit = self.settings.search.max_question_chars
        cleaned = clean_question(question, limit)
        history = () if history is None else history
        if isinstance(history, str | bytes) or not isinstance(history, Sequence):
            raise QuestionError("history must be a list of the earlier questions, as text")
        if not all(isinstance(h, str) for h in history):
            raise QuestionError("history must be a list of the earlier questions, as text")
        query = clean_question(standalone_query(cleaned, history, limit), limit)
        k = check_k(k)
        mode = check_mode(mode or self.settings.search.mode)
        loaded = self._ready()
        vectors = loaded.retriever.embed([query])  # once, for the search and the answer
        passages = loaded.retriever.search_batch([query], k, mode, vectors)[0]
        for part in answer_parts(loaded.answerer, query, passages, vectors[0], cleaned, history):
            yield part if isinstance(part, Draft) else replace(part, question=cleaned, query=query)

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
        once per loaded index (it reads every document record) and kept."""
        loaded = self._ready()
        kept = self._files
        if kept is not None and kept[0] is loaded:
            return kept[1]
        index = loaded.retriever.index
        chunks = Counter(index.chunk(row).chunk.doc_id for row in range(len(index)))
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
        index = loaded.retriever.index
        documents = (index.document(f.doc_id) for f in self.indexed_files())
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
            UploadError: The file is refused; nothing was saved.
            IndexWriteError: The file was saved but the index cannot be written; the index
                served so far is kept, and the next ``index`` takes the file in.
        """
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
        ``note``.

        Raises:
            DocumentNotFoundError: No such document in the index.
        """
        if not where.doc_id.lower().endswith(".pdf"):
            return PageView()
        texts = page_texts(self.document(where.doc_id), where.start, where.end)
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
                loaded = self._loaded
        return loaded  # type: ignore[return-value]  # _load always sets it

    def _load(self, rebuild: bool) -> IndexReport:
        encoder = self.encoder
        settings = self.settings.index
        # What the documents' encoder will resolve to, without loading it: an index that is up
        # to date is used as it stands, and that model stays unloaded (about 120 MB).
        documents = choose_precision(settings.precision, encoder.runtime, "documents")
        index, report = open_index(
            self.store,
            self.corpus,
            settings,
            lambda: self.document_encoder,
            build_settings(settings, encoder, documents),
            rebuild=rebuild,
            progress=self.progress,
        )
        retriever = Retriever(
            index, encoder, self.settings.search, batch_size=self.settings.index.batch_size
        )
        make_answerer = ANSWERERS[self.settings.answer.answerer]
        self._loaded = _Loaded(
            retriever, make_answerer(encoder, index.word_weights, self.settings.answer)
        )
        self.last_report = report
        return report
