"""Uploads checked before they reach the corpus folder (``qa.ingest.upload``): names that are
paths, oversized, empty and disguised files are refused with one line, and nothing is saved;
real documents of each kind are saved under their name, never over another file."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from qa.errors import UploadError
from qa.ingest.upload import check_content, check_name, check_size, save_upload
from tests.helpers import FIXTURES

ELF = Path("/bin/true").read_bytes()  # a real program


def _zip_without_a_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes/readme.txt", "not a Word file")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, reason",
    [
        ("../x.pdf", "is a path"),
        ("../../etc/passwd.md", "is a path"),
        ("/etc/passwd", "is a path"),
        ("a/b.md", "is a path"),
        ("..\\x.md", "is a path"),
        ("C:\\Windows\\x.txt", "is a path"),
        ("..", "starts with a dot or holds '..'"),
        ("x..md", "starts with a dot or holds '..'"),
        (".hidden.md", "starts with a dot"),
        ("notes\x00.pdf.md", "control characters"),
        ("notes\n.md", "control characters"),
        ("evil\u202egpj.md", "control characters"),  # right-to-left override
        (" notes.md", "begins or ends with a space"),
        ("", "has no name"),
        ("   ", "has no name"),
        ("x" * 300 + ".md", "over 255 bytes"),
        ("passwd", "not a kind of file the reader knows"),
        ("setup.exe", "not a kind of file the reader knows"),
        ("notes.md.sh", "not a kind of file the reader knows"),
    ],
)
def test_a_name_that_is_not_a_plain_file_name_of_a_known_kind_is_refused(name, reason):
    with pytest.raises(UploadError, match=reason):
        check_name(name)


@pytest.mark.parametrize(
    "name", ["notes.md", "Report 2024 (final).PDF", "über-straße.txt", "a.b.c.docx", "x.htm"]
)
def test_a_plain_file_name_of_a_known_kind_is_kept_as_it_is(name):
    assert check_name(name) == name


def test_an_empty_or_oversized_file_is_refused():
    with pytest.raises(UploadError, match="empty"):
        check_size(0)
    with pytest.raises(UploadError, match=r"too large \(1\.0 MB; the limit is 0\.5 MB\)"):
        check_size(1024 * 1024, max_bytes=512 * 1024)
    check_size(512 * 1024, max_bytes=512 * 1024)  # the limit itself is allowed


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("program.pdf", ELF, r"not a PDF \(no %PDF- header\); it is a program \(ELF\)"),
        ("program.docx", ELF, r"not a Word file \(not a zip archive\); it is a program"),
        ("archive.docx", _zip_without_a_document(), "a zip without word/document.xml"),
        ("archive.pdf", _zip_without_a_document(), "not a PDF .*it is a zip archive"),
        ("program.md", ELF, r"not text: binary file \(NUL bytes\); it is a program \(ELF\)"),
        ("latin1.txt", "café".encode("latin-1"), "not text: not valid UTF-8"),
        ("spec.html", (FIXTURES / "shared-mime-info-spec.pdf").read_bytes(), "not text"),
    ],
)
def test_a_file_whose_bytes_are_not_its_kind_is_refused(name, data, reason):
    with pytest.raises(UploadError, match=reason):
        check_content(name, data)


@pytest.mark.parametrize(
    "fixture",
    [
        "shared-mime-info-spec.pdf",
        "pip-repeatable-installs.docx",
        "nodejs-intl.md",
        "nodejs-intl.html",
        "ls-man-page.txt",
    ],
)
def test_a_real_document_is_saved_under_its_name(tmp_path, fixture):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    upload = tmp_path / "upload"
    shutil.copy(FIXTURES / fixture, upload)
    saved = save_upload(corpus, fixture, upload)
    assert saved == corpus / fixture
    assert saved.read_bytes() == (FIXTURES / fixture).read_bytes()
    assert [p.name for p in corpus.iterdir()] == [fixture]  # no temporary file left


def _refused(tmp_path: Path, name: str, data: bytes, reason: str, **limits: int) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    upload = tmp_path / "upload"
    upload.write_bytes(data)
    with pytest.raises(UploadError, match=reason):
        save_upload(corpus, name, upload, **limits)
    return corpus


@pytest.mark.parametrize(
    "name, data, reason, limits",
    [
        ("../x.pdf", (FIXTURES / "shared-mime-info-spec.pdf").read_bytes(), "is a path", {}),
        ("/etc/passwd", b"root:x:0:0", "is a path", {}),
        ("a/b.md", b"# Notes", "is a path", {}),
        ("program.pdf", ELF, "not a PDF", {}),
        ("archive.docx", _zip_without_a_document(), "without word/document.xml", {}),
        ("empty.md", b"", "empty", {}),
        ("big.md", b"# Big\n\n" + b"word " * 300_000, "too large", {"max_bytes": 1024 * 1024}),
        # The right header, but PDFium cannot read what follows: refused by the reader itself.
        ("broken.pdf", b"%PDF-1.7\n" + b"garbage " * 100, "broken.pdf cannot be read", {}),
        ("blank.md", b"   \n\n  ", "blank.md cannot be read", {}),
    ],
)
def test_a_refused_upload_leaves_nothing_in_the_folder(tmp_path, name, data, reason, limits):
    corpus = _refused(tmp_path, name, data, reason, **limits)
    assert list(corpus.iterdir()) == []
    assert not (tmp_path / "x.pdf").exists()


def test_a_file_already_in_the_folder_is_not_replaced(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.md").write_text("# Mine\n\nThe original notes.\n")
    _refused(tmp_path, "notes.md", b"# Theirs\n\nReplacement notes.\n", "already in the folder")
    assert (corpus / "notes.md").read_text() == "# Mine\n\nThe original notes.\n"
    assert [p.name for p in corpus.iterdir()] == ["notes.md"]
