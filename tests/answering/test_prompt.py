"""The prompt a language model is given: numbered passages, the conversation's earlier turns
(questions and the answers given, markers dropped, cut short), then the question."""

from __future__ import annotations

from qa.answering.prompt import EARLIER, MAX_EARLIER, NOT_ANSWERED, REMINDER, messages
from qa.types import MAX_TURN_ANSWER_CHARS, Answer, Check, Passage, Turn, shortened

PASSAGE = Passage("Sadr called a ceasefire.", 1.0, "basra.txt", "Basra", 0, 24, "article")


def _prompt(question: str, earlier: list[Turn]) -> str:
    system, user = messages(question, [PASSAGE], earlier)
    assert system.role == "system" and NOT_ANSWERED in system.content
    assert user.role == "user"
    return user.content


def test_a_follow_up_gets_the_earlier_questions_and_answers_without_their_markers():
    earlier = [
        Turn("What did Sadr demand?", "He demanded the release of prisoners [1]. And more [2]."),
        Turn("Did the government accept them?"),  # its answer not kept: the question alone
    ]
    prompt = _prompt("Why?", earlier)
    block = (
        f"{EARLIER}\n"
        "- Asked: What did Sadr demand?\n"
        "  Answered: He demanded the release of prisoners. And more.\n"
        "- Asked: Did the government accept them?"
    )
    # Passages first, then the earlier turns, then the question and the reminder, in one
    # user message (no assistant turn to imitate, no two user turns in a row).
    assert prompt == f"Passages:\n\n[1] Basra\nSadr called a ceasefire.\n\n{block}\n\n" + (
        f"Question: Why?\n\n{REMINDER}"
    )


def test_only_the_last_turns_are_given_and_a_long_answer_is_cut():
    long = "word " * 400
    earlier = [Turn(f"Question {n}?", long) for n in range(1, MAX_EARLIER + 3)]
    prompt = _prompt("And then?", earlier)
    assert "Question 1?" not in prompt and "Question 2?" not in prompt
    assert all(f"Question {n}?" in prompt for n in range(3, MAX_EARLIER + 3))
    answered = [line for line in prompt.splitlines() if line.startswith("  Answered: ")]
    assert len(answered) == MAX_EARLIER
    assert all(len(line) - len("  Answered: ") <= MAX_TURN_ANSWER_CHARS for line in answered)
    assert all(line.endswith("word…") for line in answered)


def test_no_earlier_turn_no_block():
    assert EARLIER not in _prompt("Who called the ceasefire?", [])


def test_a_turn_keeps_what_the_answer_said():
    cited = [PASSAGE]
    extractive = Answer("q", "Sadr called a ceasefire [1].", cited)
    assert Turn.of("q", extractive) == Turn("q", "Sadr called a ceasefire [1].")
    checks = (
        Check("Sadr called a ceasefire.", (1,), True, 0.9, 0.9, 0.9),
        Check("Bananas are blue.", (1,), False, 0.1, 0.1, 0.1, "not supported by [1]"),
    )
    note = "1 of 2 sentences of this generated answer is not supported by a passage cited."
    text = f"Sadr called a ceasefire [1]. Bananas are blue [1]. (unsupported)\n\n{note}"
    generated = Answer("q", text, cited, checks=checks, note=note)
    assert Turn.of("q", generated).answer == "Sadr called a ceasefire."  # supported only
    fallback_note = "No sentence is supported. The extractive answer is given instead."
    fell_back = Answer(
        "q", f"{fallback_note}\n\nSadr called [1].", cited, checks=checks[1:], note=fallback_note
    )
    assert Turn.of("q", fell_back).answer == "Sadr called [1]."  # the note left out
    assert len(Turn.of("q", Answer("q", "x " * 1000)).answer) <= MAX_TURN_ANSWER_CHARS


def test_shortened_cuts_at_a_word():
    assert shortened("one  two\nthree", 100) == "one two three"
    assert shortened("one two three", 10) == "one two…"
    assert shortened("abcdefghijkl", 5) == "abcd…"


def test_a_passage_is_given_without_its_running_lines():
    text = "The magic is parsed\n4\n\nShared MIME-info Database\nfrom every directory."
    header = text.index("4")
    running = ((header, header + len("4\n\nShared MIME-info Database")),)
    passage = Passage(text, 1.0, "spec.pdf", "Spec", 0, len(text), "article", running_lines=running)
    _, user = messages("Where is the magic parsed from?", [passage])
    assert "[1] Spec\nThe magic is parsed from every directory.\n" in user.content
