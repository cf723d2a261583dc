"""The index on disk: a versioned folder of plain files, switched atomically.

Layout of an index folder::

    CURRENT              name of the live version folder (replaced atomically)
    .lock                held by the one process writing
    v-<time>-<rand>/
        manifest.json    settings, model, counts, corpus files, library versions, checksums
        documents.jsonl  one document a line: id, title, author, date, text, segments, file stat
        chunks.jsonl     one chunk a line: offsets, section, author, text, content hash, group
        vectors.faiss    the FAISS index, row i = chunk i
        bm25/            BM25: vocabulary, each row's words, scores by word (.npy and JSON)
        samples*.npy     each chunk's sampled shingle hashes (for the duplicate search of updates)

A new version is written completely into a fresh folder and only then named in CURRENT (a temp
file renamed over it with ``os.replace``), so a crash at any moment leaves the old index or the
new one, never a mix. Every file's size and SHA-256 are in the manifest and checked on load.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from embeddings.vector_index import VectorIndex
from qa.errors import IndexCorruptError
from qa.lexical import LexicalIndex
from qa.ragged import Ragged
from qa.types import Chunk, Document, Segment, SkippedFile

FORMAT_VERSION = 3
CURRENT = "CURRENT"


@dataclass(frozen=True)
class FileStat:
    """What identifies a corpus file's version without reading it."""

    size: int
    mtime_ns: int


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as indexed: the chunk, its content hash (the embedding cache key) and the places
    in other documents that hold the same passage (doc_id, start, end)."""

    chunk: Chunk
    content_hash: str
    also_in: tuple[tuple[str, int, int], ...] = ()


@dataclass
class StoredIndex:
    """Everything a search needs, as read from or about to be written to disk."""

    manifest: dict[str, Any]
    documents: list[Document]
    file_stats: dict[str, FileStat]
    skipped: list[SkippedFile]
    chunks: list[StoredChunk]
    vectors: VectorIndex
    lexical: LexicalIndex
    samples: Ragged
    version: str = ""  # the version folder it was read from ("" before it is written)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index folder's lock: one writer at a time, others wait."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_version(index_dir: Path) -> Path | None:
    """The live version folder, or None when no index has been written."""
    try:
        name = (index_dir / CURRENT).read_text().strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexCorruptError(f"cannot read {index_dir / CURRENT}: {exc}") from exc
    if not name.startswith("v-") or "/" in name:
        raise IndexCorruptError(f"{index_dir / CURRENT} names no version folder ({name[:40]!r})")
    return index_dir / name


def is_current(index_dir: Path, index: StoredIndex) -> bool:
    """Whether ``index`` was read from the version that is still the live one."""
    try:
        live = current_version(index_dir)
    except IndexCorruptError:
        return False
    return bool(index.version) and live is not None and live.name == index.version


def write_index(index_dir: Path, index: StoredIndex) -> Path:
    """Write ``index`` as a new version and make it the live one. Call under ``writer_lock``."""
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    tmp = index_dir / f".tmp-{name}"
    tmp.mkdir()
    try:
        _write_jsonl(tmp / "documents.jsonl", _document_records(index))
        _write_jsonl(tmp / "chunks.jsonl", (_chunk_record(c) for c in index.chunks))
        index.vectors.save(tmp / "vectors.faiss")
        (tmp / "bm25").mkdir()
        index.lexical.save(tmp / "bm25")
        index.samples.save(tmp, "samples")
        manifest = dict(index.manifest, format=FORMAT_VERSION, files=_checksums(tmp))
        _write_text(tmp / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
        _fsync_tree(tmp)
        final = index_dir / name
        os.replace(tmp, final)
        _write_text(index_dir / CURRENT, name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _remove_old_versions(index_dir, keep=name)
    return final


def read_index(index_dir: Path) -> StoredIndex:
    """Read and check the live version.

    Raises:
        FileNotFoundError: There is no index yet.
        IndexCorruptError: A file is missing, altered, unreadable or inconsistent.
    """
    version = current_version(index_dir)
    if version is None:
        raise FileNotFoundError(index_dir / CURRENT)
    if not version.is_dir():
        raise IndexCorruptError(f"the live version {version.name} is missing")
    try:
        manifest = json.loads((version / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"unreadable manifest.json: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise IndexCorruptError("manifest.json is not of this program's index format")
    _verify_checksums(version, manifest.get("files", {}))
    try:
        doc_records = _read_jsonl(version / "documents.jsonl")
        chunk_records = _read_jsonl(version / "chunks.jsonl")
        documents = [_document_from(r) for r in doc_records]
        stats = {r["doc_id"]: FileStat(**r["file"]) for r in doc_records}
        chunks = [_chunk_from(r) for r in chunk_records]
        skipped = [SkippedFile(**s) for s in manifest.get("skipped", [])]
    except (KeyError, TypeError, ValueError) as exc:
        raise IndexCorruptError(f"malformed records: {exc}") from exc
    vectors = VectorIndex.load(version / "vectors.faiss")
    lexical = LexicalIndex.load(version / "bm25")
    try:
        samples = Ragged.load(version, "samples")
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"cannot read the duplicate search's samples: {exc}") from exc
    if not len(vectors) == len(chunks) == len(lexical) == len(samples):
        raise IndexCorruptError(
            f"counts disagree: {len(chunks)} chunks, {len(vectors)} vectors, "
            f"{len(lexical)} BM25 rows, {len(samples)} samples"
        )
    if vectors.dimension != manifest.get("dimension"):
        raise IndexCorruptError("vector dimension differs from the manifest")
    return StoredIndex(
        manifest, documents, stats, skipped, chunks, vectors, lexical, samples, version.name
    )


def move_aside(index_dir: Path) -> Path | None:
    """Rename a damaged index's live version to ``broken-…`` (kept for inspection)."""
    try:
        version = current_version(index_dir)
    except IndexCorruptError:
        version = None
    target = None
    if version is not None and version.exists():
        target = index_dir / f"broken-{version.name}"
        os.replace(version, target)
    with contextlib.suppress(FileNotFoundError):
        os.remove(index_dir / CURRENT)
    return target


# -- records ---------------------------------------------------------------------------------


def _document_records(index: StoredIndex) -> Iterator[dict[str, Any]]:
    for doc in index.documents:
        yield {
            "doc_id": doc.doc_id,
            "title": doc.title,
            "author": doc.author,
            "date": doc.date,
            "file": asdict(index.file_stats[doc.doc_id]),
            "segments": [asdict(s) for s in doc.segments],
            "text": doc.text,
        }


def _document_from(record: dict[str, Any]) -> Document:
    return Document(
        doc_id=record["doc_id"],
        title=record["title"],
        text=record["text"],
        author=record["author"],
        date=record["date"],
        segments=tuple(Segment(**s) for s in record["segments"]),
    )


_CHUNK_FIELDS = tuple(f.name for f in fields(Chunk))


def _chunk_record(stored: StoredChunk) -> dict[str, Any]:
    record = {name: getattr(stored.chunk, name) for name in _CHUNK_FIELDS}
    return dict(record, hash=stored.content_hash, also_in=stored.also_in)


def _chunk_from(record: dict[str, Any]) -> StoredChunk:
    also_in = tuple((str(d), int(a), int(b)) for d, a, b in record.pop("also_in"))
    digest = record.pop("hash")
    return StoredChunk(Chunk(**record), digest, also_in)


# -- files -----------------------------------------------------------------------------------


def _write_jsonl(path: Path, records: Iterator[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False))
            handle.write("\n")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _write_text(path: Path, text: str) -> None:
    """Write ``path`` atomically: a temporary file in the same folder, then ``os.replace``."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _checksums(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        p.relative_to(folder).as_posix(): {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in _files(folder)
    }


def _verify_checksums(version: Path, expected: dict[str, dict[str, Any]]) -> None:
    if not expected:
        raise IndexCorruptError("manifest.json lists no files")
    for rel, meta in expected.items():
        path = version / rel
        if not path.is_file():
            raise IndexCorruptError(f"{rel} is missing")
        if path.stat().st_size != meta.get("size"):
            raise IndexCorruptError(f"{rel} has the wrong size (truncated or altered)")
        if _sha256(path) != meta.get("sha256"):
            raise IndexCorruptError(f"{rel} fails its checksum (altered or damaged)")


def _fsync_tree(folder: Path) -> None:
    for path in [*_files(folder), folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_old_versions(index_dir: Path, keep: str) -> None:
    for entry in index_dir.iterdir():
        if entry.name != keep and entry.name.startswith(("v-", ".tmp-v-")) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
