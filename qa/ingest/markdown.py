"""Markdown: the file's text as written, its headings found by markdown-it-py (CommonMark).

The text stays the Markdown source (what the author wrote, fenced code verbatim), and the
headings give each chunk its section ("Options for building Node.js › Embed a limited set of
ICU data"); a "# heading" inside a code fence is code, not a heading. The first level-1
heading is the document's title.
"""

from __future__ import annotations

import re
from itertools import accumulate

from qa.ingest.source import CorpusFile, decode
from qa.ingest.structure import structured_document
from qa.types import Document, Heading

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a Markdown file."""
    text = decode(data)
    headings = markdown_headings(text)
    title = next((h.title for h in headings if h.level == 1), None)
    return structured_document(file, text, title, headings)


def markdown_headings(text: str) -> tuple[Heading, ...]:
    """The ATX and setext headings of ``text``, with their spans in it."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    # Lines as CommonMark counts them (str.splitlines would also break at \x0c, \u2028, ...).
    lines = _LINE.findall(text)
    starts = [0, *accumulate(len(line) for line in lines)]
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
