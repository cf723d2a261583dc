"""Hostile or odd files of each format end in a skip reason or a sane document, never an
exception that stops a run (found by reviewing the readers)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.ingest import SkipFile
from tests.helpers import FIXTURES, document_of


def test_a_word_file_with_a_malformed_part_is_skipped(tmp_path: Path) -> None:
    original = zipfile.ZipFile(FIXTURES / "nodejs-intl.docx")
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            copy.writestr(
                item, b"<w:document><unclosed" if item.filename == "word/document.xml" else data
            )
    with pytest.raises(SkipFile, match="unreadable docx file|broken Word file"):
        document_of(tmp_path, "broken.docx", broken.getvalue())


@pytest.mark.parametrize(
    "page, kept",
    [
        ("<p>x \ue0007\ue001 y \ue0021\ue003</p><pre>code</pre>", "x 7 y 1\n\ncode\n"),
        ("<p>Intro</p><img class='sidebar-logo'><input hidden><p>Still here.</p>", "Still here."),
        ("<p>Intro</p><div class='sidebar'/><p>And this.</p>", "And this."),
        (
            "<body class='has-sidebar with-toc main-menu-open'><p>Content stays.</p></body>",
            "Content",
        ),
    ],
    ids=["forged placeholders", "void furniture", "self-closed furniture", "page-state classes"],
)
def test_html_that_looks_like_furniture_or_placeholders_keeps_its_text(
    tmp_path: Path, page: str, kept: str
) -> None:
    assert kept in document_of(tmp_path, "page.html", page.encode()).text


def test_html_headings_are_placed_where_they_stand(tmp_path: Path) -> None:
    page = "<p>Setup</p><h2>Setup</h2><p>Body.</p><h2>Part<br>Two</h2><p>More.</p>"
    document = document_of(tmp_path, "page.html", page.encode())
    first, second = document.headings
    assert first.start == document.text.index("Setup", 1) and first.title == "Setup"
    assert second.title == "Part Two" and document.section_at(document.text.index("More.")) == (
        "Part Two"
    )


def test_markdown_headings_by_commonmark_lines_and_markers(tmp_path: Path) -> None:
    text = "para\u2028more\n\n# Real\n\n> # Quoted\n\n- ## In a list\n\n# Title #\r\n"
    document = document_of(tmp_path, "notes.md", text.encode())
    assert [h.title for h in document.headings] == ["Real", "Quoted", "In a list", "Title"]
    assert all(
        document.text[h.start : h.end].endswith(h.title.split()[-1]) for h in document.headings[:1]
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<!-- a comment -->\n",
                "<!-- unclosed\n",
                "-->\n",
                "* [Link](#anchor)\n",
                "  * [Nested](#nested)\n",
                "* [Away](https://example.com)\n",
                "# Heading\n",
                "```\n",
                "<!-- in code? -->\n",
                "Some prose with a [link](#x) in it.\n",
                "[label]: https://example.com\n",
                "   [ref]: #x 'a title'\n",
                "---\n",
                "title: Notes\n",
                "\n",
                "\r\n",
                "\u2028",
            ]
        ),
        max_size=30,
    )
)
def test_markdown_comments_and_contents_lines_leave_sane_segments(lines: list[str]) -> None:
    """Whatever mix of front matter, comments, contents links, link references, fences and line
    ends: segments in order, not overlapping, inside the text, and only those set aside."""
    from qa.ingest.markdown import read
    from qa.ingest.source import CorpusFile
    from qa.types import (
        FRONT_MATTER,
        LINK_REFERENCES,
        RAW_MARKUP,
        SOURCE_COMMENTS,
        TABLE_OF_CONTENTS,
    )

    text = "".join(lines) + "\n-->\n\nLast line."  # a comment left open hides the rest
    document = read(text.encode(), CorpusFile("notes.md", Path("notes.md"), len(text), 0))
    end = 0
    for segment in document.segments:
        assert end <= segment.start < segment.end <= len(document.text)
        end = segment.end
        if segment.kind == "boilerplate":
            assert segment.reason in (
                SOURCE_COMMENTS,
                TABLE_OF_CONTENTS,
                LINK_REFERENCES,
                FRONT_MATTER,
                RAW_MARKUP,
            )
    assert "Last line." in document.indexed_text


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                '<div class="nav" role="navigation">\n',
                "<table><tr><td>a</td><td>\n",
                "</td></tr>\n",
                '<a href="#x"\nclass="y">link</a>\n',
                "<a " + "= " * 50 + "\n",
                '# Heading<a href="#h" class="headerlink"\n',
                "Some prose.\n",
                "\n",
                "```\n<td>\n```\n",
            ]
        ),
        max_size=30,
    )
)
def test_markdown_of_raw_html_reads_as_a_page_whatever_its_tags(lines: list[str]) -> None:
    """Markdown that is mostly HTML, its tags cut, unclosed or wrapped over lines: read as the
    page it renders to, in one pass, no mark of the reader's left in the text (or skipped with
    its reason)."""
    from qa.ingest.markdown import read
    from qa.ingest.source import CorpusFile

    text = "".join(lines) + "\nLast line."
    try:
        document = read(text.encode(), CorpusFile("page.md", Path("page.md"), len(text), 0))
    except SkipFile:  # all of it navigation (a <div role="navigation"> never closed): one line
        return
    assert not any("\ue000" <= ch <= "\ue006" for ch in document.text)
    for segment in document.segments:
        assert 0 <= segment.start < segment.end <= len(document.text)
