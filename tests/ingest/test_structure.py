"""Tests of qa.ingest.structure.segment on the bundled corpus and on small synthetic pages.

Reader comments are tested in test_comments.py; both read the corpus through samples.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.ingest.structure import find_byline, find_title, segment_text
from qa.types import INDEXED_KINDS, Segment
from tests.helpers import document_of
from tests.ingest.samples import (
    CORPUS_FILES,
    DRUM,
    DRUM_ARTICLE_ONLY,
    JOYNER,
    NYT,
    PARAGRAPH,
    WAPO,
    kinds,
    of_kind,
    read,
    segmented,
)


def assert_well_formed(text: str, segments: tuple[Segment, ...]) -> None:
    """Ordered, non-overlapping, trimmed, and every non-blank line in exactly one segment."""
    previous_end = 0
    for segment in segments:
        assert previous_end <= segment.start < segment.end <= len(text)
        piece = text[segment.start : segment.end]
        assert piece == piece.strip()
        previous_end = segment.end
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            start = pos + len(line) - len(line.lstrip())
            end = pos + len(line.rstrip())
            holders = [s for s in segments if s.start <= start and end <= s.end]
            assert len(holders) == 1, f"line {line!r} is in {len(holders)} segments"
        pos += len(line)


# --- The corpus ------------------------------------------------------------------------------


def test_corpus_is_present() -> None:
    assert [p.name for p in CORPUS_FILES] == [DRUM, DRUM_ARTICLE_ONLY, WAPO, JOYNER, NYT]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name[:3])
def test_corpus_segments_are_well_formed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert_well_formed(text, segment_text(text))


def test_drum_article_is_the_post_and_nothing_else() -> None:
    text, segments = segmented(DRUM)
    articles = of_kind(segments, "article")
    assert len(articles) == 1
    article = articles[0]
    body = text[article.start : article.end]
    assert body.startswith("WHAT'S GOING ON IN BASRA")
    assert body.endswith("but you never know.")
    assert article.end <= text.index("Kevin Drum 8:26 PM Permalink")
    assert (article.author, article.date) == ("Kevin Drum", "March 30, 2008")


FURNITURE = (
    "Sign up for Free News",
    "Bookmark and Share",
    "Nice site",
    "Recent Comments",
    "FILED UNDER",
    "About James Joyner",
    "Advertise in WM",
    'Editore"s Note',
    "says:",
)


def test_furniture_occurs_in_the_corpus() -> None:
    # Otherwise the next test would pass for nothing.
    everything = "".join(read(p.name) for p in CORPUS_FILES)
    for needle in FURNITURE:
        assert needle in everything


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name[:3])
def test_furniture_is_not_indexed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for segment in segment_text(text):
        if segment.kind in INDEXED_KINDS:
            piece = text[segment.start : segment.end]
            for needle in FURNITURE:
                assert needle not in piece, f"{needle!r} in a {segment.kind} segment"


def test_joyner_article_and_author() -> None:
    text, segments = segmented(JOYNER)
    articles = of_kind(segments, "article")
    assert len(articles) == 1
    body = text[articles[0].start : articles[0].end]
    assert body.startswith("Iraq Cease-Fire Over")
    assert body.endswith("a pipeline for anti-government forces.")
    assert articles[0].author == "James Joyner"
    assert find_byline(text) == ("James Joyner", None)
    assert find_title(text, segments) == "Iraq Cease-Fire Over"


@pytest.mark.parametrize("name", [DRUM_ARTICLE_ONLY, WAPO, NYT])
def test_plain_posts_are_one_article(name: str) -> None:
    text, segments = segmented(name)
    assert of_kind(segments, "comment") == []
    articles = of_kind(segments, "article")
    assert len(articles) == 1
    # All the text but furniture is in the article.
    outside = "".join(text[s.start : s.end] for s in segments if s.kind == "boilerplate")
    assert outside in ("", "Recent Comments")


def test_drum_titles_agree() -> None:
    titles = [
        find_title(text, segments) for text, segments in map(segmented, [DRUM, DRUM_ARTICLE_ONLY])
    ]
    assert titles[0] == titles[1] == "What's Going on in Basra?"


def test_titles_of_plain_posts() -> None:
    text, segments = segmented(NYT)
    assert find_title(text, segments) == (
        "Iraqi Army losing ground to Mahdi Army in Basra, Baghdad? Update: Let's have a "
        "political solution, says Sadr"
    )


def test_drum_byline() -> None:
    assert find_byline(read(DRUM)) == ("Kevin Drum", "March 30, 2008")
    assert find_byline(read(NYT)) == (None, None)


# --- Synthetic pages -------------------------------------------------------------------------


def test_plain_article_without_comments() -> None:
    text = f"A Plain Title\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n"
    assert kinds(text) == [("article", None, text.strip())]
    assert find_title(text, segment_text(text)) == "A Plain Title"


def test_empty_text() -> None:
    assert segment_text("") == ()
    assert segment_text(" \n\t\n") == ()
    assert find_title("", ()) is None


def test_share_buttons_above_the_article_do_not_end_it() -> None:
    text = f"Share this\nTitle X\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n"
    assert [k for k, _, _ in kinds(text)] == ["boilerplate", "article"]


def test_crlf_line_endings() -> None:
    unix = (
        f"Title\n\nBy: Ann Lee\n\n{PARAGRAPH}\n\nComments\n\n"
        f"1. joe says:\n\n  {PARAGRAPH}\n\n2. ann says:\n  ok then\n"
    )
    windows = unix.replace("\n", "\r\n")
    segments = segment_text(windows)
    assert_well_formed(windows, segments)
    assert [(s.kind, s.author) for s in segments] == [
        (s.kind, s.author) for s in segment_text(unix)
    ]
    assert [windows[s.start : s.end].replace("\r\n", "\n") for s in segments] == [
        unix[s.start : s.end] for s in segment_text(unix)
    ]
    assert [s.author for s in segments if s.kind == "comment"] == ["joe", "ann"]
    assert find_byline(windows) == ("Ann Lee", None)


def test_byline_needs_a_name() -> None:
    text = f"By the way, nobody expected this.\n\n{PARAGRAPH}\n"
    assert find_byline(text) == (None, None)
    assert [k for k, _, _ in kinds(text)] == ["article"]


def test_newsletter_line_inside_article_is_dropped() -> None:
    text = f"{PARAGRAPH}\n\nSign up for our free newsletter and updates\n\n{PARAGRAPH}\n"
    assert [k for k, _, _ in kinds(text)] == ["article", "boilerplate", "article"]


def test_author_box() -> None:
    text = (
        f"{PARAGRAPH}\n\nJane Roe\nAbout Jane Roe\nJane Roe writes about defence.\n\n"
        f"Comments\n\n1. Max says:\n{PARAGRAPH}\n"
    )
    assert find_byline(text) == ("Jane Roe", None)
    got = kinds(text)
    assert got[0] == ("article", "Jane Roe", PARAGRAPH)
    assert got[1][0] == "boilerplate" and got[1][2].startswith("Jane Roe\nAbout Jane Roe")


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("BIG NEWS TODAY....Here is what happened.", "Big News Today"),
        ("THE FALL OF BASRA", "The Fall of Basra"),
        ("A “Quoted” Title", 'A "Quoted" Title'),
        ("This first line is a sentence.", None),
        ("UPDATE: the army retreated from the city", None),
    ],
)
def test_find_title(first_line: str, title: str | None) -> None:
    text = f"{first_line}\n\n{PARAGRAPH}\n"
    assert find_title(text, segment_text(text)) == title


def test_a_title_after_header_fields_keeps_the_acronyms_its_text_writes_in_capitals() -> None:
    text = (
        "Archive-Name: editor-faq/sed\nPosting-Frequency: irregular\n\n"
        "                THE SED FAQ\n\nThis FAQ answers questions about sed. The FAQ is "
        "posted monthly, and every FAQ entry is numbered.\n"
    )
    assert find_title(text, segment_text(text)) == "The Sed FAQ"
    one_field = "Subject: the fall of the city\n\nTHE FALL\n"
    # One such line is no block of header fields: it stays the title.
    assert find_title(one_field, segment_text(one_field)) == "Subject: the fall of the city"


# --- Invariants on any text ------------------------------------------------------------------

LINES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "   ",
            "Posted by: Al on March 1, 2008 at 1:00 PM | PERMALINK",
            "Posted by: on March 1, 2008 at 1:00 PM |",
            "  4. tequila says:",
            "Comments",
            "About Jane Roe",
            "Jane Roe",
            "By: Kevin Drum",
            "March 30, 2008",
            "Nice site. Thank you!!",
            "FILED UNDER: Iraq",
            PARAGRAPH,
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=25), st.sampled_from(["\n", "\r\n", "\r"]))
def test_segments_are_well_formed_on_any_text(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    segments = segment_text(text)
    assert_well_formed(text, segments)
    find_title(text, segments)
    find_byline(text)


def test_the_page_rules_run_on_a_web_page_but_never_on_a_manual(tmp_path: Path) -> None:
    post = "A post about the offensive.\n\nIt went on for days.\n\nRecent Comments\n"
    manual = "tar - an archiving utility\n\nCopyright holder: Free Software Foundation, Inc.\n"
    page = document_of(tmp_path, "post.txt", post.encode())
    dropped = [page.text[s.start : s.end] for s in page.segments if s.kind == "boilerplate"]
    assert dropped == ["Recent Comments"]  # a line only a blog page shows: the rules run
    book = document_of(tmp_path, "manual.txt", manual.encode())
    assert [s.kind for s in book.segments] == ["article"]  # its copyright line is kept


@pytest.mark.parametrize(
    "logo",
    [
        '<p align="center"><img src="https://example.org/logo.png" alt="Zstandard"></p>',
        "[![Build status](https://example.org/badge.svg)](https://example.org/ci)",
    ],
)
def test_a_readme_logo_or_badge_line_is_not_a_title(logo: str) -> None:
    text = f"{logo}\n\nZstandard is a fast lossless compression algorithm.\n"
    assert find_title(text, segment_text(text)) is None
