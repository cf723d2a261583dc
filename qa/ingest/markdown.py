"""Markdown: the file's text as written, its headings found by markdown-it-py (CommonMark).

The text stays the Markdown source (what the author wrote, fenced code verbatim), and the
headings give each chunk its section ("Options for building Node.js › Embed a limited set of
ICU data"); a "# heading" inside a code fence is code, not a heading. The first level-1
heading is the document's title. Comments (``<!-- ... -->`` blocks), which a rendered page does
not show, and a table of contents (items that are one link to a heading of the page) are kept
in the text but not indexed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import accumulate
from typing import TYPE_CHECKING

from qa.ingest.source import CorpusFile, decode
from qa.ingest.structure import set_aside, structured_document
from qa.types import SOURCE_COMMENTS, TABLE_OF_CONTENTS, Document, Heading

if TYPE_CHECKING:
    from markdown_it.token import Token

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_CONTENTS_LINK = re.compile(r"^\[[^\]\n]+\]\(#[^)\s]*\)$")


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a Markdown file; its comments (``<!-- ... -->`` blocks, which a
    rendered page does not show: Node.js's "<!-- YAML added: v0.1.90 -->") and its table of
    contents are not indexed."""
    text = decode(data)
    tokens = _parse(text)
    headings = markdown_headings(text, tokens)
    title = next((h.title for h in headings if h.level == 1), None)
    document = structured_document(file, text, title, headings)
    left_out = [(*span, SOURCE_COMMENTS) for span in _comments(text, tokens)]
    left_out += [(*span, TABLE_OF_CONTENTS) for span in _contents_lines(text, tokens)]
    if not left_out:
        return document
    return replace(document, segments=set_aside(text, document.segments, sorted(left_out)))


def _parse(text: str) -> list[Token]:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").parse(text)


def _line_starts(text: str) -> list[int]:
    """Where each line starts, as CommonMark counts lines (str.splitlines would also break at
    \x0c, \u2028, ...), and the text's end."""
    return [0, *accumulate(len(line) for line in _LINE.findall(text))]


def _comments(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """The spans of the HTML comments that are blocks of their own (not inside code)."""
    starts = _line_starts(text)
    spans = []
    for token in tokens:
        if token.type == "html_block" and token.map and token.content.lstrip().startswith("<!--"):
            first, last = token.map
            block_start, block_end = starts[first], starts[min(last, len(starts) - 1)]
            for match in _COMMENT.finditer(text, block_start, block_end):
                spans.append(match.span())
    return spans


def _contents_lines(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """The lines of a table of contents: list items that are one link to a heading of the
    page ("* [Building Node.js](#building-nodejs)"). Like a PDF's contents lines, they would
    match every question on a section's name, and the section itself is indexed."""
    starts = _line_starts(text)
    spans = []
    for before, token in zip(tokens, tokens[1:], strict=False):
        if (
            token.type == "inline"
            and token.map
            and before.type == "paragraph_open"
            and before.hidden  # a tight list's item, not a paragraph of its own
            and _CONTENTS_LINK.match(token.content)
        ):
            first, last = token.map
            line = text[starts[first] : starts[last]]
            indent = len(line) - len(line.lstrip())
            spans.append((starts[first] + indent, starts[first] + len(line.rstrip())))
    return spans


def markdown_headings(text: str, tokens: list[Token] | None = None) -> tuple[Heading, ...]:
    """The ATX and setext headings of ``text`` (parsed into ``tokens``), with their spans."""
    tokens = _parse(text) if tokens is None else tokens
    lines = _LINE.findall(text)
    starts = _line_starts(text)
    headings = []
    for opening, inline in zip(tokens, tokens[1:], strict=False):
        if opening.type != "heading_open" or not opening.map or inline.type != "inline":
            continue
        first, last = opening.map
        title = " ".join(inline.content.split())  # as written, less the "#" marks or underline
        if title and last <= len(lines):
            end = starts[last - 1] + len(lines[last - 1].rstrip())
            headings.append(Heading(int(opening.tag[1]), title, starts[first], end))
    return tuple(headings)
