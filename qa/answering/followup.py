"""Follow-up questions: which earlier questions a new one leans on, and the query to search for.

Retrieval sees one string, so a follow-up such as "Did the government accept them?" must carry
what "them" refers to. No language model rewrites it; a question *leans on* the one before it
when it cannot stand alone, by three plain signs:

- it asks the question before of something else ("what about Basra?", "how about -r?"), or
  opens with a joining word ("and", "but", "so", "also", "then") and no question of its own
  follows ("And the second one?"); a question that follows it ("And which group can read the
  logs?") leans or stands alone as it would without it;
- it refers back with a third-person pronoun or a demonstrative ("they", "them", "it", "he",
  "this", "those", ...) and names nothing before it (no capitalised word after the first: "Did
  Sadr say he ...?" stands alone, "Does it run on Linux?" leans); an
  "it" that stands for what follows ("Is it safe to run pip as root?", "it is true that")
  refers to nothing, and neither does one in a clause ("when", "if", "because" ...) after a
  main clause of its own ("Which code does xsltproc return when it fails?": "it" is xsltproc,
  which a lowercase name does not show); the same holds after a comma, "and", "but", "so", or a
  relative "that" ("How do I save my password in the keyring so pip can use it?"), and for
  "its" after a word it can belong to ("Which directory is pip using for its cache?");
- it has fewer than two content words ("Why?", "When was that?"); a name written as code (an
  option "-0", a call "dup()", a dotted name "os.tmpdir") counts as one, so "What does xargs -0
  do?" stands alone, and so does a question asking what one named thing is ("What is sed?").

The query is then the questions it leans on, oldest first, followed by the new one:
"What did Sadr demand? Did the government accept them?". A chain reaches back at most
``MAX_TURNS`` questions, and a question that stands alone starts a new chain.

When the earlier question asked "which" thing ("Which account serves the artifact cache?") and
its answer, kept by the caller, names it ("The cacher account serves ..."), an "it" or "its" in
the follow-up is that thing, not the earlier question's subject: "What is its uid?" is read as
"What is the cacher account's uid?" (``Query.asked``), which the answer is chosen for and
checked against (the builder account's uid is not the cacher's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.answering.base import NO_ANSWER
from qa.answering.wording import STOPWORDS
from qa.types import Turn

MAX_TURNS = 3
_ASKS_AGAIN = ("what about ", "how about ")  # the question before, of something else
# A joining word: what follows is a question of its own, or leans as one would.
_JOINING = re.compile(r"(?:and|but|so|also|then)\b[\s,]*", re.IGNORECASE)
_QUESTION_OPENING = re.compile(
    r"(?:(?:in|on|at|for|with|from|to|by|under|after|before|since|during)\s+(?=wh))?"
    r"(?:if|what|who|whom|whose|which|when|where|why|how|is|are|was|were|do|does|did|can|could"
    r"|will|would|should|shall|may|might|must|has|have|had)\b",
    re.IGNORECASE,
)
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
# Where a second clause starts: a subordinating word, a comma or semicolon, a coordinating
# word, or a relative "that" (one followed by a clause: "an index that only needs a token").
_CLAUSE_BREAK = re.compile(
    r"\b(?:when|whenever|if|because|after|before|while|unless|once|until|whether|so that"
    r"|and|but|so|or)\b|[,;]|\bthat\b(?=(?:\s+\S+){2})",
    re.IGNORECASE,
)
# A possessive that can belong to a word before it in the question ("Which directory is pip
# using for its cache?"); "his", "her" and "their" are left referring back: the word before is
# seldom their owner ("In which holy city is his base?", "Did the government accept their
# demands?"), and a person asked about by name names something anyway.
_POSSESSIVE = frozenset(("its",))
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# "What is sed?", "Who is Sistani?", "What are closures?": asked what a thing is, by its name.
_ASKS_WHAT_X_IS = re.compile(r"^(?:what|who)\s+(?:is|are)\s+(?:an?\s+|the\s+)?\S+\s*\??$", re.I)
_CODE_NAME = re.compile(r"(?<![\w-])--?\w[\w-]*|\w+\(\)|\w+(?:\.\w+)+")
# "Which account ...?", "What port ...?": the kind of thing asked for, one word, singular.
_WHICH_THING = re.compile(r"(?:which|what)\s+([a-z][a-z-]*(?:ss|[a-rt-z]))\b")
# Not a thing: "What is ...?", "What does ...?", "What about ...?".
_NOT_A_THING = frozenset(
    "is was are were do does did can could will would should shall may might must has have had"
    " about if kind sort type else happen happens happened".split()
)
_IT = re.compile(r"\b(its|it)\b", re.IGNORECASE)


def leans_on_previous(question: str) -> bool:
    """Whether ``question`` needs the question before it to make sense; see the module doc."""
    text = " ".join(question.split())
    joined = _JOINING.match(text)
    if joined is not None:  # "And what did he say?" leans as "what did he say?" does
        text = text[joined.end() :]
        if _QUESTION_OPENING.match(text) is None:
            return True  # "And the second one?", "But in Basra?": no question of its own
    if text.lower().startswith(_ASKS_AGAIN):
        return True
    content = _content_words(text)
    if len(content) < 2:
        return not (content and _ASKS_WHAT_X_IS.match(text))  # "What is sed?" names its subject
    clause_free = _WORD.findall(_ANTICIPATORY_IT.sub(" ", _main_clause(text)))
    referring = [
        i
        for i, w in enumerate(clause_free)
        if w.lower() in _REFERRING
        and not (w.lower() in _POSSESSIVE and _content_words(" ".join(clause_free[:i])))
    ]
    if not referring:
        return False
    # A name before the pronoun is what it refers to ("Did Sadr say he would ...?"); one after
    # it is not ("Where does it keep its files on Linux?").
    return not any(w[0].isupper() and w != "I" for w in clause_free[1 : referring[0]])


def _main_clause(text: str) -> str:
    """``text`` up to the first break into another clause (``_CLAUSE_BREAK``) that has two
    content words or more before it (a subject and verb of its own); else all of ``text``
    ("What happens when it fails?" has no main clause to bind "it")."""
    for clause in _CLAUSE_BREAK.finditer(text):
        head = text[: clause.start()]
        if len(_content_words(head)) >= 2:
            return head
    return text


def _content_words(text: str) -> list[str]:
    """The words of ``text`` that are not stop words or single letters, and its names written
    as code ("-0", "dup()", "os.tmpdir")."""
    words = [w for w in _WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 1]
    return words + _CODE_NAME.findall(text)


@dataclass(frozen=True)
class Query:
    """What to search for a question asked in a conversation: ``text``, whether it ``joined``
    earlier questions to it (a follow-up), not only dropped its joining word, and the question
    as it reads there (``asked``: its "it" put as the thing the earlier answer named, if so)."""

    text: str
    joined: bool
    asked: str


def standalone_query(
    question: str, earlier: Sequence[str | Turn], max_chars: int | None = None
) -> Query:
    """The text to retrieve with for ``question``, asked after the ``earlier`` questions.

    Args:
        question: The new question, as asked.
        earlier: The questions asked before it in the conversation, oldest first, as text or
            as ``Turn``s with the answers given (``referent`` reads the last one's).
        max_chars: Longest query allowed; earlier questions are dropped, oldest first, to fit.

    Returns:
        ``question`` itself when it stands alone (without a joining word it opens with: "And
        which group ...?" is searched as "which group ...?"), else the chain of questions it
        leans on joined to it (``Query.joined``), ending with ``Query.asked``.
    """
    own = question.strip()
    if not leans_on_previous(own):
        own = _without_joining_word(own)  # "And which group ...?": its own question
        return Query(own, joined=False, asked=own)
    turns = [Turn(t) if isinstance(t, str) else t for t in earlier]
    chain = [own]
    for previous in reversed(turns):
        if len(chain) == MAX_TURNS or not leans_on_previous(chain[0]):
            break
        chain.insert(0, previous.question.strip())
    thing = referent(turns[-1]) if len(chain) > 1 else None
    if thing is not None:  # "What is its uid?" → "What is the cacher account's uid?"
        read = _IT.sub(lambda it: _put(thing, it.group()), own, count=1)
        if max_chars is None or len(read) <= max_chars:
            return Query(read, joined=True, asked=read)  # it stands alone now
    while len(chain) > 1 and max_chars is not None and len(" ".join(chain)) > max_chars:
        chain.pop(0)
    return Query(" ".join(chain), joined=len(chain) > 1, asked=own)


def referent(turn: Turn) -> str | None:
    """The thing ``turn``'s answer names when its question asked "which" one: "the cacher
    account" of "Which account serves the artifact cache?" answered "The cacher account serves
    the artifact cache over HTTP." (the first word before "account" that the question does not
    hold); None for another question, an answer not kept or refused, or none named so."""
    answer = turn.answer
    asked = _WHICH_THING.match(" ".join(turn.question.lower().split()))
    if not answer or answer.startswith(NO_ANSWER) or asked is None:
        return None
    thing = asked.group(1)
    if thing in _NOT_A_THING:
        return None
    words = {w.lower() for w in _WORD.findall(turn.question)}
    for found in re.finditer(rf"([\w.-]*\w) {re.escape(thing)}\b", answer, re.IGNORECASE):
        name = found.group(1)
        if name.lower() not in words and name.lower() not in STOPWORDS:
            return f"the {name} {thing}"
    return None


def _put(thing: str, pronoun: str) -> str:
    """``thing`` in place of ``pronoun``: "its" → "the cacher account's"."""
    put = f"{thing}'s" if pronoun.lower() == "its" else thing
    return put[0].upper() + put[1:] if pronoun[0].isupper() else put


def _without_joining_word(question: str) -> str:
    """``question`` without the joining word it opens with ("And which group ...?" is searched
    and answered as "which group ...?"), if any."""
    joined = _JOINING.match(question)
    return question if joined is None else question[joined.end() :]
