"""Headings give each chunk its section, on real documents of three formats (the same Node.js
page as Markdown, HTML and Word), and no chunk runs across a heading."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa.index.chunking import Chunker
from qa.types import Document, Heading
from tests.helpers import FIXTURES, document_of

SMALL_ICU = "Options for building Node.js › Embed a limited set of ICU data"


@pytest.fixture(scope="module")
def chunker(encoder) -> Chunker:
    return Chunker(encoder.count_tokens, encoder.token_offsets, 192, 32)


@pytest.mark.parametrize("name", ["nodejs-intl.md", "nodejs-intl.html", "nodejs-intl.docx"])
def test_each_chunk_knows_its_headings_and_none_crosses_one(
    tmp_path: Path, chunker: Chunker, name: str
) -> None:
    document = document_of(tmp_path, name, (FIXTURES / name).read_bytes())
    assert len(document.headings) == 8
    chunks = chunker.chunk_document(document)
    for heading in document.headings:
        inside = [c for c in chunks if c.start < heading.start < c.end]
        # Only under a heading with nothing under it ("# Internationalization support" right
        # over its first section's), which opens the next chunk.
        assert all(is_headings(document, c.start, heading.start) for c in inside), heading.title
    small = [c for c in chunks if "only work with the English locale" in c.text]
    assert small and all(c.section and SMALL_ICU in c.section for c in small)
    assert small[0].section.startswith("Internationalization support › ")
    runtime = next(c for c in chunks if "NODE_ICU_DATA" in c.text)
    assert runtime.section.endswith("› Providing ICU data at runtime")


def is_headings(document: Document, start: int, end: int) -> bool:
    """Whether ``document.text[start:end]`` holds only headings."""
    text = list(document.text[start:end])
    for heading in document.headings:
        for i in range(max(heading.start, start), min(heading.end, end)):
            text[i - start] = " "
    return not "".join(text).strip("# \n")


def test_a_heading_with_nothing_under_it_opens_the_next_chunk(
    tmp_path: Path, chunker: Chunker
) -> None:
    text = (
        "# Util\n\n"
        "## `util.inspect(object[, options])`\n\n"
        "## `util.inspect(object[, showHidden])`\n\n"
        "The method returns a string representation of the object.\n\n"
        "## `util.format(format)`\n\n"
        "Returns a formatted string.\n"
    )
    document = document_of(tmp_path, "util.md", text.encode())
    assert len(document.headings) == 4
    chunks = chunker.chunk_document(document)
    assert [c.text.splitlines()[0] for c in chunks] == [
        "# Util",
        "## `util.format(format)`",
    ]
    assert chunks[0].text.endswith("representation of the object.")
    assert chunks[0].section == "Util › `util.inspect(object[, showHidden])`"
    assert chunks[1].section == "Util › `util.format(format)`"


def test_a_markdown_heading_inside_code_is_code(tmp_path: Path) -> None:
    text = (
        "# Setup\n\nRun this:\n\n```sh\n# install the tools\nmake install\n```\n\n## Use\n\nAsk.\n"
    )
    document = document_of(tmp_path, "setup.md", text.encode())
    assert [(h.level, h.title) for h in document.headings] == [(1, "Setup"), (2, "Use")]
    assert document.section_at(text.index("make install")) == "Setup"
    assert document.section_at(text.index("Ask.")) == "Setup › Use"


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(1, 4)), max_size=12),
    st.integers(0, 80),
)
def test_the_section_trail_is_each_heading_under_the_last_higher_one(steps, offset) -> None:
    headings, at = [], 0
    for number, (gap, level) in enumerate(steps):
        at += gap
        headings.append(Heading(level, f"h{number}", at, at + 1))
    trail: list[Heading] = []  # the definition: walk forward, each heading ends deeper ones
    for heading in headings:
        if heading.start > offset:
            break
        trail = [h for h in trail if h.level < heading.level] + [heading]
    document = Document("a.txt", "A", "x" * 100, headings=tuple(headings))
    assert document.section_at(offset) == (" › ".join(h.title for h in trail) or None)
