"""Tests of how qa.ingest.structure.segment finds reader comments: their authors, dates and
bodies in the bundled corpus and on small synthetic threads, and what is not a comment."""

from __future__ import annotations

from qa.ingest.structure import find_byline, segment_text
from qa.types import INDEXED_KINDS, Segment
from tests.ingest.samples import DRUM, JOYNER, PARAGRAPH, kinds, of_kind, segmented


def containing(text: str, segments: tuple[Segment, ...], needle: str) -> list[Segment]:
    return [s for s in segments if needle in text[s.start : s.end]]


def the_comment(text: str, segments: tuple[Segment, ...], needle: str) -> Segment:
    found = [s for s in containing(text, segments, needle) if s.kind == "comment"]
    assert len(found) == 1, f"{needle!r} is in {len(found)} comment segments"
    return found[0]


# --- The corpus ------------------------------------------------------------------------------


def test_suleimani_comment_is_by_barrisj() -> None:
    text, segments = segmented(DRUM)
    comment = the_comment(text, segments, "Qassem Suleimani")
    assert comment.author == "barrisj"
    assert comment.date == "March 30, 2008 at 10:22 PM"
    # The whole comment, from its first line to its last, and not its signature.
    body = text[comment.start : comment.end]
    assert body.startswith("Extraordinary story via McClatchy")
    assert body.endswith("Quite an interesting turn indeed.")


def test_nujaifi_comment_is_by_john_emerson() -> None:
    text, segments = segmented(DRUM)
    comment = the_comment(text, segments, "Al-Nujaifi said the agreement was brokered")
    assert comment.author == "John Emerson"
    assert comment.date == "March 30, 2008 at 9:23 PM"


def test_drum_comment_count() -> None:
    text, segments = segmented(DRUM)
    # 41 signatures with PERMALINK, minus 2 with an empty body (mhr, shiyabeng) and 2 spam
    # ("Nice site. Thank you!!", "Nice site. Thanks:-)"); the page itself says "Comments (41)".
    assert text.count("| PERMALINK") == 41
    assert len(of_kind(segments, "comment")) == 37
    authors = {s.author for s in of_kind(segments, "comment")}
    assert {"mhr", "shiyabeng", "Rimonabant", "Tramadol"}.isdisjoint(authors)


def test_anonymous_comment_keeps_the_signature_it_quotes() -> None:
    text, segments = segmented(DRUM)
    comment = the_comment(text, segments, "Uh, oh. Sadr has ordered his army")
    body = text[comment.start : comment.end]
    # The quoted "Posted by: mhr ... |" line is part of the anonymous reply, not a signature.
    assert "Posted by: mhr on March 30, 2008 at 8:57 PM |" in body
    assert body.endswith("Patriotism is not about war-mongering.")
    assert (comment.author, comment.date) == (None, "March 30, 2008 at 9:42 PM")


def test_short_real_comment_is_kept() -> None:
    text, segments = segmented(DRUM)
    comment = the_comment(text, segments, "Did Jesus love war MHR?")
    assert comment.author is None


def test_signatures_are_not_indexed() -> None:
    text, segments = segmented(DRUM)
    for segment in segments:
        if segment.kind in INDEXED_KINDS:
            assert "Posted by: Altoid" not in text[segment.start : segment.end]


def test_joyner_comments() -> None:
    text, segments = segmented(JOYNER)
    comments = of_kind(segments, "comment")
    assert len(comments) == 31
    assert [c.author for c in comments[:5]] == [
        "glasnost",
        "Bithead",
        "Bithead",
        "tequila",
        "Juho§",
    ]
    assert text[comments[3].start : comments[3].end].startswith("“Sealing the border”")
    assert comments[-1].author == "Michael"
    assert text[comments[-1].start : comments[-1].end].endswith("I don’t see it.")


# --- Synthetic pages -------------------------------------------------------------------------


def test_article_quoting_someone_is_not_a_comment() -> None:
    text = (
        f"{PARAGRAPH}\n\nMatthew Yglesias writes:\n\n{PARAGRAPH}\n\n"
        f"Only Monday he said:\n\n{PARAGRAPH}\n"
    )
    assert [k for k, _, _ in kinds(text)] == ["article"]


def test_header_style_thread() -> None:
    text = (
        f"Title Here\nBy Jane Smith\nMarch 3, 2009\n\n{PARAGRAPH}\n\n"
        "John Smith writes:\n\n"
        f"{PARAGRAPH}\n\nShare this\n\n"
        "Jane says:\nThe ceasefire was brokered in Qom.\n\n"
        "Bob wrote:\n  I disagree, because of the timing.\n  Second line.\n\n"
        "Leave a Reply\nCopyright 2009 Example Media\n"
    )
    got = kinds(text)
    assert got[0] == ("article", "Jane Smith", "Title Here")
    assert got[1] == ("boilerplate", None, "By Jane Smith\nMarch 3, 2009")
    assert got[2][0] == "article" and "John Smith writes:" in got[2][2]
    comments = [(a, t) for k, a, t in got if k == "comment"]
    assert comments == [
        ("Jane", "The ceasefire was brokered in Qom."),
        ("Bob", "I disagree, because of the timing.\n  Second line."),
    ]
    assert got[-1] == ("boilerplate", None, "Leave a Reply\nCopyright 2009 Example Media")
    assert find_byline(text) == ("Jane Smith", "March 3, 2009")


def test_header_with_date_on_the_next_line() -> None:
    text = (
        f"{PARAGRAPH}\n\n2 Comments\n\n"
        "Joe says:\nMarch 30, 2008 at 8:42 pm\nThis is what I think about it all.\n\n"
        "3. Ann said:\nAnd me too, though less so.\n"
    )
    comments = [s for s in segment_text(text) if s.kind == "comment"]
    assert [(c.author, c.date) for c in comments] == [
        ("Joe", "March 30, 2008 at 8:42 pm"),
        ("Ann", None),
    ]
    assert find_byline(text) == (None, None)  # a comment's date is not the document's


def test_signature_style_without_furniture_takes_one_paragraph() -> None:
    text = (
        f"{PARAGRAPH}\n\n{PARAGRAPH}\n\nThe Quds Force brokered it.\n"
        "Second line of that comment.\n\n"
        "Posted by: Al on March 1, 2008 at 1:00 PM\n\n"
        "Another comment.\nPosted by Bo at 2:00 PM\n\n"
        "Great post!\nPosted by: spammer on March 2, 2008 at 1:00 PM | PERMALINK\n\n"
        "Recent Posts\n"
    )
    got = kinds(text)
    assert got[0] == ("article", None, f"{PARAGRAPH}\n\n{PARAGRAPH}")
    comments = [s for s in segment_text(text) if s.kind == "comment"]
    assert [(c.author, c.date, text[c.start : c.end]) for c in comments] == [
        (
            "Al",
            "March 1, 2008 at 1:00 PM",
            "The Quds Force brokered it.\nSecond line of that comment.",
        ),
        ("Bo", "2:00 PM", "Another comment."),
    ]
    assert "Great post!" in got[-1][2] and got[-1][0] == "boilerplate"


def test_spam_filter_keeps_substance() -> None:
    text = (
        f"{PARAGRAPH}\n\nComments (2)\n\n"
        "Great post, but the Quds Force brokered it.\n"
        "Posted by: Al on March 1, 2008 | PERMALINK\n\n"
        "http://cheap-pills.example.com/\nPosted by: Pills on March 1, 2008 | PERMALINK\n"
    )
    comments = [s for s in segment_text(text) if s.kind == "comment"]
    assert [text[c.start : c.end] for c in comments] == [
        "Great post, but the Quds Force brokered it."
    ]


def test_blogger_post_signature_ends_the_article() -> None:
    text = (
        f"My Post\n\n{PARAGRAPH}\n\n"
        "Posted by Kevin at 8:26 PM\n3 comments:\n\nAnon said...\nFoo bar.\n"
    )
    got = kinds(text)
    assert got[0] == ("article", None, f"My Post\n\n{PARAGRAPH}")
    assert ("comment", "Anon", "Foo bar.") in got
