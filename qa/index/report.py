"""What an indexing run did: ``qa index`` prints its ``summary``; tests read its fields.

Nothing is left out in silence: the summary gives the characters left out of the index by
reason, each file that lost any (the largest shares first, ``LISTED_FILES`` of them), the
files that lost over ``HEAVY_LOSS`` of their text, and every skipped file, grouped by reason.
``texts`` holds the figures of every document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from qa.index.manifest import HEAVY_LOSS, Manifest, TextKept
from qa.types import SkippedFile

LISTED_SKIPS = 20  # skipped files named one by one; the rest are counted
LISTED_FILES = 20  # files that lost text, named one by one


@dataclass(frozen=True)
class IndexedFile:
    """One document of an index, as the browser's Documents panel lists it.

    Attributes:
        doc_id: Its path relative to the corpus folder.
        title: Its title.
        chunks: Its passages (chunks) in the index.
        pages: Its pages (PDF); 0 for a document without pages.
        characters: Its characters (``TextKept.characters``); None where the index did not
            record them (an index built before it counted them).
        dropped: Those of its characters left out of the index (page furniture, navigation,
            running headers and footers); None where not recorded.
    """

    doc_id: str
    title: str
    chunks: int
    pages: int = 0
    characters: int | None = None
    dropped: int | None = None

    @property
    def indexed(self) -> int | None:
        """The characters kept in the index, where recorded."""
        if self.characters is None or self.dropped is None:
            return None
        return self.characters - self.dropped


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
    texts: dict[str, TextKept] = field(default_factory=dict)
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
            texts=dict(manifest.texts),
            **(defaults | run),  # type: ignore[arg-type]
        )

    @property
    def characters(self) -> int:
        return sum(kept.characters for kept in self.texts.values())

    @property
    def dropped(self) -> int:
        return sum(kept.lost for kept in self.texts.values())

    def summary(self, details: bool = False) -> str:
        """What the run did, what was left out (by reason, then by file) and what was skipped;
        for an index that was up to date, one line, or everything with ``details``."""
        text = f"  text:      {self.characters:,} characters, {self.dropped:,} of them left out" + (
            f" ({_reasons(self._dropped_by_reason())})" if self.dropped else ""
        )
        if self.up_to_date:
            head = f"Index of {self.corpus} is up to date: {self.documents} documents, "
            head += f"{self.chunks} chunks ({self.index_dir})"
            return "\n".join([head, text, *self._left_out()]) if details else head
        lines = [
            f"Indexed {self.corpus} in {self.seconds:.1f} s → {self.index_dir}",
            f"  documents: {self.documents} ({self.documents_read} read, "
            f"{self.documents - self.documents_read} unchanged)",
            f"  segments:  {self.article_segments} article, {self.comment_segments} comment, "
            f"{self.boilerplate_segments} boilerplate (not indexed)",
            text,
            f"  chunks:    {self.chunks} ({self.embedded} embedded in "
            f"{self.embedding_seconds:.1f} s, {self.reused} reused)",
        ]
        return "\n".join(lines + self._left_out())

    def _left_out(self) -> list[str]:
        """The documents read as web pages with comments, the files that lost text, then the
        skipped files."""
        lines = []
        pages = sorted(doc_id for doc_id, kept in self.texts.items() if kept.page_rules)
        if pages:
            named = ", ".join(pages[:LISTED_FILES]) + (" ..." if len(pages) > LISTED_FILES else "")
            lines.append(
                f"  read as web pages with comments (page rules applied): {len(pages)} of "
                f"{len(self.texts)}: {named}"
            )
        lossy = sorted(
            (item for item in self.texts.items() if item[1].lost),
            key=lambda item: (-item[1].lost / item[1].characters, item[0]),
        )
        if lossy:
            lines.append(f"  left out, by file ({len(lossy)} of {len(self.texts)} lost text):")
            for doc_id, kept in lossy[:LISTED_FILES]:
                share = kept.lost / kept.characters
                heavy = f", over {HEAVY_LOSS:.0%}: check it" if share > HEAVY_LOSS else ""
                lines.append(
                    f"    {doc_id}: {share:.0%} ({kept.lost:,} of {kept.characters:,} "
                    f"characters: {_reasons(kept.dropped)}{heavy})"
                )
            if len(lossy) > LISTED_FILES:
                lines.append(f"    ... and {len(lossy) - LISTED_FILES} more")
        if self.skipped:
            groups = Counter(s.reason.split(" (")[0] for s in self.skipped)
            kinds = ", ".join(f"{count} {reason}" for reason, count in groups.most_common())
            lines.append(f"  skipped:   {len(self.skipped)} file(s): {kinds}")
            lines += [f"    {s.path}: {s.reason}" for s in self.skipped[:LISTED_SKIPS]]
            if len(self.skipped) > LISTED_SKIPS:
                lines.append(f"    ... and {len(self.skipped) - LISTED_SKIPS} more")
        return lines

    def _dropped_by_reason(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for kept in self.texts.values():
            total.update(kept.dropped)
        return dict(total)


def _reasons(dropped: dict[str, int]) -> str:
    """ "8,775 page furniture, 120 navigation", largest first."""
    ranked = sorted(dropped.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{count:,} {reason}" for reason, count in ranked)
