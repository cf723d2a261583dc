"""What says what a thing is: the answer to "What does X do / mean?".

Under a function's own heading, an option's line or an item led by a name, the first sentence
says what it is or does ("Schedules the 'immediate' execution of the callback ..." under
"setImmediate(callback[, ...args])"); so does a sentence whose subject is the name ("The
`util.inspect()` method returns a string representation ..."). The sentences after it that
mention the name ("When multiple calls to setImmediate() are made, ...") echo the question
better and say less, and the code examples that call it a dozen times rank above it. So the
passage that holds the description is looked for a little deeper than the passages shown, then
under X's own heading or option line in the documents shown (``with_definition``), and those
sentences are answered first (``defines``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

import numpy as np

from qa.answering.answer_types import (
    asks_what_is,
    defines_term,
    described_name,
    described_program,
    is_named,
    names_term,
    names_term_literally,
    opens_with_name,
)
from qa.answering.layout import option_part
from qa.answering.sentences import Candidate, candidates, is_api_heading
from qa.errors import QAError
from qa.types import INDEXED_KINDS, Document, Passage, Segment, chunk_of

# Passages searched for a description. Three times this stays within the retriever's 50
# candidates, so the passages shown are the same as without the deeper search.
DEPTH = 16
MAX_SECTION = 3000  # characters read under X's heading for its first sentence, at most


def describes(candidate: Candidate, question: str) -> float:
    """How surely the question names the option, function or entry the candidate describes: 2
    when it writes a name as the term does ("--nonet"), 1 when it holds the name's words ("a
    log file" for "--log-file"), writes a one-letter option ("-t") or holds a glossary's entry
    that is one plain word ("the cacher account" for the entry "cacher"), else 0."""
    described = candidate.described
    if described is None:
        return 0.0
    if names_term_literally(described.text, question):
        return 2.0
    return float(
        names_term(described.text, question) or _names_entry_word(described.text, question)
    )


def _names_entry_word(term: str, question: str) -> bool:
    """Whether ``term`` is one plain word ("cacher", "Global") that ``question`` holds, not as
    a thing of a kind ("Which function frees a closure?" names no entry "closure")."""
    word = term.strip().lower()
    if not word.isalpha():
        return False
    return (
        re.search(rf"(?<![\w-])(?<!\ban )(?<!\ba ){re.escape(word)}(?![\w-])", question.lower())
        is not None
    )


def defines(
    found: Sequence[Candidate], question: str, passages: Sequence[Passage] = ()
) -> np.ndarray:
    """For a "What does X do / mean?" or "What is X?" question, how surely each candidate
    says what X is or does: 2 for the first sentence under X's own heading, option line or
    item, 1 for a sentence whose subject is X ("X is ..." for "What is X?"), else 0 (all 0
    for other questions). When the question names X's program ("the -e option of split") and
    a candidate of ``passages`` (those ``found`` came from) is in that program's document,
    only those count."""
    name = described_name(question)
    if name is None:
        return np.zeros(len(found))
    # "What is X?" is answered by "X is ...", not by any sentence X opens.
    about = defines_term if asks_what_is(question) else opens_with_name
    levels = np.array(
        [
            _own_line_level(c.described.text, name, question)
            if c.leads and c.described is not None and is_named(c.described.text, name)
            else float(about(c.sentence.text, name))
            for c in found
        ]
    )
    program = described_program(question)
    if program is None or not passages:
        return levels
    own = np.array([_of_program(passages[c.sentence.passage], program) for c in found], bool)
    return levels * own if (levels * own).any() else levels


def _own_line_level(term: str, name: str, question: str) -> float:
    """How surely the line ``term``, which is named ``name``, is what the question asks about:
    2, but 1 when the question writes an option with its dashes and the line writes it
    otherwise ("-safe" for "--safe"): then a sentence that opens with "The --safe option"
    says as surely what it does."""
    literal = len(name.strip("-")) < 3 or names_term_literally(term, question)  # "-0" is exact
    if name.startswith("-") and not literal:
        return 1.0
    return 2.0


def _of_program(passage: Passage, program: str) -> bool:
    """Whether ``passage`` is in ``program``'s document: "split" names split.txt, "split(1)"."""
    return program in re.split(r"[^a-z0-9_]+", f"{passage.title} {passage.doc_id}".lower())


def search_depth(question: str, k: int) -> int:
    """How many passages to search for ``question`` when ``k`` are shown: ``DEPTH`` for a
    "What does X do / mean?" question (for ``with_definition``), else ``k``."""
    return max(k, DEPTH) if described_name(question) is not None else k


def with_definition(
    question: str,
    passages: Sequence[Passage],
    deeper: Sequence[Passage],
    document: Callable[[str], Document],
) -> list[Passage]:
    """``passages``, and for a "What does X do / mean?" question none of them answers with the
    first sentence under X's own heading, option line or item, the passage that does: the
    first of ``deeper`` (the passages ranked after them), else the text under X's heading in a
    document of ``passages`` (``own_section``; ``document`` gives a document by its id); when
    X has neither and no passage shown says what X is, the first of ``deeper`` whose sentence
    does ("The parent table is the table that ..." for "What is the parent table?"). When the
    question names X's program ("What does split -d do?"), its documents are looked in first:
    option letters repeat from one manual to the next."""
    if described_name(question) is None:
        return list(passages)
    program = described_program(question)
    levels: dict[int, float] = {}  # each passage's sentences are read once, by id

    def level(passage: Passage) -> float:
        """How surely the passage's best sentence says what X is (``defines``)."""
        if id(passage) not in levels:
            levels[id(passage)] = defines(candidates([passage]), question).max(initial=0)
        return levels[id(passage)]

    def ours(group: Sequence[Passage]) -> list[Passage]:
        return [p for p in group if program is None or _of_program(p, program)]

    if any(level(p) == 2 for p in ours(passages) or passages):
        return list(passages)
    found = _definition(question, ours(deeper), ours(passages), document, level)
    if found is None and program is not None:  # the program's document does not say
        found = _definition(question, deeper, passages, document, level)
    if found is None and not any(level(p) >= 1 for p in passages):
        found = next((p for p in ours(deeper) if level(p) >= 1), None)
    return [*passages, found] if found is not None else list(passages)


def _definition(
    question: str,
    deeper: Sequence[Passage],
    shown: Sequence[Passage],
    document: Callable[[str], Document],
    level: Callable[[Passage], float],
) -> Passage | None:
    """The first of ``deeper`` that holds X's description (``level`` 2), else X's own section
    in a document of ``shown``."""
    found = next((p for p in deeper if level(p) == 2), None)
    return found or own_section(question, shown, document)


def own_section(
    question: str, passages: Sequence[Passage], document: Callable[[str], Document]
) -> Passage | None:
    """For a "What does X do / mean?" question, the text under X's own heading (or, for an
    option, its line in a manual's list of options) in a document of ``passages`` (in their
    order; ``document`` gives a document by its id), from the heading to the end of the
    paragraph of its first sentence, as a passage scoring as the last one; None for other
    questions, or when no such heading has a first sentence."""
    name = described_name(question)
    if name is None or not passages:
        return None
    for doc_id in dict.fromkeys(p.doc_id for p in passages):
        try:
            doc = document(doc_id)
        except QAError:
            continue
        for h, heading in enumerate(doc.headings):
            if is_api_heading(heading.title) and is_named(heading.title, name):
                following = doc.headings[h + 1].start if h + 1 < len(doc.headings) else None
                found = _section(doc, heading.start, following, passages[-1].score, question)
                if found is not None:
                    return found
        for start in _option_lines(doc.text, name):
            found = _section(doc, start, None, passages[-1].score, question)
            if found is not None:
                return found
    return None


def _option_lines(text: str, name: str) -> list[int]:
    """Where the lines that name the option ``name`` ("-0") start in ``text``, as a manual
    lists its options ("       -0, --null"); none when ``name`` is not an option."""
    if not name.startswith("-"):
        return []
    starts = []
    for line in _DASH_LINE.finditer(text):  # only the lines that open with a dash are read
        head = option_part(line.group())
        if head is not None and is_named(head, name):
            starts.append(line.start())
    return starts


_DASH_LINE = re.compile(r"^[ \t]*-[^\n]*", re.MULTILINE)


def _section(
    doc: Document, start: int, following: int | None, score: float, question: str
) -> Passage | None:
    """The passage from ``start`` (X's heading) to the end of the paragraph of X's first
    sentence, within its section, ``MAX_SECTION`` and its part of the document (not into a
    reader's comment); None when the section has no first sentence."""
    at = bisect.bisect_right(doc.segments, start, key=lambda s: s.start) - 1
    if at < 0 or doc.segments[at].kind not in INDEXED_KINDS:
        return None
    segment = doc.segments[at]
    end = min(following or len(doc.text), start + MAX_SECTION)
    for other in doc.segments[at + 1 :]:
        if other.start >= end:
            break
        if other.kind in INDEXED_KINDS and (other.kind, other.author) != (
            segment.kind,
            segment.author,
        ):
            end = other.start  # boilerplate between is passed over, as a chunk does
            break
    found = candidates([_passage(doc, start, end, score, segment)])
    lead = next((c for c, d in zip(found, defines(found, question), strict=True) if d == 2), None)
    if lead is None:
        return None
    paragraph = doc.text.find("\n\n", lead.sentence.end, end)
    return _passage(doc, start, end if paragraph < 0 else paragraph, score, segment)


def _passage(doc: Document, start: int, end: int, score: float, segment: Segment) -> Passage:
    return Passage.of(chunk_of(doc, segment, start, end), doc, score)
