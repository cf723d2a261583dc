"""The record format of the folder store: what each file of a version holds.

Files of one version::

    manifest.json        the build's manifest, this format's number, the files' checksums
    files.json           each document's file: [doc_id, size, mtime_ns], in document order
    documents.jsonl      one document a line: id, title, author, date, text, segments, pages,
                         headings
    chunks.jsonl         one chunk a line: offsets, section, author, text, content hash, copies
    *.offsets.npy        where each line of the two .jsonl files starts
    vectors.faiss        the FAISS index, row i = chunk i
    bm25/                BM25: vocabulary, each row's words, scores by word (.npy and JSON)
    samples*.npy         each chunk's sampled shingle hashes (for the duplicate search of updates)

Plain files only, no pickle. Documents and chunks are read lazily: the ``.jsonl`` files are
memory-mapped and a record is parsed when it is asked for, so that loading a million chunks
neither parses them all nor holds them all as Python objects (a search looks at a few dozen).
"""

from __future__ import annotations

import functools
import json
import mmap
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np

from embeddings.errors import VectorIndexError
from embeddings.vector_index import VectorIndex
from qa.errors import IndexCorruptError, IndexFormatError
from qa.index.lexical import LexicalIndex
from qa.index.manifest import FileStat, Manifest
from qa.index.ragged import Ragged
from qa.index.stored import StoredChunk, StoredIndex
from qa.types import Chunk, Document, Heading, Place, Segment

# 5: each copy in a chunk's also_in is stored with its title, part and author; documents
# and chunks with their pages. 6: BM25 writes "founded" as "founder" (lexical._FOUNDING).
FORMAT_VERSION = 6


def write_records(folder: Path, index: StoredIndex) -> dict[str, Any]:
    """Write every file of ``index`` into ``folder``; returns the manifest to store with them."""
    files = [[doc_id, s.size, s.mtime_ns] for doc_id, s in index.file_stats.items()]
    (folder / "files.json").write_text(json.dumps(files, ensure_ascii=False), encoding="utf-8")
    _write_jsonl(folder / "documents", (document_record(d) for d in index.documents))
    _write_jsonl(folder / "chunks", (chunk_record(c) for c in index.chunks))
    index.vectors.save(folder / "vectors.faiss")
    (folder / "bm25").mkdir()
    index.lexical.save(folder / "bm25")
    index.samples.save(folder, "samples")
    return dict(index.manifest.to_json(), format=FORMAT_VERSION)


def check_format(manifest: dict[str, Any]) -> None:
    """Raises ``IndexFormatError`` when the files are in another format than this one."""
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexFormatError(
            f"it is in index format {manifest.get('format')!r}; this version of the program "
            f"reads format {FORMAT_VERSION}"
        )


def read_records(version: Path, manifest: dict[str, Any]) -> StoredIndex:
    """The index stored in the (checked) version folder ``version``.

    Raises:
        IndexCorruptError: A file is malformed or the files disagree with each other.
    """
    try:
        parsed = Manifest.from_json(manifest)
        files = json.loads((version / "files.json").read_text(encoding="utf-8"))
        stats = {str(doc_id): FileStat(int(size), int(mtime)) for doc_id, size, mtime in files}
        documents = _read_jsonl(version / "documents", document_from, cache=256)
        chunks = _read_jsonl(version / "chunks", chunk_from, cache=0)
    except (OSError, AttributeError, KeyError, TypeError, ValueError) as exc:
        raise IndexCorruptError(f"malformed records: {exc}") from exc
    if len(documents) != len(stats):
        raise IndexCorruptError(f"{len(documents)} documents but {len(stats)} files listed")
    try:
        vectors = VectorIndex.load(version / "vectors.faiss")
    except VectorIndexError as exc:
        raise IndexCorruptError(str(exc)) from exc
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
    if vectors.dimension != parsed.settings.dimension:
        raise IndexCorruptError("vector dimension differs from the manifest")
    return StoredIndex(parsed, documents, stats, chunks, vectors, lexical, samples, version.name)


T = TypeVar("T")


class RecordSequence(Sequence[T]):
    """Records by row, each got by ``_at`` (a row in range): indexing by an int, a negative
    int or a slice, as a list does."""

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._at(i)

    def _at(self, i: int) -> T:
        raise NotImplementedError


class JsonLines(RecordSequence[T]):
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

    def _at(self, i: int) -> T:
        return self._record(i)

    def _read(self, i: int) -> T:
        line = self._map[self._offsets[i] : self._offsets[i + 1]]
        try:
            return self._parse(json.loads(line))
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexCorruptError(f"{self._name}: line {i + 1} is malformed: {exc}") from exc


def document_record(doc: Document) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "author": doc.author,
        "date": doc.date,
        "segments": [asdict(s) for s in doc.segments],
        "pages": list(doc.pages),
        "headings": [[h.level, h.title, h.start, h.end] for h in doc.headings],
        "text": doc.text,
    }


def document_from(record: dict[str, Any]) -> Document:
    return Document(
        doc_id=record["doc_id"],
        title=record["title"],
        text=record["text"],
        author=record["author"],
        date=record["date"],
        segments=tuple(Segment(**s) for s in record["segments"]),
        pages=tuple(int(p) for p in record["pages"]),
        headings=tuple(
            Heading(int(level), str(title), int(start), int(end))
            for level, title, start, end in record["headings"]
        ),
    )


_CHUNK_FIELDS = tuple(f.name for f in fields(Chunk))


def chunk_record(stored: StoredChunk) -> dict[str, Any]:
    record = {name: getattr(stored.chunk, name) for name in _CHUNK_FIELDS}
    also_in = [asdict(place) for place in stored.also_in]
    return dict(record, hash=stored.content_hash, also_in=also_in)


def chunk_from(record: dict[str, Any]) -> StoredChunk:
    also_in = tuple(Place(**place) for place in record.pop("also_in"))
    digest = record.pop("hash")
    pages = tuple(int(p) for p in record.pop("pages"))
    return StoredChunk(Chunk(**record, pages=pages), digest, also_in)


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
