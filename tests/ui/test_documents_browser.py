"""The Documents panel and uploads in a real browser (Debian's Chromium, the harness of
``conftest.py``): the files indexed and skipped with their reasons, Re-index, and uploads only
with ``--allow-uploads``, refused with a one-line reason when the name, the size or the content
is wrong.

Set QA_DOCUMENTS_SCREENSHOT=FILE.png to keep a screenshot of the panel (1400x1000).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from eval.reliability.app_process import running_app
from tests.helpers import FIXTURES
from tests.ui.test_browser import ANSWER_TIMEOUT_MS, ask

pytestmark = pytest.mark.slow  # a subprocess harness: make test runs it, make check does not

NOTES = b"""# Harbour notes

The lighthouse keeper of Fao repainted the beacon green in the spring of 2009.
"""


def open_documents(page: Page):
    page.locator("#qa-documents").get_by_text("Documents").first.click()
    panel = page.locator("#qa-documents-panel")
    expect(panel.locator("table")).to_be_visible()
    return panel


def row(page: Page, doc_id: str):
    return page.locator(f'#qa-documents-panel tr[data-doc="{doc_id}"]')


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "manuals"
    folder.mkdir()
    shutil.copy(FIXTURES / "shared-mime-info-spec.pdf", folder / "spec.pdf")
    shutil.copy(FIXTURES / "nodejs-intl.html", folder / "intl.html")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "table.csv").write_text("a,b\n1,2\n")
    return folder


def test_the_panel_lists_the_documents_and_the_skipped_files_and_re_indexes(page, corpus):
    with running_app(corpus, corpus.parent / "index", corpus.parent / "app.log") as url:
        page.goto(url)
        panel = open_documents(page)
        expect(panel.locator(".qa-doc-summary")).to_have_text(
            "2 documents indexed, 3 files skipped"
        )
        spec = row(page, "spec.pdf")
        expect(spec.locator("td").nth(1)).to_have_text("PDF")
        expect(spec.locator("td").nth(2)).to_have_text("17")  # pages
        expect(spec).to_contain_text("Shared MIME-info Database")
        expect(row(page, "intl.html").locator("td").nth(1)).to_have_text("Web page")
        assert int(row(page, "intl.html").locator("td").nth(5).inner_text().replace(",", "")) > 0
        skipped = panel.locator(".qa-skipped li")
        expect(skipped.filter(has_text="empty.pdf")).to_have_text("empty.pdf: empty file")
        expect(skipped.filter(has_text="broken.docx")).to_contain_text("broken Word file")
        expect(skipped.filter(has_text="table.csv")).to_contain_text("not a supported format")
        # No upload without --allow-uploads.
        expect(page.locator("#qa-upload")).to_have_count(0)
        assert page.locator("input[type=file]").count() == 0

        if os.environ.get("QA_DOCUMENTS_SCREENSHOT"):
            panel.scroll_into_view_if_needed()
            page.screenshot(path=os.environ["QA_DOCUMENTS_SCREENSHOT"], full_page=True)

        (corpus / "harbour-notes.md").write_bytes(NOTES)
        (corpus / "empty.pdf").unlink()
        page.locator("#qa-reindex").click()
        status = page.locator("#qa-documents-status")
        expect(status).to_contain_text("Re-indexed", timeout=ANSWER_TIMEOUT_MS)
        expect(status).to_contain_text("1 read, 2 unchanged")
        expect(row(page, "harbour-notes.md")).to_contain_text("Markdown")
        expect(panel.locator(".qa-doc-summary")).to_have_text(
            "3 documents indexed, 2 files skipped"
        )
        expect(page.locator("#qa-header")).to_contain_text("manuals/ · 3 documents")
        reply = ask(page, "What colour did the lighthouse keeper paint the beacon?")
        assert "green" in reply and "Harbour notes" in reply
        assert not page.errors and not page.dialogs

        page.goto(url)  # a page loaded later shows the index as it is now
        expect(page.locator("#qa-header")).to_contain_text("manuals/ · 3 documents")
        open_documents(page)
        expect(row(page, "harbour-notes.md")).to_contain_text("Markdown")
        page.get_by_text("Index report").click()
        expect(page.locator("#qa-report pre.qa-report")).to_contain_text("1 read, 2 unchanged")


def upload(page: Page, name: str, data: bytes, mime: str = "application/octet-stream") -> None:
    page.locator("#qa-upload input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )


def test_uploads_are_checked_then_indexed_and_answered(page, corpus, tmp_path):
    index, log = tmp_path / "index", tmp_path / "app.log"
    with running_app(corpus, index, log, "--allow-uploads", "--max-upload-mb", "1") as url:
        page.goto(url)
        open_documents(page)
        expect(page.locator("#qa-upload")).to_be_visible()
        expect(page.locator("#qa-upload")).to_contain_text("up to 1 MB")
        status = page.locator("#qa-documents-status")
        before = sorted(p.name for p in corpus.iterdir())

        upload(page, "../escape.md", NOTES, "text/markdown")
        expect(status).to_contain_text(
            "Refused: the file name '../escape.md' is a path", timeout=ANSWER_TIMEOUT_MS
        )
        upload(page, "program.pdf", Path("/bin/true").read_bytes(), "application/pdf")
        expect(status).to_contain_text(
            "Refused: program.pdf is not a PDF (no %PDF- header); it is a program (ELF)"
        )
        upload(page, "big.md", b"# Big\n\n" + b"word " * 300_000, "text/markdown")
        expect(page.get_by_text("big.md", exact=False).first).to_be_visible()
        expect(page.locator(".toast-body, #qa-documents-status .qa-refused").last).to_contain_text(
            "maximum allowed", timeout=ANSWER_TIMEOUT_MS
        )
        assert sorted(p.name for p in corpus.iterdir()) == before
        assert not (tmp_path / "escape.md").exists()

        upload(page, "harbour-notes.md", NOTES, "text/markdown")
        expect(status).to_contain_text("Added harbour-notes.md", timeout=ANSWER_TIMEOUT_MS)
        expect(row(page, "harbour-notes.md")).to_contain_text("Markdown")
        expect(page.locator("#qa-header")).to_contain_text("manuals/ · 3 documents")
        assert (corpus / "harbour-notes.md").read_bytes() == NOTES
        # The files already indexed keep their figures (the web page's navigation left out).
        expect(row(page, "intl.html").locator("td").nth(5)).to_have_text("2,303")
        reply = ask(page, "What colour did the lighthouse keeper paint the beacon?")
        assert "green" in reply and "Harbour notes" in reply

        upload(page, "harbour-notes.md", b"# Other\n\nReplaced.\n", "text/markdown")
        expect(status).to_contain_text("already in the folder", timeout=ANSWER_TIMEOUT_MS)
        assert (corpus / "harbour-notes.md").read_bytes() == NOTES
        if os.environ.get("QA_UPLOAD_SCREENSHOT"):
            page.locator("#qa-documents").scroll_into_view_if_needed()
            page.screenshot(path=os.environ["QA_UPLOAD_SCREENSHOT"], full_page=True)
        assert not page.errors and not page.dialogs
