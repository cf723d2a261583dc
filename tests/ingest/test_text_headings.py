"""Headings of plain text and reStructuredText, found by their layout, on a real man page and
on the shapes of README files."""

from __future__ import annotations

from pathlib import Path

from qa.ingest.structure.headings import plain_text_headings
from tests.helpers import FIXTURES, document_of


def test_a_man_page_s_sections_and_subsections_are_its_headings(tmp_path: Path) -> None:
    doc = document_of(tmp_path, "ls.txt", (FIXTURES / "ls-man-page.txt").read_bytes())
    titles = [h.title for h in doc.headings]
    assert titles[:3] == ["NAME", "SYNOPSIS", "DESCRIPTION"] and "AUTHOR" in titles
    assert all(h.level == 1 for h in doc.headings)
    at = doc.text.index("do not ignore entries starting with .")
    assert doc.section_at(at) == "DESCRIPTION"
    for heading in doc.headings:
        assert doc.text[heading.start : heading.end].strip() == heading.title


def test_underlined_titles_take_their_levels_in_the_order_their_marks_appear() -> None:
    text = (
        "Release Notes\n=============\n\nIntro.\n\nNew features\n------------\n\n"
        "* one\n\nFixes\n-----\n\nTwo fixes.\n"
    )
    headings = plain_text_headings(text)
    assert [(h.level, h.title) for h in headings] == [
        (1, "Release Notes"),
        (2, "New features"),
        (2, "Fixes"),
    ]
    assert text[headings[1].start : headings[1].end] == "New features"


def test_a_rule_across_the_page_or_an_underlined_sentence_is_no_heading() -> None:
    text = (
        "The last line of a paragraph ends here.\n------------------------------------------"
        "--------------------------\n\nA line under a rule\n" + "-" * 70 + "\n"
    )
    assert plain_text_headings(text) == ()


def test_a_man_page_subsection_is_indented_three_spaces_before_deeper_text() -> None:
    body = "       text of the option, indented as a man page indents it\n" * 6
    text = f"OPTIONS\n   File name transformations\n       --strip-components=NUMBER\n{body}"
    headings = plain_text_headings(text)
    assert [(h.level, h.title) for h in headings] == [
        (1, "OPTIONS"),
        (2, "File name transformations"),
    ]


def test_sphinx_text_headings_end_in_a_permalink_sign(tmp_path: Path) -> None:
    text = "3. Packaging¶\n\nSome text.\n\n3.1. Versions¶\n\nMore text.\n"
    doc = document_of(tmp_path, "policy.txt", text.encode())
    assert [(h.level, h.title) for h in doc.headings] == [(1, "3. Packaging"), (2, "3.1. Versions")]


def test_restructured_text_sections_are_its_underlined_titles(tmp_path: Path) -> None:
    text = "Setting up\n==========\n\nInstall\n-------\n\nRun ``make run``.\n"
    doc = document_of(tmp_path, "setup.rst", text.encode())
    assert [(h.level, h.title) for h in doc.headings] == [(1, "Setting up"), (2, "Install")]
    assert doc.section_at(doc.text.index("Run")) == "Setting up › Install"
