"""A refusal (qa.answering.base.refused): what it says, and how its quote is shown."""

from __future__ import annotations

from qa.answering.base import NO_ANSWER, refused
from qa.types import Answer


def test_a_refusal_says_why_then_quotes_the_closest_prose_in_its_sentence():
    answer = refused(Answer("q", "Root is the superuser. [1]"), "It never mentions Ryan Dahl.")
    assert not answer.confident
    assert answer.text == (
        f"{NO_ANSWER} It never mentions Ryan Dahl. The closest it comes: Root is the superuser. [1]"
    )


def test_a_refusal_quoting_table_rows_keeps_them_verbatim_and_itself_prose():
    rows = "| Windows | x64 | Tier 1 |\n| Windows | arm64 | Tier 2 | [1]"
    answer = refused(Answer("q", rows), "The documents it quotes never mention Windows 95.")
    assert answer.blocks() == [
        (
            f"{NO_ANSWER} The documents it quotes never mention Windows 95. The closest it comes:",
            False,
        ),
        (rows, True),
    ]
