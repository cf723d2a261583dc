"""What several tests share that is not a fixture: paths, a check of the demo corpus's
best-known answer, and texts of tricky layouts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project's folder
DEMO_CORPUS = ROOT / "qa" / "demo_corpus"
APP_INDEX = "index"  # the session app's index folder, under the app_folder fixture

# A PDF's property table: columns of words, two rows wrapped over two lines.
PROPERTY_TABLE = (
    "Property Type Description\n"
    "family String Font family names\n"
    "style String Font style. Overrides weight and slant\n"
    "slant Int Italic, oblique or roman\n"
    "ftface FT_Face Use the specified FreeType face object\n"
    "rgba Int unknown, rgb, bgr, vrgb, vbgr,\n"
    "none - subpixel geometry\n"
    "lang String List of RFC-3066-style languages this\n"
    "font supports\n"
    "antialias Bool Whether glyphs can be antialiased\n"
    "hinting Bool Whether the rasterizer should use hinting"
)


def names_quds_commander(text: str) -> bool:
    """Whether ``text`` names who brokered the ceasefire: the al-Quds Brigade's commander."""
    lowered = text.lower()
    return ("quds" in lowered or "qods" in lowered) and (
        "commander" in lowered or "suleimani" in lowered
    )


FIXTURES = ROOT / "tests" / "fixtures"  # real documents of each format (see SOURCES.md there)


def document_of(folder: Path, name: str, data: bytes):  # noqa: ANN201  (a qa Document)
    """The document that ``data``, saved as ``folder/name``, is read as."""
    from qa.ingest import list_corpus_files, load_document

    (folder / name).write_bytes(data)
    return load_document(next(f for f in list_corpus_files(folder) if f.doc_id == name))


def text_pdf(text: str) -> bytes:
    """A real one-page PDF, written by PDFium, whose text layer holds ``text`` line by line (in
    Helvetica, lines wrapped at 90 characters): for tests whose content matters, not the layout.
    """
    import textwrap

    lines = [
        line for paragraph in text.split("\n") for line in textwrap.wrap(paragraph, 90) or [""]
    ]
    return drawn_pdf([(line, 60, 740 - 14 * n, 10.0) for n, line in enumerate(lines)])


def drawn_pdf(*pages: Sequence[tuple[str, float, float, float]]) -> bytes:
    """A real PDF of one page per argument (612 x 792 points), written by PDFium: each piece's
    text drawn in Helvetica at (x, y) from the page's bottom left in its font size, in the
    order given (the order of the page's content stream)."""
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument.new()
    for pieces in pages:
        page = pdf.new_page(612, 792)
        for text, x, y, size in pieces:
            piece = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", size)
            wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            pointer = ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR))
            pdfium_c.FPDFText_SetText(piece, pointer)
            pdfium_c.FPDFPageObj_Transform(piece, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, piece)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def text_docx(text: str) -> bytes:
    """A real Word file, written by python-docx: ``text``'s first line as its heading, each
    further line a paragraph."""
    import io

    import docx

    document = docx.Document()
    first, *rest = text.split("\n")
    document.add_heading(first, level=1)
    for line in rest:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
