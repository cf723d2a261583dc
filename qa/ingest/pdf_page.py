"""The page of a PDF as an image, with the boxes of a passage's lines.

A passage's offsets are in the document's text, which is the pages' text reworked by
``qa.ingest.pdf`` (hyphenated line breaks joined, soft line breaks made spaces), so they are not
PDFium's character indexes. The passage is found again on its page by its letters and digits
alone (NFKC, case folded): what that reworking leaves alone. Each kept character remembers its
PDFium index, so the match maps back to a range of the page's characters, whose line
rectangles PDFium gives (``count_rects`` / ``get_rect``). When the whole text is not there (the
file changed since it was indexed), the longest run of its words that is becomes the match; when
no run is long enough, the page is shown without boxes and the note says why.

The page is shown without its blank margins (beyond ``MARGIN``), so that it reads in a side
panel. The work is bounded: at most ``MAX_PAGES`` pages, each rendered once at most
``MAX_WIDTH`` x ``MAX_HEIGHT`` pixels, and every PDFium object closed before returning.
PDFium is not thread-safe, so one page is rendered at a time in this process. A missing,
broken or encrypted file gives no image and a note, never an exception.
"""

from __future__ import annotations

import io
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from qa.ingest.pdf_lines import Rect, page_characters
from qa.types import Box, Document, PageImage, PageView

MAX_WIDTH = 1000  # pixels: sharp in a side panel, and on a high-density screen
MAX_HEIGHT = 2000  # pixels: bounds a very tall (or rotated wide) page
MAX_SCALE = 3.0  # pixels per point: a tiny page is not blown up past this
MAX_PAGES = 3  # a passage is one chunk; more pages than this are not rendered
MIN_RUN_CHARS = 12  # a shorter run of matching words may be chance, not the passage
PAD = 2  # pixels around each line's box
MARGIN = 24.0  # points of blank margin kept around what a page shows (a third of an inch)
MAX_OBJECTS = 20_000  # a page with more objects than this is shown whole, margins and all
COLOURS = 64  # the PNG is quantised to this many colours: a third of the bytes, same look
BOX_FILL = (255, 196, 0, 60)
BOX_LINE = (214, 96, 0, 255)
_PDFIUM = threading.Lock()


def page_texts(doc: Document, start: int, end: int) -> list[tuple[int, str]]:
    """``doc.text[start:end]`` cut at ``doc``'s page starts: (page from 1, its part), in page
    order, a running header or footer inside blanked (not boxed as the passage). Empty for a
    document without pages."""
    if not doc.pages or start >= end:
        return []
    bounds = [*doc.pages, len(doc.text)]
    parts = []
    for number, (begin, stop) in enumerate(zip(bounds, bounds[1:], strict=False), start=1):
        left, right = max(start, begin), min(end, stop)
        part = doc.indexed_text[left:right]
        if left < right and part.strip():
            parts.append((number, part))
    return parts


def render_pages(
    path: Path, texts: Sequence[tuple[int, str]], max_width: int = MAX_WIDTH
) -> PageView:
    """Each (page, text) of ``texts`` rendered from the PDF at ``path``, with the lines of
    ``text`` boxed on it (see ``page_texts``).

    Never raises for a bad file: a missing, unreadable, broken or encrypted PDF, or a page it no
    longer has, gives fewer images (or none) and a one-line ``note``.
    """
    import pypdfium2 as pdfium

    notes = []
    if len(texts) > MAX_PAGES:
        notes.append(f"only the first {MAX_PAGES} of the passage's {len(texts)} pages are shown")
        texts = texts[:MAX_PAGES]
    images = []
    if path.exists() and not path.is_file():  # a folder, a FIFO (whose reading would block)
        return PageView(note=f"The page cannot be shown: {path.name} is not a regular file.")
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(path)
        except (pdfium.PdfiumError, OSError) as error:
            return PageView(note=f"The page cannot be shown: {_reason(path, error)}.")
        try:
            for number, text in texts:
                if not 1 <= number <= len(pdf):
                    notes.append(
                        f"the file has no page {number} (it has {len(pdf)}): it has changed "
                        "since it was indexed"
                    )
                    continue
                try:
                    image = _render(pdf[number - 1], number, text, max_width)
                except (pdfium.PdfiumError, ValueError, ZeroDivisionError) as error:
                    notes.append(f"page {number} cannot be rendered ({error or 'empty page'})")
                    continue
                images.append(image)
                if not image.boxes:
                    notes.append(
                        f"the passage was not found on page {number}'s text (has the file "
                        "changed since it was indexed?)"
                    )
        finally:
            pdf.close()
    note = "; ".join(notes)
    return PageView(tuple(images), note[:1].upper() + note[1:] + "." if note else None)


def render_plain(path: str, texts: list[list[Any]]) -> dict[str, Any]:
    """``render_pages`` in plain data, as the parsers' child process (``isolated``) sends it."""
    return asdict(render_pages(Path(path), [(int(number), str(text)) for number, text in texts]))


def page_view_from(plain: dict[str, Any]) -> PageView:
    """The ``PageView`` that ``render_plain`` gave in plain data."""
    images = tuple(
        PageImage(
            **{
                **image,
                "area": tuple(image["area"]),
                "boxes": tuple(Box(**box) for box in image["boxes"]),
            }
        )
        for image in plain["images"]
    )
    return PageView(images, plain["note"])


def _reason(path: Path, error: Exception) -> str:
    if isinstance(error, FileNotFoundError):
        return f"{path.name} is no longer in the corpus folder"
    if isinstance(error, OSError):
        return f"{path.name} cannot be read ({error.strerror or error})"
    if "password" in str(error).lower():
        return f"{path.name} is encrypted (it needs a password)"
    return f"{path.name} is not a readable PDF ({error})"


def _render(page, number: int, text: str, max_width: int) -> PageImage:  # noqa: ANN001
    """``page`` as a PNG with the lines of ``text`` boxed; closes ``page``."""
    from PIL import Image, ImageDraw

    textpage = bitmap = None
    try:
        textpage = page.get_textpage()
        rects = _line_rects(textpage, text)
        crop = _blank_margins(page)
        shown = page.get_cropbox()
        width, height = page.get_size()  # as shown: the page's rotation is applied
        width, height = width - crop[0] - crop[2], height - crop[1] - crop[3]
        scale = min(max_width / width, MAX_HEIGHT / height, MAX_SCALE)
        bitmap = page.render(scale=scale, crop=crop)
        to_pixels = bitmap.get_posconv(page)
        image = bitmap.to_pil().convert("RGBA")
        boxes = tuple(_pixel_box(to_pixels, rect, image.size) for rect in rects)
    finally:
        for thing in (bitmap, textpage, page):
            if thing is not None:
                thing.close()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for box in boxes:
        rectangle = (box.left, box.top, box.right - 1, box.bottom - 1)
        draw.rectangle(rectangle, fill=BOX_FILL, outline=BOX_LINE, width=2)
    image = Image.alpha_composite(image, overlay).convert("RGB").quantize(COLOURS)
    out = io.BytesIO()
    image.save(out, format="PNG")
    area = (shown[0] + crop[0], shown[1] + crop[1], shown[2] - crop[2], shown[3] - crop[3])
    return PageImage(number, out.getvalue(), image.width, image.height, scale, area, boxes)


def _blank_margins(page) -> Rect:  # noqa: ANN001
    """How much of each side of ``page`` (left, bottom, right, top, in points) holds nothing
    but a margin of ``MARGIN``: the render leaves it out, so that the text is larger in a
    narrow panel. Nothing is left out of a rotated page, or one with very many objects."""
    import pypdfium2 as pdfium

    if page.get_rotation() != 0:
        return (0.0, 0.0, 0.0, 0.0)
    box_left, box_bottom, box_right, box_top = page.get_cropbox()
    left, bottom, right, top = box_right, box_top, box_left, box_bottom
    for number, thing in enumerate(page.get_objects(max_depth=1)):
        if number >= MAX_OBJECTS:
            return (0.0, 0.0, 0.0, 0.0)
        try:
            x0, y0, x1, y1 = thing.get_bounds()
        except pdfium.PdfiumError:
            continue
        left, bottom, right, top = min(left, x0), min(bottom, y0), max(right, x1), max(top, y1)
    if left >= right or bottom >= top:  # an empty page
        return (0.0, 0.0, 0.0, 0.0)
    return (
        max(0.0, left - box_left - MARGIN),
        max(0.0, bottom - box_bottom - MARGIN),
        max(0.0, box_right - right - MARGIN),
        max(0.0, box_top - top - MARGIN),
    )


def _pixel_box(to_pixels, rect: Rect, size: tuple[int, int]) -> Box:  # noqa: ANN001
    """A rectangle in PDF points (left, bottom, right, top; origin at the bottom left) as a box
    in the rendered image's pixels (origin at the top left), padded and kept inside it."""
    left, bottom, right, top = rect
    x0, y0 = to_pixels.to_bitmap(left, top)
    x1, y1 = to_pixels.to_bitmap(right, bottom)
    width, height = size
    return Box(
        max(0, min(x0, x1) - PAD),
        max(0, min(y0, y1) - PAD),
        min(width, max(x0, x1) + PAD + 1),
        min(height, max(y0, y1) + PAD + 1),
    )


def _line_rects(textpage, text: str) -> list[Rect]:  # noqa: ANN001
    """The rectangles (PDF points) of the lines of ``text`` on the page, one per line; none if
    it is not found there."""
    chars, index = page_characters(textpage)
    found = find_span(chars, text)
    if found is None:
        return []
    first, last = index[found[0]], index[found[1] - 1] + 1
    rects = [textpage.get_rect(i) for i in range(textpage.count_rects(first, last - first))]
    return merge_lines(rects)


def normalized(text: str) -> tuple[str, list[int]]:
    """``text``'s letters and digits (NFKC, case folded) and, for each, its index in
    ``text``: the same words read the same whatever their spacing, line breaks, hyphens at a
    line's end or punctuation."""
    kept: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            if char.isalnum():
                kept.append(char.lower())
                where.append(index)
            continue
        for part in unicodedata.normalize("NFKC", char).casefold():
            if part.isalnum():
                kept.append(part)
                where.append(index)
    return "".join(kept), where


def find_span(page: str, text: str) -> tuple[int, int] | None:
    """Where ``text`` is in ``page``, as (first, end) indexes of ``page``, comparing
    ``normalized`` forms: the whole text if it is there, else the longest run of its words that
    is (of at least ``MIN_RUN_CHARS`` letters and digits), else None."""
    haystack, where = normalized(page)
    needle = normalized(text)[0]
    if not needle or not haystack:
        return None
    position = haystack.find(needle)
    if position >= 0:
        return where[position], where[position + len(needle) - 1] + 1
    words = [w for w in (normalized(word)[0] for word in text.split()) if w]
    best: tuple[int, int] = (0, -1)  # length, position in haystack
    i = 0
    while i < len(words):
        run, position, j = words[i], haystack.find(words[i]), i + 1
        while position >= 0 and j < len(words):
            longer = run + words[j]
            found = haystack.find(longer)
            if found < 0:
                break
            run, position, j = longer, found, j + 1
        if position >= 0 and len(run) > best[0]:
            best = (len(run), position)
        i = j
    length, position = best
    if length < MIN_RUN_CHARS:
        return None
    return where[position], where[position + length - 1] + 1


def merge_lines(rects: Sequence[Rect]) -> list[Rect]:
    """PDFium's rectangles (left, bottom, right, top), one per run of text, as one per line:
    runs that share most of their height and stand close side by side become one rectangle
    (runs in two columns stay apart)."""
    rows: list[list[Rect]] = []
    for rect in sorted(rects, key=lambda r: -r[3]):
        for row in rows:
            bottom, top = min(r[1] for r in row), max(r[3] for r in row)
            overlap = min(rect[3], top) - max(rect[1], bottom)
            if overlap > 0.5 * min(rect[3] - rect[1], top - bottom):
                row.append(rect)
                break
        else:
            rows.append([rect])
    lines: list[Rect] = []
    for row in rows:
        line: Rect | None = None
        for left, bottom, right, top in sorted(row):
            if line is not None and left - line[2] < 3 * max(top - bottom, 1.0):
                line = (line[0], min(bottom, line[1]), max(right, line[2]), max(top, line[3]))
                continue
            if line is not None:
                lines.append(line)
            line = (left, bottom, right, top)
        if line is not None:
            lines.append(line)
    return lines
