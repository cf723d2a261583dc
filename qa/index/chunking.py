"""Split indexed segments into chunks sized in the embedding model's own word pieces.

LangChain's recursive splitter cuts at paragraph, line, sentence, clause and word boundaries, in
that order of preference, so that each chunk fits ``chunk_tokens``. Chunks never cross segments
(an article chunk never runs into a reader's comment) and keep exact character offsets into the
document text. The one bridge is a PDF's page break: a paragraph that goes on over it is one
text to the splitter, the running header and footer between blanked (``Document.indexed_text``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from langchain_text_splitters import RecursiveCharacterTextSplitter

from qa.types import INDEXED_KINDS, RUNS_ON_OVER, Chunk, Document, Segment, chunk_of

log = logging.getLogger(__name__)

# Sentence separators come with their trailing space so that chunks end on the punctuation.
# Within a paragraph, a line that opens with an option ("--num-callers=<number> [default: 12]",
# "-a, --append") after a line that ends a sentence starts an item of a manual's list: a PDF or
# a plain-text manual has no blank line between items, and an item cut in two loses its name
# ("The maximum value for this is 500." in the next chunk, under no option). So cuts fall
# before such lines first; not before "-e setting, even if ..." wrapped from "... by the".
OPTION_LINE = r"(?<=[.:;!?)\]\"'”’])\n(?=[ \t]*--?[A-Za-z0-9])"
# A definition list's term is not parted from its description (a reader writes "term\n\n:
# description"): "Function: ffi_status ffi_prep_cif (...)" ending one chunk and ": This
# initializes cif ..." opening the next would leave the description under no name.
PARAGRAPH = r"\n\n(?![ \t]*:[ \t])"
SEPARATORS = [
    PARAGRAPH,
    OPTION_LINE,
    *(re.escape(s) for s in ("\n", ". ", "? ", "! ", "; ", ": ", ", ", " ")),
    "",
]


class Chunker:
    """Makes chunks of at most ``chunk_tokens`` word pieces, measured by ``count_tokens``.

    Args:
        count_tokens: Word pieces in a text, without special tokens.
        token_offsets: Character span of each word piece of a text; used to cut the rare chunk
            that the splitter leaves over the limit (word pieces do not add up exactly when texts
            are joined).
        chunk_tokens: Target size; also the hard limit.
        chunk_overlap: Word pieces repeated between consecutive chunks of a segment.
    """

    def __init__(
        self,
        count_tokens: Callable[[str], int],
        token_offsets: Callable[[str], list[tuple[int, int]]],
        chunk_tokens: int,
        chunk_overlap: int,
    ) -> None:
        self.count_tokens = count_tokens
        self.token_offsets = token_offsets
        self.chunk_tokens = chunk_tokens
        self._splitter = RecursiveCharacterTextSplitter(
            separators=SEPARATORS,
            keep_separator="end",
            is_separator_regex=True,
            chunk_size=chunk_tokens,
            chunk_overlap=chunk_overlap,
            length_function=count_tokens,
            strip_whitespace=True,
        )

    def chunk_document(self, doc: Document) -> list[Chunk]:
        """Chunks of every article and comment segment of ``doc``, in document order; segments
        that only a PDF's running headers and footers (or a Markdown file's comments) part are
        chunked as one text, so that a paragraph going on over a page break is not cut in two
        there."""
        chunks: list[Chunk] = []
        for seg, flow_end in _flows(doc.segments):
            for start, end in self._section_spans(doc, seg.start, flow_end):
                chunks.append(chunk_of(doc, seg, start, end))
        return chunks

    def _section_spans(self, doc: Document, start: int, end: int) -> list[tuple[int, int]]:
        """Chunk spans of ``doc.text[start:end]`` that never cross a heading: the text is cut
        where each heading starts, so that a heading opens the chunk of the text under it. A
        heading with nothing under it (a chapter's title right over its first section's, a
        function's second name) is no chunk of its own: it opens the next one."""
        headings = [h for h in doc.headings if start <= h.start < end]
        cuts = [
            h.start
            for above, h in zip([None, *headings], headings, strict=False)
            if h.start > start and (above is None or doc.indexed_text[above.end : h.start].strip())
        ]
        spans = []
        for begin, stop in zip([start, *cuts], [*cuts, end], strict=True):
            text = doc.indexed_text[begin:stop]  # furniture blanked: never counted, never a cut
            spans += [(begin + a, begin + b) for a, b in self.spans(text)]
        return spans

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) offsets into ``text`` of its chunks, in order."""
        spans: list[tuple[int, int]] = []
        cursor = 0
        for piece in self._splitter.split_text(text):
            # Pieces are stripped substrings of the text in order; each starts after the
            # previous one's start (overlap may make it start before the previous end).
            start = text.find(piece, cursor)
            if start < 0:
                # Never seen; should the splitter ever change its text, cut the segment by word
                # pieces instead, so that no text is lost and every offset stays exact.
                log.warning("Text splitter lost its place; cutting by word pieces instead.")
                return self._within_limit(text, 0, len(text))
            cursor = start + 1
            spans.extend(self._within_limit(text, start, start + len(piece)))
        return spans

    def _within_limit(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Cut ``text[start:end]`` at word-piece boundaries until each part fits the limit."""
        piece = text[start:end]
        if self.count_tokens(piece) <= self.chunk_tokens:
            return [(start, end)]
        offsets = self.token_offsets(piece)
        parts: list[tuple[int, int]] = []
        for first in range(0, len(offsets), self.chunk_tokens):
            window = offsets[first : first + self.chunk_tokens]
            part_start, part_end = start + window[0][0], start + window[-1][1]
            # Strip so that the part starts and ends on text, like the splitter's own pieces.
            part = text[part_start:part_end]
            lead = len(part) - len(part.lstrip())
            trail = len(part) - len(part.rstrip())
            if part.strip():
                parts.append((part_start + lead, part_end - trail))
        return parts


def _flows(segments: Sequence[Segment]) -> list[tuple[Segment, int]]:
    """The indexed segments, each as (segment, end), where a segment runs on to the end of the
    next one of the same part and author when only running headers and footers, or comments in
    the source, lie between (``RUNS_ON_OVER``)."""
    flows: list[tuple[Segment, int]] = []
    between: bool | None = None  # since the last indexed segment: nothing, only such lines
    for segment in segments:
        if segment.kind not in INDEXED_KINDS:
            between = between is not False and segment.reason in RUNS_ON_OVER
            continue
        last = flows[-1][0] if flows else None
        if between and last is not None and _same_part(last, segment):
            flows[-1] = (last, segment.end)
        else:
            flows.append((segment, segment.end))
        between = None
    return flows


def _same_part(segment: Segment, other: Segment) -> bool:
    return (segment.kind, segment.author, segment.date) == (other.kind, other.author, other.date)
