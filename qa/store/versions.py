"""The index on disk: a versioned folder of plain files, switched atomically.

Layout of an index folder::

    CURRENT              name of the live version folder (replaced atomically)
    .lock                held by the one process writing
    v-<time>-<rand>/
        manifest.json    settings, model, counts, library versions, checksums
        files.json       each document's file: [doc_id, size, mtime_ns], in document order
        documents.jsonl  one document a line: id, title, author, date, text, segments
        chunks.jsonl     one chunk a line: offsets, section, author, text, content hash, copies
        *.offsets.npy    where each line of the two .jsonl files starts
        vectors.faiss    the FAISS index, row i = chunk i
        bm25/            BM25: vocabulary, each row's words, scores by word (.npy and JSON)
        samples*.npy     each chunk's sampled shingle hashes (for the duplicate search of updates)

A new version is written completely into a fresh folder and only then named in CURRENT (a temp
file renamed over it with ``os.replace``), so a crash at any moment leaves the old index or the
new one, never a mix. Every file's size and SHA-256 are in the manifest and checked on load.

Documents and chunks are read lazily: the ``.jsonl`` files are memory-mapped and a record is
parsed when it is asked for, so that loading a million chunks neither parses them all nor
holds them all as Python objects (a search looks at a few dozen).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import hashlib
import json
import mmap
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np

from embeddings.vector_index import VectorIndex
from qa.errors import IndexCorruptError, IndexFormatError, IndexWriteError
from qa.index.lexical import LexicalIndex
from qa.index.ragged import Ragged
from qa.types import Chunk, Document, Segment, SkippedFile

FORMAT_VERSION = 4
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
    """Everything a search needs, as read from or about to be written to disk.

    ``file_stats`` lists the documents' files in the order of ``documents``; ``documents`` and
    ``chunks`` are lists when built, lazily parsed records when read (``JsonLines``).
    """

    manifest: dict[str, Any]
    documents: Sequence[Document]
    file_stats: dict[str, FileStat]
    skipped: list[SkippedFile]
    chunks: Sequence[StoredChunk]
    vectors: VectorIndex
    lexical: LexicalIndex
    samples: Ragged
    version: str = ""  # the version folder it was read from ("" before it is written)

    @functools.cached_property
    def _document_rows(self) -> dict[str, int]:
        return {doc_id: row for row, doc_id in enumerate(self.file_stats)}

    def document(self, doc_id: str) -> Document:
        """The document ``doc_id``. Raises ``KeyError`` when the index has no such document."""
        return self.documents[self._document_rows[doc_id]]


T = TypeVar("T")


class JsonLines(Sequence[T]):
    """The records of a JSON-lines file, each parsed when asked for (the last ``cache`` kept).

    Only the lines' offsets are held; the file is memory-mapped, so reading it costs memory
    only for the pages touched. Thread-safe: nothing changes after construction.
    """

    def __init__(
        self, path: Path, offsets: np.ndarray, parse: Callable[[dict[str, Any]], T], cache: int
    ) -> None:
        self._name, self._offsets, self._parse = path.name, offsets, parse
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        if len(offsets) < 1 or offsets[0] != 0 or offsets[-1] != size:
            raise IndexCorruptError(f"{self._name}: line offsets do not match the file")
        self._record = functools.lru_cache(maxsize=cache)(self._read) if cache else self._read

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._record(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._record(i)

    def _read(self, i: int) -> T:
        line = self._map[self._offsets[i] : self._offsets[i + 1]]
        try:
            return self._parse(json.loads(line))
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexCorruptError(f"{self._name}: line {i + 1} is malformed: {exc}") from exc


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index folder's lock: one writer at a time, others wait.

    Raises:
        IndexWriteError: The folder or its lock file cannot be created (disk full, no
            permission); nothing has been changed.
    """
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / ".lock", "a+")  # closed by the ``with`` below
    except OSError as exc:
        raise IndexWriteError(_write_failure(index_dir, exc, _has_index(index_dir))) from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_version(index_dir: Path) -> Path | None:
    """The live version folder, or None when no index has been written."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexCorruptError(f"cannot read {index_dir / CURRENT}: {exc}") from exc
    if not name.startswith("v-") or "/" in name or "\0" in name:
        raise IndexCorruptError(f"{index_dir / CURRENT} names no version folder ({name[:40]!r})")
    return index_dir / name


def is_current(index_dir: Path, index: StoredIndex) -> bool:
    """Whether ``index`` was read from the version that is still the live one."""
    return bool(index.version) and _live_name(index_dir) == index.version


def _live_name(index_dir: Path) -> str | None:
    """The name of the live version, or None when there is none or CURRENT is damaged."""
    try:
        live = current_version(index_dir)
    except IndexCorruptError:
        return None
    return live.name if live is not None else None


def write_index(index_dir: Path, index: StoredIndex) -> Path:
    """Write ``index`` as a new version and make it the live one. Call under ``writer_lock``.

    Raises:
        IndexWriteError: A file could not be written (disk full, no permission). The live
            version is unchanged and nothing of the new one is left on disk.
    """
    had_index = _has_index(index_dir)
    name = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    tmp, final = index_dir / f".tmp-{name}", index_dir / name
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        _write_version(tmp, index)
        os.replace(tmp, final)
        # The switch. Should CURRENT fail (the disk filled up just now), the old one is intact:
        # _write_text replaces it only once the new pointer is wholly on disk.
        _write_text(index_dir / CURRENT, name)
    except BaseException as exc:
        # Nothing of an unfinished version may stay: a partial folder holds the very space the
        # next attempt needs, and a complete one that CURRENT does not name is never read.
        shutil.rmtree(tmp, ignore_errors=True)
        if _live_name(index_dir) != name:  # an interrupt just after the switch: keep it
            shutil.rmtree(final, ignore_errors=True)
        if isinstance(exc, OSError):
            raise IndexWriteError(_write_failure(index_dir, exc, had_index)) from exc
        raise
    _remove_old_versions(index_dir, keep=name)
    return final


def _write_version(folder: Path, index: StoredIndex) -> None:
    """Every file of a version, then the manifest with their checksums, flushed to disk."""
    files = [[doc_id, s.size, s.mtime_ns] for doc_id, s in index.file_stats.items()]
    (folder / "files.json").write_text(json.dumps(files, ensure_ascii=False), encoding="utf-8")
    _write_jsonl(folder / "documents", (_document_record(d) for d in index.documents))
    _write_jsonl(folder / "chunks", (_chunk_record(c) for c in index.chunks))
    index.vectors.save(folder / "vectors.faiss")
    (folder / "bm25").mkdir()
    index.lexical.save(folder / "bm25")
    index.samples.save(folder, "samples")
    manifest = dict(index.manifest, format=FORMAT_VERSION, files=_checksums(folder))
    _write_text(folder / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
    _fsync_tree(folder)


def _has_index(index_dir: Path) -> bool:
    return (index_dir / CURRENT).is_file()


def _write_failure(index_dir: Path, exc: OSError, had_index: bool) -> str:
    """One line for a failed write: what went wrong, that the old index is kept, what to do."""
    kept = "the previous index is kept" if had_index else "no index was written"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"no space left on device while writing the index to {index_dir}; {kept}: free "
            "some space there or choose another index folder (--index-dir or QA_HOME), then "
            "index again"
        )
    reason = exc.strerror or str(exc)
    where = f" ({exc.filename})" if exc.filename else ""
    return f"cannot write the index to {index_dir}: {reason}{where}; {kept}"


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
    if not isinstance(manifest, dict) or "format" not in manifest:
        raise IndexCorruptError("manifest.json is not an index manifest")
    if manifest["format"] != FORMAT_VERSION:
        raise IndexFormatError(
            f"it is in index format {manifest['format']!r}; this version of the program reads "
            f"format {FORMAT_VERSION}"
        )
    _verify_checksums(version, manifest.get("files", {}))
    try:
        files = json.loads((version / "files.json").read_text(encoding="utf-8"))
        stats = {str(doc_id): FileStat(int(size), int(mtime)) for doc_id, size, mtime in files}
        skipped = [SkippedFile(**s) for s in manifest.get("skipped", [])]
        documents = _read_jsonl(version / "documents", _document_from, cache=256)
        chunks = _read_jsonl(version / "chunks", _chunk_from, cache=0)
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise IndexCorruptError(f"malformed records: {exc}") from exc
    if len(documents) != len(stats):
        raise IndexCorruptError(f"{len(documents)} documents but {len(stats)} files listed")
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


def _document_record(doc: Document) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "author": doc.author,
        "date": doc.date,
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


def _write_jsonl(stem: Path, records: Iterable[dict[str, Any]]) -> None:
    """``stem.jsonl``, one record a line, and ``stem.offsets.npy``, where each line starts."""
    offsets = [0]
    with open(stem.with_suffix(".jsonl"), "wb") as handle:
        for record in records:
            line = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
            handle.write(line)
            offsets.append(offsets[-1] + len(line))
    np.save(stem.with_suffix(".offsets.npy"), np.array(offsets, dtype=np.int64))


def _read_jsonl(stem: Path, parse: Callable[[dict[str, Any]], T], cache: int) -> JsonLines[T]:
    offsets = np.load(stem.with_suffix(".offsets.npy"), allow_pickle=False)
    return JsonLines(stem.with_suffix(".jsonl"), offsets, parse, cache)


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


def has_unnamed_versions(index_dir: Path) -> bool:
    """Whether version folders are there although ``CURRENT`` names none: it was lost."""
    try:
        return any(entry.name.startswith("v-") for entry in _version_folders(index_dir))
    except OSError:
        return False


def _remove_old_versions(index_dir: Path, keep: str) -> None:
    for entry in _version_folders(index_dir):
        if entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)


def _version_folders(index_dir: Path) -> Iterator[Path]:
    """Every version folder, finished (``v-…``) or not (``.tmp-v-…``)."""
    for entry in index_dir.iterdir():
        if entry.name.startswith(("v-", ".tmp-v-")) and entry.is_dir():
            yield entry
