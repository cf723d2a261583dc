"""Word files, on real ones made with pandoc from Debian's copies of the Node.js "Intl" page
(headings, lists, a table, code) and pip's "Repeatable installs" page (fixtures/SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest import SkipFile
from tests.helpers import FIXTURES
from tests.helpers import document_of as load

INTL = FIXTURES / "nodejs-intl.docx"
PIP = FIXTURES / "pip-repeatable-installs.docx"


def test_headings_paragraphs_and_list_items_in_order(tmp_path: Path) -> None:
    document = load(tmp_path, "intl.docx", INTL.read_bytes())
    assert document.title == "Internationalization support"
    text = document.text
    assert text.startswith("Internationalization support\n\nNode.js has many features")
    assert "\n- String.prototype.normalize()\n- String.prototype.toLowerCase()\n" in text
    assert text.index("Options for building Node.js") < text.index("--with-intl=system-icu")
    assert [s.kind for s in document.segments] == ["article"]  # no blog rules on a manual


def test_a_table_comes_out_row_by_row(tmp_path: Path) -> None:
    text = load(tmp_path, "intl.docx", INTL.read_bytes()).text
    row = "String.prototype.normalize() | none (function is no-op) | full | full | full"
    assert f"\n{row}\n" in text
    header = text.index("Feature | none | system-icu | small-icu | full-icu")
    assert header < text.index(row)


def test_code_set_in_a_monospaced_font_by_hand_is_code(tmp_path: Path) -> None:
    """No code style, only Courier New on the runs: code all the same, line breaks kept; a
    sentence with one word in Courier New stays prose."""
    from io import BytesIO

    from docx import Document

    word = Document()
    word.add_paragraph("The easiest way is a for await...of loop:")
    code = word.add_paragraph().add_run(
        "const rl = createInterface(input);\nfor await (const line of rl) {}"
    )
    code.font.name = "Courier New"
    prose = word.add_paragraph("Call ")
    prose.add_run("rl.close()").font.name = "Consolas"
    prose.add_run(" when done.")
    data = BytesIO()
    word.save(data)
    text = load(tmp_path, "lines.docx", data.getvalue()).text
    assert "loop:\n\nconst rl = createInterface(input);\nfor await (const line of rl) {}\n" in text
    assert "\nCall rl.close() when done.\n" in text


def test_code_keeps_its_line_breaks(tmp_path: Path) -> None:
    text = load(tmp_path, "intl.docx", INTL.read_bytes()).text
    assert "const january = new Date(9e8);\nconst english = new Intl.DateTimeFormat" in text
    pinned = load(tmp_path, "pip.docx", PIP.read_bytes()).text
    assert "SomePackage == 1.2.3\nDependencyOfSomePackage == 4.5.6" in pinned


@pytest.mark.parametrize(
    "data",
    [INTL.read_bytes()[:3000], b"Plain text saved with the wrong suffix.\n", b"PK\x03\x04junk"],
    ids=["cut short", "not a zip", "zip header only"],
)
def test_a_broken_word_file_is_skipped_with_its_reason(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(SkipFile, match="broken Word file"):
        load(tmp_path, "broken.docx", data)


@pytest.mark.parametrize(
    ("term_style", "definition_style"),
    [("Definition Term", "Definition"), ("List Heading", "List Contents")],
    ids=["pandoc", "LibreOffice"],
)
def test_definitions_stand_under_their_terms(
    tmp_path: Path, term_style: str, definition_style: str
) -> None:
    """A definition list (a man page's directives, converted by pandoc; HTML's dl saved by
    LibreOffice) reads as a web page's does: the term's line, then ": " and its definition."""
    from io import BytesIO

    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE

    from qa.answering.layout import layout

    word = Document()
    for style in (term_style, definition_style):
        if style not in [s.name for s in word.styles]:
            word.styles.add_style(style, WD_STYLE_TYPE.PARAGRAPH)
    word.add_paragraph("Configuration file directives")
    for term, lines in [
        ("compress", ["Old versions of log files are compressed with gzip(1) by default."]),
        ("copytruncate", ["Truncate the original log file to zero size.", "", "Use it rarely."]),
    ]:
        word.add_paragraph(term, style=term_style)
        for line in lines:
            word.add_paragraph(line, style=definition_style)
    data = BytesIO()
    word.save(data)
    text = load(tmp_path, "logrotate.docx", data.getvalue()).text
    assert "\n\ncompress\n\n: Old versions of log files are compressed with gzip(1)" in text
    truncate = "copytruncate\n\n: Truncate the original log file to zero size.\n\nUse it rarely."
    assert truncate in text
    blocks = layout(text[text.index("copytruncate") :])
    assert [b.kind for b in blocks] == ["term", "item", "prose"]


def test_numbered_lists_keep_their_numbers_and_a_style_numbers_its_items(tmp_path: Path) -> None:
    """Word's "List Number" style numbers its paragraphs without a number in their text (nor a
    numbering of their own); a bulleted list stays "- ". A nested level counts again."""
    from io import BytesIO

    from docx import Document

    word = Document()
    word.add_paragraph("Release checklist", style="Heading 1")
    for step in ["Tag the commit.", "Run make image.", "Upload the image."]:
        word.add_paragraph(step, style="List Number")
    word.add_paragraph("Check the mirrors:", style="List Number")
    for mirror in ["The first mirror.", "The second mirror."]:
        word.add_paragraph(mirror, style="List Number 2")
    word.add_paragraph("Announce it.", style="List Number")
    word.add_paragraph("Things to keep:", style="Normal")
    word.add_paragraph("The checksum file", style="List Bullet")
    data = BytesIO()
    word.save(data)
    text = load(tmp_path, "release.docx", data.getvalue()).text
    steps = "1. Tag the commit.\n2. Run make image.\n3. Upload the image.\n4. Check the mirrors:"
    assert steps in text
    assert "4. Check the mirrors:\n1. The first mirror.\n2. The second mirror.\n5. Announce" in text
    assert "Things to keep:\n\n- The checksum file" in text


def test_a_style_based_on_itself_is_read_without_looping(tmp_path: Path) -> None:
    from io import BytesIO

    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE

    word = Document()
    style = word.styles.add_style("Looping", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = style  # w:basedOn naming its own styleId
    word.add_paragraph("A paragraph in a style based on itself.", style="Looping")
    data = BytesIO()
    word.save(data)
    text = load(tmp_path, "loop.docx", data.getvalue()).text
    assert "A paragraph in a style based on itself." in text
