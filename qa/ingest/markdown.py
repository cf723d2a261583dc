"""Markdown: the file's text as written, its headings found by markdown-it-py (CommonMark).

The text stays the Markdown source (what the author wrote, fenced code verbatim), and the
headings give each chunk its section ("Options for building Node.js › Embed a limited set of
ICU data"); a "# heading" inside a code fence is code, not a heading. The level-1 heading, if
there is one and only one, is the document's title, else the ``title:`` of its front matter,
else the file's name. The front matter (the "---" block of YAML settings at the top of a static
site's page, which CommonMark would read as a rule and a heading), comments (``<!-- ... -->``
blocks) and link reference definitions ("[RFC 5952]: https://tools.ietf.org/html/rfc5952"),
which a rendered page does not show, and a table of contents (items that are one link to a
heading of the page) are kept in the text but not indexed; so are blocks of raw HTML that are
tags and nothing else (pandoc's ``<div class="codeblock">`` and ``</div>`` around each
example).

A file that is mostly raw HTML (``HTML_SHARE`` of its characters or more, comments aside: a
page converted by pandoc, with its navigation ``div``s and linked words, or a page of HTML
tables) is read as the page it renders to, by the HTML reader: its source would quote
``<a href="../library/functions.html#sorted" class="reference internal">`` as text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import TYPE_CHECKING

from qa.ingest import html
from qa.ingest.source import CorpusFile, decode
from qa.ingest.structure import set_aside, structured_document
from qa.types import (
    FRONT_MATTER,
    LINK_REFERENCES,
    RAW_MARKUP,
    SOURCE_COMMENTS,
    TABLE_OF_CONTENTS,
    Document,
    Heading,
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

HTML_SHARE = 0.3  # of a file's characters in raw HTML, from which it is read as its page
# A tag with an attribute; no "=" before the first, so that a match is found in one pass.
_TAG_WITH_ATTRIBUTES = re.compile(r"<[A-Za-z][\w-]*\s[^<>=]*=[^<>]*>")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# HTML tags and nothing else ('<div class="codeblock">', '</div>'): markup a page never shows.
TAGS_ONLY = re.compile(r"(?:</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>\s*)+")
_CONTENTS_LINK = re.compile(r"^\[[^\]\n]+\]\(#[^)\s]*\)$")
# YAML settings between two "---" lines at the very top, at least one of them "key: value".
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n((?:[^\n]*\n){0,100}?)---[ \t]*(?:\r?\n|\Z)", re.MULTILINE
)
_SETTING = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class _Parsed:
    """A Markdown text, its markdown-it tokens, and its lines as CommonMark counts them
    (str.splitlines would also break at \x0c, \u2028, ...) with where each starts and the
    text's end."""

    text: str
    tokens: list[Token]
    lines: list[str]
    starts: list[int]


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a Markdown file; its comments (``<!-- ... -->`` blocks, which a
    rendered page does not show: Node.js's "<!-- YAML added: v0.1.90 -->") and its table of
    contents are not indexed."""
    parsed = _parse(decode(data))
    if _html_share(parsed) >= HTML_SHARE:
        # A converter wraps long lines inside tags too: each tag is made one line again, so
        # that "# Sorting HOW TO<a href=... class="headerlink"" / "title=...>¶</a>" is a heading.
        unwrapped = _TAG_WITH_ATTRIBUTES.sub(lambda m: " ".join(m.group().split()), parsed.text)
        if unwrapped != parsed.text:
            parsed = _parse(unwrapped)
        return html.page_document(_render(parsed), file)
    front = _FRONT_MATTER.match(parsed.text)
    settings = dict(m.groups() for m in _SETTING.finditer(front.group(1))) if front else {}
    front_end = front.end() if front and settings else 0
    headings = tuple(h for h in _headings(parsed) if h.start >= front_end)
    # A page has one level-1 heading, its title; where every chapter is one ("# 1. Getting
    # Started", "# 2. Double-click Startup", as pandoc writes a page's <h1>s), none of them is.
    firsts = [h.title for h in headings if h.level == 1]
    title = firsts[0] if len(firsts) == 1 else None
    title = title or settings.get("title", "").strip().strip("'\"") or file.path.stem
    document = structured_document(file, parsed.text, title, headings)
    left_out = [(0, len(parsed.text[:front_end].rstrip()), FRONT_MATTER)] if front_end else []
    left_out += [(*span, SOURCE_COMMENTS) for span in _comments(parsed)]
    left_out += [(*span, RAW_MARKUP) for span in _markup_blocks(parsed)]
    left_out += [(*span, TABLE_OF_CONTENTS) for span in _contents_lines(parsed)]
    left_out += [(*span, LINK_REFERENCES) for span in _link_references(parsed)]
    if not left_out:
        return document
    return replace(document, segments=set_aside(parsed.text, document.segments, sorted(left_out)))


def _parse(text: str) -> _Parsed:
    lines = _LINE.findall(text)
    starts = [0, *accumulate(len(line) for line in lines)]
    return _Parsed(text, _markdown().parse(text), lines, starts)


def _html_share(parsed: _Parsed) -> float:
    """The share of the text's characters in raw HTML blocks and tags, comments aside."""
    raw = 0
    for token in parsed.tokens:
        if token.type == "html_block" and not token.content.lstrip().startswith("<!--"):
            raw += len(token.content)
        for child in token.children or ():
            if child.type == "html_inline" and not child.content.startswith("<!--"):
                raw += len(child.content)
    return raw / max(len(parsed.text), 1)


def _render(parsed: _Parsed) -> str:
    markdown = _markdown()
    return markdown.renderer.render(parsed.tokens, markdown.options, {})


@functools.cache
def _markdown() -> MarkdownIt:
    """CommonMark's parser and renderer, made once (imported only when a file needs it)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _html_blocks(parsed: _Parsed) -> list[tuple[Token, int, int]]:
    """Each raw HTML block (not inside code) with where its lines start and end in the text."""
    starts = parsed.starts
    return [
        (token, starts[token.map[0]], starts[min(token.map[1], len(starts) - 1)])
        for token in parsed.tokens
        if token.type == "html_block" and token.map
    ]


def _comments(parsed: _Parsed) -> list[tuple[int, int]]:
    """The spans of the HTML comments that are blocks of their own (not inside code)."""
    return [
        match.span()
        for token, start, end in _html_blocks(parsed)
        if token.content.lstrip().startswith("<!--")
        for match in _COMMENT.finditer(parsed.text, start, end)
    ]


def _markup_blocks(parsed: _Parsed) -> list[tuple[int, int]]:
    """The spans of the raw HTML blocks that are tags alone, which a rendered page does not
    show as text."""
    spans = []
    for _, start, end in _html_blocks(parsed):
        block = parsed.text[start:end]
        if TAGS_ONLY.fullmatch(block.strip()):
            start += len(block) - len(block.lstrip())
            spans.append((start, start + len(block.strip())))
    return spans


def _contents_lines(parsed: _Parsed) -> list[tuple[int, int]]:
    """The lines of a table of contents: list items that are one link to a heading of the
    page ("* [Building Node.js](#building-nodejs)"). Like a PDF's contents lines, they would
    match every question on a section's name, and the section itself is indexed."""
    tokens, starts = parsed.tokens, parsed.starts
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
            line = parsed.text[starts[first] : starts[last]]
            indent = len(line) - len(line.lstrip())
            spans.append((starts[first] + indent, starts[first] + len(line.rstrip())))
    return spans


def _link_references(parsed: _Parsed) -> list[tuple[int, int]]:
    """The lines of link reference definitions ("[`rl.close()`]: #rlclose"), which Node.js's
    pages list by the hundred at their end: the lines no block of the page holds (markdown-it
    makes no token of them), less their indentation and line end."""
    held = bytearray(len(parsed.lines))
    for token in parsed.tokens:
        if token.level == 0 and token.map:
            first, last = token.map
            held[first:last] = b"\x01" * (min(last, len(held)) - first)
    spans = []
    for number, line in enumerate(parsed.lines):
        if not held[number] and line.strip():
            indent = len(line) - len(line.lstrip())
            start = parsed.starts[number]
            spans.append((start + indent, start + len(line.rstrip())))
    return spans


def _headings(parsed: _Parsed) -> tuple[Heading, ...]:
    """The ATX and setext headings, with their spans."""
    tokens, lines, starts = parsed.tokens, parsed.lines, parsed.starts
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
