"""The manifest: what an index was built from and with, typed.

``BuildSettings`` decide whether an index can be reused as it is (all equal), updated (the
chunking is the same, so unchanged documents keep their chunks) or must be re-embedded (another
model or precision). The rest describes the build for people and for ``qa index``'s report.
Stored as JSON by the store (``to_json``/``from_json``), with the store's own additions
(format, checksums) beside these fields.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from qa.ingest.structure import MAX_LOSS_WITHOUT_COMMENTS
from qa.types import Document, SkippedFile

# A document losing more of its text than this to the page rules is named in the report; it is
# also the most the rules may take from one without comments or a byline.
HEAVY_LOSS = MAX_LOSS_WITHOUT_COMMENTS


@dataclass(frozen=True)
class FileStat:
    """What identifies a corpus file's version without reading it."""

    size: int
    mtime_ns: int


@dataclass(frozen=True)
class BuildSettings:
    """The settings an index is built with; an index built otherwise is updated or rebuilt."""

    pipeline: int
    model: str
    precision: str
    dimension: int
    max_tokens: int
    chunk_tokens: int
    chunk_overlap: int
    duplicate_threshold: float

    def same(self, other: BuildSettings, *names: str) -> bool:
        """Whether ``other`` agrees with these settings on ``names`` (all when none given)."""
        names = names or tuple(f.name for f in fields(self))
        return all(getattr(self, n) == getattr(other, n) for n in names)

    def changes_from(self, built: BuildSettings) -> list[str]:
        """ "name old → new" for each setting that differs from ``built``."""
        return [
            f"{f.name} {getattr(built, f.name)} → {getattr(self, f.name)}"
            for f in fields(self)
            if getattr(built, f.name) != getattr(self, f.name)
        ]


@dataclass(frozen=True)
class SegmentCounts:
    article: int = 0
    comment: int = 0
    boilerplate: int = 0


@dataclass(frozen=True)
class Manifest:
    """What an index holds and how it was built.

    Attributes:
        settings: The settings it was built with.
        corpus: The corpus folder, resolved.
        documents: Number of documents indexed.
        chunks: Number of chunks (rows of the vector and BM25 indexes).
        segments: Segments of the documents by kind.
        skipped: Files that could not be read, with the reason.
        skipped_files: Their size and modification time, so that an unchanged unreadable file
            does not make the index look stale.
        characters: Characters of the documents' text (white space at either end left out).
        dropped: Characters of it that the structure rules left out (page furniture, repeated
            headers and footers).
        losses: The documents that lost more than ``HEAVY_LOSS`` of their text so, with
            (dropped, characters): the report names them.
        versions: Python's and the libraries' versions at build time.
        created: When it was built (local time, ISO 8601).
    """

    settings: BuildSettings
    corpus: str
    documents: int
    chunks: int
    segments: SegmentCounts = SegmentCounts()
    skipped: tuple[SkippedFile, ...] = ()
    skipped_files: dict[str, FileStat] = field(default_factory=dict)
    characters: int = 0
    dropped: int = 0
    losses: dict[str, tuple[int, int]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    created: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "settings": asdict(self.settings),
            "corpus": self.corpus,
            "skipped": [asdict(s) for s in self.skipped],
            "skipped_files": {k: [s.size, s.mtime_ns] for k, s in self.skipped_files.items()},
            "counts": {
                "documents": self.documents,
                "chunks": self.chunks,
                "segments": asdict(self.segments),
                "characters": self.characters,
                "dropped": self.dropped,
            },
            "losses": {k: list(v) for k, v in self.losses.items()},
            "versions": self.versions,
            "created": self.created,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        """Raises ``KeyError``, ``TypeError`` or ``ValueError`` when ``data`` is malformed."""
        counts = data["counts"]
        return cls(
            settings=BuildSettings(**data["settings"]),
            corpus=str(data["corpus"]),
            documents=int(counts["documents"]),
            chunks=int(counts["chunks"]),
            segments=SegmentCounts(**counts["segments"]),
            characters=int(counts["characters"]),
            dropped=int(counts["dropped"]),
            losses={str(k): (int(a), int(b)) for k, (a, b) in data["losses"].items()},
            skipped=tuple(SkippedFile(**s) for s in data["skipped"]),
            skipped_files={
                str(k): FileStat(int(size), int(mtime))
                for k, (size, mtime) in data["skipped_files"].items()
            },
            versions={str(k): str(v) for k, v in data["versions"].items()},
            created=str(data["created"]),
        )


def text_kept(documents: list[Document]) -> tuple[int, int, dict[str, tuple[int, int]]]:
    """Characters of the documents, characters the rules dropped, and the documents that lost
    more than ``HEAVY_LOSS`` of their text: {doc_id: (dropped, characters)}."""
    characters = dropped = 0
    losses = {}
    for doc in documents:
        total = len(doc.text.strip())
        lost = sum(s.end - s.start for s in doc.segments if s.kind == "boilerplate")
        characters, dropped = characters + total, dropped + lost
        if total and lost > HEAVY_LOSS * total:
            losses[doc.doc_id] = (lost, total)
    return characters, dropped, losses
