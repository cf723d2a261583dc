"""The Documents panel's HTML (``qa.ui.documents``): each file's figures, dashes where the
index did not record them, the skipped files with their reasons, everything escaped; and the
upload record taken from Gradio's raw value, original name kept."""

from __future__ import annotations

from qa.index.report import IndexedFile
from qa.types import SkippedFile
from qa.ui.documents import Upload, documents_panel

SPEC = IndexedFile("spec.pdf", "Shared MIME-info Database", 66, 17, 33_733, 482)
OLD = IndexedFile("old.txt", "old.txt", 3)  # an index that did not count characters


def test_each_file_is_a_row_with_its_kind_pages_passages_and_characters():
    html = documents_panel([SPEC, OLD], [])
    assert "2 documents indexed, 0 files skipped" in html
    assert (
        '<tr data-doc="spec.pdf"><td><span class="qa-doc-id">spec.pdf</span>'
        '<div class="qa-doc-title">Shared MIME-info Database</div></td>'
        '<td class="qa-kind">PDF</td><td class="qa-num">17</td><td class="qa-num">66</td>'
        '<td class="qa-num">33,251</td><td class="qa-num">482</td></tr>'
    ) in html
    old = html[html.index('<tr data-doc="old.txt">') :]
    assert '<td class="qa-kind">Text file</td><td class="qa-num">—</td>' in old
    assert '<td class="qa-num">3</td><td class="qa-num">—</td><td class="qa-num">—</td>' in old
    assert "No file was skipped." in html


def test_skipped_files_are_listed_with_their_reasons_escaped():
    hostile = SkippedFile("<img src=x onerror=alert(1)>.pdf", "encrypted PDF (a password)")
    html = documents_panel([SPEC], [SkippedFile("empty.pdf", "empty file"), hostile])
    assert "Skipped (2)" in html
    assert '<li><span class="qa-doc-id">empty.pdf</span>: empty file</li>' in html
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf</span>: encrypted PDF" in html
    assert "<img" not in html


def test_a_long_list_is_cut_and_counted():
    files = [IndexedFile(f"{n:04}.md", f"{n}", 1) for n in range(12)]
    html = documents_panel(files, [], limit=10)
    assert html.count("<tr data-doc=") == 10 and "… and 2 more" in html


def test_an_upload_keeps_the_name_the_visitors_file_had():
    raw = {"path": "/tmp/gradio/ab12/x.pdf", "orig_name": "../x.pdf", "size": 10}
    assert Upload.of(raw) == Upload("/tmp/gradio/ab12/x.pdf", "../x.pdf")
    assert Upload.of([raw]) == Upload.of(raw)
    assert Upload.of({"path": "/tmp/gradio/ab12/x.pdf"}) == Upload("/tmp/gradio/ab12/x.pdf", "")
    assert Upload.of(None) is None and Upload.of({"orig_name": "x.md"}) is None
