"""What the language model is asked: the numbered passages, the earlier questions, the question.

Each passage is given with its number, its document's title and where it stands (page or
section), so that the model can cite it as ``[n]``; the instructions ask for short sentences
that each end with the number of the passage that says it (in the system message, and again
after the question), and for a fixed sentence when the passages do not answer. Earlier
questions of the conversation come before the question, so that a follow-up ("Did the
government accept them?") can be read.
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.llm import Message
from qa.types import Passage

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
MAX_EARLIER = 3  # earlier questions given for a follow-up


def messages(
    question: str, passages: Sequence[Passage], earlier: Sequence[str] = ()
) -> list[Message]:
    """The chat messages asking ``question`` of ``passages`` (best first), after ``earlier``
    questions of the same conversation (oldest first)."""
    numbered = "\n\n".join(
        f"[{n}] {heading(p)}\n{' '.join(p.text.split())}" for n, p in enumerate(passages, start=1)
    )
    parts = [f"Passages:\n\n{numbered}"]
    if earlier:
        asked = "\n".join(f"- {q}" for q in earlier[-MAX_EARLIER:])
        parts.append(f"Earlier questions in this conversation:\n{asked}")
    parts += [f"Question: {question}", REMINDER]
    return [Message("system", SYSTEM), Message("user", "\n\n".join(parts))]


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
