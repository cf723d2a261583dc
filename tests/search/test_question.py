"""What a question becomes before any work is done on it."""

import pytest

from qa.errors import QuestionError
from qa.search.question import clean_question, is_blank, valid_unicode


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain é ✓", "plain é ✓"),
        ("\ud83d\ude00", "😀"),  # a surrogate pair is the character it encodes
        ("a\ud800b", "a\ufffdb"),  # a lone high surrogate
        ("\udc80\ud800", "\ufffd\ufffd"),  # a low one, then a high one with nothing after it
    ],
)
def test_valid_unicode_joins_pairs_and_replaces_lone_surrogates(text, expected):
    assert valid_unicode(text) == expected


def test_a_question_of_undecodable_command_line_bytes_is_cleaned():
    # Python turns bytes that are not UTF-8 in argv into lone surrogates (surrogateescape).
    question = b"who \xed\xa0\x80 brokered".decode("utf-8", "surrogateescape")
    assert clean_question(question, 100) == "who \ufffd\ufffd\ufffd brokered"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00\x07 \x1b", " \x7f "])
def test_a_question_of_spaces_and_control_characters_is_blank_and_refused(text):
    assert is_blank(text)
    with pytest.raises(QuestionError, match="the question is empty"):
        clean_question(text, 100)


def test_a_question_with_a_word_is_not_blank():
    assert not is_blank("\x00who\x07")
