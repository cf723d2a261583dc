"""Tests of qa.ingest: listing, decoding, HTML extraction and skipping bad files."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa.answering.layout import layout
from qa.errors import CorpusError
from qa.ingest import (
    CorpusFile,
    SkipFile,
    list_corpus_files,
    load_document,
    read_corpus,
    source,
)
from qa.types import Document
from tests.helpers import DEMO_CORPUS

CORPUS = DEMO_CORPUS
PARAGRAPH = (
    "The offensive in Basra stalled after six days of fighting between the army and the "
    "militias loyal to the cleric."
)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def as_file(folder: Path, name: str) -> CorpusFile:
    path = folder / name
    stat = path.stat()
    return CorpusFile(name, path, stat.st_size, stat.st_mtime_ns)


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail, rather than hang the suite, when the block takes longer than ``seconds``."""

    def expire(signum: int, frame: Any) -> None:
        # Not TimeoutError: that is an OSError, which the reader would take for a bad file.
        pytest.fail(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


LOOP = f"unreadable ({os.strerror(errno.ELOOP)})"  # "Too many levels of symbolic links"


def skip_reason(folder: Path, name: str) -> str:
    with pytest.raises(SkipFile) as caught:
        load_document(as_file(folder, name))
    return caught.value.reason


# --- The bundled corpus ----------------------------------------------------------------------


def test_bundled_corpus_reads_completely() -> None:
    documents, skipped = read_corpus(CORPUS)
    assert skipped == []
    # Every .txt file but the hidden .questions.txt (the chat's examples), which is not read.
    assert [d.doc_id for d in documents] == sorted(p.name for p in CORPUS.glob("[!.]*.txt"))
    by_id = {d.doc_id[:3]: d for d in documents}
    for document in documents:
        # Kept exactly as on disk: offsets refer to this text.
        assert document.text == (CORPUS / document.doc_id).read_text(encoding="utf-8")
        assert any(s.kind == "article" for s in document.segments)
    assert (by_id["000"].author, by_id["000"].date) == ("Kevin Drum", "March 30, 2008")
    assert by_id["000"].title == by_id["001"].title
    assert (by_id["003"].title, by_id["003"].author) == ("Iraq Cease-Fire Over", "James Joyner")


def test_listing_records_size_and_time() -> None:
    files = list_corpus_files(CORPUS)
    assert len(files) == 5
    for file in files:
        assert file.path == CORPUS / file.doc_id
        assert file.size == file.path.stat().st_size > 0
        assert file.mtime_ns == file.path.stat().st_mtime_ns


# --- Listing ---------------------------------------------------------------------------------


def test_listing_is_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "A.TXT",
        "sub/deeper/c.md",
        "sub/page.HTML",
        "notes.markdown",
        "old.htm",
        "guide.rst",
        "image.png",
        "doc.pdf",
        "README",
        ".hidden.txt",
        ".git/config.txt",
        "sub/.cache/x.md",
    ]:
        write(tmp_path, name, PARAGRAPH)
    ids = [f.doc_id for f in list_corpus_files(tmp_path)]
    assert ids == [
        "A.TXT",
        "b.txt",
        "doc.pdf",
        "guide.rst",
        "notes.markdown",
        "old.htm",
        "sub/deeper/c.md",
        "sub/page.HTML",
    ]


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    write(tmp_path, "sub/a.txt", PARAGRAPH)
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "elsewhere").symlink_to(tmp_path / "sub", target_is_directory=True)
    assert [f.doc_id for f in list_corpus_files(tmp_path)] == ["sub/a.txt"]


def test_symlink_loops_are_skipped_with_their_reason(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", PARAGRAPH)
    write(tmp_path, "sub/inner.md", PARAGRAPH)
    (tmp_path / "self.txt").symlink_to("self.txt")  # a file link to itself
    (tmp_path / "ping.txt").symlink_to("pong.txt")  # two file links, each to the other
    (tmp_path / "pong.txt").symlink_to("ping.txt")
    (tmp_path / "sub" / "up").symlink_to("..", target_is_directory=True)  # a folder loop
    (tmp_path / "ring-a").symlink_to("ring-b", target_is_directory=True)  # two folder links
    (tmp_path / "ring-b").symlink_to("ring-a", target_is_directory=True)
    (tmp_path / "ring.md").symlink_to("ring-a")  # a document name leading into them
    with deadline(10):
        documents, skipped = read_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["good.txt", "sub/inner.md"]
    assert {s.path: s.reason for s in skipped} == {
        "ping.txt": LOOP,
        "pong.txt": LOOP,
        "ring.md": LOOP,
        "self.txt": LOOP,
    }


def test_a_named_pipe_is_skipped_not_waited_for(tmp_path: Path) -> None:
    # Reading a FIFO blocks until something writes to it: that would hang the whole run.
    write(tmp_path, "good.txt", PARAGRAPH)
    os.mkfifo(tmp_path / "pipe.txt")
    with deadline(10):
        documents, skipped = read_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["good.txt"]
    assert [(s.path, s.reason) for s in skipped] == [
        ("pipe.txt", "not a regular file (a named pipe)")
    ]


def test_a_link_to_a_device_is_skipped(tmp_path: Path) -> None:
    # /dev/zero never ends; /dev/null would read as an empty file, but is no document either.
    write(tmp_path, "good.txt", PARAGRAPH)
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "null.txt").symlink_to("/dev/null")
    with deadline(10):
        documents, skipped = read_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["good.txt"]
    assert {s.path: s.reason for s in skipped} == {
        "null.txt": "not a regular file (a character device)",
        "zero.txt": "not a regular file (a character device)",
    }


def test_byte_identical_copies_are_both_read(tmp_path: Path) -> None:
    # Both are documents in their own right; the index collapses their shared passages
    # (tests/test_other_corpus.py), the reader keeps both.
    original = write(tmp_path, "original.txt", f"The Title\n\n{PARAGRAPH}\n")
    write(tmp_path, "copies/copy.txt", original.read_bytes())
    documents, skipped = read_corpus(tmp_path)
    assert skipped == []
    assert [d.doc_id for d in documents] == ["copies/copy.txt", "original.txt"]
    copy, first = documents
    assert (copy.text, copy.title, copy.segments) == (first.text, first.title, first.segments)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        list_corpus_files(tmp_path / "nope")
    with pytest.raises(CorpusError, match="does not exist"):
        read_corpus(tmp_path / "nope")


def test_file_instead_of_folder(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", PARAGRAPH)
    with pytest.raises(CorpusError, match="not a folder"):
        read_corpus(path)


def test_folder_without_documents(tmp_path: Path) -> None:
    write(tmp_path, "image.png", b"\x89PNG")
    kinds = "txt/md/markdown/html/htm/rst/adoc/asciidoc/pdf/docx"
    with pytest.raises(CorpusError, match=f"no .{kinds} documents"):
        read_corpus(tmp_path)


# --- Reading and skipping --------------------------------------------------------------------


def test_bad_files_are_skipped_and_good_ones_read(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", f"A Good Title\n\n{PARAGRAPH}\n")
    write(tmp_path, "binary.txt", b"GIF89a\x00\x01\x02 some text")
    write(tmp_path, "latin1.txt", "café".encode("latin-1"))
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blank.md", " \n\t\r\n")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    documents, skipped = read_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["good.txt"]
    assert documents[0].title == "A Good Title"
    assert {s.path: s.reason for s in skipped} == {
        "binary.txt": "binary file (NUL bytes)",
        "blank.md": "no text (empty or whitespace only)",
        "dangling.txt": "unreadable (No such file or directory)",
        "empty.txt": "empty file",
        "latin1.txt": "not valid UTF-8 (byte 0xe9 at offset 3)",
    }


def test_only_bad_files_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "binary.txt", b"\x00\x01")
    write(tmp_path, "empty.txt", b"")
    with pytest.raises(CorpusError) as caught:
        read_corpus(tmp_path)
    message = str(caught.value)
    assert "no readable" in message and "(2 skipped: " in message
    assert "binary.txt: binary file (NUL bytes)" in message
    assert "\n" not in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", PARAGRAPH)
    locked = write(tmp_path, "locked.txt", PARAGRAPH)
    locked.chmod(0)
    try:
        documents, skipped = read_corpus(tmp_path)
    finally:
        locked.chmod(0o644)
    assert [d.doc_id for d in documents] == ["good.txt"]
    assert [(s.path, s.reason) for s in skipped] == [
        ("locked.txt", "unreadable (permission denied)")
    ]


def test_permission_error_is_skipped_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test above cannot run as root; this one fakes the refusal instead.
    write(tmp_path, "good.txt", PARAGRAPH)
    locked = write(tmp_path, "locked.txt", PARAGRAPH)
    real_open = Path.open

    def refusing_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    documents, skipped = read_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["good.txt"]
    assert [(s.path, s.reason) for s in skipped] == [
        ("locked.txt", "unreadable (permission denied)")
    ]


def test_too_large_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 100)
    write(tmp_path, "big.txt", "x" * 101)
    write(tmp_path, "small.txt", "x" * 100)
    assert skip_reason(tmp_path, "big.txt").startswith("too large")
    assert load_document(as_file(tmp_path, "small.txt")).text == "x" * 100


def test_a_text_file_just_over_the_limit_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    # The real limit, not a patched one: 50 MiB and one byte of plain English.
    text = (f"{PARAGRAPH}\n\n" * (source.MAX_FILE_BYTES // len(PARAGRAPH) + 1)).encode()
    write(tmp_path, "huge.txt", text[: source.MAX_FILE_BYTES + 1])
    write(tmp_path, "a.txt", f"First\n\n{PARAGRAPH}\n")
    write(tmp_path, "sub/b.md", f"# Second\n\n{PARAGRAPH}\n")
    write(tmp_path, "sub/c.html", f"<title>Third</title><p>{PARAGRAPH}</p>")
    documents, skipped = read_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["a.txt", "sub/b.md", "sub/c.html"]
    assert [d.title for d in documents] == ["First", "Second", "Third"]
    assert [(s.path, s.reason) for s in skipped] == [("huge.txt", "too large (over 50 MiB)")]


def test_nul_byte_after_the_first_8_kib_is_not_binary(tmp_path: Path) -> None:
    write(tmp_path, "late.txt", b"a" * 9000 + b"\x00")
    assert load_document(as_file(tmp_path, "late.txt")).text.startswith("a")


def test_boms_and_line_endings(tmp_path: Path) -> None:
    text = f"Title\r\n\r\n{PARAGRAPH} Ça va.\r\n"
    write(tmp_path, "utf8bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    write(tmp_path, "utf16.txt", text.encode("utf-16"))  # with its BOM
    write(tmp_path, "utf16be.txt", b"\xfe\xff" + text.encode("utf-16-be"))
    for name in ["utf8bom.txt", "utf16.txt", "utf16be.txt"]:
        document = load_document(as_file(tmp_path, name))
        assert document.text == text  # BOM dropped, "\r\n" kept
        assert document.title == "Title"
        for segment in document.segments:
            piece = document.text[segment.start : segment.end]
            assert piece == piece.strip()


def test_broken_utf16_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "odd.txt", b"\xff\xfeA\x00B")  # odd number of bytes
    assert skip_reason(tmp_path, "odd.txt").startswith("not valid UTF-16")


def test_html_visible_text(tmp_path: Path) -> None:
    write(
        tmp_path,
        "page.html",
        "<!doctype html><html><head><title>Basra &amp; After</title>"
        "<style>p { color: red }</style><script>var secret = '<p>hidden</p>';</script></head>"
        "<body><h1>Heading</h1><p>Caf&eacute; talk: the Quds   Force\nbrokered it.</p>"
        "<noscript>Enable JavaScript</noscript><ul><li>one</li><li>two</li></ul>"
        "<script type='text/javascript'>document.write('ad')</script></body></html>",
    )
    document = load_document(as_file(tmp_path, "page.html"))
    assert document.title == "Basra & After"
    for hidden in ["secret", "hidden", "color", "document.write", "Enable JavaScript"]:
        assert hidden not in document.text
    assert "Café talk: the Quds Force brokered it.\n" in document.text
    assert "\n- one\n- two\n" in document.text  # items, as a Word file's
    indexed = [document.text[s.start : s.end] for s in document.segments if s.kind == "article"]
    assert any("Quds Force brokered it." in piece for piece in indexed)


def test_html_lists_are_items(tmp_path: Path) -> None:
    write(
        tmp_path,
        "api.html",
        f"<body><h2>assert.deepStrictEqual(actual, expected)</h2><p>{PARAGRAPH}</p>"
        "<ul><li><code>actual</code> &lt;any&gt;</li><li><p>expected &lt;any&gt;</p></li></ul>"
        "<ol><li>Parse the file.</li><li>Apply the stylesheet.</li></ol></body>",
    )
    text = load_document(as_file(tmp_path, "api.html")).text
    assert "\n- actual <any>\n" in text and "\n- expected <any>\n" in text
    assert "\n1. Parse the file.\n2. Apply the stylesheet.\n" in text


def test_an_html_pages_own_list_of_links_into_it_is_contents_and_left_out(tmp_path: Path) -> None:
    # SQLite's FAQ opens with its questions, each a link to its answer further down.
    questions = ["How do I create an AUTOINCREMENT field?", "Is SQLite threadsafe?", "Why?"]
    contents = "".join(f'<li><a href="#q{i}">{q}</a></li>' for i, q in enumerate(questions))
    answers = "".join(
        f'<p><a name="q{i}"></a><b>{q}</b></p><p>{PARAGRAPH}</p>' for i, q in enumerate(questions)
    )
    links = '<ul><li><a href="#q0">Top</a> of the page</li><li><a href="#q1">a</a></li>'
    write(tmp_path, "faq.html", f"<body><ol>{contents}</ol>{answers}{links}<li>b</li></ul></body>")
    doc = load_document(as_file(tmp_path, "faq.html"))
    assert doc.text.count("Is SQLite threadsafe?") == 1 and not doc.text.startswith("1.")
    listed = "1. How do I create an AUTOINCREMENT field? 2. Is SQLite threadsafe? 3. Why?"
    assert dict(doc.removed)["navigation"] == len(listed)  # counted, as the index report says
    assert "- Top of the page\n- a\n- b" in doc.text  # words of its own: a list, not contents


def test_html_definitions_stand_under_their_terms(tmp_path: Path) -> None:
    write(
        tmp_path,
        "users.html",
        f"<body><p>{PARAGRAPH}</p><DL><DT>root</DT><DD><P>Root is the superuser.</P></DD>"
        "<DT>daemon</DT><DD><P>Some daemons run as daemon.</P><P>LSB lists it as legacy.</P>"
        "</DD></DL><P>Once the users exist, run update-passwd.</P></body>",
    )
    doc = load_document(as_file(tmp_path, "users.html"))
    assert "root\n\n: Root is the superuser." in doc.text
    # Each paragraph of a definition is marked as its; the paragraph after the list is not.
    assert ": Some daemons run as daemon.\n\n: LSB lists it as legacy." in doc.text
    assert "\n\nOnce the users exist, run update-passwd." in doc.text
    blocks = layout(doc.text[doc.text.index("daemon") :])
    assert [b.kind for b in blocks] == ["term", "item", "item", "prose"]
    # End tags left out: the next dt, or the list's end, closes a definition.
    write(
        tmp_path,
        "bare.html",
        f"<body><p>{PARAGRAPH}</p><dl><dt>bin<dd><p>No files are owned by bin.<p>It is legacy."
        "<dt>sys<dd><p>The sys user owned the kernel sources.</dl><p>Run update-passwd.</p>",
    )
    text = load_document(as_file(tmp_path, "bare.html")).text
    assert ": No files are owned by bin.\n\n: It is legacy.\n" in text
    assert "\n: The sys user owned the kernel sources." in text
    assert "\n\nRun update-passwd." in text


def test_html_title_falls_back_to_h1(tmp_path: Path) -> None:
    write(tmp_path, "page.htm", f"<body><h1>The <b>Real</b> Title</h1><p>{PARAGRAPH}</p></body>")
    assert load_document(as_file(tmp_path, "page.htm")).title == "The Real Title"
    # ... and then to its first heading, not its first line ("Download the ebook").
    page = f"<p><a href='/get'>Download the ebook</a></p><h2>1.6. Lifecycle</h2><p>{PARAGRAPH}</p>"
    write(tmp_path, "section.html", page)
    assert load_document(as_file(tmp_path, "section.html")).title == "1.6. Lifecycle"


def test_html_without_visible_text_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "empty.html", "<html><head><script>x()</script></head><body> </body></html>")
    assert skip_reason(tmp_path, "empty.html") == "no text (empty or whitespace only)"


def test_markdown_title(tmp_path: Path) -> None:
    write(tmp_path, "notes.md", f"Some preamble line\n\n# The Heading #\n\n{PARAGRAPH}\n")
    assert load_document(as_file(tmp_path, "notes.md")).title == "The Heading"


def test_title_falls_back_to_file_stem(tmp_path: Path) -> None:
    write(tmp_path, "my-notes.txt", f"{PARAGRAPH}\n")
    document = load_document(as_file(tmp_path, "my-notes.txt"))
    assert isinstance(document, Document)
    assert document.title == "my-notes"


def test_a_markdown_page_whose_chapters_are_level_one_headings_takes_no_chapter_as_title(
    tmp_path: Path,
) -> None:
    chapters = f"# 1. Getting Started\n\n{PARAGRAPH}\n\n# 2. Special Commands\n\n{PARAGRAPH}\n"
    write(tmp_path, "shell-guide.md", chapters)
    assert load_document(as_file(tmp_path, "shell-guide.md")).title == "shell-guide"
    write(tmp_path, "titled.md", f"---\ntitle: The Shell\n---\n\n{chapters}")
    assert load_document(as_file(tmp_path, "titled.md")).title == "The Shell"
