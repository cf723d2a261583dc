"""Whether an answer speaks to the question's most specific word: two refusal signals.

A question the corpus cannot answer is mostly about a topic the corpus covers, asked about one
thing it does not ("Does Valgrind run on *macOS*?", "How do I configure pip to go through an
HTTP *proxy*?"). The retrieved passage and the answer then match the topic and ignore that
thing. Its likeliest word is the question's rarest in the index (highest IDF; a word the
corpus never uses counts as rarest), and two numbers tell whether the answer speaks to it:

- ``reliance``: how much of the question's likeness to the answer's best sentence and to its
  passage (the mean of the passage's sentence vectors, already embedded) rests on that word:
  the cosine of the question with each, less that of the question without the word (deleted,
  and replaced by "something"), averaged over the four. Near 0 or below: the answer would
  match as well if the question had not asked it. Two short questions are embedded for it.
- ``missing``: whether the passage holds the word, as the IDF of the rarest question word the
  passage lacks over the question's highest IDF (0: it holds them all).

Both are features of ``qa.types.Evidence``; which of them the confidence model weighs is chosen
on the dev splits (``python -m eval.quality.confidence``).

One thing is surer: a name of two words or more that the corpus never uses ("What did U.S.
ambassador *Ryan Crocker* say about the offensive?"). ``unknown_name`` finds it, and the answer
is refused whatever its confidence: the documents cannot say what they never name. So is one
about a figure that qualifies a thing ("Which PostgreSQL version is the default on *Debian
12*?", "How much memory does zstd use at *level 19*?") when no document the answer quotes
writes it (``unwritten_figure``): those documents speak of other versions, or of none. And so
is one that names a thing by its acronym ("How much slower is Memcheck on *ARM*?", "Does
libtasn1 support the packed encoding rules (*PER*)?") that no document the answer quotes writes
(``unwritten_acronym``): an acronym is the exact name of one thing, and a document that speaks of
it writes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from qa.answering.base import refused
from qa.answering.wording import STOPWORDS
from qa.errors import QAError
from qa.store.base import WordWeights
from qa.types import Answer, Document

# A word of the question as written: "querystring.parse", "SHA-256", "pip's", "C++".
_WORD = re.compile(r"\w[\w.+#/'-]*\w|\w")
# A name of two capitalised words or more: "Ryan Crocker", "Grand Ayatollah Ali al-Sistani".
_PARTICLE = r"(?:al|el|de|da|van|von|bin|ibn)"
_NAME = re.compile(
    rf"(?<![\w'’-])(?:{_PARTICLE}-)?[A-Z][\w'’-]*"
    rf"(?:\s+(?:{_PARTICLE}\s+)?(?:{_PARTICLE}-)?[A-Z][\w'’-]*)+"
)
_PARTICLE_WORD = re.compile(rf"{_PARTICLE}", re.IGNORECASE)
# A figure after the word it qualifies: "Debian 12", "Git 2.39", "level 19", "March 2008"; not
# part of a word ("bzip2", "-O2") nor a count after a small word ("to 10 decimal places").
_QUALIFIED_FIGURE = re.compile(r"(?<![\w.'’-])([A-Za-z][\w+]*)\s+(\d+(?:\.\d+)*)(?![\w.]*\w)")
# An acronym: "ARM", "PER", "HTTP", "X11"; not a part of a longer name ("PIP_CONFIG_FILE",
# "SHA-256").
_ACRONYM = re.compile(r"(?<![\w.'’-])[A-Z][A-Z0-9]+(?![\w'’-])")
# What a question sets aside, to the end of its clause: "instead of stderr", "rather than X".
_CONTRAST = re.compile(r"\b(?:instead\s+of|rather\s+than)\b[^,;:?!]*", re.IGNORECASE)
# A question in title case ("How Do I Install Pip On Windows?") has capitals, not names.
TITLE_CASE_SHARE = 0.6
# What the rarest word is replaced by, so that the question still reads as a question.
PLACEHOLDER = "something"


def rarest_word(
    question: str, question_weights: dict[str, float], weights: WordWeights
) -> tuple[int, int] | None:
    """The span of the question's word of highest IDF (``question_weights``: the IDF of each
    of its index words; the first of equals), or None when it has only stop-words."""
    best, span = -1.0, None
    for match in _WORD.finditer(question):
        stems = weights.words(match.group(0))
        if not stems:
            continue
        weight = max(question_weights.get(stem, 0.0) for stem in stems)
        if weight > best:
            best, span = weight, match.span()
    return span


def reliance(
    question: str,
    question_vector: np.ndarray,
    span: tuple[int, int] | None,
    text_vectors: np.ndarray,
    encode: Callable[[Sequence[str]], np.ndarray],
) -> float:
    """Mean over the texts (their unit vectors, ``text_vectors``, one a row) and over the two
    ways of taking the word at ``span`` out of the question of ``cos(question, text) −
    cos(question without it, text)`` (0.0 with no span or no text). ``encode`` embeds the
    two questions without it."""
    if span is None or not len(text_vectors):
        return 0.0
    start, end = span
    without = encode(
        [
            " ".join(f"{question[:start]} {question[end:]}".split()),
            f"{question[:start]}{PLACEHOLDER}{question[end:]}",
        ]
    )
    drops = (text_vectors @ question_vector)[:, None] - text_vectors @ without.T
    return float(drops.mean())


def missing(question_weights: dict[str, float], present: set[str]) -> float:
    """The IDF of the rarest question word not among the index words ``present`` (a text's),
    over the question's highest IDF (``question_weights``: each question word's IDF); 0.0 when
    none is lacking."""
    top = max(question_weights.values(), default=0.0)
    if top <= 0:
        return 0.0
    lacking = [w for word, w in question_weights.items() if word not in present]
    return max(lacking, default=0.0) / top


def beside_contrast(
    question: str, question_weights: dict[str, float], weights: WordWeights
) -> dict[str, float]:
    """``question_weights`` without the words of what the question sets aside: "stderr" of
    "How do I send the messages to a log file instead of stderr?", "the United States" of
    "... rather than the United States?". An answer need not write what it is asked in place
    of, so a passage lacking those words lacks nothing asked for."""
    aside = {
        word for found in _CONTRAST.finditer(question) for word in weights.words(found.group())
    }
    return {word: w for word, w in question_weights.items() if word not in aside}


def unknown_name(question: str, weights: WordWeights) -> str | None:
    """The first name of two words or more in ``question`` that the corpus does not know: its
    last word and most of its words are in no passage ("Ryan Crocker", when neither is). None
    when it names none (a question's first word is capitalised as a sentence's, and a
    title-case question's words as a title's)."""
    words = question.split()
    if not words or sum(w[:1].isupper() for w in words) / len(words) >= TITLE_CASE_SHARE:
        return None
    opening = len(question) - len(question.lstrip())
    names = []
    for found in _NAME.finditer(question):
        parts = [w for w in found.group().split() if not _PARTICLE_WORD.fullmatch(w)]
        if parts and found.start() == opening and parts[0].lower() in STOPWORDS:
            parts = parts[1:]  # "Did Ryan Crocker ...": "Did" is no part of the name
        if len(parts) >= 2:
            names.append([re.sub(r"['’]s$", "", w) for w in parts])
    if not names:
        return None
    stems = {w: weights.words(w) for name in names for w in name}
    # One lookup (a query, on a database's index) for every word, and a space, which no index
    # word is: its IDF is that of a word never seen.
    idf = weights.idf({" ", *(stem for found in stems.values() for stem in found)})

    def unseen(word: str) -> bool:
        return bool(stems[word]) and max(idf[stem] for stem in stems[word]) >= idf[" "]

    for parts in names:
        if unseen(parts[-1]) and 2 * sum(unseen(w) for w in parts) > len(parts):
            return " ".join(parts)
    return None


def unwritten_figure(question: str, texts: Sequence[str]) -> str | None:
    """The first figure in ``question`` that qualifies the word before it ("Debian 12", "Git
    2.39", "level 19"), with that word, that none of ``texts`` writes; None when each is
    written or the question has none. A version written longer counts ("2.39" in "2.39.0"),
    and so does the figure after a sign or a letter ("-19", "v12"), but not inside a longer
    figure ("12" in "2012" or "12.5")."""
    for found in _QUALIFIED_FIGURE.finditer(question):
        word, figure = found.groups()
        if word.lower() in STOPWORDS:
            continue
        after = r"(?!\d)" if "." in figure else r"(?!\.?\d)"
        written = re.compile(rf"(?<![\d.]){re.escape(figure)}{after}")
        if not any(written.search(text) for text in texts):
            return f"{word} {figure}"
    return None


def unwritten_acronym(question: str, texts: Sequence[str]) -> str | None:
    """The first acronym in ``question`` after its first word ("ARM" of "How much slower is
    Memcheck on ARM than on x86?") that none of ``texts`` writes: as it is, with a dot after
    each letter ("US" as "U.S."), or in lower case as code writes it, after "-", "." or "/"
    ("JSON" as "--json" or "out.json"; a plain "per" is no "PER"). None when each is written
    or the question has none, or is written in capitals throughout."""
    for acronym in _acronyms(question):
        dotted = r"\.".join(map(re.escape, acronym)) + r"\.?"
        in_code = rf"(?<=[-./]){re.escape(acronym.lower())}"
        written = re.compile(rf"(?<!\w)(?:{re.escape(acronym)}|{dotted}|{in_code})(?!\w)")
        if not any(written.search(text) for text in texts):
            return acronym
    return None


def _acronyms(question: str) -> list[str]:
    """The acronyms of ``question`` after its first word, which is in capitals anyway ("IS
    ...", "OK"); none in a question written in capitals throughout."""
    words = question.split()
    if not words or sum(w.isupper() for w in words) / len(words) >= TITLE_CASE_SHARE:
        return []
    opening = len(question) - len(question.lstrip())
    return [found.group() for found in _ACRONYM.finditer(question) if found.start() != opening]


def with_specifics_written(
    answer: Answer, question: str, document: Callable[[str], Document]
) -> Answer:
    """``answer``, refused when ``question`` asks about a figure (``unwritten_figure``) or an
    acronym (``unwritten_acronym``) that no document it quotes writes (in its text, title or
    file name). Documents are looked up only for a confident answer to a question with either;
    should the store fail to give them, the answer is returned unchecked."""
    if not answer.confident or not (_QUALIFIED_FIGURE.search(question) or _acronyms(question)):
        return answer  # nothing to look the documents up for
    cited = sorted({passage.doc_id for passage in answer.citations})
    try:
        documents = [document(doc_id) for doc_id in cited]
    except QAError:  # a database gone meanwhile: the answer stands unchecked, not lost
        return answer
    texts = [f"{d.doc_id}\n{d.title}\n{d.text}" for d in documents]
    unwritten = unwritten_figure(question, texts) or unwritten_acronym(question, texts)
    if unwritten is None:
        return answer
    return refused(answer, f"The documents it quotes never mention {unwritten}.")
