"""HTML: the text a reader comes for, read with the standard library's ``html.parser``.

What is never the page's content is left out: scripts and styles, navigation (``nav``, any
element with ``role="navigation"``, menus and tables of contents by their class or id), the
page's own ``header`` and ``footer`` (not those of an ``article`` or ``main``), buttons
("copy"), permalink anchors ("#", "¶") and a page's own table of contents (a list of
``MIN_CONTENTS`` items or more whose every word links into the page). A side box (``aside``, or
a class or id "sidebar") is left out when it is mostly links (a blog's widgets of recent posts
and archives) and kept when it is mostly prose (a manual's "TOOL" or "NOTE" box, a footnote).
``pre`` blocks are kept verbatim, with their line breaks and indentation. As in a Word file, a
list item is a line starting with "- " (or "1. ", "2. " in an ordered list), a definition
(``dd``) one starting with ": " under its term's line (each of its paragraphs), and a row of a
table of data one line with its cells joined by " | " ("passwd -e | set one-time password for
the account activation"), so that the answer reads items, definitions and rows as such (a
cell's paragraphs joined by a space). A table that lays a page out (a cell holding a list,
code, a heading or another table) is read block by block instead. The extracted text is the
document's text (offsets refer to it); the page's ``<title>``, else its first ``<h1>``, else
its first heading, is the document's title. The structure rules (article, reader comments,
boilerplate) then run on that text, as on a plain-text file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from qa.ingest.source import CorpusFile, SkipFile, decode
from qa.ingest.structure import structured_document
from qa.types import Document, Heading


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in an HTML file."""
    return page_document(decode(data), file)


def page_document(page: str, file: CorpusFile) -> Document:
    """The document of ``file`` whose HTML is ``page`` (an HTML file's, or what a Markdown
    file renders to)."""
    text, title, headings, navigation = _html_to_text(page)
    # No <title> and no <h1> (pandoc's Markdown of a manual's section): its first heading.
    title = title or (headings[0].title if headings else None)
    document = structured_document(file, text, title, headings)
    return replace(document, removed=(("navigation", navigation),)) if navigation else document


# Elements whose content is code or markup, never text a reader sees.
_NEVER_TEXT = frozenset("script style noscript template head svg".split())
# Whole subtrees that are never shown to a reader, or never the page's content.
_HIDDEN_TAGS = frozenset("script style noscript template head svg nav button select dialog".split())
_PAGE_FURNITURE_TAGS = frozenset({"header", "footer"})  # the page's, outside article and main
_CONTENT_TAGS = frozenset({"article", "main"})
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
# A class or id of a navigation block: one of these words, alone or before "-" or "_"
# ("toc", "toc-left", "menu"), not inside another ("with-toc" is a page's state).
_FURNITURE_NAME = re.compile(
    r"(?:toc|gtoc|breadcrumbs?|nav|navbar|navheader|navfooter|menu|skip-?link"
    r"|skip-to-content)(?:[-_].*)?",
    re.I,
)
# A side box: kept or left out by what it holds, once it ends (``_OpenSideBox``).
_SIDE_BOX_NAME = re.compile(r"sidebar(?:[-_].*)?", re.I)
_NEVER_FURNITURE = frozenset({"html", "body", "main", "article"})  # the page or its content
_PERMALINK_MARKS = frozenset({"#", "¶", "§", "🔗"})
_HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Elements that never have an end tag: not pushed on the stack of hidden elements.
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Placeholders in the text while it is put together: a pre block's verbatim text (\ue000n\ue001)
# and where a heading starts (\ue002n\ue003). Characters of these kinds in the page are dropped.
_VERBATIM = re.compile("\ue000(\\d+)\ue001")
_HEADING_MARK = re.compile("\ue002(\\d+)\ue003")
# ... and, in a table until it ends, where a cell starts (\ue004) and where a line or a
# paragraph breaks inside a cell (\ue005, \ue006).
_CELL, _CELL_LINE, _CELL_PARAGRAPH = "\ue004", "\ue005", "\ue006"
_PRIVATE_MARKS = str.maketrans("", "", "\ue000\ue001\ue002\ue003\ue004\ue005\ue006")
# A cell holding one of these is a page's layout, not a table's datum.
_LAYOUT_TAGS = frozenset("blockquote dl h1 h2 h3 h4 h5 h6 ol pre table ul".split())
# The title of a note's box (PostgreSQL's <h3 class="title">Note</h3>): no section of its own,
# or every option after the first note would be "Options › Note".
_ADMONITIONS = frozenset("note tip hint warning caution important attention danger".split())
MIN_CONTENTS = 3  # items of a list of links into the page that make it a table of contents
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd details div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody "
    "td tfoot th thead title tr ul".split()
)
# A cell and the blocks that break a line inside one, marked while its table is read.
_CELL_BLOCKS = _BLOCK_TAGS - _LAYOUT_TAGS - frozenset("tr tbody thead tfoot".split())
# Paragraph-like blocks get a blank line, so the segmenter sees paragraphs.
_PARAGRAPH_TAGS = frozenset("blockquote h1 h2 h3 h4 h5 h6 p pre title table".split())


@dataclass
class _OpenList:
    """A list being read: an ``ol``'s next number, where its text starts in the parts, and how
    many of its characters are in links into the page and how many are not."""

    number: int | None
    parts_at: int
    items: int = 0
    linked: int = 0
    unlinked: int = 0

    def is_contents(self) -> bool:
        return self.items >= MIN_CONTENTS and self.linked > 0 and not self.unlinked


@dataclass
class _OpenSideBox:
    """A side box being read: its tag, how many elements of that tag are open with it, where
    its text starts in the parts, and how many of its characters are in links and how many
    are not."""

    tag: str
    depth: int
    parts_at: int
    linked: int = 0
    unlinked: int = 0

    def is_navigation(self) -> bool:
        """Whether the box is mostly links: a third of its characters or more are in links."""
        return self.linked * 2 >= self.unlinked


@dataclass
class _OpenTable:
    """A table being read: where its text starts in the parts, and whether it lays the page
    out."""

    parts_at: int
    layout: bool = False

    def rows(self, text: str) -> str:
        """The table's ``text`` (with cell marks) as lines: a row per line, its cells joined by
        " | ", or, for a layout table, each cell's blocks on lines of their own."""
        if self.layout:
            return (
                text.replace(_CELL, "\n").replace(_CELL_LINE, "\n").replace(_CELL_PARAGRAPH, "\n\n")
            )
        text = text.replace(_CELL_LINE, " ").replace(_CELL_PARAGRAPH, " ")
        rows = []
        for line in text.split("\n"):
            cells = line.split(_CELL)
            filled = [c.strip() for c in cells[1:] if c.strip()]
            rows.append(" | ".join(filled) if len(cells) > 1 else line)
        return "\n".join(rows)


class _TextExtractor(HTMLParser):
    """Collect the visible text of a page, one block element per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities are unescaped in handle_data
        self.parts: list[str] = []
        self.hidden: list[str] = []  # open hidden elements, innermost last
        self.navigation = 0  # characters of text left out as navigation or page furniture
        self._furniture = False  # whether the outermost hidden element is furniture
        self.pre = 0
        self.content = 0  # open article and main elements
        self.verbatim: list[str] = []  # each pre block's text, as written
        self._pre_text: list[str] | None = None
        self._in_page_link = False  # in an <a href="#..."> (a permalink or a contents entry)
        self._in_link = False  # in an <a href="...">, wherever it leads
        self._open: dict[str, int] = {}  # elements open in the text, by tag
        self._side_boxes: list[_OpenSideBox] = []  # open side boxes, innermost last
        # Level and text pieces of each h1-h6, in page order; the open one collects its text.
        self.headings: list[tuple[int, list[str]]] = []
        self._heading: list[str] | None = None
        self._line_start = True
        self.title: str | None = None
        self.h1: str | None = None
        self._capture: list[str] | None = None
        self._capture_tag: str | None = None
        self._lists: list[_OpenList] = []  # open lists, innermost last
        self._tables: list[_OpenTable] = []  # open tables, innermost last
        self._marker: str | None = None  # an item's marker, written before its first text
        # Per open dl, innermost last: whether its dd is open (a dd's end tag may be left out:
        # the next dt or the dl's end closes it). Each paragraph of a dd is marked ": ".
        self._definitions: list[bool] = []

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]], closed: bool = False
    ) -> None:
        if tag == "body" and "head" in self.hidden:
            self.hidden.clear()  # a page that never closes <head>
        if tag == "title" or self.hidden:
            if tag == "title" and self.title is None:
                self._start_capture(tag)
                self._break(tag)
            elif tag not in _VOID_TAGS and tag != "title" and not closed:
                self.hidden.append(tag)  # every element inside, so that end tags pair up
            return
        named = dict(attrs)
        if tag in _HIDDEN_TAGS or self._is_furniture(tag, named):
            if tag not in _VOID_TAGS and not closed:  # an element with no end hides nothing
                self._furniture = tag not in _NEVER_TEXT  # hidden is empty here
                self.hidden.append(tag)
            return
        if tag not in _VOID_TAGS and not closed:
            self._open[tag] = self._open.get(tag, 0) + 1
            if self._is_side_box(tag, named):
                self._side_boxes.append(_OpenSideBox(tag, self._open[tag], len(self.parts)))
        if tag in _CONTENT_TAGS:
            self.content += 1
        if tag == "a":
            href = named.get("href")
            self._in_link = href is not None
            self._in_page_link = (href or "").startswith("#")
        if tag == "pre":
            self.pre += 1
            if self.pre == 1:
                self._pre_text = []
        if tag == "h1" and self.h1 is None and self._capture is None:
            self._start_capture(tag)
        if not (self._tables and self._in_cell(tag)):
            self._break(tag)
        if tag == "table" and not closed:
            if self._tables:
                self._tables[-1].layout = True
            self._tables.append(_OpenTable(len(self.parts)))
        if tag in ("ul", "ol") and not closed:
            self._lists.append(_OpenList(1 if tag == "ol" else None, len(self.parts)))
        elif tag == "li" and not closed:
            number = self._lists[-1].number if self._lists else None
            self._marker = f"{number}. " if number is not None else "- "
            if self._lists:
                self._lists[-1].items += 1
                if number is not None:
                    self._lists[-1].number = number + 1
        elif tag == "dd" and not closed:
            self._marker = ": "  # a definition under its term, as pandoc writes one
            if self._definitions:
                self._definitions[-1] = True
        elif tag == "p" and self._definitions and self._definitions[-1] and not closed:
            self._marker = self._marker or ": "  # a definition's later paragraph: still its
        if tag == "dl" and not closed:
            self._definitions.append(False)
        elif tag == "dt" and self._definitions:
            self._definitions[-1] = False
        if tag == "br" and self._heading is not None:
            self._heading.append(" ")  # "Part<br>Two" is "Part Two"
        if tag in _HEADING_TAGS and self._heading is None and not closed:
            self._heading = []
            self._append(f"\ue002{len(self.headings)}\ue003")
            self.headings.append((int(tag[1]), self._heading))

    def handle_endtag(self, tag: str) -> None:
        if tag in _HEADING_TAGS:
            self._heading = None  # its text is complete
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
            self._in_link = self._in_page_link = False
        if self._open.get(tag):
            self._open[tag] -= 1
        self._end_side_box(tag)
        if tag in ("ul", "ol") and self._lists:
            closing = self._lists.pop()
            if closing.is_contents():
                self._leave_out(closing.parts_at)
        elif tag in ("li", "dd"):
            self._marker = None  # an empty item marks nothing after it
            if tag == "dd" and self._definitions:
                self._definitions[-1] = False
        elif tag == "dl" and self._definitions:
            self._definitions.pop()
        if tag == "table" and self._tables:
            self._end_table(self._tables.pop())
        elif self._tables and tag in _CELL_BLOCKS:
            return  # a cell, or a block inside one: marked where it started
        self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<br/>" is one break, not a start and an end; "<script/>" hides nothing.
        if tag not in _HIDDEN_TAGS:
            self.handle_starttag(tag, attrs, closed=True)

    def handle_data(self, data: str) -> None:
        data = data.translate(_PRIVATE_MARKS)
        if self.hidden and self._capture_tag != "title":
            if self._furniture:
                self.navigation += len(" ".join(data.split()))
            return
        if self._in_page_link and data.strip() in _PERMALINK_MARKS:
            return
        said = len("".join(data.split()))
        for open_list in self._lists:
            if self._in_page_link:
                open_list.linked += said
            else:
                open_list.unlinked += said
        for box in self._side_boxes:
            if self._in_link:
                box.linked += said
            else:
                box.unlinked += said
        if self._capture is not None:
            self._capture.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._pre_text is not None:
            self._pre_text.append(data)
            return
        # Browsers collapse runs of whitespace, newlines included, except in <pre>.
        if self._marker is not None and data.strip():
            self._append(self._marker)
            self._marker = None
        self._append(re.sub(r"\s+", " ", data))

    def _is_furniture(self, tag: str, attrs: dict[str, str | None]) -> bool:
        """Whether the element opened is navigation or the page's own header or footer."""
        if tag in _NEVER_FURNITURE:
            return False
        if tag in _PAGE_FURNITURE_TAGS and not self.content:
            return True
        if attrs.get("role") in _FURNITURE_ROLES or "hidden" in attrs:
            return True
        return any(_FURNITURE_NAME.fullmatch(name) for name in _names(attrs))

    @staticmethod
    def _is_side_box(tag: str, attrs: dict[str, str | None]) -> bool:
        """Whether the element opened is a side box (``aside``, or a class or id "sidebar")."""
        return tag == "aside" or any(_SIDE_BOX_NAME.fullmatch(name) for name in _names(attrs))

    def _end_side_box(self, tag: str) -> None:
        """When ``tag`` ends the innermost side box, leave the box out if it is navigation."""
        if self._side_boxes and self._side_boxes[-1].tag == tag:
            box = self._side_boxes[-1]
            if self._open.get(tag, 0) < box.depth:
                self._close_side_box()

    def _close_side_box(self) -> None:
        """Close the innermost side box, leaving it out (with any list or table left open in
        it) if it is navigation."""
        box = self._side_boxes.pop()
        if box.is_navigation():
            self._lists = [kept for kept in self._lists if kept.parts_at < box.parts_at]
            self._tables = [kept for kept in self._tables if kept.parts_at < box.parts_at]
            self._leave_out(box.parts_at)

    def _in_cell(self, tag: str) -> bool:
        """Inside the innermost open table, mark where a cell starts or where a line or a
        paragraph breaks inside one (True: marked, no break written), and note what makes
        the table a layout."""
        table = self._tables[-1]
        if tag in _LAYOUT_TAGS:
            table.layout = True
            return False
        if tag not in _CELL_BLOCKS:
            return False
        if tag in ("td", "th"):
            self._append(_CELL)
        elif tag in ("p", "div"):
            self._append(_CELL_PARAGRAPH)
        else:
            self._append(_CELL_LINE)
        return True

    def _end_table(self, table: _OpenTable) -> None:
        """Write the table's rows: its text since it started, cell marks resolved."""
        text = table.rows("".join(self.parts[table.parts_at :]))
        del self.parts[table.parts_at :]
        self._append(text)

    def _end_pre(self) -> None:
        """The pre block's text goes in as a placeholder, kept out of white-space folding."""
        block = "".join(self._pre_text or []).strip("\n").rstrip()
        self._pre_text = None
        if block.strip():
            self._append(f"\ue000{len(self.verbatim)}\ue001")
            self.verbatim.append(block)

    def _leave_out(self, parts_at: int) -> None:
        """Take the text from ``parts_at`` on out of the page, as navigation."""
        self.navigation += len(" ".join("".join(self.parts[parts_at:]).split()))
        del self.parts[parts_at:]
        self._line_start = not self.parts or self.parts[-1].endswith("\n")

    def _start_capture(self, tag: str) -> None:
        self._capture = []
        self._capture_tag = tag

    def _break(self, tag: str) -> None:
        if tag in _PARAGRAPH_TAGS:
            self._append("\n\n")
        elif tag in _BLOCK_TAGS and not self._line_start:  # "</li><li>" is one line break
            self._append("\n")

    def _append(self, part: str) -> None:
        """Add ``part`` to the text, keeping track of whether a line has just begun."""
        self.parts.append(part)
        if part.endswith("\n"):
            self._line_start = True
        elif part.strip():
            self._line_start = False

    def text(self) -> tuple[str, tuple[Heading, ...]]:
        """The page's text, and its headings with their spans in it."""
        if self._pre_text is not None:  # a pre never closed
            self._end_pre()
        while self._side_boxes:  # a side box never closed
            self._close_side_box()
        while self._tables:  # a table never closed
            self._end_table(self._tables.pop())
        lines = [" ".join(line.split()) for line in "".join(self.parts).split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
        text = _VERBATIM.sub(lambda m: self.verbatim[int(m.group(1))], text)
        # Take the heading marks out, each heading spanning the rest of its mark's line.
        pieces, headings, taken, length = [], [], 0, 0
        for mark in _HEADING_MARK.finditer(text):
            pieces.append(text[taken : mark.start()])
            length += mark.start() - taken
            taken = mark.end()
            level, parts = self.headings[int(mark.group(1))]
            title = " ".join("".join(parts).split())
            line_end = text.find("\n", taken)
            line_end = len(text) if line_end < 0 else line_end
            if title and line_end > taken and title.lower().rstrip(":") not in _ADMONITIONS:
                headings.append(Heading(level, title, length, length + line_end - taken))
        pieces.append(text[taken:])
        return "".join(pieces), tuple(headings)


def _names(attrs: dict[str, str | None]) -> list[str]:
    """An element's class names and its id."""
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}".split()


def _html_to_text(html: str) -> tuple[str, str | None, tuple[Heading, ...], int]:
    """The visible text of a page, its title (``<title>``, else the first ``<h1>``), its
    headings with their place in the text, and the characters left out as navigation."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception as error:  # html.parser is lenient, but a broken page must not stop a run
        raise SkipFile(f"could not parse HTML ({error})") from None
    text, headings = parser.text()
    return text, parser.title or parser.h1, headings, parser.navigation
