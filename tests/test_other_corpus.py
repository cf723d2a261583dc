"""A user's own folder: mixed formats, nested folders, bad files, through the whole pipeline."""

import json

import pytest

from qa.cli import main
from qa.service import QA

HTML = """<html><head><title>Harbour report</title><script>alert('x')</script></head>
<body><h1>Harbour report</h1><p>The harbour of Umm Qasr reopened on Monday after the
storm.</p><p>Pilots guided twelve tankers through the channel.</p></body></html>"""
MARKDOWN = "# Field notes\n\nThe date palms near Abu al-Khasib were irrigated from the canal.\n"
TEXT = "Plain note.\n\nThe Shatt al-Arab waterway carries silt to the Gulf every spring.\n"


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "docs"
    (root / "nested" / "deeper").mkdir(parents=True)
    (root / "report.html").write_text(HTML)
    (root / "nested" / "notes.md").write_text(MARKDOWN)
    (root / "nested" / "deeper" / "river.txt").write_text(TEXT)
    (root / "broken.txt").write_bytes(b"caf\xe9 au lait, not utf-8 \xff")
    return root


def test_mixed_formats_are_indexed_and_cited(folder, tmp_path):
    qa = QA(folder, tmp_path / "index", progress=False)
    report = qa.index()
    assert report.documents == 3
    assert [s.path for s in report.skipped] == ["broken.txt"]

    top = qa.retrieve("How many tankers went through the channel?", k=1)[0]
    assert top.doc_id == "report.html" and top.title == "Harbour report"
    assert "twelve tankers" in top.text and "alert" not in top.text
    assert qa.document(top.doc_id).text[top.start : top.end] == top.text

    nested = qa.retrieve("What carries silt to the Gulf?", k=1)[0]
    assert nested.doc_id == "nested/deeper/river.txt"
    assert qa.answer("Where were the date palms irrigated from?").citations[0].doc_id == (
        "nested/notes.md"
    )


def test_ask_json_is_structured(folder, tmp_path, capsys):
    argv = [
        "ask",
        "What reopened on Monday?",
        "--corpus",
        str(folder),
        "--json",
        "--quiet",
        "--index-dir",
        str(tmp_path / "ix"),
    ]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"question", "text", "citations", "confident", "quotes", "similarity"}
    assert 0 < data["similarity"] <= 1
    assert data["citations"][0]["doc_id"] == "report.html"
    assert {"start", "end", "section", "author", "also_in"} <= set(data["citations"][0])


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "usage: qa" in capsys.readouterr().out
