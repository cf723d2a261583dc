"""The answer an FAQ gives: the sentences right under the question it asks, when that question
is the reader's.

An FAQ heads each answer with its question ("1.7 Is lsof vulnerable to the standard I/O
descriptor attack?"), and the first sentence under it answers it ("Lsof revisions 4.63 and
above are not vulnerable."), often in words of its own; a sentence further on that repeats the
question's words ("... that version of lsof ... is vulnerable to the standard I/O descriptor
attack.") scored higher. The question is a heading of the document, or a paragraph of its own
that the layout reads as one (a web page's "<b>(9) What is the maximum size of a VARCHAR?</b>",
a definition list's term). The first ``UNDER`` candidate sentences under a question closer to
the reader's than any candidate sentence is are marked as the answer to it, the first most
(it answers; the next one often says more: "You can ... and then git commit --amend." before
"Your change will be included in the commit, ..."). The bar is the passages' own best
sentence, not a fixed cosine: the question sets hold no FAQ to choose one on. And the two must
ask alike, by their wording's type (``question_type``: who, when, how many, how to, yes or no
...), unless they are the same question in other words (a cosine of ``SAME_QUESTION`` or
more): in an FAQ about one project, "What is Debian GNU/Linux?" is closer to "Who founded
Debian?" than any sentence retrieved for it, and does not answer it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from qa.answering.answer_types import SECTION_NUMBER, question_type
from qa.answering.layout import layout
from qa.answering.sentences import Candidate
from qa.types import Passage

UNDER = 2  # sentences under such a heading that answer it
SAME_QUESTION = 0.9  # the cosine of two wordings of one question, asked alike or not
_NUMBER = re.compile(rf"^(?:\(\d+\)\s*|{SECTION_NUMBER})")  # "1.7 ", "(9) " before the question


def answer_under_asked(
    found: Sequence[Candidate],
    passages: Sequence[Passage],
    question_vector: np.ndarray,
    encode: Callable[[list[str]], np.ndarray],
    closest: float,
    question: str,
) -> np.ndarray:
    """For each of ``found``, 1 / n for the n-th sentence under a heading that asks
    ``question`` (up to ``UNDER``), 0.0 for the others. ``encode`` embeds texts as the question
    was, and ``closest`` is the best cosine of a candidate sentence to the question."""
    asking: list[tuple[int, int, int, str]] = []  # passage, its answer's span, the question
    for p, passage in enumerate(passages):
        if "?" not in passage.text:
            continue  # no question in it: not laid out a second time (candidates did once)
        blocks = layout(passage.text, passage.section, passage.title)
        headings = [b for b in blocks if b.kind == "heading"]
        for h, block in enumerate(headings):
            title = passage.text[block.start : block.end].strip().lstrip("#").strip()
            if title.endswith("?"):
                below = headings[h + 1].start if h + 1 < len(headings) else len(passage.text)
                start, end = passage.start + block.end, passage.start + below
                asking.append((p, start, end, _NUMBER.sub("", title)))
    marked = np.zeros(len(found))
    if not asking:
        return marked
    similarity = encode([question for *_, question in asking]) @ question_vector
    kind = question_type(question)
    for (p, start, end, asked), cosine in zip(asking, similarity, strict=True):
        alike = kind == question_type(asked) or cosine >= SAME_QUESTION
        if cosine <= closest or not alike:
            continue
        under = [
            i
            for i, c in enumerate(found)
            if c.sentence.passage == p and start <= c.sentence.start < end
        ]
        for n, i in enumerate(sorted(under, key=lambda i: found[i].sentence.start)[:UNDER]):
            marked[i] = max(marked[i], 1.0 / (n + 1))  # the first answers most surely
    return marked
