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

from qa.types import Document, SkippedFile

# A document losing more of its text than this is flagged in the report.
HEAVY_LOSS = 0.25


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
class TextKept:
    """One document's characters (white space at either end left out, what its reader removed
    included), and those left out of the index, by reason."""

    characters: int
    dropped: dict[str, int] = field(default_factory=dict)
    page_rules: bool = False  # read as a web page with comments (the page rules ran on it)

    @property
    def lost(self) -> int:
        return sum(self.dropped.values())


# Why a boilerplate segment is left out, when its reader does not say (``Segment.reason``).
PAGE_FURNITURE = "page furniture"


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
        pages: Pages of the paged documents (PDF) among them; None in an index built before
            they were counted.
        segments: Segments of the documents by kind.
        skipped: Files that could not be read, with the reason.
        skipped_files: Their size and modification time, so that an unchanged unreadable file
            does not make the index look stale.
        texts: Each document's characters and those left out of the index, by reason (page
            furniture, running headers and footers, navigation).
        versions: Python's and the libraries' versions at build time.
        created: When it was built (local time, ISO 8601).
    """

    settings: BuildSettings
    corpus: str
    documents: int
    chunks: int
    pages: int | None = None
    segments: SegmentCounts = SegmentCounts()
    skipped: tuple[SkippedFile, ...] = ()
    skipped_files: dict[str, FileStat] = field(default_factory=dict)
    texts: dict[str, TextKept] = field(default_factory=dict)
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
                "pages": self.pages,
                "segments": asdict(self.segments),
            },
            "texts": {k: [v.characters, v.dropped, v.page_rules] for k, v in self.texts.items()},
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
            pages=None if counts.get("pages") is None else int(counts["pages"]),
            segments=SegmentCounts(**counts["segments"]),
            texts={str(k): _text_kept(v) for k, v in data.get("texts", {}).items()},
            skipped=tuple(SkippedFile(**s) for s in data["skipped"]),
            skipped_files={
                str(k): FileStat(int(size), int(mtime))
                for k, (size, mtime) in data["skipped_files"].items()
            },
            versions={str(k): str(v) for k, v in data["versions"].items()},
            created=str(data["created"]),
        )


def _text_kept(stored: list[Any]) -> TextKept:
    """A document's ``TextKept`` from the manifest: [characters, {reason: count}, page rules]
    (the last was added later: an entry without it was read without the page rules)."""
    characters, dropped, *rules = stored
    return TextKept(
        int(characters), {str(r): int(c) for r, c in dropped.items()}, bool(rules and rules[0])
    )


def text_kept(documents: list[Document]) -> dict[str, TextKept]:
    """Each document's characters, those its reader and the structure rules left out, and
    whether it was read as a web page with posts and comments (a byline, a comment or page
    furniture found: only then do the page rules run, ``qa.ingest.structure``)."""
    files = {}
    for doc in documents:
        dropped = dict(doc.removed)
        for segment in doc.segments:
            if segment.kind == "boilerplate":
                reason = segment.reason or PAGE_FURNITURE
                dropped[reason] = dropped.get(reason, 0) + segment.end - segment.start
        page_rules = (
            doc.author is not None
            or any(s.kind == "comment" for s in doc.segments)
            or PAGE_FURNITURE in dropped
        )
        characters = len(doc.text.strip()) + sum(count for _, count in doc.removed)
        files[doc.doc_id] = TextKept(characters, dropped, page_rules)
    return files
