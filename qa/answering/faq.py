"""The answer an FAQ gives: the sentences right under the question it asks, when that question
is the reader's.

An FAQ heads each answer with its question ("1.7 Is lsof vulnerable to the standard I/O
descriptor attack?"), and the first sentence under it answers it ("Lsof revisions 4.63 and
above are not vulnerable."), often in words of its own; a sentence further on that repeats the
question's words ("... that version of lsof ... is vulnerable to the standard I/O descriptor
attack.") scored higher. A passage opening with a heading that is a question closer to the
reader's than any candidate sentence is has its first ``UNDER`` candidate sentences marked as
the answer to it. The bar is the passages' own best sentence, not a fixed cosine: the question
sets hold no FAQ to choose one on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from qa.answering.answer_types import SECTION_NUMBER
from qa.answering.layout import layout
from qa.answering.sentences import Candidate
from qa.types import SECTION_SEPARATOR, Passage

UNDER = 2  # sentences under such a heading that answer it
_NUMBER = re.compile(rf"^{SECTION_NUMBER}")  # "1.7 " before the question


def answer_under_asked(
    found: Sequence[Candidate],
    passages: Sequence[Passage],
    question_vector: np.ndarray,
    encode: Callable[[list[str]], np.ndarray],
    closest: float,
) -> np.ndarray:
    """1.0 for each of ``found`` among the first sentences under a heading that asks the
    question, 0.0 for the others; ``encode`` embeds texts as the question was, and
    ``closest`` is the best cosine of a candidate sentence to the question."""
    asking = {}  # passage → its heading's question, without its number
    for p, passage in enumerate(passages):
        title = (passage.section or "").split(SECTION_SEPARATOR)[-1].strip()
        if not title.endswith("?"):
            continue
        blocks = layout(passage.text, passage.section, passage.title)
        if blocks and blocks[0].kind == "heading":  # the passage opens under it
            asking[p] = _NUMBER.sub("", title)
    marked = np.zeros(len(found))
    if not asking:
        return marked
    similarity = encode(list(asking.values())) @ question_vector
    asked = {p for p, s in zip(asking, similarity, strict=True) if s > closest}
    taken: dict[int, int] = {}
    for i, candidate in sorted(enumerate(found), key=lambda c: c[1].sentence.start):
        p = candidate.sentence.passage
        if p in asked and taken.get(p, 0) < UNDER:
            marked[i] = 1.0
            taken[p] = taken.get(p, 0) + 1
    return marked
