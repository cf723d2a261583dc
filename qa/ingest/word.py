"""Word (.docx): paragraphs, headings, list items and tables, read with python-docx (MIT).

The body is read in document order. Paragraphs and headings are separated by a blank line, list
items are lines starting with "- ", or with their number ("2. ") in a numbered list (numbered
by the paragraph's own properties or by its style's, as Word's "List Number"), a definition
(pandoc's "Definition" style, LibreOffice's "List Contents") starts with ": " under its term's
paragraph, as in a web page, a table is one line a row with its cells joined by " | ", so that
a row stays together as it is read, and code (a "Source Code" style) keeps its line breaks. The
document's title is its core property, else its first heading. Word files are not blog pages:
the article / reader-comment rules do not run on them.
"""

from __future__ import annotations

import io
import zipfile

from qa.ingest.source import CorpusFile, SkipFile
from qa.ingest.structure import laid_out_document
from qa.types import Document, Heading

_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The paragraph styles of a definition list (HTML's dt and dd): pandoc's, then LibreOffice's.
TERM_STYLES = frozenset({"Definition Term", "List Heading"})
DEFINITION_STYLES = frozenset({"Definition", "List Contents"})


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a .docx file."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise SkipFile(f"broken Word file ({type(error).__name__}: {error})") from None
    blocks = [(kind, text) for kind, text in _blocks(word) if text.strip()]
    text, headings = "", []
    for number, (kind, block) in enumerate(blocks):
        if number:
            together = kind in ("item", "row") and blocks[number - 1][0] == kind
            text += "\n" if together else "\n\n"
        if kind.startswith("heading"):
            headings.append(Heading(int(kind[-1]), block, len(text), len(text) + len(block)))
        text += block
    title = (word.core_properties.title or "").strip() or next((h.title for h in headings), None)
    return laid_out_document(file, text + "\n", title, headings=tuple(headings))


def _blocks(word) -> list[tuple[str, str]]:  # noqa: ANN001  (python-docx is imported lazily)
    """(kind, text) of each heading ("heading2" for level 2), paragraph, list item, table row
    and code block, in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks = []
    numbers = _ListNumbers(word)
    for element in word.element.body.iterchildren():
        if element.tag == f"{_NS}p":
            paragraph = Paragraph(element, word)
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            text = paragraph.text
            if not text.strip():
                continue
            if style.startswith(("Heading", "Title")):
                level = style.removeprefix("Heading").strip()
                level = level if level.isdigit() and 1 <= int(level) <= 9 else "1"
                blocks.append((f"heading{level}", " ".join(text.split())))
            elif (marker := numbers.marker(paragraph)) is not None:
                blocks.append(("item", marker + " ".join(text.split())))
            elif "code" in style.lower() or _monospaced(paragraph):
                blocks.append(("code", text.rstrip()))
            elif style in TERM_STYLES:
                blocks.append(("term", " ".join(text.split())))
            elif style in DEFINITION_STYLES and blocks and blocks[-1][0] == "term":
                blocks.append(("paragraph", ": " + " ".join(text.split())))  # its first paragraph
            else:
                blocks.append(("paragraph", " ".join(text.split())))
        elif element.tag == f"{_NS}tbl":
            for row in Table(element, word).rows:
                cells = [" ".join(cell.text.split()) for cell in row.cells]
                blocks.append(("row", " | ".join(cells)))
    return blocks


MAX_STYLE_DEPTH = 16  # the most styles followed up a paragraph style's "based on" chain


class _ListNumbers:
    """The list item markers of a Word file's paragraphs, in document order: "- " for a bullet,
    "1. ", "2. " ... for a numbered list (counted per list and level; a level's count starts
    again under a new item of the level above)."""

    def __init__(self, word) -> None:  # noqa: ANN001  (a python-docx Document)
        self.formats: dict[tuple[str, str], str] = {}  # (numId, level) → "decimal", "bullet"
        try:
            numbering = word.part.numbering_part.element
        except (KeyError, NotImplementedError):  # no numbering part: no lists
            numbering = None
        if numbering is not None:
            levels = {
                abstract.get(f"{_NS}abstractNumId"): {
                    level.get(f"{_NS}ilvl"): _val(level.find(f"{_NS}numFmt"))
                    for level in abstract.findall(f"{_NS}lvl")
                }
                for abstract in numbering.findall(f"{_NS}abstractNum")
            }
            for num in numbering.findall(f"{_NS}num"):
                abstract_id = _val(num.find(f"{_NS}abstractNumId"))
                for level, kind in levels.get(abstract_id, {}).items():
                    self.formats[(num.get(f"{_NS}numId") or "", level)] = kind or "decimal"
        self.counts: dict[tuple[str, str], int] = {}

    def marker(self, paragraph) -> str | None:  # noqa: ANN001  (a python-docx Paragraph)
        """The paragraph's item marker, or None when it is no list item."""
        found = _numbering(paragraph)
        if found is None:
            return None
        num_id, level = found
        if self.formats.get((num_id, level), "bullet") in ("bullet", "none"):
            return "- "
        key = (num_id, level)
        self.counts[key] = self.counts.get(key, 0) + 1
        for other in [k for k in self.counts if k[0] == num_id and int(k[1]) > int(level)]:
            del self.counts[other]  # a deeper level counts again under this item
        return f"{self.counts[key]}. "


def _val(element) -> str | None:  # noqa: ANN001  (an lxml element or None)
    return None if element is None else element.get(f"{_NS}val")


def _numbering(paragraph) -> tuple[str, str] | None:  # noqa: ANN001  (a python-docx Paragraph)
    """(numId, level) of the list ``paragraph`` is an item of, from its own properties or its
    style's (and the styles it is based on); None when it is in none (numId 0 ends one)."""
    properties = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None and len(properties) <= MAX_STYLE_DEPTH:  # a hostile file's loop
        properties.append(style.element.pPr)
        style = style.base_style
    num_id = level = None  # the paragraph's own, else its style's
    try:
        for pPr in properties:
            numPr = None if pPr is None else pPr.numPr
            if numPr is not None:
                if num_id is None and numPr.numId is not None:
                    num_id = str(numPr.numId.val)
                if level is None and numPr.ilvl is not None:
                    level = str(numPr.ilvl.val)
    except (ValueError, TypeError):  # a broken number: read as a paragraph
        return None
    if num_id is None or num_id == "0":
        return None
    return num_id, level or "0"


# Fonts a writer sets code in by hand, without a code style (lower case).
MONOSPACED_FONTS = frozenset(
    "courier new|courier|consolas|menlo|monaco|lucida console|lucida sans typewriter"
    "|source code pro|dejavu sans mono|liberation mono|cascadia code|cascadia mono"
    "|andale mono|fira code|fira mono|ubuntu mono|jetbrains mono|sf mono|roboto mono".split("|")
)


def _monospaced(paragraph) -> bool:  # noqa: ANN001  (a python-docx Paragraph)
    """Whether every run of ``paragraph`` that holds text is set in a monospaced font: code
    formatted by hand, as many writers do."""
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return False
    style_font = paragraph.style.font.name if paragraph.style is not None else None
    return all((run.font.name or style_font or "").lower() in MONOSPACED_FONTS for run in runs)
