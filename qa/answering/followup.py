"""Follow-up questions: which earlier questions a new one leans on, and the query to search for.

Retrieval sees one string, so a follow-up such as "Did the government accept them?" must carry
what "them" refers to. No language model rewrites it; a question *leans on* the one before it
when it cannot stand alone, by three plain signs:

- it opens with a continuation: "and", "but", "so", "also", "what about", "how about";
- it refers back with a third-person pronoun or a demonstrative ("they", "them", "it", "he",
  "this", "those", ...) and names nothing itself (no capitalised word after the first); an
  "it" that stands for what follows ("Is it safe to run pip as root?", "it is true that")
  refers to nothing, and neither does one in a clause ("when", "if", "because" ...) after a
  main clause of its own ("Which code does xsltproc return when it fails?": "it" is xsltproc,
  which a lowercase name does not show);
- it has fewer than two content words ("Why?", "When was that?"); a name written as code (an
  option "-0", a call "dup()", a dotted name "os.tmpdir") counts as one, so "What does xargs -0
  do?" stands alone, and so does a question asking what one named thing is ("What is sed?").

The query is then the questions it leans on, oldest first, followed by the new one:
"What did Sadr demand? Did the government accept them?". A chain reaches back at most
``MAX_TURNS`` questions, and a question that stands alone starts a new chain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answering.wording import STOPWORDS

MAX_TURNS = 3
_CONTINUATIONS = ("and ", "but ", "so ", "also ", "what about ", "how about ", "then ")
_REFERRING = frozenset(
    "it its they them their theirs he him his she her hers this that these those there".split()
)
# "it" standing for a clause that follows, within three words: "is it safe to ...", "it was
# clear that ...", "would it be possible to ...".
_ANTICIPATORY_IT = re.compile(
    r"\b(?:(?:is|was|would|will|isn['’]t|wasn['’]t) it(?: be)?|it (?:is|was|would be|will be"
    r"|seems|['’]s)) (?:\S+ ){0,3}?(?:to|that|if|whether)\b",
    re.IGNORECASE,
)
_SUBORDINATE = re.compile(
    r"\b(?:when|whenever|if|because|after|before|while|unless|once|until|whether|so that)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# "What is sed?", "Who is Sistani?", "What are closures?": asked what a thing is, by its name.
_ASKS_WHAT_X_IS = re.compile(r"^(?:what|who)\s+(?:is|are)\s+(?:an?\s+|the\s+)?\S+\s*\??$", re.I)
_CODE_NAME = re.compile(r"(?<![\w-])--?\w[\w-]*|\w+\(\)|\w+(?:\.\w+)+")


def leans_on_previous(question: str) -> bool:
    """Whether ``question`` needs the question before it to make sense; see the module doc."""
    text = " ".join(question.split())
    if text.lower().startswith(_CONTINUATIONS):
        return True
    words = _WORD.findall(text)
    content = _content_words(text)
    if len(content) < 2:
        return not (content and _ASKS_WHAT_X_IS.match(text))  # "What is sed?" names its subject
    clause_free = _WORD.findall(_ANTICIPATORY_IT.sub(" ", _main_clause(text)))
    refers_back = any(w.lower() in _REFERRING for w in clause_free)
    names_something = any(w[0].isupper() and w != "I" for w in words[1:])
    return refers_back and not names_something


def _main_clause(text: str) -> str:
    """``text`` up to its first subordinate clause, when what comes before it has two content
    words or more (its own subject and verb); else all of ``text`` ("What happens when it
    fails?" has no main clause to bind "it")."""
    clause = _SUBORDINATE.search(text)
    if clause is None:
        return text
    head = text[: clause.start()]
    return head if len(_content_words(head)) >= 2 else text


def _content_words(text: str) -> list[str]:
    """The words of ``text`` that are not stop words or single letters, and its names written
    as code ("-0", "dup()", "os.tmpdir")."""
    words = [w for w in _WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 1]
    return words + _CODE_NAME.findall(text)


def standalone_query(question: str, earlier: Sequence[str], max_chars: int | None = None) -> str:
    """The text to retrieve with for ``question``, asked after the ``earlier`` questions.

    Args:
        question: The new question, as asked.
        earlier: The questions asked before it in the conversation, oldest first.
        max_chars: Longest query allowed; earlier questions are dropped, oldest first, to fit.

    Returns:
        ``question`` itself when it stands alone, else the chain of questions it leans on
        joined to it.
    """
    chain = [question.strip()]
    for previous in reversed(earlier):
        if len(chain) == MAX_TURNS or not leans_on_previous(chain[0]):
            break
        chain.insert(0, previous.strip())
    while len(chain) > 1 and max_chars is not None and len(" ".join(chain)) > max_chars:
        chain.pop(0)
    return " ".join(chain)
