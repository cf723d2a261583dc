"""What the language model is asked: the numbered passages, the earlier turns, the question.

Each passage is given with its number, its document's title and where it stands (page or
section), so that the model can cite it as ``[n]``, and as its reader reads it
(``reading_text``: without a PDF's running header and page number where it goes on over a page
break). The instructions ask for short sentences that each end with the number of the passage
that says it (in the system message, and again after the question), and for a fixed sentence
when the passages do not answer. The conversation's earlier turns (the last ``MAX_EARLIER``:
each question, and the answer given where the caller kept it) come before the question, so
that a follow-up ("Did the government accept them?") can be read.

The earlier turns are a marked block of the one user message, not chat turns of their own:
an earlier answer's ``[n]`` cited other passages than this turn's, so its markers are dropped,
and an assistant turn without markers would show the model an answer that cites nothing (a
small model copies the form of what it last wrote); a turn whose answer was not kept would
also leave two user messages in a row, which some chat templates refuse. Each answer is cut to
``MAX_TURN_ANSWER_CHARS``: it says what "them" refers to; the passages say the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answering.sentences import reading_text
from qa.llm import Message
from qa.types import MAX_TURN_ANSWER_CHARS, Passage, Turn, shortened

NOT_ANSWERED = "The passages do not answer this question."
SYSTEM = (
    "You answer questions using only the numbered passages you are given. "
    "Write a few short sentences. End every sentence with the number of the passage that "
    "states it, in square brackets, like this: The default port is 8080 [2]. "
    "Never cite a number that is not a passage. Do not add anything the passages do not say. "
    f'If the passages do not answer the question, reply only: "{NOT_ANSWERED}"'
)
# Said again after the question: a small model follows the last instruction it read (with it,
# SmolLM2-135M writes markers; with the system message alone, none).
REMINDER = (
    "Answer in one to three short sentences. End each sentence with the number of the passage "
    "it comes from in square brackets, for example [1]."
)
MAX_EARLIER = 3  # earlier turns given for a follow-up
EARLIER = "Earlier in this conversation (to read the question by; not a passage, never cite it):"
_MARKERS = re.compile(r"\s*\[\d{1,4}\]")


def messages(
    question: str, passages: Sequence[Passage], earlier: Sequence[Turn] = ()
) -> list[Message]:
    """The chat messages asking ``question`` of ``passages`` (best first), after the
    ``earlier`` turns of the same conversation (oldest first)."""
    numbered = "\n\n".join(
        f"[{n}] {heading(p)}\n{' '.join(reading_text(p).split())}"
        for n, p in enumerate(passages, start=1)
    )
    parts = [f"Passages:\n\n{numbered}"]
    if earlier:
        parts.append("\n".join([EARLIER, *map(_turn, earlier[-MAX_EARLIER:])]))
    parts += [f"Question: {question}", REMINDER]
    return [Message("system", SYSTEM), Message("user", "\n\n".join(parts))]


def _turn(turn: Turn) -> str:
    """One earlier turn of the block: the question, then the answer given without its
    markers (they cited that turn's passages), cut to ``MAX_TURN_ANSWER_CHARS``."""
    lines = [f"- Asked: {' '.join(turn.question.split())}"]
    said = shortened(_MARKERS.sub("", turn.answer or ""), MAX_TURN_ANSWER_CHARS)
    if said:
        lines.append(f"  Answered: {said}")
    return "\n".join(lines)


def heading(passage: Passage) -> str:
    """The passage's title line: its document's title, then its page or section."""
    where = []
    if passage.pages:
        first, last = passage.pages[0], passage.pages[-1]
        where.append(f"page {first}" if first == last else f"pages {first}-{last}")
    elif passage.page is not None:
        where.append(f"page {passage.page}")
    if passage.section:
        where.append(f"section {passage.section}")
    return f"{passage.title}" + (f" ({', '.join(where)})" if where else "")
