"""What an indexing run did: ``qa index`` prints its ``summary``; tests read its fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from qa.index.manifest import Manifest
from qa.types import SkippedFile


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

    @classmethod
    def of(cls, manifest: Manifest, index_dir: str, **run: object) -> IndexReport:
        """The report of an index with ``manifest``; ``run`` holds what the run did (embedded,
        reused, documents_read, seconds, ...). With no run, the index was up to date."""
        defaults: dict[str, object] = {
            "embedded": 0,
            "reused": manifest.chunks,
            "documents_read": 0,
            "up_to_date": not run,
        }
        return cls(
            corpus=manifest.corpus,
            index_dir=index_dir,
            documents=manifest.documents,
            article_segments=manifest.segments.article,
            comment_segments=manifest.segments.comment,
            boilerplate_segments=manifest.segments.boilerplate,
            chunks=manifest.chunks,
            skipped=list(manifest.skipped),
            **(defaults | run),  # type: ignore[arg-type]
        )

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
