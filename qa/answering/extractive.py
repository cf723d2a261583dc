"""Extractive answers: the sentences of the retrieved passages that best answer the question.

No language model writes anything: each candidate sentence of the top passages
(``qa.answering.sentences``: never a heading, navigation, code or a fragment without a verb) is
embedded with the sentence it leans on and compared with the question, and the best ones are
returned verbatim with ``[n]`` markers. A how-to question is answered with the procedure: the
sentence and the code block or the steps that follow it, the code kept as it stands; a question
that quotes a case ("for 'index.coffee.md'") gets the line of an example that holds it. When even
the best sentence is not similar enough, the answer says that the corpus does not seem to answer
the question and offers the nearest passages instead of guessing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from embeddings.cache import EmbeddingCache
from embeddings.encoder import Encoder
from qa.answering import focus
from qa.answering.answer_types import (
    IDENTIFIER,
    answer_type,
    asked_list,
    asks_count,
    asks_default,
    asks_limit,
    holds,
    names_plural,
    names_row,
    row_key,
    states_condition,
    states_default,
    states_limit,
    value_noun,
)
from qa.answering.base import NO_ANSWER, Asked, refused
from qa.answering.confidence import load_model, weighed
from qa.answering.definitions import defines, describes
from qa.answering.faq import answer_under_asked
from qa.answering.sentences import (
    NUMBER_MARK,
    Candidate,
    Sentence,
    candidates,
    example,
    is_list_item,
    quoted_literals,
    reading_text,
)
from qa.index.dedup import jaccard, shingles
from qa.search.fusion import min_max
from qa.settings import AnswerSettings
from qa.store.base import WordWeights
from qa.types import Answer, Evidence, Passage, Quote, shortened

FOLLOWING = 2  # sentences after the best one where the answer it leads to may be
MAX_SENTENCES = (
    3  # most sentences quoted (a procedure: one sentence, with its context, and a block)
)


class ExtractiveAnswerer:
    """Answers with the best sentences of the passages, quoted verbatim.

    Args:
        encoder: Embeds the sentences (the model that embedded the question).
        weights: The lexical side's word analysis and IDF.
        settings: The answer settings (similarity threshold and score weights).
        max_sentences: Most sentences in the answer (a sentence's context counts).
        margin: A further sentence joins the answer only if it scores within this of the best.
    """

    def __init__(
        self,
        encoder: Encoder,
        weights: WordWeights,
        settings: AnswerSettings,
        max_sentences: int = MAX_SENTENCES,
        margin: float = 0.08,
    ) -> None:
        self.encoder = encoder
        # The passages served come back question after question: their sentences are
        # embedded once (bounded; see embeddings.cache).
        self.sentence_vectors = EmbeddingCache(encoder, settings.sentence_cache)
        self.weights = weights
        self.settings = settings
        self.max_sentences = max_sentences
        self.margin = margin

    def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        question_vector: np.ndarray,
        *,
        asked: Asked | None = None,
    ) -> Answer:
        """The best sentences of ``passages`` for ``question``, cited.

        A candidate scores its cosine similarity to the question, plus ``answer_term_weight``
        times the share of the question's words (weighted by IDF) that it contains, plus
        ``answer_passage_weight`` times its passage's retrieval score rescaled to [0, 1] over
        the passages given, plus ``answer_type_weight`` when it holds the kind of answer the
        question asks for (``answer_types``: a name for "who", a number for "how many", a
        following code block or numbered steps for "how do I", half of it for a command in the
        text ...). The embedding alone favours sentences that echo the question's topic; the
        rare words ("brokered"), the passage-level evidence of the hybrid search and the
        answer's type point at the answer.

        Below ``min_quote_similarity`` nothing is quoted (the nearest passages are offered)
        unless X's own description answers "What does X do?"; below ``min_answer_similarity``
        or ``min_confidence`` the answer says the corpus does not seem to answer, then quotes
        the closest it comes.

        A follow-up's ``question`` joins the earlier questions to ``asked``, the question as
        written (default: ``question``): a name or a "how many" is looked for in ``asked``
        alone (the earlier ones were checked when asked), the kind of answer is its own unless
        it asks none, and with ``asked.vector`` (its embedding) a sentence's similarity is
        ``answer_own_question_weight`` its cosine with it.
        """
        found = candidates(passages)
        if not found:
            return _no_answer(question, passages)
        own_text, own_vector = (asked.text, asked.vector) if asked else (question, None)
        # The kind of answer wanted is the question's as written, unless it says none ("And the
        # second one?"); a follow-up's earlier questions asked for their own kinds.
        typed_by = own_text if answer_type(own_text) != "any" else question
        expected = answer_type(typed_by)
        # A how-to candidate is judged with its code or steps: "Use this command line:" says
        # little, the command it introduces says what the question asks.
        texts = [
            c.text
            if expected != "procedure" or c.procedure is None
            else f"{c.text}\n{c.procedure.text}"
            for c in found
        ]
        vectors = self.sentence_vectors.encode(texts)
        similarity = vectors @ question_vector
        closest = round(float(similarity.max()), 4)
        definition = defines(found, question, passages)  # "What does X do?": what X is
        # X's own description is found by its name, not by its likeness to the question.
        if closest < self.settings.min_quote_similarity and not (definition == 2).any():
            return _no_answer(question, passages, closest)
        weights = self.weights.idf(set(self.weights.words(question)))
        overlap = np.array([_term_overlap(weights, t, self.weights) for t in texts])
        prior = min_max({i: p.score for i, p in enumerate(passages)})
        ranked_prior = np.array([prior[c.sentence.passage] for c in found])
        # "What is the default port?" asks for a value; "Are foreign keys enabled by default?"
        # for a verdict ("Foreign key constraints are disabled by default ..."), "Why is X off
        # by default?" for a reason.
        default = asks_default(typed_by) and expected not in ("verdict", "reason")
        # "What is the largest value X accepts?": the answer states a bound, with its figure,
        # often late in the option's paragraph and naming it only as "this" ("The maximum value
        # for this is 500."): each sentence under the option's line holds its name. So does
        # one under an entry that points back at it ("Web content should not be owned by this
        # user, ..." under "www-data").
        limit = not default and expected != "procedure" and asks_limit(typed_by)
        overlap = np.array(
            [
                _term_overlap(weights, f"{c.described.text} {t}", self.weights)
                if _under_term(c) and (limit or _POINTS_BACK.search(c.sentence.text))
                else overlap[i]
                for i, (c, t) in enumerate(zip(found, texts, strict=True))
            ]
        )
        keys = [row_key(c.sentence.text) if c.sentence.kind == "table" else None for c in found]
        typed = np.array(
            [
                _holds(expected, c, typed_by, default, k, limit)
                for c, k in zip(found, keys, strict=True)
            ],
            dtype=float,
        )
        if expected == "value":
            typed = _naming_value(found, typed, value_noun(typed_by))
        if expected == "date" and not typed.any():
            # No date among them: "When does SQLite checkpoint?" asks for a condition.
            typed = np.array([states_condition(c.text) for c in found], dtype=float)
        typed = np.maximum(typed, definition > 0)
        procedure = expected == "procedure"
        if procedure:
            # A sentence that shows how (its code block or numbered steps follow) holds the
            # answer whole; one that names a command in its text ("... can also use a PRAGMA
            # foreign_keys statement to determine if ...") or lists things half.
            typed = np.where([_shows_how(c) for c in found], typed, 0.5 * typed)
        # A row is named by its key only where no other row of its table has that key (every
        # row of "zstd 1.5.1 -1", "zstd 1.5.1 --fast=1" names zstd, none singles out one).
        tables = Counter((key, c.context) for key, c in zip(keys, found, strict=True))
        shared = {k for k, n in tables.items() if n > 1}
        under_asked = answer_under_asked(
            found, passages, question_vector, self.sentence_vectors.encode, closest, question
        )
        entries = _named(found, keys, shared, question)
        named = np.maximum(entries, under_asked)  # an FAQ's answer to the question asked
        type_weight = self.settings.answer_type_weight * (
            self.settings.answer_procedure_scale if procedure else 1.0
        )  # a how-to question asks for the way to do it above all
        chosen_by = similarity
        if own_vector is not None:  # a follow-up: what is wanted is its own question's
            own = self.settings.answer_own_question_weight
            chosen_by = (1 - own) * similarity + own * (vectors @ own_vector)
        score = (
            chosen_by
            + self.settings.answer_term_weight * overlap
            + self.settings.answer_passage_weight * ranked_prior
            + type_weight * typed
            + self.settings.answer_name_weight * named
        )
        order = [int(i) for i in np.argsort(-score, kind="stable")]
        for level in (2, 1):  # the best of those that say what X is comes first
            lead = next((i for i in order if definition[i] == level), None)
            if lead is not None:
                order = [lead, *(i for i in order if i != lead)]
                break
        if procedure and found[order[0]].procedure is None:
            steps = _steps_next(found, order[0], passages, overlap)
            if steps is not None:  # the next sentence shows how: it answers, with its code
                order = [steps, *(i for i in order if i != steps)]
        best = float(score[order[0]])
        chosen = self._choose(found, order, score, best, procedure, default, typed)
        if expected not in ("any", "procedure") and not typed[order[0]]:
            # The best sentence restates the question and the next ones give the answer
            # ("console.assert() writes a message if value is falsy." / "The output always
            # starts with 'Assertion failed'."): the first of them holding the kind asked for
            # comes with it.
            after = _typed_after(found, order[0], typed)
            if after is not None and found[after].sentence not in chosen:
                more = [p for p in _parts(found[after], default) if p not in chosen]
                chosen = [*chosen[: max(1, self.max_sentences - len(more))], *more]
        steps = found[order[0]].steps if procedure else None
        if steps is not None:  # one of numbered steps: the steps, whole
            chosen = [steps]
        elif procedure:
            chosen = _with_procedure(found, order[0], chosen, typed, overlap)
        # A question about a quoted case ("for 'index.coffee.md'") gets the example of it.
        shown = example(quoted_literals(question), passages, found[order[0]].sentence.passage)
        if shown is not None and all(p.kind != "code" for p in chosen):
            chosen = [*_parts(found[order[0]], default), shown]  # one sentence, one block
        top = found[order[0]]
        if expected == "list" and typed[order[0]] and top.introduces is None and _listed(top):
            chosen = [*_parts(top, default), top.follows]  # the sentence naming them, the list
        elif not procedure and top.follows is not None and _sets_its_name(top):
            chosen = [*_parts(top, default), top.follows]  # what it is, and its value in code
        passage = passages[top.sentence.passage]
        passage_words = set(self.weights.words(reading_text(passage)))
        rarest = focus.rarest_word(question, weights, self.weights)
        evidence = Evidence(
            similarity=closest,
            answer_similarity=round(float(similarity[order[0]]), 4),
            answer_terms=round(float(overlap[order[0]]), 4),
            passage_terms=round(_share_held(weights, passage_words), 4),
            answer_type=0.5 if expected == "any" else float(typed[order[0]]),
            rarest_word_reliance=round(
                focus.reliance(
                    question,
                    question_vector,
                    rarest,
                    _answer_and_passage_vectors(vectors, found, order[0]),
                    self.encoder.encode,
                ),
                4,
            ),
            rarest_word_missing=round(
                focus.missing(
                    focus.beside_contrast(question, weights, self.weights),
                    passage_words | set(self.weights.words(passage.title)),
                ),
                4,
            ),
        )
        floor = not weighed(evidence, self.settings.min_answer_similarity)
        confidence = 0.0 if floor else round(load_model().confidence(evidence), 4)
        answer = replace(
            _cited(question, passages, chosen, closest), confidence=confidence, evidence=evidence
        )
        # What an entry holds is asked for: a value, a number, a date, a name, a place.
        held = typed if expected in _HELD_KINDS else np.zeros_like(typed)
        # The entry a follow-up asks of is the one it names, not an earlier question's.
        own_entries = entries if own_text == question else _named(found, keys, shared, own_text)
        elsewhere = _other_entry(found, keys, own_entries, held, order)
        if elsewhere is not None:  # the entry the question names does not say it
            return refused(answer, f"It says that of {elsewhere[0]}, not of {elsewhere[1]}.")
        unknown = focus.unknown_name(own_text, self.weights)
        if unknown is not None:  # the documents cannot say what they never name
            return refused(answer, f"It never mentions {unknown}.")
        if asks_count(own_text) and not any(holds("quantity", p.text, own_text) for p in chosen):
            return refused(answer, "What it says gives no number.")
        # X's own description, found by its name, answers "What does X do?" however little its
        # words echo the question's ("-a" / "--archive, -a: This is equivalent to -rlptgoD.").
        by_name = definition[order[0]] == 2
        if not by_name and (floor or confidence < self.settings.min_confidence):
            return refused(answer)
        return answer

    def _choose(
        self,
        found: list[Candidate],
        order: list[int],
        score: np.ndarray,
        best: float,
        procedure: bool,
        default: bool,
        typed: np.ndarray,
    ) -> list[Sentence]:
        """The sentences of the answer, in the order they are quoted: the best candidate (with
        its context, and for a how-to question its code or steps, or the block it introduces
        with a colon), then, while they score within ``margin`` of it and fit in
        ``max_sentences``, the next distinct ones (holding the kind of answer asked for, if the
        best does: ``typed``)."""
        top = found[order[0]]
        parts = _parts(top, default, procedure)
        if procedure and top.procedure is not None:
            return [*parts, top.procedure]
        if any(p.kind == "code" for p in parts):
            return parts  # one sentence and one code block
        for i in order[1:]:
            if score[i] < best - self.margin:
                break
            if typed[order[0]] and not typed[i]:
                continue  # the best holds the kind of answer asked for: so must the rest
            more = [p for p in _parts(found[i], default, procedure) if p not in parts]
            if len(parts) + len(more) > self.max_sentences:
                continue
            if more and all(_distinct(p, q) for p in more for q in parts) and _adds(more, parts):
                parts.extend(more)
        return parts


def _named(
    found: list[Candidate],
    keys: list[str | None],
    shared: set[tuple[str | None, Sentence | None]],
    question: str,
) -> np.ndarray:
    """How surely ``question`` names the entry each candidate is under: a table's row by its
    key (``row_key``) when no other row of its table has it (``shared``), an option, function
    or glossary entry (``describes``). A row the question quotes by its key ('What does an "x"
    in the second field mean?') is named as surely as an option written as its term is (2)."""
    quoted = {m.group(1).lower() for m in _QUOTED.finditer(question)}
    return np.array(
        [
            (names_row(key, question) and (key, c.context) not in shared) * (1 + (key in quoted))
            if c.sentence.kind == "table"
            else describes(c, question)
            for c, key in zip(found, keys, strict=True)
        ],
        dtype=float,
    )


def _shows_how(candidate: Candidate) -> bool:
    """Whether a code block or numbered steps follow the candidate: a bulleted list names
    things more often than it orders steps ("In a Unix system, many tasks are scheduled for
    regular execution:" over the tasks)."""
    shown = candidate.procedure
    return shown is not None and (
        shown.kind == "code" or _NUMBERED_STEP.match(shown.text.lstrip()) is not None
    )


# What an option's, a function's or a setting's entry is named as.
_KINDS_OF_NAME = frozenset(
    "function method option flag command variable macro directive keyword parameter setting"
    " property attribute element hook filter field operator pragma header".split()
)
# A word that points at what the sentence is about: "this", "it", "their".
_POINTS_BACK = re.compile(r"\b(?:this|these|it|its|they|them|their)\b", re.IGNORECASE)
# The first of numbered steps: "1.", "2)", "Step 3".
_NUMBERED_STEP = re.compile(rf"(?:{NUMBER_MARK}|step \d{{1,3}}\b)", re.IGNORECASE)


def _steps_next(
    found: list[Candidate], i: int, passages: Sequence[Passage], overlap: np.ndarray
) -> int | None:
    """The candidate right after ``i`` in its paragraph, if it ends with a colon before code
    or steps and holds as much of the question's word weight: "The easiest way to do so is ...
    a `for await...of` loop:" and its code, after "A common use case for `readline` is to
    consume an input file one line at a time." (not "So using path.basename() might yield
    different results on POSIX and Windows:" and its example, which has lost the question's
    words), or says it does what ``i`` says ("The git-bisect command can help you do this:")."""
    j = i + 1
    if j >= len(found) or found[j].procedure is None:
        return None
    top, following = found[i].sentence, found[j].sentence
    if overlap[j] < overlap[i] and not _DOES_THAT.search(following.text):
        return None
    if following.passage != top.passage or not following.text.rstrip().endswith(":"):
        return None
    passage = passages[top.passage]
    between = passage.text[top.end - passage.start : following.start - passage.start]
    return j if not between.strip() and "\n\n" not in between else None


_QUOTED = re.compile(r"(?<!\w)[\"'`“‘]([^\"'`”’\n]{1,60})[\"'`”’](?!\w)")  # "x", 'x', `x`
_DOES_THAT = re.compile(r"\b(?:do|does|doing) (?:this|that|so)\b", re.IGNORECASE)


def _naming_value(found: list[Candidate], typed: np.ndarray, noun: str | None) -> np.ndarray:
    """``typed``, kept only for the sentences of prose that say what the value is
    ("Requirements files are `utf-8` encoding by default" for "What text encoding ...?", not
    "... often called `requirements.txt`"), when any of those holding a value does. A table's
    row and what an option's or a function's line describes hold their value by their place."""
    if noun is None:
        return typed
    word = re.compile(rf"\b{re.escape(noun)}(?:s|es)?\b", re.IGNORECASE)
    naming = np.array(
        [
            c.sentence.kind == "table" or c.described is not None or word.search(c.text) is not None
            for c in found
        ]
    )
    return typed * naming if (typed.astype(bool) & naming).any() else typed


MAX_ENTRY_NAME_CHARS = 40  # the most of an entry's name a refusal names
_HELD_KINDS = frozenset(("value", "quantity", "date", "name", "place"))


def _other_entry(
    found: list[Candidate],
    keys: list[str | None],
    named: np.ndarray,
    held: np.ndarray,
    order: list[int],
) -> tuple[str, str] | None:
    """When the question names an entry of a list or table (``named``: an option, a term, a
    row: "What is the uid of the cacher account?") but the best sentence is under another one
    ("builder: ... It has uid 2001."), or is the named entry's own but holds nothing of the
    kind asked for (``held``: "The cacher account serves the artifact cache over HTTP.") where
    another entry's sentence does, that other entry's name and the one named; else None."""

    def entry(i: int) -> str | None:
        described = found[i].described
        return keys[i] if described is None else described.text

    if not named.any():
        return None
    best: int | None = order[0]
    if named[best]:
        if (held * named).any():
            return None  # the entry named says it
        best = next((i for i in order if held[i] and not named[i]), None)
    other = None if best is None else entry(best)
    wanted = entry(int(np.flatnonzero(named)[0]))
    return None if other is None or wanted is None else (_entry_name(other), _entry_name(wanted))


def _entry_name(name: str) -> str:
    """An entry's name for a sentence: its first line, ``shortened``."""
    lines = name.strip().splitlines()
    return shortened(lines[0] if lines else name, MAX_ENTRY_NAME_CHARS)


def _under_term(candidate: Candidate) -> bool:
    """Whether the candidate is under an option's or a function's line (or in its item), and
    does not quote the line as its context."""
    described = candidate.described
    return described is not None and described.kind == "term" and described != candidate.context


def _typed_after(found: list[Candidate], i: int, typed: np.ndarray) -> int | None:
    """The first of the ``FOLLOWING`` candidates after ``i`` in its passage, and under the
    same entry when ``i`` is under one (the next entry of a glossary or an option list speaks
    of another thing), that holds the kind of answer asked for, if any."""
    top, entry = found[i].sentence, found[i].described
    following = [
        j
        for j in range(i + 1, len(found))
        if found[j].sentence.passage == top.passage
        and found[j].sentence.start >= top.end
        and (entry is None or found[j].described == entry)
    ]
    return next((j for j in following[:FOLLOWING] if typed[j]), None)


def _with_procedure(
    found: list[Candidate],
    i: int,
    chosen: list[Sentence],
    typed: np.ndarray,
    overlap: np.ndarray,
) -> list[Sentence]:
    """A how-to answer ``chosen`` with the code or steps it is about: a quoted sentence that
    introduces them ("On Windows, run:") is never quoted without them, and when the best
    sentence ``i`` shows none ("Once you've created a virtual environment, you may activate
    it."), the first of the ``FOLLOWING`` candidates after it that does, and holds some of the
    question's words, comes with them (not "So the output may differ between systems:")."""
    procedures = {c.sentence: c.procedure for c in found if c.procedure is not None}
    if any(p in procedures.values() for p in chosen):
        return chosen
    for k, part in enumerate(chosen):
        if part in procedures:
            return [*chosen[: k + 1], procedures[part]]
    after = _typed_after(found, i, typed)
    if after is None or found[after].procedure is None or not overlap[after]:
        return chosen
    lead = _parts(found[i], procedure=True)
    more = [p for p in _parts(found[after], procedure=True) if p not in lead]
    return [*lead, *more, found[after].procedure]


def _parts(candidate: Candidate, default: bool = False, procedure: bool = False) -> list[Sentence]:
    """What quoting ``candidate`` takes: the option it describes, the sentence it leans on,
    itself, what it introduces when it ends with a colon (unless a how-to answer quotes its
    procedure after it), and for a question about a default the "Default: ..." that follows
    it. A function named by its section's heading is quoted for a how-to question only (what
    to call); the citation names the section anyway."""
    term = candidate.term
    if term is not None and term.kind == "heading" and not procedure:
        term = None
    first = candidate.context or candidate.sentence
    if term is not None and first.start <= term.start < candidate.sentence.end:
        term = None  # the quote names it itself ("`maxBuffer` {number} Largest ...")
    parts = [p for p in (term, candidate.context) if p is not None]
    parts.append(candidate.sentence)
    if candidate.introduces is not None and not (procedure and candidate.procedure is not None):
        parts.append(candidate.introduces)
    if default and candidate.default is not None:
        parts.append(candidate.default)
    return parts


def _holds(
    expected: str,
    candidate: Candidate,
    question: str,
    default: bool,
    key: str | None,
    limit: bool = False,
) -> bool:
    """Whether the candidate holds the answer's type; for a question about a default, whether
    it (with its option line and its "Default: ...") states one; for one about a bound
    (``limit``), whether it states one with its figure. ``key`` is a table row's ``row_key``."""
    if default:
        return states_default(" ".join(p.text for p in _parts(candidate, default)))
    if limit:
        return states_limit(candidate.text)
    if expected == "procedure" and candidate.procedure is not None:
        return True
    if expected == "list":  # "Advantages include:" over its items
        items = candidate.procedure is not None and candidate.procedure.kind == "item"
        if items and holds("list", candidate.text, question):
            return True
        # ... or a paragraph naming them over a list ("libffi is missing a few features.").
        plural = asked_list(question)
        return _listed(candidate) and plural is not None and names_plural(candidate.text, plural)
    if expected == "procedure" and candidate.term is not None:
        # Under a function's or an option's line or heading: what to use is its name.
        return holds("procedure", f"{candidate.term.text} {candidate.text}", question)
    if expected == "value" and key is not None and not names_row(key, question):
        return True  # "Which property ..." asks for a row's key ("rgba") the question lacks
    if expected == "value" and candidate.described is not None and _asks_name(question):
        # "Which function frees a closure?": the name is its entry's line ("Function: void
        # ffi_closure_free (void *writable)" over "Free memory allocated ...").
        return holds("value", f"{candidate.described.text} {candidate.text}", question)
    return holds(expected, candidate.text, question)  # type: ignore[arg-type]


def _sets_its_name(candidate: Candidate) -> bool:
    """Whether the candidate says what a name in code is ("CHUNK is simply the buffer size
    ...") and the short code block after its paragraph gives it a value ("#define CHUNK
    16384", "CHUNK = 16384")."""
    code = candidate.follows
    named = _OPENING_NAME.match(candidate.sentence.text)
    if code is None or code.kind != "code" or named is None:
        return False
    if code.text.strip().count("\n") >= MAX_SET_LINES:
        return False
    # "#define CHUNK 16384", "CHUNK = 16384", "const int CHUNK = 16384;", "chunk_size: 4096"
    setting = r"^\s*(?:#\s*define\s+|(?:const|let|var|export|static|final)\s+)*"
    setting += rf"(?:[\w*]+\s+)?{re.escape(named.group(1))}"
    setting += r"(?:\s*[:=]\s*[-\w.'\"]|\s+(?:-?\d|['\"]))"
    return re.search(setting, code.text, re.MULTILINE) is not None


def _listed(candidate: Candidate) -> bool:
    """Whether list items follow the candidate's paragraph (no colon introduces them)."""
    return candidate.follows is not None and candidate.follows.kind == "item"


def _asks_name(question: str) -> bool:
    """Whether ``question`` asks for a thing by the kind of name it has ("Which function ...",
    "What option ..."), which an entry's line gives."""
    return value_noun(question) in _KINDS_OF_NAME


def _cited(
    question: str, passages: Sequence[Passage], parts: list[Sentence], closest: float
) -> Answer:
    """The answer quoting ``parts``: prose joined by spaces, a code block or steps on lines of
    their own, verbatim; each quoted run ends with the ``[n]`` of its passage."""
    citations: list[Passage] = []
    pieces: list[str] = []
    quotes: list[Quote] = []
    for k, part in enumerate(parts):
        passage = passages[part.passage]
        if part.kind == "code":
            part = _indented(part, passage)
        if passage not in citations:
            citations.append(passage)
        number = citations.index(passage) + 1
        # Steps (items with their markers) keep their lines; a wrapped item's sentence does not.
        steps = part.kind == "item" and "\n" in part.text and is_list_item(part.text)
        block = steps or part.kind == "code"
        following = parts[k + 1] if k + 1 < len(parts) else None
        same_run = (
            following is not None
            and following.passage == part.passage
            and following.kind in ("code",)
        )
        # Prose is quoted with its line breaks (a PDF's, a man page's) as spaces, so that only a
        # code block or a list of steps is a paragraph with line breaks (``Answer.blocks``).
        prose = " ".join(part.text.split())
        if part.kind == "table":  # a header and its rows: one block, its marker at the end
            before = parts[k - 1] if k else None
            lead = "" if _same_table(before, part) else "\n\n"
            end = "\n" if _same_table(part, following) else f" [{number}]\n\n"
            pieces.append(f"{lead}{part.text}{end}")
        elif steps and all(p.passage != part.passage for p in parts[:k]):
            # steps quoted alone are cited after them, as prose (a verbatim block shows no marker)
            pieces.append(f"\n\n{part.text}\n\n[{number}] ")
        elif block:
            pieces.append(f"\n\n{part.text}\n\n")
        elif same_run:
            pieces.append(f"{prose} [{number}]")
        else:
            pieces.append(f"{prose} [{number}] ")
        quotes.append(Quote(number, passage.doc_id, part.start, part.end))
    text = "".join(pieces).lstrip("\n").rstrip("\n ")  # a first code line keeps its indent
    return Answer(question, text, citations, True, quotes, closest)


def _indented(code: Sentence, passage: Passage) -> Sentence:
    """A code block quoted from the start of its first line, so that its first line keeps its
    indentation as the others do ("    sqlite> .headers on" over "    sqlite> .mode csv")."""
    before = passage.text[: code.start - passage.start]
    line = before[before.rfind("\n") + 1 :]  # what precedes the block on its first line
    if not line or line.strip(" \t"):
        return code  # at the margin, or after text on its line
    return replace(code, text=line + code.text, start=code.start - len(line))


def _same_table(a: Sentence | None, b: Sentence | None) -> bool:
    """Whether two quoted parts are lines of one table (its header and a row, or two rows)."""
    if a is None or b is None:
        return False
    return a.kind == b.kind == "table" and a.passage == b.passage


def _answer_and_passage_vectors(
    vectors: np.ndarray, found: list[Candidate], best: int
) -> np.ndarray:
    """The best candidate's vector and its passage's, the mean of the passage's candidates'
    vectors (unit length): already embedded, so judging the answer costs no passage's
    embedding."""
    passage = found[best].sentence.passage
    mean = vectors[[i for i, c in enumerate(found) if c.sentence.passage == passage]].mean(axis=0)
    return np.stack([vectors[best], mean / (np.linalg.norm(mean) or 1.0)])


def _term_overlap(weights: dict[str, float], sentence: str, lexical: WordWeights) -> float:
    """Share of the question's IDF ``weights`` carried by words the sentence also has, in [0, 1]:
    the parts of a name count ("ffi_closure_alloc" says "closure")."""
    words = set(lexical.words(sentence))
    if _NAME_JOINER.search(sentence):
        words |= set(lexical.words(_NAME_JOINER.sub(" ", sentence)))
    return _share_held(weights, words)


def _share_held(weights: dict[str, float], present: set[str]) -> float:
    """Share of the question's IDF ``weights`` carried by the index words ``present``."""
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(w for word, w in weights.items() if word in present) / total


def _adds(more: list[Sentence], parts: list[Sentence]) -> bool:
    """Whether ``more`` says a word that ``parts`` do not: an option's item repeated in another
    list ("`killSignal` {string|integer} **Default:** `'SIGTERM'`") adds nothing."""
    said = {w for p in parts for w in _TOKEN.findall(p.text.lower())}
    return any(w not in said for p in more for w in _TOKEN.findall(p.text.lower()))


_TOKEN = re.compile(r"\w+")  # words and figures alike: "500" is news
# A name in code opening a sentence that says what it is: "CHUNK is", "max_size sets".
_OPENING_NAME = re.compile(
    rf"^`?({IDENTIFIER}|[A-Z]{{2,}}[0-9]*)`? (?:is|are|sets?|holds?|gives?)\b"
)
MAX_SET_LINES = 10  # the longest code block quoted for the value it sets
_NAME_JOINER = re.compile(r"(?<=[A-Za-z])_+(?=[A-Za-z])")  # "ffi_closure_alloc", "max_size"


def _distinct(a: Sentence, b: Sentence) -> bool:
    """Whether two sentences say different things (not the same text in two places)."""
    return jaccard(shingles(a.text), shingles(b.text)) < 0.5


def _no_answer(
    question: str, passages: Sequence[Passage], similarity: float | None = None
) -> Answer:
    nearest = list(passages[:3])
    if nearest:
        markers = ", ".join(f"[{i}]" for i in range(1, len(nearest) + 1))
        text = f"{NO_ANSWER} The nearest passages are {markers}."
    else:
        text = NO_ANSWER
    return Answer(question, text, nearest, confident=False, similarity=similarity)
