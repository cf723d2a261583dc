"""A PDF page as an image with a passage's lines boxed, on the real Shared MIME-info
specification (tests/fixtures/SOURCES.md) and on broken, encrypted and changed copies of it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from qa.ingest.pdf_page import find_span, merge_lines, normalized, page_texts, render_pages
from qa.types import Document, PageImage
from tests.helpers import FIXTURES, document_of

SPEC = FIXTURES / "shared-mime-info-spec.pdf"
PARAGRAPH = "Each application that wishes to contribute to the MIME database"


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return document_of(tmp_path_factory.mktemp("spec"), "spec.pdf", SPEC.read_bytes())


def boxed_text(image: PageImage, number: int) -> list[str]:
    """What PDFium reads inside each box of ``image``, taken back to the page's points."""
    left, _, _, top = image.area
    pdf = pdfium.PdfDocument(SPEC)
    try:
        textpage = pdf[number - 1].get_textpage()
        return [
            textpage.get_text_bounded(
                left + box.left / image.scale,
                top - box.bottom / image.scale,
                left + box.right / image.scale,
                top - box.top / image.scale,
            )
            for box in image.boxes
        ]
    finally:
        pdf.close()


def test_a_passage_is_boxed_on_its_page_and_the_boxes_hold_its_lines(spec: Document) -> None:
    start = spec.text.index(PARAGRAPH)
    end = spec.text.index("It scans all the XML files", start)
    texts = page_texts(spec, start, end)
    assert [number for number, _ in texts] == [3]

    view = render_pages(SPEC, texts)

    assert view.note is None and len(view.images) == 1
    image = view.images[0]
    assert image.page == 3 and len(image.boxes) >= 6  # two paragraphs: 5 lines and 1
    assert image.width <= 1000 and image.height <= 2000
    with Image.open(io.BytesIO(image.png)) as png:
        assert png.format == "PNG" and png.size == (image.width, image.height)
    for box in image.boxes:
        assert 0 <= box.left < box.right <= image.width
        assert 0 <= box.top < box.bottom <= image.height
    lines = boxed_text(image, 3)
    assert lines[0].startswith(PARAGRAPH)  # the first box is the passage's first line
    inside = normalized("".join(lines))[0]
    assert normalized(spec.text[start:end])[0] in inside  # and all of it is boxed
    assert "wheretheinformation" not in inside  # nor the paragraph after it


def test_a_passage_across_a_page_break_shows_both_pages(spec: Document) -> None:
    page_break = spec.pages[3]  # page 4 starts here
    texts = page_texts(spec, page_break - 300, page_break + 300)
    assert [number for number, _ in texts] == [3, 4]
    assert "Shared MIME-info Database" in spec.text[page_break : page_break + 300]
    assert "Shared MIME-info Database" not in texts[1][1]  # the running header is not boxed

    view = render_pages(SPEC, texts)

    assert view.note is None
    assert [image.page for image in view.images] == [3, 4]
    assert all(image.boxes for image in view.images)
    end_of_3, start_of_4 = boxed_text(view.images[0], 3), boxed_text(view.images[1], 4)
    assert normalized(texts[0][1][-40:])[0] in normalized("".join(end_of_3))[0]
    assert normalized(texts[1][1][:40])[0] in normalized("".join(start_of_4))[0]


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda path: None, "no longer in the corpus folder"),
        (lambda path: path.write_bytes(SPEC.read_bytes()[:5000]), "not a readable PDF"),
        (lambda path: path.write_bytes(b""), "not a readable PDF"),
        (lambda path: path.mkdir(), "not a regular file"),
        (lambda path: os.mkfifo(path), "not a regular file"),
    ],
    ids=["missing", "cut-short", "empty", "a-folder", "a-fifo"],
)
def test_a_missing_or_broken_file_gives_a_note_and_no_image(
    tmp_path: Path, spec: Document, make, says: str
) -> None:
    path = tmp_path / "spec.pdf"
    make(path)
    start = spec.text.index(PARAGRAPH)
    view = render_pages(path, page_texts(spec, start, start + 200))
    assert view.images == () and says in (view.note or "")


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf makes the encrypted PDF")
def test_an_encrypted_file_gives_a_note_and_no_image(tmp_path: Path, spec: Document) -> None:
    path = tmp_path / "spec.pdf"
    command = ["qpdf", "--encrypt", "user", "owner", "256", "--", str(SPEC), str(path)]
    subprocess.run(command, check=True)
    start = spec.text.index(PARAGRAPH)
    view = render_pages(path, page_texts(spec, start, start + 200))
    assert view.images == () and "encrypted" in (view.note or "")


def test_a_changed_file_shows_the_page_without_boxes_or_says_the_page_is_gone(
    tmp_path: Path, spec: Document
) -> None:
    shorter = pdfium.PdfDocument.new()
    shorter.import_pages(pdfium.PdfDocument(SPEC), [0, 1, 4])  # page 3 is now page 5's text
    path = tmp_path / "spec.pdf"
    shorter.save(path)
    start = spec.text.index(PARAGRAPH)
    texts = page_texts(spec, start, start + 300)

    changed = render_pages(path, texts)
    assert [(i.page, i.boxes) for i in changed.images] == [(3, ())]
    assert "not found on page 3" in (changed.note or "")

    gone = render_pages(path, [(7, texts[0][1])])
    assert gone.images == () and "no page 7 (it has 3)" in (gone.note or "")


def test_the_text_is_found_whatever_its_spacing_hyphens_and_line_breaks() -> None:
    page = "The inter-\r\nnational  data-\r\nbase is\r\nstored as XML files."
    first, end = find_span(page, "international database is stored") or (0, 0)
    assert page[first:end] == "inter-\r\nnational  data-\r\nbase is\r\nstored"
    assert find_span(page, "nothing of the kind here") is None
    assert find_span(page, "") is None


def test_a_text_not_all_there_matches_its_longest_run_of_words() -> None:
    page = "Header\r\nthe cache file is mmapped by each application at start\r\nFooter"
    text = "An old sentence. The cache file is mmapped by each application, then read."
    first, end = find_span(page, text) or (0, 0)
    assert page[first:end] == "the cache file is mmapped by each application"
    assert find_span(page, "the cat sat on a mat") is None  # "the" alone is chance


def test_runs_of_text_on_one_line_become_one_box_and_columns_stay_apart() -> None:
    runs = [
        (119.9, 647.4, 284.3, 656.4),  # one line, in three runs (the middle one in a code font)
        (375.8, 647.4, 537.9, 656.4),
        (287.6, 647.9, 372.0, 655.6),
        (119.7, 660.4, 526.9, 669.3),  # the line above
        (650.0, 647.4, 800.0, 656.4),  # another column, level with the first line
    ]
    assert merge_lines(runs) == [
        (119.7, 660.4, 526.9, 669.3),
        (119.9, 647.4, 537.9, 656.4),
        (650.0, 647.4, 800.0, 656.4),
    ]


def test_a_passage_is_cut_at_the_page_starts() -> None:
    doc = Document("a.pdf", "A", "one two\n\nthree four\n\nfive", pages=(0, 9, 21))
    assert page_texts(doc, 4, 15) == [(1, "two\n\n"), (2, "three ")]
    assert page_texts(doc, 21, 25) == [(3, "five")]
    assert page_texts(Document("a.txt", "A", "text"), 0, 4) == []
