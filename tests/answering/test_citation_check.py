"""The citation checker: sentences and their markers, and support measured with the real model."""

from __future__ import annotations

import pytest

from qa.answering.citation_check import UNSUPPORTED_MARK, CitationChecker, claims, marked, windows
from qa.types import Passage


def test_sentences_keep_their_markers_wherever_the_period_stands():
    text = "The port is 8080 [2]. It listens on all addresses. [1]\nIt also logs [3] Then [7][1]."
    found = claims(text)
    assert [(c.text, c.citations) for c in found] == [
        ("The port is 8080.", (2,)),
        ("It listens on all addresses.", (1,)),
        ("It also logs", (3,)),
        ("Then.", (7, 1)),
    ]
    assert [text[c.start : c.end] for c in found][0] == "The port is 8080 [2]."


def test_a_sentence_without_a_marker_cites_nothing_and_markers_alone_join_the_one_before():
    found = claims("Version 2.5 is current. It came out in 2020.\n[1]")
    assert [(c.text, c.citations) for c in found] == [
        ("Version 2.5 is current.", ()),
        ("It came out in 2020.", (1,)),
    ]


def test_windows_are_each_sentence_and_each_two_in_a_row():
    text = "One thing. Two things! Three"
    assert [text[a:b] for a, b in windows(text)] == [
        "One thing.",
        "Two things!",
        "Three",
        "One thing. Two things!",
        "Two things! Three",
    ]


def _passage(text: str, title: str = "Server guide", doc_id: str = "a.md") -> Passage:
    return Passage(text, 1.0, doc_id, title, 0, len(text), "article")


@pytest.fixture(scope="module")
def checker(encoder) -> CitationChecker:
    from qa.index.lexical import LexicalIndex

    corpus = [
        "The server listens on port 8080 by default.",
        "Logs are rotated daily and kept for a week.",
        "Backups run every night at two.",
    ]
    return CitationChecker(encoder, LexicalIndex.build(corpus), 0.5, 0.5)


PORT = _passage(
    "Install it first. The server listens on port 8080 by default. Set PORT to move it."
)
LOGS = _passage("Logs are rotated daily and kept for a week.", "Logging", "b.md")


def test_a_sentence_its_passage_says_is_supported_and_a_swapped_citation_is_not(checker):
    _, checks, quotes = checker.check(
        "The server listens on port 8080 [1]. The server listens on port 8080 [2].",
        [PORT, LOGS],
    )
    assert [c.supported for c in checks] == [True, False]
    assert checks[0].coverage == 1.0 and checks[1].coverage < 0.5
    assert checks[1].reason == "not supported by [2]"
    # The supported sentence is located in its document: the passage's window that says it.
    assert len(quotes) == 1 and quotes[0].citation == 1
    assert PORT.text[quotes[0].start : quotes[0].end].startswith("The server listens")


def test_a_wrong_number_lowers_coverage(checker):
    right, wrong = checker.measure(
        [("The server listens on port 8080.", PORT), ("The server listens on port 9090.", PORT)]
    )
    assert right.coverage > wrong.coverage


def test_markers_out_of_range_and_no_markers_are_unsupported_with_why(checker):
    found, checks, _ = checker.check("Port 8080 [3]. Port 8080.", [PORT, LOGS])
    assert [c.reason for c in checks] == [
        "cites [3], not one of the 2 passages given",
        "cites no passage",
    ]
    assert marked("Port 8080 [3]. Port 8080.", found, checks) == (
        f"Port 8080 [3]. {UNSUPPORTED_MARK} Port 8080. {UNSUPPORTED_MARK}"
    )


def test_a_pdf_passage_is_read_without_its_running_header_and_page_number(encoder, tmp_path):
    # A real PDF's paragraph going on over a page break holds the page's footer ("4") and the
    # next page's header: the checker reads the passage as its reader does, without them.
    import shutil

    from qa.index.lexical import LexicalIndex
    from qa.ingest import read_corpus
    from qa.types import Chunk
    from tests.helpers import FIXTURES

    shutil.copy(FIXTURES / "shared-mime-info-spec.pdf", tmp_path)
    doc = read_corpus(tmp_path)[0][0]
    start = doc.text.index("Each element corresponds")
    end = doc.text.index("used instead.", start) + len("used instead.")
    passage = Passage.of(Chunk(doc.doc_id, start, end, doc.text[start:end], "article"), doc, 1.0)
    [(header_start, header_end)] = passage.running_lines
    assert doc.text[header_start:header_end] == "4\n\nShared MIME-info Database"
    checker = CitationChecker(encoder, LexicalIndex.build([doc.text]), 0.58, 0.75)
    # The number it would have lent: "4" is the page's, not something the passage says.
    said, lent = checker.measure(
        [
            ("Magic matches from previously parsed directories must be discarded.", passage),
            ("Magic matches from 4 directories must be discarded.", passage),
        ]
    )
    assert said.coverage == 1.0 and lent.coverage < 0.5
    # No window (and so no quote) is the running line, nor holds it.
    _, checks, quotes = checker.check("4 Shared MIME-info Database [1].", [passage])
    assert checks[0].similarity < 0.7  # against the header itself, 0.96
    for quote in quotes:
        assert quote.end <= header_start or quote.start >= header_end
