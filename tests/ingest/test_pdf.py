"""PDF files, on a real one: the Shared MIME-info specification (17 pages, from Debian's
shared-mime-info package; tests/fixtures/SOURCES.md), and on broken, scanned, empty and
encrypted PDFs made from it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from qa.ingest import SkipFile
from tests.helpers import FIXTURES, ROOT, drawn_pdf
from tests.helpers import document_of as load

SPEC = FIXTURES / "shared-mime-info-spec.pdf"


def test_every_page_is_read_and_each_offset_knows_its_page(tmp_path: Path) -> None:
    document = load(tmp_path, "spec.pdf", SPEC.read_bytes())
    assert len(document.pages) == 17 and document.pages[0] == 0
    assert document.title == "Shared MIME-info Database"
    second = document.text.index("1.3. Language used in this specification")
    assert document.page_of(second) == 2
    assert document.page_of(document.pages[16]) == 17 and document.page_of(0) == 1


def test_running_headers_and_page_numbers_are_boilerplate_not_indexed(tmp_path: Path) -> None:
    document = load(tmp_path, "spec.pdf", SPEC.read_bytes())
    indexed = [document.text[s.start : s.end] for s in document.segments if s.kind == "article"]
    dropped = [document.text[s.start : s.end] for s in document.segments if s.kind != "article"]
    assert not any("Shared MIME-info Database\n" in text for text in indexed[1:])
    assert sum(text.count("Shared MIME-info Database") for text in dropped) >= 15
    assert all(re.fullmatch(r"[\s\d]*(Shared MIME-info Database)?[\s\d]*", t) for t in dropped)
    prose = sum(len(t) for t in indexed)
    assert prose > 0.95 * len(document.text.strip())  # only the furniture is left out


def test_words_hyphenated_at_a_line_break_are_joined(tmp_path: Path) -> None:
    document = load(tmp_path, "spec.pdf", SPEC.read_bytes())
    assert not re.search(r"[a-z]-\n[a-z]", document.text)


def test_words_broken_by_a_soft_hyphen_are_whole_and_a_words_own_hyphen_stays(
    tmp_path: Path,
) -> None:
    # PDFium writes a soft hyphen inside a line, where the word was broken at its end
    # ("decompres\x02sion"); a hyphen the word has of its own is kept.
    corpus = ROOT / "eval" / "quality" / "realdocs" / "corpus"
    bzip2 = load(tmp_path, "bzip2.pdf", (corpus / "bzip2-manual.pdf").read_bytes()).text
    assert "trial decompression" in bzip2 and "DISCLAIMED" in bzip2
    assert "decompres-sion" not in bzip2
    valgrind = load(tmp_path, "valgrind.pdf", (corpus / "valgrind-manual-excerpt.pdf").read_bytes())
    assert "day-to-day" in valgrind.text and "--gen-suppressions" in valgrind.text


def test_a_link_broken_after_its_scheme_is_one_line(tmp_path: Path) -> None:
    # The Debian FAQ (LaTeX): "... at the New Member's Corner (https:" / "//www.debian.org/...".
    pieces = [
        ("The description can be found at the New Member's Corner (https:", 72, 700, 11),
        ("//www.debian.org/devel/join/newmaint) at the Debian web site.", 72, 686, 11),
    ]
    doc = load(tmp_path, "faq.pdf", drawn_pdf(pieces))
    assert "(https://www.debian.org/devel/join/newmaint) at the Debian web site." in doc.text


def test_a_pdf_cut_short_is_skipped_as_broken(tmp_path: Path) -> None:
    with pytest.raises(SkipFile, match="broken PDF"):
        load(tmp_path, "cut.pdf", SPEC.read_bytes()[:5000])


def test_a_pdf_of_page_images_is_skipped_as_a_scan(tmp_path: Path) -> None:
    scan = pdfium.PdfDocument.new()
    for number in range(2):  # the real pages, as pictures: no text layer, like a scan
        bitmap = pdfium.PdfDocument(SPEC)[number].render(scale=1)
        page = scan.new_page(612, 792)
        image = pdfium.PdfImage.new(scan)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(bitmap.width, bitmap.height))
        page.insert_obj(image)
        page.gen_content()
    buffer = io.BytesIO()
    scan.save(buffer)
    with pytest.raises(SkipFile, match="without a text layer"):
        load(tmp_path, "scan.pdf", buffer.getvalue())


def test_a_pdf_with_no_pages_is_skipped(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    pdfium.PdfDocument.new().save(buffer)
    with pytest.raises(SkipFile, match="no page|broken PDF"):
        load(tmp_path, "empty.pdf", buffer.getvalue())


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf (Debian) to encrypt")
def test_an_encrypted_pdf_is_skipped_as_encrypted(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    subprocess.run(
        ["qpdf", "--encrypt", "secret", "owner", "256", "--", str(SPEC), str(locked)], check=True
    )
    with pytest.raises(SkipFile, match="encrypted PDF"):
        load(tmp_path, "again.pdf", locked.read_bytes())


@pytest.mark.slow  # a fresh process, so that its peak memory is the reading's alone
def test_a_thousand_page_pdf_is_read_whole_in_bounded_memory(tmp_path: Path) -> None:
    big = pdfium.PdfDocument.new()
    for _ in range(59):  # the real 17 pages, 59 times over: 1,003 pages
        big.import_pages(pdfium.PdfDocument(SPEC))
    (tmp_path / "docs").mkdir()
    big.save(str(tmp_path / "docs" / "big.pdf"))
    # The peak of this process's own memory (VmHWM): ru_maxrss would count the test process's
    # memory too, which Linux carries over to a child across exec.
    script = (
        "import re, sys; from pathlib import Path\n"
        "from qa.ingest import isolated, list_corpus_files, load_document\n"
        "document = load_document(list_corpus_files(Path(sys.argv[1]))[0])\n"
        "status = Path('/proc/self/status').read_text()\n"
        "own = int(re.search(r'VmHWM:\\s+(\\d+)', status)[1]) // 1024\n"
        "print(len(document.pages), own, isolated.child_peak_mib())"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "docs")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    pages, peak_mib, parser_peak_mib = map(int, done.stdout.split())
    assert pages == 1003
    assert peak_mib < 400  # the indexer's process, holding the document's text
    assert parser_peak_mib < 400  # PDFium's process: pages are read and released one at a time


def test_the_outline_gives_each_passage_its_section(tmp_path: Path) -> None:
    doc = load(tmp_path, "spec.pdf", SPEC.read_bytes())
    titles = [h.title for h in doc.headings]
    assert titles[:3] == ["1. Introduction", "1.1. Version", "1.2. What is this spec?"]
    assert [h.level for h in doc.headings[:3]] == [1, 2, 2]
    at = doc.text.index("The globs2 file is a simple list of lines")
    assert doc.section_at(at) == "2. Unified system › 2.4. The glob files"
    assert doc.page_of(at) == 7
    for heading in doc.headings:  # each heading is the line that shows it, on its page
        assert doc.text[heading.start : heading.end].endswith(heading.title)


def test_a_pdf_that_takes_too_long_is_stopped_and_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa.ingest import pdf

    monkeypatch.setattr(pdf, "SECONDS_PER_FILE", 1e-6)
    with pytest.raises(SkipFile, match="took over"):
        load(tmp_path, "spec.pdf", SPEC.read_bytes())
    monkeypatch.undo()
    assert load(tmp_path, "again.pdf", SPEC.read_bytes()).pages  # the next file is read


def test_without_an_outline_larger_and_bolder_lines_are_the_headings(tmp_path: Path) -> None:
    copy = pdfium.PdfDocument.new()  # the same pages, without the bookmarks
    copy.import_pages(pdfium.PdfDocument(SPEC))
    saved = io.BytesIO()
    copy.save(saved)
    doc = load(tmp_path, "no-outline.pdf", saved.getvalue())
    titles = [h.title for h in doc.headings]
    assert "2.4. The glob files" in titles and "2.13. Non-regular files" in titles
    at = doc.text.index("The globs2 file is a simple list of lines")
    assert doc.section_at(at) == "2. Unified system › 2.4. The glob files"
    body = doc.text.index("Many programs and desktops use the MIME system")  # not a heading
    assert not any(h.start <= body < h.end for h in doc.headings)


def test_a_table_comes_out_row_by_row(tmp_path: Path) -> None:
    # bzip2's manual (eval/quality/realdocs/SOURCES.md): the memory table of section 2.5.
    manual = ROOT / "eval" / "quality" / "realdocs" / "corpus" / "bzip2-manual.pdf"
    doc = load(tmp_path, "bzip2.pdf", manual.read_bytes())
    rows = [
        "-1 1200k 500k 350k 914704",
        "-6 5200k 2500k 1600k 838626",
        "-9 7600k 3700k 2350k 828642",
    ]
    lines = doc.text.split("\n")
    assert all(row in lines for row in rows)  # each row one line, its cells in order
    assert lines.index(rows[0]) < lines.index(rows[1]) < lines.index(rows[2])
    assert doc.section_at(doc.text.index(rows[1])).endswith("2.5. MEMORY MANAGEMENT")


def test_a_web_page_printed_by_a_browser_keeps_its_headings_above_their_text(
    tmp_path: Path,
) -> None:
    # Node's path page printed to PDF by Chromium (eval/quality/realdocs/SOURCES.md), which draws
    # each page's headings after its text: read in the stream's order, "path.basename(path[,
    # suffix])" came at the foot of its page, and its text fell under the section before.
    printed = ROOT / "eval" / "quality" / "realdocs" / "corpus" / "nodejs-path.pdf"
    doc = load(tmp_path, "path.pdf", printed.read_bytes())
    text = doc.text
    heading = text.index("path.basename(path[, suffix])")
    assert heading < text.index("The path.basename() method returns the last portion")
    at = text.index("A TypeError is thrown if path is not a string or if suffix is given")
    assert doc.section_at(at).endswith("path.basename(path[, suffix])")
    assert text.index("Windows vs. POSIX") < text.index("The default operation of the node:path")


def test_lines_drawn_beside_others_keep_the_streams_order(tmp_path: Path) -> None:
    """Two columns drawn one after the other, and a label drawn beside a line, are not
    interleaved by their height on the page."""
    left = [(f"Left column line {n} goes on.", 50, 700 - 14 * n, 10.0) for n in range(6)]
    right = [(f"Right column line {n} goes on.", 330, 700 - 14 * n, 10.0) for n in range(6)]
    label = [("COPY", 520, 644, 8.0)]
    doc = load(tmp_path, "columns.pdf", drawn_pdf([*label, *left, *right]))
    order = [doc.text.index(text) for text, *_ in [*label, *left, *right]]
    assert order == sorted(order)


def test_a_link_printed_over_a_line_is_taken_out_of_it(tmp_path: Path) -> None:
    """Chromium prints a page's "Skip to content" link over the page's first line, and PDFium
    reads it into the middle of that line's sentence."""
    pieces = [
        ("Cancels the immediate.", 50, 700, 10.0),
        ("Skip to content", 52, 700, 10.0),
        ("This is similar to calling clearImmediate().", 170, 700, 10.0),
        ("The next line of the page goes on here.", 50, 686, 10.0),
    ]
    doc = load(tmp_path, "timers.pdf", drawn_pdf(pieces))
    assert "Cancels the immediate. This is similar to calling clearImmediate()." in doc.text
    assert "Skip to content" in doc.text  # kept, a line of its own


def test_a_line_at_the_same_place_on_most_pages_is_page_furniture(tmp_path: Path) -> None:
    """Not only at a page's top or foot: wherever it comes in the page's text."""
    from qa.types import RUNNING_LINES

    names = ("alpha", "beta", "gamma", "delta")
    words = ("red", "green", "blue", "cyan", "pink", "gold")

    def page(name: str) -> list[tuple[str, float, float, float]]:
        body = [
            (f"The {name} timer says {w} things.", 50, 700 - 14 * k, 10.0)
            for k, w in enumerate(words)
        ]
        rest = [
            (f"The {name} page goes on with {w}.", 50, 400 - 14 * k, 10.0)
            for k, w in enumerate(words)
        ]
        return [*body, ("Skip to content", 50, 500, 10.0), *rest]

    doc = load(tmp_path, "printed.pdf", drawn_pdf(*(page(name) for name in names)))
    left_out = [s for s in doc.segments if s.kind == "boilerplate"]
    assert {doc.text[s.start : s.end] for s in left_out} == {"Skip to content"}
    assert len(left_out) == 4 and {s.reason for s in left_out} == {RUNNING_LINES}
    assert "Skip to content" not in doc.indexed_text
    assert "The gamma page goes on with red." in doc.indexed_text


def test_a_heading_drawn_after_its_text_is_read_before_it(tmp_path: Path) -> None:
    body = [(f"Sentence {n} of the section.", 50, 680 - 14 * n, 10.0) for n in range(5)]
    doc = load(tmp_path, "late.pdf", drawn_pdf([*body, ("Installing", 50, 700, 16.0)]))
    order = [doc.text.index(text) for text, *_ in [("Installing",), *body]]
    assert order == sorted(order)


def test_a_reference_page_of_many_short_sections_keeps_its_headings(tmp_path: Path) -> None:
    """An API reference printed without bookmarks: a heading over each short paragraph. By
    lines, the headings' size is half the page's; by characters, a tenth at most, as a heading's
    size should be."""
    pieces, y = [], 740.0
    for n in range(8):
        pieces.append((f"timeout.method{n}()", 50, y, 18.0))
        y -= 26
        for line in range(3):
            words = f"Method {n} line {line} tells what the call does to the timer and returns"
            pieces.append((f"{words} it.", 50, y, 10.0))
            y -= 14
        y -= 10
    doc = load(tmp_path, "timers.pdf", drawn_pdf(pieces))
    assert [h.title for h in doc.headings] == [f"timeout.method{n}()" for n in range(8)]
    at = doc.text.index("Method 5 line 1")
    assert doc.section_at(at) == "timeout.method5()"


def test_a_table_of_contents_is_left_out_and_said_so(tmp_path: Path) -> None:
    manual = ROOT / "eval" / "quality" / "realdocs" / "corpus" / "bzip2-manual.pdf"
    doc = load(tmp_path, "bzip2.pdf", manual.read_bytes())
    contents = [s for s in doc.segments if s.reason == "table of contents"]
    assert contents and all(s.kind == "boilerplate" for s in contents)
    toc = "".join(doc.text[s.start : s.end] for s in contents)
    assert "2.5. MEMORY MANAGEMENT . ." in toc
    body = doc.text.index("bzip2 compresses large files in blocks")  # the section itself
    assert not any(s.start <= body < s.end for s in doc.segments if s.kind == "boilerplate")


def test_a_chapters_running_header_is_left_out_but_its_heading_kept(tmp_path: Path) -> None:
    # Valgrind's manual: each chapter's title heads its pages, set small; on the chapter's
    # first page it is the chapter's heading, set large and wrapped onto two lines.
    manual = ROOT / "eval" / "quality" / "realdocs" / "corpus" / "valgrind-manual-excerpt.pdf"
    doc = load(tmp_path, "valgrind.pdf", manual.read_bytes())
    title = "Using and understanding the Valgrind core"
    places = [m.start() for m in re.finditer(re.escape(title), doc.text)]
    dropped = [s for s in doc.segments if s.reason == "running headers and footers"]

    def left_out(at: int) -> bool:
        return any(s.start <= at < s.end for s in dropped)

    assert sum(map(left_out, places)) >= 8  # the header of most of the chapter's pages
    chapter = [h for h in doc.headings if h.title.endswith(title)]  # still its heading ...
    assert chapter and doc.text[chapter[0].start : chapter[0].end].endswith("Valgrind core")
    assert not any(left_out(h.start) for h in doc.headings)


def test_a_heading_wrapped_onto_two_lines_is_one_heading(tmp_path: Path) -> None:
    manual = ROOT / "eval" / "quality" / "realdocs" / "corpus" / "bzip2-manual.pdf"  # no outline
    doc = load(tmp_path, "bzip2.pdf", manual.read_bytes())
    titles = [h.title for h in doc.headings]
    assert "2.6. RECOVERING DATA FROM DAMAGED FILES" in titles and "FILES" not in titles
    at = doc.text.index("bzip2 compresses files in blocks, usually 900kbytes long")
    assert doc.section_at(at).endswith("› 2.6. RECOVERING DATA FROM DAMAGED FILES")


def test_a_title_set_large_over_two_lines_is_the_whole_title(tmp_path: Path) -> None:
    said = "Line {} of the body text says something about checks."
    page = [
        ("Everything we know about CRC but afraid to", 72, 720, 20),
        ("forget", 72, 696, 20),
        *[(said.format(n), 72, 640 - 14 * n, 10) for n in range(30)],
    ]
    doc = load(tmp_path, "crc.pdf", drawn_pdf(page))
    assert doc.title == "Everything we know about CRC but afraid to forget"


def test_a_printed_web_pages_smaller_headings_are_found_and_its_code_is_not_one() -> None:
    """Python's logging HOWTO printed by Chromium: body text 14 points, its third-level
    headings 16 (a seventh larger), code 13.5 points in a heavier monospaced font, a table's
    header bold in the body's size."""
    from qa.ingest.pdf import _sized_headings
    from qa.types import Segment

    lines = [
        ("Logging to a file", (16.0, 225)),
        ("A very common situation is that of recording logging events in a file.", (14.0, 225)),
        ("import logging", (13.5, 340)),
        ("logger = logging.getLogger(__name__)", (13.5, 340)),
        ("Level Numeric value", (14.0, 380)),
        *[("The body of the page goes on in its own size and weight.", (14.0, 225))] * 30,
    ]
    text, placed = "", []
    for line, style in lines:
        placed.append((Segment("article", len(text), len(text) + len(line)), style))
        text += line + "\n"
    headings = _sized_headings(text, [placed], (14.0, 225))
    assert [(h.level, h.title) for h in headings] == [
        (1, "Logging to a file"),
        (2, "Level Numeric value"),
    ]


def test_a_paragraph_going_on_over_a_page_break_is_one_paragraph(tmp_path: Path) -> None:
    """A page that ends in mid-sentence, or on an option's line over its description, goes on
    in the next page's first line: no blank line, so no chunk is cut there. A page that ends
    on a full stop keeps its paragraph break."""
    first = [
        ("The first page says one thing.", 50, 700, 10.0),
        ("When curl follows a redirect it will re-send the request", 50, 686, 10.0),
    ]
    second = [
        ("using the same method as before.", 50, 700, 10.0),
        ("-L, --location", 50, 686, 10.0),
    ]
    third = [("Follow redirects to the new place.", 50, 700, 10.0), ("That is all.", 50, 686, 10.0)]
    fourth = [("A new paragraph opens this page.", 50, 700, 10.0)]
    doc = load(tmp_path, "curl.pdf", drawn_pdf(first, second, third, fourth))
    assert "re-send the request\nusing the same method" in doc.text
    assert "-L, --location\nFollow redirects" in doc.text
    assert "That is all.\n\nA new paragraph" in doc.text
    assert [doc.page_of(doc.text.index(s)) for s in ("using", "Follow", "A new")] == [2, 3, 4]
