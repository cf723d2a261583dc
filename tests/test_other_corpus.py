"""A user's own folder: mixed formats, nested folders, bad files, through the whole pipeline."""

import contextlib
import errno
import io
import json
import os
import re

import pytest

from qa.cli import main
from qa.ingest import MAX_FILE_BYTES
from qa.service import QA
from tests.helpers import FIXTURES

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


def test_a_question_about_a_version_its_documents_never_write_is_refused(tmp_path):
    root = tmp_path / "docs"
    root.mkdir()
    (root / "postgresql.md").write_text(
        "# PostgreSQL on Debian\n\nOn Debian 11 the default PostgreSQL version is 13. "
        "Each major version installs into its own directory.\n"
    )
    qa = QA(root, tmp_path / "index", progress=False)
    qa.index()
    asked = qa.answer("Which PostgreSQL version is the default on Debian 11?")
    assert asked.confident and "13" in asked.text

    other = qa.answer("Which PostgreSQL version is the default on Debian 12?")
    assert not other.confident and other.confidence == 0.0
    assert other.text.startswith(
        "The corpus does not seem to answer this question. The documents it quotes never "
        "mention Debian 12. The closest it comes: On Debian 11"
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
    assert set(data) == {
        "question",
        "query",
        "query_joined",
        "text",
        "citations",
        "confident",
        "quotes",
        "similarity",
        "confidence",
        "evidence",
        "checks",
        "note",
    }
    assert data["checks"] == [] and data["note"] is None  # what a generated answer adds
    assert data["query"] == "What reopened on Monday?" and data["query_joined"] is False
    assert 0 < data["similarity"] <= 1 and 0 <= data["confidence"] <= 1
    assert set(data["evidence"]) >= {"passage_terms", "answer_type"}
    assert data["citations"][0]["doc_id"] == "report.html"
    assert {"start", "end", "part", "section", "author", "also_in"} <= set(data["citations"][0])


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "usage: qa" in capsys.readouterr().out


def test_a_folder_of_bad_files_indexes_every_good_one(folder, tmp_path):
    # Link loops, a pipe, a file just over the size limit and a byte-identical copy, next to
    # the good files: the run ends, says why each bad file was skipped, and cites the copy once.
    (folder / "nested" / "deeper" / "river copy.txt").write_text(TEXT)
    (folder / "self.txt").symlink_to("self.txt")
    (folder / "ping.md").symlink_to("pong.md")
    (folder / "pong.md").symlink_to("ping.md")
    (folder / "nested" / "up").symlink_to("..", target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")
    with open(folder / "huge.txt", "wb") as handle:  # sparse: no 50 MiB written
        handle.write(TEXT.encode())
        handle.truncate(MAX_FILE_BYTES + 1)
    qa = QA(folder, tmp_path / "index", progress=False)
    report = qa.index()

    loop = f"unreadable ({os.strerror(errno.ELOOP)})"
    assert {s.path: s.reason for s in report.skipped} == {
        "broken.txt": "not valid UTF-8 (byte 0xe9 at offset 3)",
        "huge.txt": "too large (over 50 MiB)",
        "ping.md": loop,
        "pipe.txt": "not a regular file (a named pipe)",
        "pong.md": loop,
        "self.txt": loop,
    }
    assert report.documents == 4  # report.html, notes.md, river.txt and its copy

    passages = qa.retrieve("What carries silt to the Gulf?", k=5)
    copies = {"nested/deeper/river copy.txt", "nested/deeper/river.txt"}
    top = passages[0]
    assert top.doc_id in copies and "silt" in top.text
    assert [(p.doc_id, p.start, p.end) for p in top.also_in] == [
        ((copies - {top.doc_id}).pop(), top.start, top.end)
    ]
    assert [p.doc_id for p in passages].count(top.doc_id) == 1
    assert not any(p.doc_id in copies for p in passages[1:])  # the copy is not listed again

    # The skipped files are remembered as they are: a second run finds nothing to do.
    assert QA(folder, tmp_path / "index", progress=False).index().up_to_date


def test_pdf_and_word_files_are_indexed_and_cited_with_their_page(tmp_path):
    folder = tmp_path / "manuals"
    folder.mkdir()
    for name in ("shared-mime-info-spec.pdf", "nodejs-intl.docx"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    (folder / "broken.pdf").write_bytes((FIXTURES / "shared-mime-info-spec.pdf").read_bytes()[:900])
    (folder / "slides.pptx").write_bytes(b"PK\x03\x04 a presentation")
    qa = QA(folder, tmp_path / "index", progress=False)
    report = qa.index()
    assert report.documents == 2 and report.boilerplate_segments > 0
    assert [(s.path, s.reason.split(" (")[0]) for s in report.skipped] == [
        ("broken.pdf", "broken PDF"),
        ("slides.pptx", "not a supported format"),
    ]
    assert "2 file(s): 1 broken PDF, 1 not a supported format" in report.summary()

    top = qa.retrieve("Which key words are interpreted as described in RFC 2119?", k=1)[0]
    assert top.doc_id == "shared-mime-info-spec.pdf" and top.page == 2 and top.pages == (2,)
    assert qa.document(top.doc_id).text[top.start : top.end] == top.text
    # An answer from page 9 cites its page and section.
    cited = main_output(
        ["ask", "What is the word size used for?", "--corpus", str(folder)], tmp_path
    )
    assert cited.startswith("The word size is used for byte-swapping. [1]")
    section = r"2\. Unified system › 2\.5\. The magic files"
    assert re.search(rf"\(shared-mime-info-spec\.pdf, p\. 9, § {section}, chars \d+–\d+\)", cited)

    table = qa.retrieve("Which ICU option supports the Intl object fully?", k=3)
    assert any(p.doc_id == "nodejs-intl.docx" and p.page is None for p in table)


def main_output(argv, tmp_path):
    """What ``qa`` prints for ``argv``, over the index in ``tmp_path``."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([*argv, "--index-dir", str(tmp_path / "index"), "--quiet"])
    assert code == 0
    return out.getvalue()


def test_the_chat_names_the_folder_not_the_demo_corpus(folder, tmp_path):
    from qa.ui.app import build_app

    qa = QA(folder, tmp_path / "index", progress=False)
    qa.index()
    props = {c["props"].get("elem_id"): c["props"] for c in build_app(qa).config["components"]}
    assert props["qa-question"]["placeholder"] == "Ask a question about the documents in docs/"
    assert "ceasefire" not in json.dumps(props)
    assert props["qa-examples"]["visible"] is False  # no heading makes a question here


def test_the_chat_offers_questions_made_from_the_folders_headings(tmp_path):
    from qa.ui.app import build_app

    folder = tmp_path / "manuals"
    folder.mkdir()
    for name in ("nodejs-intl.md", "pip-repeatable-installs.docx"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    qa = QA(folder, tmp_path / "index", progress=False)
    qa.index()
    props = {c["props"].get("elem_id"): c["props"] for c in build_app(qa).config["components"]}
    examples = [sample[0] for sample in props["qa-examples"]["samples"]]
    assert examples == [
        "How do I disable all internationalization features?",
        "How do I pin the package versions?",
        "How do I build with a pre-installed ICU?",
        "How do I use a wheelhouse?",
    ]
    assert props["qa-question"]["placeholder"] == f"Ask a question, e.g. {examples[0]}"
    assert "ceasefire" not in json.dumps(props)
