"""HTML: the visible text of a page, read with the standard library's ``html.parser``.

The extracted text is the document's text (offsets refer to it); the page's ``<title>``, else
its first ``<h1>``, is the document's title. The structure rules (article, reader comments,
boilerplate) then run on that text, as on a plain-text file.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from qa.ingest.source import CorpusFile, SkipFile, decode
from qa.ingest.structure import structured_document
from qa.types import Document


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in an HTML file."""
    text, title = _html_to_text(decode(data))
    return structured_document(file, text, title)


# Whole subtrees that are never shown to a reader.
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg"})
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd details div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody "
    "td tfoot th thead title tr ul".split()
)
# Paragraph-like blocks get a blank line, so the segmenter sees paragraphs.
_PARAGRAPH_TAGS = frozenset("blockquote h1 h2 h3 h4 h5 h6 p pre title table".split())


class _TextExtractor(HTMLParser):
    """Collect the visible text of a page, one block element per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities are unescaped in handle_data
        self.parts: list[str] = []
        self.hidden: list[str] = []  # open hidden elements, innermost last
        self.pre = 0
        self.title: str | None = None
        self.h1: str | None = None
        self._capture: list[str] | None = None
        self._capture_tag: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and "head" in self.hidden:
            self.hidden.clear()  # a page that never closes <head>
        if tag == "title" or self.hidden:
            if tag == "title" and self.title is None:
                self._start_capture(tag)
                self._break(tag)
            elif tag in _HIDDEN_TAGS:
                self.hidden.append(tag)
            return
        if tag in _HIDDEN_TAGS:
            self.hidden.append(tag)
            return
        if tag == "pre":
            self.pre += 1
        if tag == "h1" and self.h1 is None and self._capture is None:
            self._start_capture(tag)
        self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._capture_tag and self._capture is not None:
            captured = " ".join("".join(self._capture).split())
            if tag == "title":
                self.title = captured or None
            else:
                self.h1 = captured or None
            self._capture = self._capture_tag = None
            self._break(tag)
            return
        if self.hidden:
            if tag in self.hidden:
                del self.hidden[len(self.hidden) - 1 - self.hidden[::-1].index(tag) :]
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
        self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<br/>" is one break, not a start and an end; "<script/>" hides nothing.
        if tag not in _HIDDEN_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.hidden and self._capture_tag != "title":
            return
        if self._capture is not None:
            self._capture.append(data)
        # Browsers collapse runs of whitespace, newlines included, except in <pre>.
        self.parts.append(data if self.pre else re.sub(r"\s+", " ", data))

    def _start_capture(self, tag: str) -> None:
        self._capture = []
        self._capture_tag = tag

    def _break(self, tag: str) -> None:
        if tag in _PARAGRAPH_TAGS:
            self.parts.append("\n\n")
        elif tag in _BLOCK_TAGS and not self._at_line_start():
            self.parts.append("\n")

    def _at_line_start(self) -> bool:
        # So that "</li><li>" is one line break, not a paragraph break.
        for part in reversed(self.parts):
            if part.endswith("\n"):
                return True
            if part.strip():
                return False
        return True

    def text(self) -> str:
        lines = [" ".join(line.split()) for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _html_to_text(html: str) -> tuple[str, str | None]:
    """The visible text of a page, and its title (``<title>``, else the first ``<h1>``)."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception as error:  # html.parser is lenient, but a broken page must not stop a run
        raise SkipFile(f"could not parse HTML ({error})") from None
    return parser.text(), parser.title or parser.h1
