"""What an indexing run did: ``qa index`` prints its ``summary``; tests read its fields."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from qa.index.manifest import HEAVY_LOSS, Manifest
from qa.types import SkippedFile

LISTED_SKIPS = 20  # skipped files named one by one; the rest are counted


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
    characters: int = 0
    dropped: int = 0
    losses: dict[str, tuple[int, int]] = field(default_factory=dict)
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
            characters=manifest.characters,
            dropped=manifest.dropped,
            losses=dict(manifest.losses),
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
            f"  text:      {self.characters:,} characters, {self.dropped:,} of them page furniture "
            "(not indexed)",
            f"  chunks:    {self.chunks} ({self.embedded} embedded in "
            f"{self.embedding_seconds:.1f} s, {self.reused} reused)",
        ]
        if self.losses:
            lines.append(f"  lost over {HEAVY_LOSS:.0%} of their text to the page rules:")
            lines += [
                f"    {doc_id}: {lost / total:.0%} ({lost:,} of {total:,} characters)"
                for doc_id, (lost, total) in self.losses.items()
            ]
        if self.skipped:
            groups = Counter(s.reason.split(" (")[0] for s in self.skipped)
            kinds = ", ".join(f"{count} {reason}" for reason, count in groups.most_common())
            lines.append(f"  skipped:   {len(self.skipped)} file(s): {kinds}")
            lines += [f"    {s.path}: {s.reason}" for s in self.skipped[:LISTED_SKIPS]]
            if len(self.skipped) > LISTED_SKIPS:
                lines.append(f"    ... and {len(self.skipped) - LISTED_SKIPS} more")
        return "\n".join(lines)
