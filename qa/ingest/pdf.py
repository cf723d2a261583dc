"""PDF: the text layer of each page, read with pypdfium2 (PDFium, Apache-2.0/BSD).

The document's text is the pages' text one after the other, a blank line between pages (a line
break only where a paragraph goes on over the break: the page ends without a final stop and the
next opens in body text), and ``Document.pages`` says where each page starts, so that every
chunk knows its page. Each page's lines come in reading order from ``pdf_lines`` (a web page
printed by a browser draws its headings last). Lines that repeat at the top or the bottom of
most pages (running headers and footers, page numbers), or at the same place on most pages, stay
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
from collections.abc import Iterable

from qa.ingest import isolated
from qa.ingest.pdf_lines import Style, page_lines
from qa.ingest.source import CorpusFile, SkipFile
from qa.ingest.structure import laid_out_document
from qa.types import RUNNING_LINES, TABLE_OF_CONTENTS, Document, Heading, Segment

SECONDS_PER_FILE = 60.0
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be a header or a footer
REPEATS_ON = 0.5  # a header or footer repeats on at least this share of the pages ...
MIN_PAGES = 3  # ... of a PDF with at least this many pages
_SAME_PLACE = 2.0  # points: lines whose tops round to one multiple of this stand in one place
CHAPTER_RUN = 4  # or opens (or closes) this many pages in a row: a chapter's running header
MIN_TEXT_PER_PAGE = 4  # fewer words a page on average: no text layer (a scan)
FULL_WIDTH = 0.75  # a line this long (against the page's longest) runs on into the next
_DIGITS = re.compile(r"\d+")
# A heading number ("1.3. ", "2 "), a bullet, or a code-like line opens a block of its own.
_OPENS_BLOCK = re.compile(r"(?:\d+(?:\.\d+)*\.?\s|[•\u2022\-*–]\s|[<{\[$#/])")
_DOT_LEADER = re.compile(r"(?:\.\s?){4}")
_CONTENTS_LINE = re.compile(r"(?:\.\s?){4,}\s*[\divxlc]+\s*$")  # "2.5 Memory . . . . 8"
HEADING_SCALE = 1.1  # without an outline, a line this much larger than the body is a heading
HEADING_SHARE = 0.1  # ... where at most this share of the text (in characters) is set in its size
MAX_HEADING = 120  # characters
HEADING_LINES = 3  # an outline's title may wrap onto this many lines
# A bold heading is set in the body's own size: a browser prints code a little smaller (13.5
# against 14 points) and, in its monospaced font, heavier.
BOLD_HEADING_SIZE = 0.02
BOLDER = 60  # a font weight this much above the body's is bold (400 is regular, 700 bold)
MAX_OUTLINE_ITEMS = 5000  # a hostile outline may loop or hold millions of entries

Bookmark = tuple[int, str, int]  # level (0 is the top), title, page index


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a PDF file."""
    pages, styles, title, outline, tops = isolated.call(extract, data, seconds=SECONDS_PER_FILE)
    styles = [[(size, weight) for size, weight in page] for page in styles]  # JSON gave lists
    if not pages:
        raise SkipFile("PDF with no pages")
    if sum(len(" ".join(lines).split()) for lines in pages) < MIN_TEXT_PER_PAGE * len(pages):
        raise SkipFile("PDF without a text layer (a scan?); OCR it first")
    return _document(file, pages, styles, title, outline, tops)


def extract(
    data: bytes,
) -> tuple[list[list[str]], list[list[Style]], str | None, list[Bookmark], list[list[float]]]:
    """Each page's lines of text, their styles, the PDF's title, its outline and where each
    line stands on its page (its top, in points from the page's bottom; -1 where unknown), run
    in the child process.

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
        pages, styles, tops = page_lines(pdf)
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        return pages, styles, title, _outline(pdf), tops
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


Line = tuple[Segment, Style]  # an article line of the text, and its style


def _document(
    file: CorpusFile,
    pages: list[list[str]],
    styles: list[list[Style]],
    title: str | None,
    outline: list[Bookmark],
    tops: list[list[float]],
) -> Document:
    """The text of the pages, each page's start, its segments and its headings: the page's
    body as the article, repeated headers and footers (``tops``: where each line stands) as
    boilerplate. A line that runs to the page's full width goes on in the next line (a soft
    break, written as a space) unless that line opens a list item or a code-like line, changes
    the font's size, or is bold where the line before is not (a heading), so that sentences are
    whole and paragraphs keep together."""
    furniture = _repeated_edges(pages, styles)
    for page, placed in zip(furniture, _repeated_in_place(pages, tops), strict=True):
        page |= placed
    body_style = _body_style(
        (len(line), style)
        for lines, line_styles in zip(pages, styles, strict=True)
        for line, style in zip(lines, line_styles, strict=True)
    )
    text, starts, segments = "", [], []
    lines_of_page: list[list[Line]] = []
    previous: tuple[str, str, Style] | None = None  # kind, text and style of the line before
    for body, body_styles, page_furniture in zip(pages, styles, furniture, strict=True):
        if starts:
            text += "\n" if _goes_over(previous, body, body_styles, page_furniture) else "\n\n"
        starts.append(len(text))
        lines_of_page.append([])
        width = max((len(line) for line in body), default=0)
        for number, (line, style) in enumerate(zip(body, body_styles, strict=True)):
            reason = _left_out(line, number in page_furniture)
            kind = "article" if reason is None else "boilerplate"
            soft = (
                number > 0
                and previous is not None
                and kind == previous[0] == "article"
                and _same_size(previous[2], style)
                and not (_bold(style, body_style) and not _bold(previous[2], body_style))
                and _runs_on(previous[1], line, width)
            )
            if previous is not None and number:
                text += " " if soft else "\n"
            if soft:  # one line with the one before
                segments[-1] = Segment(kind, segments[-1].start, len(text) + len(line))  # article
                if lines_of_page[-1]:
                    lines_of_page[-1][-1] = (segments[-1], lines_of_page[-1][-1][1])
            else:
                segments.append(Segment(kind, len(text), len(text) + len(line), reason=reason))
                if kind == "article":
                    lines_of_page[-1].append((segments[-1], style))
            text += line
            previous = (kind, line, style)
    first_line = next((line for lines in pages for line in lines), None)
    headings = _outline_headings(text, lines_of_page, outline) or _sized_headings(
        text, lines_of_page, body_style
    )
    if title is None and headings and first_line is not None:
        top = text.lstrip()
        if top.startswith(first_line.strip()) and headings[0].start == len(text) - len(top):
            first_line = headings[0].title  # a title set large over two lines, whole
    return laid_out_document(
        file, text, title or first_line, _merged(segments), tuple(starts), headings
    )


def _outline_headings(
    text: str, lines_of_page: list[list[Line]], outline: list[Bookmark]
) -> tuple[Heading, ...]:
    """Each bookmark whose title is found as a line of its page, or else as up to
    ``HEADING_LINES`` lines in a row (a long title wraps), a number before it allowed ("2.1.
    Directory layout" for "Directory layout"), in order; bookmarks not found are left out
    rather than guessed."""
    headings: list[Heading] = []
    for level, title, page in outline:
        wanted = title.casefold()
        after = headings[-1].end if headings else 0
        lines = [line for line, _ in lines_of_page[page] if line.start >= after]
        found = next(
            (
                (run[0].start, run[-1].end)
                for size in range(1, HEADING_LINES + 1)
                for run in (lines[n : n + size] for n in range(len(lines) - size + 1))
                if _is_title(" ".join(text[run[0].start : run[-1].end].split()), wanted)
            ),
            None,
        )
        if found is not None:
            headings.append(Heading(level + 1, title, *found))
    return tuple(headings)


def _is_title(said: str, wanted: str) -> bool:
    """Whether a line says the case-folded title ``wanted``, perhaps after a number."""
    said = said.casefold()
    return said == wanted or (said.endswith(wanted) and _DIGITS.match(said) is not None)


def _sized_headings(text: str, lines_of_page: list[list[Line]], body: Style) -> tuple[Heading, ...]:
    """Without an outline: the short lines set larger than the body text (the largest size is
    level 1), then the short lines in the body's size but bold, ending in no full stop. A size
    makes headings only where few lines use it. Heading lines of one level one after the other
    are one heading that wrapped."""
    lines = [line for page in lines_of_page for line in page]
    characters_in: Counter[float] = Counter()
    for segment, style in lines:
        characters_in[style[0]] += segment.end - segment.start
    body_size = body[0]
    if body_size <= 0:
        return ()
    larger = sorted((s for s in characters_in if s >= HEADING_SCALE * body_size), reverse=True)
    total = characters_in.total()
    levels = [s for s in larger if characters_in[s] <= HEADING_SHARE * total]
    headings: list[Heading] = []
    for line, (size, weight) in lines:
        said = text[line.start : line.end]
        title = said.rstrip("#¶ ").strip()  # a web page's permalink sign, printed
        if len(title) > MAX_HEADING or not any(c.isalpha() for c in title):
            continue
        if _DOT_LEADER.search(title):  # a line of a table of contents
            continue
        if size in levels:
            level = min(levels.index(size) + 1, 6)
        elif (
            _same_size((size, weight), body, BOLD_HEADING_SIZE)
            and _bold((size, weight), body)
            and not said.endswith((".", ",", ";", ":"))
        ):
            level = min(len(levels) + 1, 6)
        else:
            continue
        last = headings[-1] if headings else None
        if (  # the line before, wrapped: one heading
            last is not None
            and (last.level, last.end + 1) == (level, line.start)
            and len(last.title) + len(title) < MAX_HEADING
        ):
            headings[-1] = Heading(level, f"{last.title} {title}", last.start, line.end)
        else:
            headings.append(Heading(level, title, line.start, line.end))
    return tuple(headings)


def _body_style(lengths_and_styles: Iterable[tuple[int, Style]]) -> Style:
    """The style most characters are set in: the body text's."""
    characters: Counter[Style] = Counter()
    for length, style in lengths_and_styles:
        characters[style] += length
    return max(characters, key=characters.__getitem__, default=(0.0, 0))


def _same_size(style: Style, other: Style, within: float = 0.1) -> bool:
    """Whether two lines are set in one size (within a tenth, or ``within``)."""
    return abs(style[0] - other[0]) <= within * max(style[0], other[0], 1.0)


def _bold(style: Style, body: Style) -> bool:
    """Whether a line is bold at both ends against the body text (a code font at one end of
    a line makes it lighter, never bold)."""
    return body[1] > 0 and style[1] >= body[1] + BOLDER


def _left_out(line: str, repeated_at_edge: bool) -> str | None:
    """Why ``line`` is not indexed: a running header or footer, a line of the table of
    contents (its dot leaders and page number match every question on its section's name, and
    the section itself is indexed); None for the body."""
    if repeated_at_edge:
        return RUNNING_LINES
    return TABLE_OF_CONTENTS if _CONTENTS_LINE.search(line) else None


def _goes_over(
    last: tuple[str, str, Style] | None,
    body: list[str],
    body_styles: list[Style],
    page_furniture: set[int],
) -> bool:
    """Whether the text goes on from the page before to this one without a paragraph break:
    the page before ends in body text without a final stop ("... re-send the following
    request using the same", an option's line "-L, --location" over its description), this
    page opens with body text in the same size that starts no list item or code-like line.
    Only a break no running header or footer bridges matters: those are blanked when indexed
    (``Document.indexed_text``), blank lines and all."""
    if last is None or last[0] != "article" or _FINAL_STOP.search(last[1]) or not body:
        return False
    return (
        0 not in page_furniture
        and _left_out(body[0], False) is None
        and _same_size(last[2], body_styles[0])
        and not _OPENS_BLOCK.match(body[0])
    )


_FINAL_STOP = re.compile(r"[.!?:;]['\"”’)\]]*\s*$")


def _runs_on(line: str, following: str, width: int) -> bool:
    """Whether ``following`` continues the paragraph of ``line``: ``line`` fills the page's
    width and ``following`` opens no heading, list item or code-like line."""
    full = len(line) >= FULL_WIDTH * width
    return full and not _OPENS_BLOCK.match(following)


def _repeated_edges(pages: list[list[str]], styles: list[list[Style]]) -> list[set[int]]:
    """Each page's running headers and footers, as indexes into its lines: lines at the top or
    bottom of most pages (their digits made alike, so that "Page 3" and "Page 4" are one
    footer), and a line that opens (or closes) ``CHAPTER_RUN`` pages in a row in one style: a
    chapter's title as its pages' header. (On the chapter's first page its title is set larger,
    as its heading, so that line is not one of the run.) No line of the body opens four pages
    in a row."""
    furniture: list[set[int]] = [set() for _ in pages]
    if len(pages) < MIN_PAGES:
        return furniture
    bodies = [[i for i, line in enumerate(lines) if line.strip()] for lines in pages]
    edges = [set(body[:EDGE_LINES] + body[-EDGE_LINES:]) for body in bodies]
    seen = Counter(
        shape
        for lines, page_edges in zip(pages, edges, strict=True)
        for shape in {_shape(lines[i]) for i in page_edges}
    )
    common = {shape for shape, count in seen.items() if count >= REPEATS_ON * len(pages)}
    runs: dict[tuple[int, str, Style], list[tuple[int, int]]] = {}  # -> (page, line) in a row
    for number, (lines, body) in enumerate(zip(pages, bodies, strict=True)):
        furniture[number] = {i for i in edges[number] if _shape(lines[i]) in common}
        for end in (0, -1) if body else ():  # the page's first line, its last line
            line = body[end]
            key = (end, _shape(lines[line]), styles[number][line])
            run = runs.get(key, [])
            run = [*run, (number, line)] if run and run[-1][0] == number - 1 else [(number, line)]
            runs[key] = run[-CHAPTER_RUN:]
            if len(run) >= CHAPTER_RUN:
                for page, index in runs[key]:
                    furniture[page].add(index)
    return furniture


def _repeated_in_place(pages: list[list[str]], tops: list[list[float]]) -> list[set[int]]:
    """Each page's lines that stand at the same place on most pages with the same text, as
    written (unlike at the edges, "Step 3" and "Step 4" are the body's), wherever they come in
    its text: a web page's "Skip to content" link, which a browser prints at the top of every
    page over whatever line is there, is page furniture as a running header is."""
    placed: list[set[int]] = [set() for _ in pages]
    if len(pages) < MIN_PAGES:
        return placed
    where = [
        [
            (line, round(top / _SAME_PLACE)) if top >= 0 else None
            for line, top in zip(lines, page_tops, strict=True)
        ]
        for lines, page_tops in zip(pages, tops, strict=True)
    ]
    seen = Counter(key for page in where for key in {k for k in page if k is not None})
    common = {key for key, count in seen.items() if count >= REPEATS_ON * len(pages)}
    for number, page in enumerate(where):
        placed[number] = {i for i, key in enumerate(page) if key in common}
    return placed


def _shape(line: str) -> str:
    return _DIGITS.sub("0", " ".join(line.split()))


def _merged(segments: list[Segment]) -> tuple[Segment, ...]:
    """Runs of line segments of one kind (and, for boilerplate, one reason) as one segment
    each (the blank lines between them included), so that a chunk may run on across lines and
    pages."""
    merged: list[Segment] = []
    for segment in segments:
        last = merged[-1] if merged else None
        if last is not None and (last.kind, last.reason) == (segment.kind, segment.reason):
            merged[-1] = Segment(segment.kind, last.start, segment.end, reason=segment.reason)
        else:
            merged.append(segment)
    return tuple(merged)
