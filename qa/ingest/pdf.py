"""PDF: the text layer of each page, read with pypdfium2 (PDFium, Apache-2.0/BSD).

The document's text is the pages' text one after the other, a blank line between pages, and
``Document.pages`` says where each page starts, so that every chunk knows its page. Lines that
repeat at the top or the bottom of most pages (running headers and footers, page numbers) stay
in the text as boilerplate segments: not indexed, but not lost either. A word hyphenated at a
line break is joined when the next line goes on in lower case ("inter-\\nnational" reads
"international").

The PDF's outline (its bookmarks) gives the headings: each bookmark's title is looked for on
its page, and the line that holds it becomes a heading of the bookmark's level, so that a
passage is cited with its section ("5 Arrays and matrices › 5.1 Arrays").

PDFium parses in a child process (``isolated.py``) that is killed once a file has taken
``SECONDS_PER_FILE``, so no PDF can hang the indexer; pages are read one at a time and released,
so a long PDF holds one page's objects at a time. A PDF without a text layer (a scan), an
encrypted, broken or empty one is skipped with its reason.
"""

from __future__ import annotations

import re
from collections import Counter

from qa.ingest import isolated
from qa.ingest.source import CorpusFile, SkipFile
from qa.ingest.structure import laid_out_document
from qa.types import Document, Heading, Segment

SECONDS_PER_FILE = 60.0
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be a header or a footer
REPEATS_ON = 0.5  # a header or footer repeats on at least this share of the pages ...
MIN_PAGES = 3  # ... of a PDF with at least this many pages
MIN_TEXT_PER_PAGE = 4  # fewer words a page on average: no text layer (a scan)
FULL_WIDTH = 0.75  # a line this long (against the page's longest) runs on into the next
_DIGITS = re.compile(r"\d+")
# A heading number ("1.3. ", "2 "), a bullet, or a code-like line opens a block of its own.
_OPENS_BLOCK = re.compile(r"(?:\d+(?:\.\d+)*\.?\s|[•\u2022\-*–]\s|[<{\[$#/])")
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-\n(?=[a-z])")
MAX_OUTLINE_ITEMS = 5000  # a hostile outline may loop or hold millions of entries

Bookmark = tuple[int, str, int]  # level (0 is the top), title, page index


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a PDF file."""
    pages, title, outline = isolated.call(extract, data, seconds=SECONDS_PER_FILE)
    if not pages:
        raise SkipFile("PDF with no pages")
    if sum(len(" ".join(lines).split()) for lines in pages) < MIN_TEXT_PER_PAGE * len(pages):
        raise SkipFile("PDF without a text layer (a scan?); OCR it first")
    return _document(file, pages, title, outline)


def extract(data: bytes) -> tuple[list[list[str]], str | None, list[Bookmark]]:
    """Each page's lines of text, the PDF's title and its outline (run in the child process).

    Raises:
        SkipFile: The PDF is encrypted or broken.
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise SkipFile("encrypted PDF (it needs a password)") from None
        if getattr(error, "err_code", None) == 0:  # PDFium found no error, and no document
            raise SkipFile("broken PDF (no page tree: empty or cut short)") from None
        raise SkipFile(f"broken PDF ({error})") from None
    try:
        pages = _page_lines(pdf)
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        return pages, title, _outline(pdf)
    finally:
        pdf.close()


def _outline(pdf) -> list[Bookmark]:  # noqa: ANN001  (pypdfium2 is imported lazily)
    """The bookmarks that point at a page, in the outline's order."""
    bookmarks: list[Bookmark] = []
    try:
        for item in pdf.get_toc(max_depth=8):
            if len(bookmarks) >= MAX_OUTLINE_ITEMS:
                break
            destination = item.get_dest()
            page = destination.get_index() if destination is not None else None
            title = " ".join((item.get_title() or "").split())
            if page is not None and 0 <= page < len(pdf) and title:
                bookmarks.append((item.level, title, page))
    except Exception:  # noqa: BLE001  (a broken outline costs the headings, not the text)
        return bookmarks
    return bookmarks


def _page_lines(pdf) -> list[list[str]]:  # noqa: ANN001  (pypdfium2 is imported lazily)
    """Each page's lines of text, read one page at a time."""
    pages = []
    for number in range(len(pdf)):
        page = pdf[number]
        text_page = page.get_textpage()
        try:
            text = text_page.get_text_bounded()
        finally:
            text_page.close()
            page.close()
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-")
        pages.append([line.rstrip() for line in _HYPHENATED.sub("", text).split("\n")])
    return pages


def _document(
    file: CorpusFile, pages: list[list[str]], title: str | None, outline: list[Bookmark]
) -> Document:
    """The text of the pages, each page's start, its segments and its headings: the page's
    body as the article, repeated headers and footers as boilerplate. A line that runs to the
    page's full width goes on in the next line (a soft break, written as a space) unless that
    line opens a heading or a list item, so that sentences are whole and paragraphs keep
    together."""
    furniture = _repeated_edges(pages)
    text, starts, segments = "", [], []
    lines_of_page: list[list[Segment]] = []  # each page's article lines
    for lines in pages:
        if starts:
            text += "\n\n"
        starts.append(len(text))
        lines_of_page.append([])
        body = [line.strip() for line in lines if line.strip()]
        edges = set(range(min(EDGE_LINES, len(body)))) | set(range(len(body))[-EDGE_LINES:])
        width = max((len(line) for line in body), default=0)
        previous: tuple[str, str] | None = None  # kind and text of the line before
        for number, line in enumerate(body):
            kind = "boilerplate" if number in edges and _shape(line) in furniture else "article"
            if previous is not None:
                soft = kind == previous[0] == "article" and _runs_on(previous[1], line, width)
                text += " " if soft else "\n"
            segments.append(Segment(kind, len(text), len(text) + len(line)))
            if kind == "article":
                lines_of_page[-1].append(segments[-1])
            text += line
            previous = (kind, line)
    first_line = next((line.strip() for lines in pages for line in lines if line.strip()), None)
    headings = _headings(text, lines_of_page, outline)
    return laid_out_document(
        file, text, title or first_line, _merged(segments), tuple(starts), headings
    )


def _headings(
    text: str, lines_of_page: list[list[Segment]], outline: list[Bookmark]
) -> tuple[Heading, ...]:
    """Each bookmark whose title is found as a line of its page (a number before it allowed:
    "2.1. Directory layout" for "Directory layout"), in order; bookmarks not found are left
    out rather than guessed."""
    headings: list[Heading] = []
    for level, title, page in outline:
        wanted = title.casefold()
        after = headings[-1].end if headings else 0
        for line in lines_of_page[page]:
            if line.start < after:
                continue
            said = " ".join(text[line.start : line.end].split()).casefold()
            if said == wanted or (said.endswith(wanted) and _DIGITS.match(said)):
                headings.append(Heading(level + 1, title, line.start, line.end))
                break
    return tuple(headings)


def _runs_on(line: str, following: str, width: int) -> bool:
    """Whether ``following`` continues the paragraph of ``line``: ``line`` fills the page's
    width and ``following`` opens no heading, list item or code-like line."""
    full = len(line) >= FULL_WIDTH * width
    return full and not _OPENS_BLOCK.match(following)


def _repeated_edges(pages: list[list[str]]) -> set[str]:
    """The shapes of lines found at the top or bottom of most pages (digits made alike, so
    that "Page 3" and "Page 4" are one footer)."""
    if len(pages) < MIN_PAGES:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        body = [line for line in lines if line.strip()]
        seen.update({_shape(line) for line in body[:EDGE_LINES] + body[-EDGE_LINES:]})
    return {shape for shape, count in seen.items() if count >= REPEATS_ON * len(pages)}


def _shape(line: str) -> str:
    return _DIGITS.sub("0", " ".join(line.split()))


def _merged(segments: list[Segment]) -> tuple[Segment, ...]:
    """Runs of same-kind line segments as one segment each (the blank lines between them
    included), so that a chunk may run on across lines and pages."""
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].kind == segment.kind:
            merged[-1] = Segment(segment.kind, merged[-1].start, segment.end)
        else:
            merged.append(segment)
    return tuple(merged)
