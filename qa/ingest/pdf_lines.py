"""A PDF page's lines of text, in reading order, with their style and their place on the page.

PDFium gives a page's text in the order of its content stream, line by line. That is the
reading order of most PDFs, but not of a web page printed by a browser: Chromium draws a page's
headings after its text, and prints the page's "Skip to content" link over whatever line stands
at the top of each page. ``reading_order`` puts each line where it is drawn, and
``_drawn_over`` takes text drawn over a line out of it, as a line of its own.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

# A line's font size where it starts, and the lower of the font weights of its first and last
# characters (a bold line is bold at both ends); (0.0, 0) where PDFium cannot say.
Style = tuple[float, int]
Rect = tuple[float, float, float, float]  # PDF points: left, bottom, right, top

_HYPHENATED = re.compile(r"(?<=[^\W\d_])-\n(?=[a-z])")
# PDFium's soft hyphen (0x02 in its text), where a word was broken at a line's end; it gives no
# line break of its own, so the word's halves stand together on one line ("docu\x02mentation").
_SOFT_HYPHEN = re.compile("(\\S*)\x02(?=([A-Za-z]))")
_LINE = re.compile(r"[^\r\n]+")
# A link broken after its scheme ("… at the New Member's Corner (https:" / "//www.debian.org/…"):
# one line again, or the second half reads as a code comment.
_SCHEME_AT_END = re.compile(r"\b(?:https?|ftp):$")


def page_lines(  # noqa: ANN001
    pdf,
) -> tuple[list[list[str]], list[list[Style]], list[list[float]]]:
    """Each page's lines of text in reading order (``reading_order``; blank ones left out,
    words hyphenated at a line break and links broken after their scheme joined), the style of
    each line and its top on the page (-1 where unknown), read one page at a time."""
    pages, styles, tops = [], [], []
    for number in range(len(pdf)):
        page = pdf[number]
        text_page = page.get_textpage()
        try:
            drawn = _drawn_lines(text_page)
        finally:
            text_page.close()
            page.close()
        lines: list[str] = []
        line_styles: list[Style] = []
        line_tops: list[float] = []
        for i in reading_order([box for _, _, box in drawn]):
            line, style, box = drawn[i]
            if lines and _HYPHENATED.search(lines[-1] + "\n" + line[:1]):
                lines[-1] = lines[-1][:-1] + line
                continue
            if lines and _SCHEME_AT_END.search(lines[-1]) and line.startswith("//"):
                lines[-1] += line
                continue
            lines.append(line)
            line_styles.append(style)
            line_tops.append(-1.0 if box is None else round(box[3], 1))
        pages.append(lines)
        styles.append(line_styles)
        tops.append(line_tops)
    return pages, styles, tops


def _drawn_lines(text_page) -> list[tuple[str, Style, Rect | None]]:  # noqa: ANN001
    """A page's non-blank lines in the order PDFium reads them (the content stream's), each
    with its style and its box on the page (None where it cannot be found). Text drawn over a
    line is a line of its own, before it (``_drawn_over``)."""
    text = text_page.get_text_bounded()
    # The bounded text leaves out what lies off the page, so each line is found among all the
    # page's characters to know its indexes.
    every, index = page_characters(text_page)
    every = every.replace("\ufffe", "\x02")
    cursor = 0
    drawn: list[tuple[str, Style, Rect | None]] = []
    for match in _LINE.finditer(text):
        raw = match.group()
        if not raw.strip():
            continue
        at = every.find(raw, cursor)
        if at < 0:
            drawn.append((_joined(raw).strip(), (0.0, 0), None))
            continue
        cursor = at + len(raw)
        chars = list(index[at : at + len(raw)])
        over = _drawn_over(text_page, raw, chars) if _goes_back(text_page, chars) else None
        if over is None:
            drawn.append(_placed(text_page, raw, chars))
            continue
        start, end = over
        drawn.append(_placed(text_page, raw[start:end], chars[start:end]))
        # The line less what is drawn over it: one space where the run was.
        before, after = raw[:start].rstrip(), raw[end:].lstrip()
        kept = [*chars[: len(before)], chars[start], *chars[len(raw) - len(after) :]]
        drawn.append(_placed(text_page, f"{before} {after}", kept))
    return drawn


def page_characters(text_page) -> tuple[str, Sequence[int]]:  # noqa: ANN001
    """Every character of the page, and the PDFium character index of each. PDFium's text
    leaves out the NULs it holds for glyphs without a character; where it is shorter than the
    page's characters, they are read one by one and the NULs left out."""
    import pypdfium2.raw as pdfium_c

    count = text_page.count_chars()
    every = text_page.get_text_range()
    if len(every) == count:
        return every, range(count)
    codes = [pdfium_c.FPDFText_GetUnicode(text_page.raw, i) for i in range(count)]
    index = [i for i, code in enumerate(codes) if code]
    return "".join(chr(codes[i]) for i in index), index


def _placed(text_page, raw: str, chars: list[int]) -> tuple[str, Style, Rect | None]:  # noqa: ANN001
    """A line's text, style and box; ``chars`` holds the index of each character of ``raw``."""
    import pypdfium2.raw as pdfium_c

    stripped = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    first, last = chars[lead], chars[lead + len(stripped) - 1]
    size = pdfium_c.FPDFText_GetFontSize(text_page.raw, first)
    weights = (pdfium_c.FPDFText_GetFontWeight(text_page.raw, i) for i in (first, last))
    left, bottom, _, top = text_page.get_charbox(first)
    _, last_bottom, right, last_top = text_page.get_charbox(last)
    box = (left, min(bottom, last_bottom), right, max(top, last_top))
    return _joined(stripped), (round(size, 1), min(weights)), box


def _joined(line: str) -> str:
    """``line`` with each word broken by a soft hyphen whole again ("documentation",
    "DISCLAIMED"), unless the hyphen may be the word's own: after a word that already has one
    ("day-to-day", "--gen-suppression"), or before a capital that does not go on a word in
    capitals ("Fc-ConfigParse" stays as PDFium wrote it)."""

    def join(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        capitals = len(before) >= 2 and before[-2:].isupper() and before[-2:].isalpha()
        own = "-" in before or not before[-1:].isalpha() or (after.isupper() and not capitals)
        return f"{before}-" if own else before

    return _SOFT_HYPHEN.sub(join, line).replace("\x02", "-")


def _goes_back(text_page, chars: list[int]) -> bool:  # noqa: ANN001
    """Whether one of the rectangles PDFium puts a line's text in (a run of one font, one text
    object) starts well left of where the one before it ends: cheap, and true of every line
    with text drawn over it (``_drawn_over`` then finds it character by character)."""
    rects = text_page.count_rects(chars[0], chars[-1] - chars[0] + 1)
    if rects < 2:
        return False
    reach = None
    for i in range(rects):
        left, _, right, _ = text_page.get_rect(i)
        if reach is not None and left < reach - _BACK:
            return True
        reach = right if reach is None else max(reach, right)
    return False


def _drawn_over(text_page, raw: str, chars: list[int]) -> tuple[int, int] | None:  # noqa: ANN001
    """Where in line ``raw`` (``chars``: its characters' indexes) a run of text drawn over the
    line begins and ends. A browser prints a page's "Skip to content" link over the first line
    of each page, and PDFium reads the two as one line: "Cancels the immediate. Skip to content
    This is similar to ...". There the characters go back left of those before them, then the
    line goes on, where it was, from a character that does not follow the run's last: the run
    that went back is drawn over the line. None where the line goes only one way (right-to-left
    text goes back at every character and never on)."""
    reach = None  # the right edge of the line's text so far
    start = None  # where the run that went back begins
    previous = 0.0  # the right edge of the character before
    for position, (character, index) in enumerate(zip(raw, chars, strict=True)):
        if character.isspace():
            continue
        left, _, right, _ = text_page.get_charbox(index)
        if start is None:
            if reach is not None and left < reach - _BACK:
                start = position
            else:
                reach = right if reach is None else max(reach, right)
        elif not previous - 1 <= left <= previous + _BACK and left >= reach - _SAME_LINE:
            return start, start + len(raw[start:position].rstrip())  # the line goes on
        previous = right
    return None


_BACK = 20.0  # points: a character this far left of the line's text so far is drawn over it (a
# ligature's second letter, "fi", goes back by less: one glyph)


def reading_order(boxes: Sequence[Rect | None]) -> list[int]:
    """The order to read a page's lines in, given each line's box in the order PDFium read them.

    That order is the content stream's, which is the reading order for most PDFs but not for a
    web page printed by a browser: Chromium draws a page's headings after its text, so its
    "Class: URL" would come at the foot of the page. The longest run of lines that goes down the
    page in the stream's order stays as it is; a line out of that run moves up or down to where
    it is drawn, unless a line of the run sits beside it (a column, a table's cell, a button's
    label beside a code block): then it stays after the line the stream put it after.
    """
    keys = [None if b is None else -b[3] for b in boxes]  # top first (PDF y grows upwards)
    down = _longest_run_down(keys)
    position: dict[int, float] = {i: float(rank) for rank, i in enumerate(down)}
    in_run = set(down)
    run_tops = [keys[i] for i in down]
    for i, box in enumerate(boxes):
        if i in in_run:
            continue
        if box is not None and not any(_beside(box, boxes[j]) for j in down):
            # before the first line of the run that is drawn below it
            below = bisect.bisect_right(run_tops, keys[i] + _SAME_LINE)
            position[i] = below - 0.5
        else:
            position[i] = position.get(i - 1, -1.0)  # stays after its neighbour in the stream
    return sorted(range(len(boxes)), key=lambda i: (position[i], i))


_SAME_LINE = 2.0  # points: a moved line goes after the lines whose tops are this close to its


def _longest_run_down(keys: Sequence[float | None]) -> list[int]:
    """The indexes of a longest subsequence of ``keys`` that never goes up (None is never in
    it), in order."""
    tails: list[float] = []  # the smallest last key of a run of each length
    ends: list[int] = []  # its last index
    back: dict[int, int] = {}
    for i, key in enumerate(keys):
        if key is None:
            continue
        n = bisect.bisect_right(tails, key)
        if n:
            back[i] = ends[n - 1]
        if n == len(tails):
            tails.append(key)
            ends.append(i)
        else:
            tails[n], ends[n] = key, i
    run = []
    at = ends[-1] if ends else None
    while at is not None:
        run.append(at)
        at = back.get(at)
    return run[::-1]


def _beside(box: Rect, other: Rect | None) -> bool:
    """Whether two lines share most of a row but not their columns (side by side)."""
    if other is None:
        return False
    shared = min(box[3], other[3]) - max(box[1], other[1])
    height = min(box[3] - box[1], other[3] - other[1])
    return shared > 0.5 * max(height, 1.0) and (box[2] <= other[0] or other[2] <= box[0])
