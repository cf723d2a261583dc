"""Any question text gives passages or the project's own one-line error, never a crash."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.errors import QuestionError

ODD_QUESTIONS = [
    "the of and a to",  # only stop-words
    "🔥💣🕊️?",  # emoji only
    "מי תיווך את הפסקת האש?",  # right to left
    "\u202eWho brokered\u202c the ceasefire?",  # a right-to-left override
    "Sadr\x00\x01\x1b[31m cease\x07fire\x7f?",  # NUL, control characters, an escape sequence
    "<script>alert(1)</script><img src=x onerror=alert(2)> ceasefire",
    "**ceasefire** [x](javascript:alert(1)) ![i](x) `code` ${7*7} {{7*7}}",
    "Wer hat den Waffenstillstand in Basra vermittelt?",
    "谁促成了停火?",
    "x" * 2000,  # the longest question accepted
    "\ufeff\u200b\u00a0Who\u2028brokered?",
    "\ud800",  # a lone surrogate, as a JSON client can send ("\\ud800")
    "Who \udced\udca0\udc80 brokered \ud83d\ude00 the ceasefire?",  # bad argv bytes; a split pair
]


@pytest.mark.parametrize("question", ODD_QUESTIONS)
def test_odd_questions_are_answered(corpus_qa, question):
    passages = corpus_qa.retrieve(question, k=3)
    assert len(passages) <= 3
    answer = corpus_qa.answer(question, k=3)
    assert answer.text


# Each example asks the real index: 40 examples, no per-example deadline.
over_the_corpus = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@over_the_corpus
@given(question=st.text(max_size=3000))
def test_any_text_gives_passages_or_a_one_line_error(corpus_qa, question):
    try:
        passages = corpus_qa.retrieve(question, k=3)
    except QuestionError as error:
        assert "\n" not in str(error) and str(error)
        return
    assert all(p.text and p.doc_id for p in passages)
    assert corpus_qa.answer(question, k=3).text


# Any code point, surrogates included: Python strings can hold them, the tokenizer refuses them.
any_code_points = st.lists(st.integers(0, 0x10FFFF), max_size=300).map(
    lambda points: "".join(map(chr, points))
)


@over_the_corpus
@given(question=any_code_points)
def test_any_code_points_give_an_answer_or_a_one_line_error(corpus_qa, question):
    try:
        answer = corpus_qa.answer(question, k=3)
    except QuestionError as error:
        assert "\n" not in str(error) and str(error)
        return
    assert answer.text
