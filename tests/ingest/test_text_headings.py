"""Headings of plain text and reStructuredText, found by their layout, on a real man page and
on the shapes of README files."""

from __future__ import annotations

import time
from pathlib import Path

from qa.ingest.structure.headings import plain_text_headings, plain_text_outline
from qa.types import TABLE_OF_CONTENTS
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


def test_asciidoc_and_mediawiki_titles_are_marked_with_equals_signs(tmp_path: Path) -> None:
    listing = "-" * 20
    text = (
        "= Git User Manual\n\n[preface]\n== Introduction\n\nGit is fast.\n\n"
        f"{listing}\n= not a title, in a listing\n{listing}\n\n"
        "=== Creating tags\n\nRun git tag.\n"
    )
    doc = document_of(tmp_path, "user-manual.adoc", text.encode())
    assert [(h.level, h.title) for h in doc.headings] == [
        (1, "Git User Manual"),
        (2, "Introduction"),
        (3, "Creating tags"),
    ]
    assert doc.title == "Git User Manual"
    assert (
        doc.section_at(doc.text.index("Run git"))
        == "Git User Manual › Introduction › Creating tags"
    )
    wiki = "== Usage ==\n\nRun it.\n\n== Options ==\n\nNone.\n\n== Bugs ==\n\nNone known.\n"
    assert [h.title for h in plain_text_headings(wiki)] == ["Usage", "Options", "Bugs"]
    # Fewer than three such lines are no outline: "= x" may be anything.
    assert plain_text_headings("= Title\n\nText.\n\n== One\n\nMore text.\n") == ()


def test_an_underlined_title_starts_a_paragraph() -> None:
    # AsciiDoc closes a listing with a line of dashes as long as its last line.
    listing = "$ git commit -m 'Massive'\n$ git stash pop   # to finish work on the saved changes"
    text = f"EXAMPLES\n--------\n\n{'-' * 56}\n{listing}\n{'-' * 56}\n"
    assert [h.title for h in plain_text_headings(text)] == ["EXAMPLES"]


def test_a_man_page_subsection_is_indented_three_spaces_before_deeper_text() -> None:
    body = "       text of the option, indented as a man page indents it\n" * 6
    text = f"OPTIONS\n   File name transformations\n       --strip-components=NUMBER\n{body}"
    headings = plain_text_headings(text)
    assert [(h.level, h.title) for h in headings] == [
        (1, "OPTIONS"),
        (2, "File name transformations"),
    ]


def test_a_man_page_saved_with_tabs_is_read_by_its_columns() -> None:
    # `man rsyncd.conf | col -b` writes runs of spaces as tabs: "\t      " is column 14.
    body = "\t      text of the parameter, as col -b writes it with its tabs\n" * 6
    text = (
        "rsyncd.conf(5)\t\t\t User Commands\t\t\trsyncd.conf(5)\n\nNAME\n"
        f"       rsyncd.conf - configuration file\n\nGLOBAL PARAMETERS\n       motd file\n{body}"
    )
    assert [h.title for h in plain_text_headings(text)] == ["NAME", "GLOBAL PARAMETERS"]
    spaces = text.replace("\t      ", " " * 14)
    assert [h.title for h in plain_text_headings(spaces)] == ["NAME", "GLOBAL PARAMETERS"]


def test_sphinx_text_headings_end_in_a_permalink_sign(tmp_path: Path) -> None:
    text = "3. Packaging¶\n\nSome text.\n\n3.1. Versions¶\n\nMore text.\n"
    doc = document_of(tmp_path, "policy.txt", text.encode())
    assert [(h.level, h.title) for h in doc.headings] == [(1, "3. Packaging"), (2, "3.1. Versions")]


def test_restructured_text_sections_are_its_underlined_titles(tmp_path: Path) -> None:
    text = "Setting up\n==========\n\nInstall\n-------\n\nRun ``make run``.\n"
    doc = document_of(tmp_path, "setup.rst", text.encode())
    assert [(h.level, h.title) for h in doc.headings] == [(1, "Setting up"), (2, "Install")]
    assert doc.section_at(doc.text.index("Run")) == "Setting up › Install"


FAQ = """Frequently Asked Questions
| the table below is no heading |
---------------------------------

Contents:

1.0\tGeneral Concepts
1.1\tWhat is it?
1.2\tWhere do I get it?
1.2.1\tWhy can't I check the sum reported in
\tthe README?

2.0\tProblems
2.1\tWhy does it crash?

1.0\tGeneral Concepts

1.1\tWhat is it?

\tA tool that lists open files.

1.2\tWhere do I get it?

\tFrom the mirrors.

1.2.1\tWhy can't I check the sum reported in
\tthe README?

\tThe README was written before the last release.

2.0\tProblems

2.1\tWhy does it crash?

\tIt does not.
"""


def test_an_faq_s_numbered_questions_are_its_headings_and_its_contents_are_not() -> None:
    headings = plain_text_headings(FAQ)
    assert [(h.level, h.title) for h in headings] == [
        (1, "1.0 General Concepts"),
        (2, "1.1 What is it?"),
        (2, "1.2 Where do I get it?"),
        (3, "1.2.1 Why can't I check the sum reported in the README?"),
        (1, "2.0 Problems"),
        (2, "2.1 Why does it crash?"),
    ]
    body = FAQ.index("1.0\tGeneral Concepts\n\n1.1")
    assert headings[0].start == body  # the contents' line of the same number is not the heading
    wrapped = headings[3]
    said = "1.2.1\tWhy can't I check the sum reported in\n\tthe README?"
    assert FAQ[wrapped.start : wrapped.end] == said


def test_numbered_steps_are_no_outline() -> None:
    text = "1. Download the tarball\n\n2. Unpack it\n\n3. Run make\n\nThat is all.\n"
    assert plain_text_headings(text) == ()


# The shape of libpng-manual.txt: its parts numbered in Roman numerals at the margin.
ROMAN_PARTS = (
    "I. Introduction\n\nThis file describes libpng.\n\nII. Structures\n\nThere are two.\n\n"
    "III. Reading\n\nWe'll now walk you through reading.\n"
)
ROMAN_HEADINGS = [(1, "I. Introduction"), (1, "II. Structures"), (1, "III. Reading")]


def test_a_manual_s_roman_numbered_sections_are_its_headings() -> None:
    # Its contents are indented; its sections at the margin.
    contents = " TABLE OF CONTENTS\n\n    I. Introduction\n   II. Structures\n  III. Reading\n\n"
    text = contents + ROMAN_PARTS
    headings = plain_text_headings(text)
    assert [(h.level, h.title) for h in headings] == ROMAN_HEADINGS
    assert headings[0].start == text.index("I. Introduction\n\nThis")


def test_a_numbered_section_s_unnumbered_titles_are_one_level_below_it() -> None:
    text = ROMAN_PARTS + (
        "\nSetup\n\nYou will want to do the I/O initialization first.\n\n"
        "    png_init_io(png_ptr, fp);\n\nUser limits\n\n"
        "The PNG specification allows large images.\n\nsetjmp\n\nNot a title: lower case.\n"
        "\nNot a title either\n\n    an indented example\n"
    )
    assert [(h.level, h.title) for h in plain_text_headings(text)] == [
        *ROMAN_HEADINGS,
        (2, "Setup"),
        (2, "User limits"),
    ]
    # With no numbered sections, a short line alone is no title.
    assert plain_text_headings("Setup\n\nYou will want to do it.\n\nUsage\n\nRun it.\n") == ()


def test_a_paragraph_s_line_that_starts_with_a_number_is_no_heading() -> None:
    text = (
        "1.1 Setup\n\nRun it.\n\n1.2 Use\n\nIt will return zero if the image was gray or\n"
        "1 if there were any non-gray pixels.  Background and sBIT data\nwill be converted.\n\n"
        "Checking was added at libpng\n1.5.10.  If a pixel holds an invalid index libpng issues\n"
        "a benign error.\n\n1.3 Done\n\nThat is all.\n"
    )
    assert [h.title for h in plain_text_headings(text)] == ["1.1 Setup", "1.2 Use", "1.3 Done"]


def test_a_numbered_section_wrapped_at_the_margin_before_a_blank_line_is_one_title() -> None:
    text = (
        "1.1. How do I start?\n\n   Begin.\n\n1.2. How do I convert files with toggle characters,"
        " like +this+, to\nlook like [i]this[/i]?\n\n   With sed.\n\n1.3. Why?\n\n   Because.\n"
    )
    titles = [h.title for h in plain_text_headings(text)]
    assert titles == [
        "1.1. How do I start?",
        "1.2. How do I convert files with toggle characters, like +this+, to look like"
        " [i]this[/i]?",
        "1.3. Why?",
    ]


def test_an_faq_s_contents_are_left_out_of_the_index(tmp_path: Path) -> None:
    doc = document_of(tmp_path, "faq.txt", FAQ.encode())
    contents = FAQ.index("1.0\tGeneral Concepts")
    left_out = [s for s in doc.segments if s.kind == "boilerplate"]
    assert [(s.reason, FAQ[s.start : s.end]) for s in left_out] == [
        (TABLE_OF_CONTENTS, FAQ[contents : FAQ.index("\n\n1.0\tGeneral Concepts\n\n1.1")])
    ]
    indexed = "".join(doc.text[s.start : s.end] for s in doc.segments if s.kind == "article")
    assert "A tool that lists open files." in indexed and "Contents:" in indexed
    assert plain_text_outline("1. Download\n\n2. Unpack\n") == ((), [])
    # A title wrapped in the contents, right above the next entry, is left out with them.
    toc = "1.1\tWhy can't I check the sum reported in\n\tthe README?\n1.2\tIs it free?\n"
    body = "\n1.1\tWhy can't I check it?\n\n\tNo.\n\n1.2\tIs it free?\n\n\tYes.\n"
    text = toc + body + "\n1.3\tWhat else?\n\n\tNothing.\n"
    assert plain_text_outline(text)[1] == [(0, len(toc) - 1)]


def test_a_long_line_is_never_read_slowly() -> None:
    started = time.perf_counter()
    # A number, a word, then 200,000 spaces and a letter: a pattern that backtracks over the
    # spaces for each place its title could end takes minutes.
    text = "1.1 a" + " " * 200_000 + "x\n\n1.2 b\n\n1.3 c\n"
    assert [h.title for h in plain_text_headings(text)] == []
    marked = "= a" + " " * 200_000 + "x\n\n== b\n\n== c\n\n== d\n"  # titles marked with "="
    assert [h.title for h in plain_text_headings(marked)] == ["b", "c", "d"]
    assert time.perf_counter() - started < 1.0


def test_a_list_of_the_text_s_own_headings_before_them_is_its_contents(tmp_path: Path) -> None:
    sections = ("Overview", "Data formats", "Compression details", "Error handling")
    listed = "Overview:\n        Data formats\n        Compression details\nAdvanced features:\n"
    listed += "        Error handling\n"
    body = "".join(
        f"{t}\n{'-' * len(t)}\n\nThe library reads {t.lower()} here.\n\n" for t in sections
    )
    text = f"TABLE OF CONTENTS\n-----------------\n\n{listed}\nRead the overview first.\n\n{body}"
    headings, contents = plain_text_outline(text)
    assert [h.title for h in headings] == ["TABLE OF CONTENTS", *sections]
    assert contents == [(text.index("Overview:"), text.index("Error handling") + 14)]
    doc = document_of(tmp_path, "libjpeg.txt", text.encode())
    left_out = [
        (s.reason, doc.text[s.start : s.end]) for s in doc.segments if s.kind == "boilerplate"
    ]
    assert left_out == [(TABLE_OF_CONTENTS, listed.rstrip())]
    # Fewer than three titles named, or a list most of whose lines name none, is no contents.
    fewer = text.replace("        Data formats\n", "        Data\n", 1)
    assert plain_text_outline(fewer.replace("details\nAdv", "\nAdv", 1))[1] == []
