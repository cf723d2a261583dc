"""The typed records that flow through the pipeline.

corpus → ``Document`` (with ``Segment``s) → ``Chunk`` → index → ``Passage`` → ``Answer``.
All are frozen dataclasses: they cross module boundaries and are never mutated.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

SegmentKind = Literal["article", "comment", "boilerplate"]
SECTION_SEPARATOR = " › "
# A line's indentation is where its text starts on the screen, a tab going to the next stop:
# "\t    7.  The checksum ..." over "\t\tmatch the checksum ..." is an item and its deeper
# continuation (columns 12 and 16), not a line and a shallower one (5 and 2 characters).
TAB_STOPS = 8


def indentation(line: str) -> int:
    """The column where ``line``'s text starts (tabs to stops of ``TAB_STOPS``)."""
    lead = len(line) - len(line.lstrip())
    return len(line[:lead].expandtabs(TAB_STOPS))


def blanked(text: str, spans: Sequence[tuple[int, int]], offset: int = 0) -> str:
    """``text`` (at ``offset`` in its document) with each of ``spans`` (document offsets, in
    order, not overlapping) turned to spaces: what is left out, offsets unchanged."""
    parts: list[str] = []
    cursor = 0
    for start, end in spans:
        parts += [text[cursor : start - offset], " " * (end - start)]
        cursor = end - offset
    return "".join([*parts, text[cursor:]])


def repeats_title(heading: str, title: str) -> bool:
    """Whether a heading only repeats its document's title ("Intl support" under the title
    "Intl support | Node.js Documentation"), so that a citation or BM25 need not say it again.
    Spaces are compared as spaces: a title "9.7.\u00a0Scheduling Tasks" repeats "9.7. Scheduling
    Tasks"."""
    heading, title = " ".join(heading.split()), " ".join(title.split())
    return title == heading or title.startswith(f"{heading} ")


Part = Literal["article", "comment"]  # the author's text, or a reader's comment
INDEXED_KINDS: tuple[SegmentKind, ...] = ("article", "comment")


# Why a reader marks text as boilerplate (``Segment.reason``); the page rules' is "page furniture".
RUNNING_LINES = "running headers and footers"  # lines repeated at the edge of a PDF's pages
TABLE_OF_CONTENTS = "table of contents"  # a PDF's contents lines ("2.5 Memory ..... 8")
SOURCE_COMMENTS = "comments in the source"  # a Markdown file's <!-- ... -->, unseen when rendered
LINK_REFERENCES = "link references"  # a Markdown file's "[label]: url" lines, unseen when rendered
FRONT_MATTER = "front matter"  # a Markdown file's "---" block of YAML settings at its top
RAW_MARKUP = "markup in the source"  # a Markdown file's '<div class="codeblock">', '</div>'
# Boilerplate that a paragraph or a section runs on over: the text on both sides is chunked as
# one, the boilerplate blanked (``Document.indexed_text``).
RUNS_ON_OVER = (RUNNING_LINES, SOURCE_COMMENTS, LINK_REFERENCES, RAW_MARKUP)


@dataclass(frozen=True)
class Segment:
    """A contiguous span of a document with one role: the author's text, one reader comment,
    or page furniture that is not indexed. ``doc.text[start:end]`` is the segment's text."""

    kind: SegmentKind
    start: int
    end: int
    author: str | None = None
    date: str | None = None
    reason: str | None = None  # why boilerplate is left out, when not the page rules' furniture


@dataclass(frozen=True)
class Heading:
    """A heading of a document: its level (1 is the top), its title, and its span in the text."""

    level: int
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """One readable file of the corpus.

    ``doc_id`` is the path relative to the corpus folder (POSIX separators), stable across runs.
    ``text`` is the decoded text (for HTML, the extracted text); every offset in the project
    refers to it.
    """

    doc_id: str
    title: str
    text: str
    author: str | None = None
    date: str | None = None
    segments: tuple[Segment, ...] = ()
    pages: tuple[int, ...] = ()  # where each page starts in ``text`` (paged formats: PDF)
    headings: tuple[Heading, ...] = ()  # in text order (Markdown, HTML, Word)
    # Characters the reader left out before ``text`` existed, by reason: ("navigation", 1234)
    # for an HTML page's menus and sidebars. The index report counts them with the rest.
    removed: tuple[tuple[str, int], ...] = ()

    def section_at(self, offset: int) -> str | None:
        """The trail of headings in effect at ``offset`` ("5 Arrays › 5.1 Arrays"), or None
        where no heading comes before it: the last heading at or before ``offset``, then, going
        back, each nearer heading of a higher level (found by bisection, then a walk back that
        stops at a level-1 heading, so a manual of thousands of headings chunks fast)."""
        last = bisect.bisect_right(self._heading_starts, offset)
        trail: list[Heading] = []
        for heading in reversed(self.headings[:last]):
            if not trail or heading.level < trail[-1].level:
                trail.append(heading)
                if heading.level <= 1:
                    break
        return SECTION_SEPARATOR.join(h.title for h in reversed(trail)) or None

    @cached_property
    def _heading_starts(self) -> list[int]:
        return [h.start for h in self.headings]

    @cached_property
    def indexed_text(self) -> str:
        """``text`` with every boilerplate character blanked, offsets the same: what a chunk is
        embedded and indexed as, so that a PDF's running header inside a chunk (a paragraph
        going on over a page break) is not indexed, and the blank lines of a page break between
        a footer and the next header are no paragraph break to the splitter."""
        spans = self.unindexed_spans(0, len(self.text))
        return blanked(self.text, spans) if spans else self.text  # the same string, not a copy

    def unindexed_spans(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """The boilerplate within ``text[start:end]`` (a PDF's running header and footer in a
        chunk that goes on over a page break), as offsets, in order."""
        spans = []
        # Segments are in text order and do not overlap: the first ending after ``start`` on.
        for segment in self.segments[bisect.bisect_right(self._segment_ends, start) :]:
            if segment.start >= end:
                break
            if segment.kind == "boilerplate":
                spans.append((max(segment.start, start), min(segment.end, end)))
        return tuple(spans)

    @cached_property
    def _segment_ends(self) -> list[int]:
        return [s.end for s in self.segments]

    def page_of(self, offset: int) -> int | None:
        """The page (from 1) holding ``text[offset]``; None for a document without pages."""
        if not self.pages:
            return None
        return max(bisect.bisect_right(self.pages, offset), 1)


@dataclass(frozen=True)
class SkippedFile:
    """A corpus file that could not be indexed, with a one-line reason."""

    path: str
    reason: str


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit: part of one indexed segment, never across two, but for a PDF's
    running headers and footers between two pages of one paragraph, which it holds in its text
    and leaves out of what is indexed (``Document.indexed_text``).

    ``doc.text[start:end] == text`` always holds. ``part`` is "article" (the author's text)
    or "comment" (a reader's); ``section`` is the trail of headings it stands under. ``page``
    is the page it starts on and ``pages`` every page it spans, in a paged document (a PDF).
    """

    doc_id: str
    start: int
    end: int
    text: str
    part: Part
    author: str | None = None
    date: str | None = None
    page: int | None = None
    pages: tuple[int, ...] = ()
    section: str | None = None


@dataclass(frozen=True)
class Place:
    """Another location holding (nearly) the same passage; see ``Passage.also_in``."""

    doc_id: str
    title: str
    start: int
    end: int
    part: Part
    author: str | None = None


def chunk_of(doc: Document, segment: Segment, start: int, end: int) -> Chunk:
    """``doc.text[start:end]``, within ``segment`` (an indexed one), as a chunk: its author and
    date (an article's without its own byline take the document's), pages and section (its
    innermost heading: only headings come before its text)."""
    first, last = doc.page_of(start), doc.page_of(end - 1)
    article = segment.kind == "article"
    return Chunk(
        doc_id=doc.doc_id,
        start=start,
        end=end,
        text=doc.text[start:end],
        part=segment.kind,  # type: ignore[arg-type]  # an indexed kind: article or comment
        author=segment.author or (doc.author if article else None),
        date=segment.date or (doc.date if article else None),
        page=first,
        pages=tuple(range(first, last + 1)) if first and last else (),
        section=doc.section_at(end - 1),
    )


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk, with where it comes from and how well it matched.

    ``part`` says whether it is the document author's text ("article") or a reader's comment
    ("comment"); ``author`` is then the article's author or the commenter. ``section`` is the
    trail of headings it stands under ("5 Arrays › 5.1 Arrays"), where the document has them.
    ``page`` and ``pages`` say where it is in a paged document (a PDF): the page it starts on
    and every page it spans; ``running_lines`` the document offsets of the running headers,
    footers and page numbers inside it (a paragraph going on over a page break), which are not
    indexed and never quoted. ``also_in`` lists the other places holding a near-duplicate.
    """

    text: str
    score: float
    doc_id: str
    title: str
    start: int
    end: int
    part: Part
    author: str | None = None
    date: str | None = None
    also_in: tuple[Place, ...] = ()
    page: int | None = None
    pages: tuple[int, ...] = ()
    section: str | None = None
    running_lines: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(
        cls, chunk: Chunk, document: Document, score: float, also_in: tuple[Place, ...] = ()
    ) -> Passage:
        """``chunk`` of ``document`` as a passage scoring ``score``."""
        return cls(
            text=chunk.text,
            score=float(score),
            doc_id=chunk.doc_id,
            title=document.title,
            start=chunk.start,
            end=chunk.end,
            part=chunk.part,
            author=chunk.author,
            date=chunk.date,
            also_in=also_in,
            page=chunk.page,
            pages=chunk.pages,
            section=chunk.section,
            running_lines=document.unindexed_spans(chunk.start, chunk.end),
        )


@dataclass(frozen=True)
class Quote:
    """A sentence of the answer, quoted verbatim from ``citations[citation - 1]``.

    ``start``/``end`` are offsets in the cited document's text, so a viewer can highlight it.
    """

    citation: int
    doc_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Evidence:
    """How well the chosen answer fits its question, each in [0, 1] but the cosines (in
    [-1, 1]): what ``Answer.confidence`` is computed from.

    Attributes:
        similarity: Cosine of the question and the closest candidate sentence.
        answer_similarity: Cosine of the question and the answer's best sentence.
        answer_terms: Share of the question's word weight (IDF) the answer's sentences hold.
        passage_terms: Share of it the answer's first cited passage holds.
        answer_type: 1 when the answer holds the kind of answer asked for (a name for "who",
            a number for "how many" ...), 0 when not, 0.5 when the question asks for no kind.
        rarest_word_reliance: How much the question's likeness to the answer's best sentence
            and to its passage rests on the question's rarest word
            (``qa.answering.focus.reliance``): near 0 or below when they would match as well
            without it.
        rarest_word_missing: The IDF of the rarest question word the answer's first cited
            passage (with its document's title) lacks, over the question's highest IDF; 0 when
            it holds them all.
    """

    similarity: float
    answer_similarity: float
    answer_terms: float
    passage_terms: float
    answer_type: float
    rarest_word_reliance: float
    rarest_word_missing: float


@dataclass(frozen=True)
class Check:
    """How one sentence of a generated answer stands against the passages it cites.

    Attributes:
        sentence: The sentence, without its ``[n]`` markers.
        citations: The numbers it cites (``[n]`` markers), in order.
        supported: Whether a cited passage supports it (``support`` at or above the
            threshold, ``qa.answering.citation_check``).
        support: The best support score over its cited passages, in [0, 1] (0 when it cites
            none that was given).
        similarity: Cosine of the sentence and the best window of that passage.
        coverage: Share of the sentence's names, numbers and key terms (weighted by IDF) that
            passage holds.
        reason: Why it is not supported, in a few words; None when it is.
    """

    sentence: str
    citations: tuple[int, ...]
    supported: bool
    support: float
    similarity: float
    coverage: float
    reason: str | None = None


@dataclass(frozen=True)
class Draft:
    """A piece of a generated answer as it streams in, before it is checked; the final
    ``Answer`` follows the last piece."""

    text: str


@dataclass(frozen=True)
class Answer:
    """An answer (extractive, unless generated). ``[n]`` markers in ``text`` refer to
    ``citations[n - 1]``.

    ``quotes`` locates each sentence of the answer in its document. ``confidence`` (in [0, 1],
    None when there was nothing to quote) says how likely the corpus answers the question, from
    the ``evidence``; it is 0 when no sentence comes within ``min_answer_similarity`` of the
    question, or the passage quoted holds none of its words, and when the question names what
    the corpus never mentions (a name no passage holds, a figure such as "Debian 12" no document
    quoted writes) or asks "how many" of an answer with no number. ``confident`` is False below
    ``min_confidence`` (but for X's own description, found by its name, answering "What does X
    do?"); ``text`` then says that the corpus does not seem to answer (and why, when it knows),
    followed by the closest it comes (or, with no sentence within ``min_quote_similarity``, the
    nearest passages), for the reader to judge. ``similarity`` is the cosine similarity between
    the question and the closest sentence of the passages (None when there was no sentence).
    ``query`` is the text that was searched: the question itself, or for a follow-up the earlier
    questions it leans on joined to it (``query_joined`` is then True).

    A generated answer (``qa.answering.generated``) has one ``Check`` per sentence in
    ``checks``; a sentence its citation does not support is marked in ``text``. ``note`` is a
    one-line notice for the reader: the model's answer was set aside (the endpoint failed, or
    none of its sentences was supported) and the extractive answer is given instead, or some
    sentences are unsupported.
    """

    question: str
    text: str
    citations: list[Passage] = field(default_factory=list)
    confident: bool = True
    quotes: list[Quote] = field(default_factory=list)
    similarity: float | None = None
    query: str = ""
    query_joined: bool = False
    confidence: float | None = None
    evidence: Evidence | None = None
    checks: tuple[Check, ...] = ()
    note: str | None = None

    def blocks(self) -> list[tuple[str, bool]]:
        """The answer's paragraphs, each with whether it is verbatim: a quoted code block or
        list of steps (a paragraph that holds line breaks or starts indented) is shown as it
        stands, prose may be refilled."""
        return [
            (paragraph, "\n" in paragraph or paragraph[:1].isspace())
            for paragraph in self.text.split("\n\n")
            if paragraph.strip()
        ]


# The most of an earlier answer a ``Turn`` keeps (and a language model is given for a follow-up):
# enough to say what "them" or "it" refers to, not a second set of passages.
MAX_TURN_ANSWER_CHARS = 400


@dataclass(frozen=True)
class Turn:
    """An earlier turn of a conversation: the question asked and, where the caller kept it,
    the text of the answer given (``None`` when only the question is known).

    Only the questions are searched with (``qa.answering.followup``); a language model that
    writes the answer (``qa.answering.prompt``) is also given the earlier answers, without
    their ``[n]`` markers and cut to ``MAX_TURN_ANSWER_CHARS``, so that a follow-up such as
    "Did the government accept them?" can be read against what was said.
    """

    question: str
    answer: str | None = None

    @classmethod
    def of(cls, question: str, answer: Answer) -> Turn:
        """``question`` and what ``answer`` said: a generated answer's supported sentences,
        else its text without its note (an extractive answer, or the extractive one a
        generated answer fell back to), cut to ``MAX_TURN_ANSWER_CHARS``."""
        supported = [check.sentence for check in answer.checks if check.supported]
        text = " ".join(supported) if supported else answer.text
        if not supported and answer.note:
            text = text.replace(answer.note, " ")
        return cls(question, shortened(text, MAX_TURN_ANSWER_CHARS))


def shortened(text: str, max_chars: int) -> str:
    """``text`` with its white space collapsed, cut at a word to at most ``max_chars``
    characters ("…" ending what was cut)."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return f"{cut.rstrip()}…"


@dataclass(frozen=True)
class Box:
    """A rectangle on a page image, in pixels from its top-left corner (``right`` and
    ``bottom`` excluded)."""

    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True)
class PageImage:
    """One page of a PDF rendered as a PNG, with the boxes drawn around a passage's lines.

    ``page`` counts from 1. ``area`` is the part of the page shown (its blank margins are left
    out): left, bottom, right, top in PDF points, origin at the bottom left, and ``scale`` is
    pixels per point, so that on an unrotated page pixel (x, y) is point
    ``(area[0] + x / scale, area[3] - y / scale)``. ``boxes`` is empty when the passage was not
    found on the page.
    """

    page: int
    png: bytes
    width: int
    height: int
    scale: float
    area: tuple[float, float, float, float]
    boxes: tuple[Box, ...] = ()


@dataclass(frozen=True)
class PageView:
    """The pages a passage stands on, as images (none for a document that is not a PDF), and
    a one-line note when a page or its boxes could not be shown."""

    images: tuple[PageImage, ...] = ()
    note: str | None = None
