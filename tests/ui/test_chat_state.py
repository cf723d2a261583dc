"""The chat's session state: which answers it keeps, and the click keys that name their
passages (sent by the page, so any string may arrive)."""

from __future__ import annotations

import pytest

from qa.types import Answer, Passage, Place, Quote
from qa.ui import KEPT_ANSWERS
from qa.ui.app import ChatState, _find


def _answer(question: str) -> Answer:
    copy = Place("copy.txt", "Copy", 0, 4, "article")
    cited = [
        Passage(f"{question} one", 1.0, "a.txt", "A", 0, 9, "article", also_in=(copy,)),
        Passage(f"{question} two", 0.5, "b.txt", "B", 0, 9, "article"),
    ]
    return Answer(question, "x [1] y [2]", cited, True, [Quote(2, "b.txt", 0, 3)])


def _conversation(questions: int) -> ChatState:
    state = ChatState()
    for n in range(1, questions + 1):
        state = state.with_answer(f"q{n}", _answer(f"q{n}"), 10.0)
    return state


def test_each_answer_is_numbered_and_the_latest_are_kept():
    state = _conversation(KEPT_ANSWERS + 2)
    assert state.shown == KEPT_ANSWERS + 2 and len(state.questions) == KEPT_ANSWERS + 2
    assert [a.number for a in state.answers] == list(range(3, KEPT_ANSWERS + 3))
    assert state.answered(1) is None and state.answered(3).answer.question == "q3"


def test_a_key_names_a_citation_of_an_answer_or_one_of_its_places():
    state = _conversation(3)
    passage, quotes = _find(state, "2:2")
    assert passage.text == "q2 two" and quotes == [Quote(2, "b.txt", 0, 3)]
    assert _find(state, "1:1")[0].text == "q1 one"  # an earlier answer's, not the latest's
    assert _find(state, "3:1.1") == (Place("copy.txt", "Copy", 0, 4, "article"), [])


@pytest.mark.parametrize(
    "key", ["", "2", "4:1", "0:1", "2:3", "2:0", "2:1.2", "2:-1", "²:1", "2:¹", "9" * 5000 + ":1"]
)
def test_a_key_that_names_nothing_finds_nothing(key):
    assert _find(_conversation(3), key) is None
