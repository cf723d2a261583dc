"""HTML: the text a reader comes for, read with the standard library's ``html.parser``.

What is never the page's content is left out: scripts and styles, navigation (``nav``, any
element with ``role="navigation"``, sidebars and tables of contents by their class or id),
the page's own ``header`` and ``footer`` (not those of an ``article`` or ``main``), ``aside``,
buttons ("copy") and permalink anchors ("#", "¶"). ``pre`` blocks are kept verbatim, with their
line breaks and indentation. The extracted text is the document's text (offsets refer to it);
the page's ``<title>``, else its first ``<h1>``, is the document's title. The structure rules
(article, reader comments, boilerplate) then run on that text, as on a plain-text file.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from qa.ingest.source import CorpusFile, SkipFile, decode
from qa.ingest.structure import structured_document
from qa.types import Document, Heading


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in an HTML file."""
    text, title, headings = _html_to_text(decode(data))
    return structured_document(file, text, title, headings)


# Whole subtrees that are never shown to a reader, or never the page's content.
_HIDDEN_TAGS = frozenset(
    "script style noscript template head svg nav aside button select dialog".split()
)
_PAGE_FURNITURE_TAGS = frozenset({"header", "footer"})  # the page's, outside article and main
_CONTENT_TAGS = frozenset({"article", "main"})
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
# Class or id words of navigation blocks ("sidebar", "toc", "breadcrumbs", "site-menu").
_FURNITURE_NAMES = re.compile(
    r"(?:^|[\s_-])(?:sidebar|toc|gtoc|breadcrumbs?|nav|navbar|navheader|navfooter|menu|skip-?(?:link|to-content))(?:$|[\s_-])",
    re.I,
)
_PERMALINK_MARKS = frozenset({"#", "¶", "§", "🔗"})
_HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Elements that never have an end tag: not pushed on the stack of hidden elements.
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
_VERBATIM = re.compile("\ue000(\\d+)\ue001")  # where a pre block's verbatim text goes
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
        self.content = 0  # open article and main elements
        self.verbatim: list[str] = []  # each pre block's text, as written
        self._pre_text: list[str] | None = None
        self._permalink = False
        self.headings: list[tuple[int, str]] = []  # (level, title) of h1-h6, in page order
        self._heading: tuple[int, list[str]] | None = None
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
            elif tag not in _VOID_TAGS and tag != "title":
                self.hidden.append(tag)  # every element inside, so that end tags pair up
            return
        if tag in _HIDDEN_TAGS or self._is_furniture(tag, dict(attrs)):
            self.hidden.append(tag)
            return
        if tag in _CONTENT_TAGS:
            self.content += 1
        if tag == "a":
            self._permalink = (dict(attrs).get("href") or "").startswith("#")
        if tag == "pre":
            self.pre += 1
            if self.pre == 1:
                self._pre_text = []
        if tag == "h1" and self.h1 is None and self._capture is None:
            self._start_capture(tag)
        if tag in _HEADING_TAGS and self._heading is None:
            self._heading = (int(tag[1]), [])
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
            if not self.pre and self._pre_text is not None:
                self._end_pre()
        if tag in _CONTENT_TAGS and self.content:
            self.content -= 1
        if tag == "a":
            self._permalink = False
        if tag in _HEADING_TAGS and self._heading is not None:
            level, parts = self._heading
            if title := " ".join("".join(parts).split()):
                self.headings.append((level, title))
            self._heading = None
        self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<br/>" is one break, not a start and an end; "<script/>" hides nothing.
        if tag not in _HIDDEN_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.hidden and self._capture_tag != "title":
            return
        if self._permalink and data.strip() in _PERMALINK_MARKS:
            return
        if self._capture is not None:
            self._capture.append(data)
        if self._heading is not None:
            self._heading[1].append(data)
        if self._pre_text is not None:
            self._pre_text.append(data)
            return
        # Browsers collapse runs of whitespace, newlines included, except in <pre>.
        self.parts.append(re.sub(r"\s+", " ", data))

    def _is_furniture(self, tag: str, attrs: dict[str, str | None]) -> bool:
        """Whether the element opened is navigation or the page's own header or footer."""
        if tag in _PAGE_FURNITURE_TAGS and not self.content:
            return True
        if attrs.get("role") in _FURNITURE_ROLES or "hidden" in attrs:
            return True
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        return bool(_FURNITURE_NAMES.search(names))

    def _end_pre(self) -> None:
        """The pre block's text goes in as a placeholder, kept out of white-space folding."""
        block = "".join(self._pre_text or []).strip("\n").rstrip()
        self._pre_text = None
        if block.strip():
            self.parts.append(f"\ue000{len(self.verbatim)}\ue001")
            self.verbatim.append(block)

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
        if self._pre_text is not None:  # a pre never closed
            self._end_pre()
        lines = [" ".join(line.split()) for line in "".join(self.parts).split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
        return _VERBATIM.sub(lambda m: self.verbatim[int(m.group(1))], text)


def _html_to_text(html: str) -> tuple[str, str | None, tuple[Heading, ...]]:
    """The visible text of a page, its title (``<title>``, else the first ``<h1>``), and its
    headings with their place in the text."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception as error:  # html.parser is lenient, but a broken page must not stop a run
        raise SkipFile(f"could not parse HTML ({error})") from None
    text = parser.text()
    return text, parser.title or parser.h1, _located(text, parser.headings)


def _located(text: str, headings: list[tuple[int, str]]) -> tuple[Heading, ...]:
    """Each heading found as a whole line of ``text``, in order (one that is not, say inside a
    hidden block, is passed over)."""
    found, cursor = [], 0
    for level, title in headings:
        line = re.compile(rf"^{re.escape(title)}$", re.MULTILINE).search(text, cursor)
        if line is not None:
            found.append(Heading(level, title, line.start(), line.end()))
            cursor = line.end()
    return tuple(found)
