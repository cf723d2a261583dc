"""What the browser's Documents panel reads from the library (``QA.indexed_files``,
``QA.skipped_files``) and adding an upload (``QA.add_file``): with the real model and FAISS."""

from __future__ import annotations

import shutil

import pytest

from qa.errors import CorpusError, UploadError
from qa.service import QA
from tests.helpers import FIXTURES

NOTES = """# Harbour notes

The lighthouse keeper of Fao repainted the beacon green in the spring of 2009.
"""


@pytest.fixture
def folder(tmp_path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    shutil.copy(FIXTURES / "shared-mime-info-spec.pdf", corpus / "spec.pdf")
    shutil.copy(FIXTURES / "nodejs-intl.html", corpus / "intl.html")
    (corpus / "empty.pdf").write_bytes(b"")
    (corpus / "table.csv").write_text("a,b\n1,2\n")
    return corpus


def test_indexed_files_list_each_document_with_its_figures(folder, tmp_path):
    qa = QA(folder, tmp_path / "index", progress=False)
    report = qa.index()
    files = {f.doc_id: f for f in qa.indexed_files()}
    assert list(files) == ["intl.html", "spec.pdf"]
    spec, page = files["spec.pdf"], files["intl.html"]
    assert spec.title == "Shared MIME-info Database"
    assert spec.pages == qa.manifest.pages > 1 and page.pages == 0
    assert spec.chunks + page.chunks == report.chunks and spec.chunks > 0
    assert page.characters == report.texts["intl.html"].characters
    assert page.dropped == report.texts["intl.html"].lost > 0  # its navigation
    assert page.indexed == page.characters - page.dropped
    assert qa.indexed_files() is qa.indexed_files()  # worked out once per loaded index

    skipped = {s.path: s.reason for s in qa.skipped_files}
    assert skipped["empty.pdf"] == "empty file"
    assert skipped["table.csv"].startswith("not a supported format (.csv")


def test_an_added_file_is_indexed_and_answers(folder, tmp_path):
    qa = QA(folder, tmp_path / "index", progress=False)
    qa.index()
    upload = tmp_path / "upload.md"
    upload.write_text(NOTES)
    before = {f.doc_id: f for f in qa.indexed_files()}
    report = qa.add_file("harbour-notes.md", upload)
    assert report.documents_read == 1  # only the new file was read
    after = {f.doc_id: f for f in qa.indexed_files()}
    assert list(after) == ["harbour-notes.md", "intl.html", "spec.pdf"]
    # The unchanged files keep their figures, the web page's navigation left out included
    # (its reader removes it before the text exists; it is not stored with the document).
    assert after["intl.html"] == before["intl.html"] and after["intl.html"].dropped > 0
    answer = qa.answer("What colour did the lighthouse keeper paint the beacon?")
    assert answer.citations[0].doc_id == "harbour-notes.md"
    assert "green" in answer.text


def test_a_refused_file_changes_neither_the_folder_nor_the_index(folder, tmp_path):
    qa = QA(folder, tmp_path / "index", progress=False)
    qa.index()
    before = qa.manifest
    upload = tmp_path / "upload"
    upload.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(200))
    with pytest.raises(UploadError, match="not a PDF"):
        qa.add_file("program.pdf", upload)
    with pytest.raises(UploadError, match="is a path"):
        qa.add_file("../escape.md", upload)
    assert not (folder / "program.pdf").exists() and not (tmp_path / "escape.md").exists()
    assert qa.manifest is before


def test_a_failed_reindex_keeps_the_index_served(folder, tmp_path):
    qa = QA(folder, tmp_path / "index", progress=False)
    qa.index()
    files = qa.indexed_files()
    for name in ("spec.pdf", "intl.html"):
        (folder / name).unlink()
    with pytest.raises(CorpusError, match="no readable"):
        qa.index()
    assert qa.indexed_files() == files
    assert qa.retrieve("MIME database directory layout", k=1)[0].doc_id == "spec.pdf"


@pytest.mark.parametrize("megabytes", ["0", "-1", "51", "nan"])
def test_serve_refuses_an_upload_limit_out_of_range(capsys, megabytes):
    from qa.cli import main

    assert main(["serve", "--allow-uploads", "--max-upload-mb", megabytes]) == 1
    assert "--max-upload-mb must be above 0 and at most 50" in capsys.readouterr().err
