"""``QA.page_view``: the cited page of a PDF in a user's folder, read when a source is opened."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa import service
from qa.service import QA
from tests.helpers import FIXTURES

QUESTION = "Which command must an application run after installing its XML file?"


def test_a_pdf_passage_shows_its_page_and_other_formats_show_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "docs"
    (folder / "manuals").mkdir(parents=True)
    shutil.copy(FIXTURES / "shared-mime-info-spec.pdf", folder / "manuals" / "spec.pdf")
    shutil.copy(FIXTURES / "terminal-grep.txt", folder / "grep.txt")
    qa = QA(folder, tmp_path / "index", progress=False)
    qa.index()
    passages = qa.retrieve(QUESTION, k=10)
    in_pdf = next(p for p in passages if p.doc_id == "manuals/spec.pdf")
    in_text = next(p for p in qa.retrieve("memory", k=10) if p.doc_id == "grep.txt")

    view = qa.page_view(in_pdf)

    assert view.note is None
    assert [image.page for image in view.images] == list(in_pdf.pages)
    assert all(image.boxes and image.png.startswith(b"\x89PNG") for image in view.images)
    assert qa.page_view(in_text).images == ()
    monkeypatch.setattr(service, "RENDER_SECONDS", 1e-6)  # a page that would hang the server
    stopped = qa.page_view(in_pdf)
    assert stopped.images == () and "took over" in (stopped.note or "")
    monkeypatch.undo()

    (folder / "manuals" / "spec.pdf").write_bytes(b"%PDF-1.7\n% replaced by something else\n")
    broken = qa.page_view(in_pdf)  # the index still has the old text; the file is read now
    assert broken.images == () and "spec.pdf is not a readable PDF" in (broken.note or "")
