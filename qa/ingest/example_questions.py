"""Example questions for a corpus: the ones its folder names, else some made from its headings.

The chat offers a few questions to click and one in the question box's placeholder. They come
from the corpus served, never from another one:

1. A file ``.questions.txt`` at the top of the corpus folder: one question a line, ``#`` starts
   a comment. It is hidden, so the index never reads it as a document (hidden files are left
   out, ``qa.ingest.folder``) and no visitor can upload one (``qa.ingest.upload`` refuses
   hidden names). The bundled demo corpus has one.
2. Otherwise, questions made from the documents' section headings: a heading that starts with
   a verb ("Embed the entire ICU", "Removing a single package") becomes "How do I embed the
   entire ICU?", a question heading ("Where is the cache stored") gets its question mark, and
   a short noun phrase ("Hash functions") becomes "What are hash functions?" ("What is the
   lifecycle of a release?": a noun with "of" after it takes "the"). Only headings that read as
   section titles are used: no numbering, code, generic headings ("Introduction",
   "SEE ALSO"), demonstrations ("Authentication example") or titles too short or too long to
   ask about. The choice is stable: documents in ``doc_id`` order, each giving its best
   heading in turn, so that the examples come from different documents.

Deliberately simple: a fixed list of verbs and word rules, English only (as the model is). A
heading it cannot turn into a good question is passed over rather than asked badly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from qa.types import Document, repeats_title

QUESTIONS_FILE = ".questions.txt"
MAX_EXAMPLES = 4  # how many the chat shows
MAX_FILE_BYTES = 64 * 1024  # a questions file is read this far
MAX_QUESTION_CHARS = 200  # a longer line of the file is no example question
HEADINGS_PER_DOCUMENT = 80  # a manual of thousands of headings is read this far
MIN_WORDS, MAX_WORDS = 2, 7  # a heading this long reads as a section title
MAX_HEADING_CHARS = 120

# Verbs that open how-to headings in manuals, as bare infinitives. A heading opening with one
# (or its -ing form) is asked as "How do I ...?".
VERBS = frozenset(
    """add adjust allow authenticate avoid build cache call cancel change check choose clean
    compile configure connect convert copy create customize debug declare decode define delete
    deploy detect disable download edit embed enable encode execute export extend filter find
    fix generate get handle hide import improve install invoke keep limit link list load log
    make manage measure migrate monitor move open override parse pass pin prevent process
    provide prune publish read recover redirect reduce refer register reload remove rename
    replace report reset resolve restore restrict run save schedule search secure select send
    set share solve sort specify start stop store subclass switch test traverse troubleshoot
    uninstall update upgrade upload use validate verify write""".split()
)
_DOUBLED = frozenset(
    "run set get pin stop log debug embed refer cancel plan ship skip map put".split()
)
# A verb also used as a noun opens a how-to heading only with an object after it ("Update the
# index", not "Update notes"); these words follow an imperative, rarely a noun.
_OBJECT_WORDS = frozenset(
    "a an the all your my our its this that these those each every any some with from to for "
    "by in on into without".split()
)
# An -ing word followed by one of these is an adjective ("Loading order", "Running time").
_NOUN_HEADS = frozenset(
    "order options rules conventions process system blocks mode time status notes guide style "
    "instructions steps tips details summary overview reference behaviour behavior utilities "
    "utility functions routines helpers tools support errors basics fundamentals essentials "
    "concepts primer".split()
)
# Headings that name a kind of section rather than a subject.
GENERIC = frozenset(
    (
        "abstract",
        "acknowledgements",
        "appendix",
        "author",
        "authors",
        "bugs",
        "caveats",
        "changelog",
        "changes",
        "compatibility",
        "concept index",
        "conclusion",
        "contents",
        "contributors",
        "copyright",
        "credits",
        "description",
        "details",
        "example",
        "examples",
        "exit status",
        "faq",
        "files",
        "further reading",
        "general overview",
        "history",
        "index",
        "introduction",
        "license",
        "licence",
        "more details",
        "name",
        "notes",
        "options",
        "other useful examples",
        "overview",
        "performance notes",
        "preface",
        "references",
        "reporting bugs",
        "see also",
        "standards conformance",
        "summary",
        "synopsis",
        "syntax example",
        "table of contents",
        "top",
        "usage",
        "version",
        "versions",
    )
)
_WH_WORDS = frozenset("what how why where when which who".split())
_AUXILIARIES = frozenset("is are was were do does did can should to happens".split())
# Words a subject heading does not open with ("About expressions", "More information").
_NO_OPENING = frozenset(
    "a an about additional and details explanation for further general in miscellaneous more "
    "of on or other overview to with".split()
)
_SHOWN = frozenset("example examples sample samples demo demonstration".split())
_DEICTIC = frozenset("this these that those".split())  # "Language used in this specification"
_DETERMINERS = frozenset("the a an".split())
_PREPOSITIONS = frozenset("of for with to in on from about by and".split())
# Things one has one of: a heading naming one ("Promises API", "Hash function") is asked about
# with "the" ("What is the promises API?"); an activity or a mass noun is not ("What is error
# handling?").
_COUNTABLE = frozenset(
    "api module class interface format protocol object command option method function event "
    "server client library tool package file directory folder algorithm parser database "
    "service program".split()
)
_NUMBERING = re.compile(
    r"^(?:(?i:appendix|chapter|section|part)\s+[A-Z0-9]+\.?\s+"
    r"|[0-9]+(?:\.[0-9]+)*\.?\s+|[A-Z]\.(?:[0-9]+\.?)*\s+)"
)
_PARENTHETICAL = re.compile(r"\s*\([^()]*\)\s*")
# Words for what a document is, after its name in its own heading ("gitfaq(7) Manual Page").
_KINDS = frozenset("manual page man reference documentation docs guide handbook".split())
_CODE = re.compile(r"[`_=/\\<>{}\[\]|$@#*:;]|\w\.\w|\(|\)|\b\w*[a-z][A-Z]\w*\b|\s-\s|--")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def read_questions_file(folder: Path) -> list[str] | None:
    """The questions of ``folder``'s ``QUESTIONS_FILE``, in order, without duplicates; None
    when there is no such file (or it cannot be read as text)."""
    path = Path(folder) / QUESTIONS_FILE
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES)
    except OSError:
        return None
    questions: list[str] = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        question = " ".join(line.split())
        if question and not question.startswith("#") and len(question) <= MAX_QUESTION_CHARS:
            if question not in questions:
                questions.append(question)
    return questions


def heading_question(
    heading: str, title: str = "", usage: Counter[str] | None = None
) -> str | None:
    """The question a section heading asks, or None when it does not read as a section title
    (numbering, code, a generic heading, too few or too many words, its document's title).
    ``usage`` counts the spellings of the document's words, for their case (``_cased``)."""
    if len(heading) > MAX_HEADING_CHARS:  # no section title; and the patterns stay cheap
        return None
    text = _NUMBERING.sub("", " ".join(heading.split()), count=1)
    text = _PARENTHETICAL.sub(" ", text).strip().rstrip(".:")
    if not text or _CODE.search(text) or any(ch.isdigit() for ch in text):
        return None
    if title and (repeats_title(text, title) or _names_its_document(text, title)):
        return None
    words = text.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or not all(_WORD.fullmatch(w) for w in words):
        return None
    lowered = [w.lower() for w in words]
    if " ".join(lowered) in GENERIC or lowered[0] in _NO_OPENING or _DEICTIC & set(lowered):
        return None
    if lowered[-1] in _SHOWN:
        return None  # "Authentication example" shows a thing; "What is … example?" asks nothing
    if any(w in _WH_WORDS for w in lowered[1:]):  # "Dictionary compression How To"
        return None
    if usage is not None and _passing_name(words, usage):
        return None  # "Joey Hess" over a copyright line: a name, no topic to ask about
    words = _cased(words, usage)
    if lowered[0] in _WH_WORDS:
        return _wh_question(words)
    verb = _verb(lowered)
    if verb:
        rest = ["my" if w == "your" else w for w in words[1:]]
        return f"How do I {' '.join([verb, *rest])}?"
    if lowered[0].endswith("ing") or lowered[0] in VERBS:  # "Use of ...", "Build outputs"
        return None  # a verb that is no instruction here, or an -ing word of no known verb
    at = next((i - 1 for i, w in enumerate(lowered) if i and w in _PREPOSITIONS), len(words) - 1)
    while at > 0 and lowered[at].endswith("ed"):
        at -= 1  # "Functions provided by the library": a participle follows its noun
    head = words[at]
    # A head with "of" after it is one thing, of that: "the lifecycle of a release".
    of = at + 1 < len(words) and lowered[at + 1] == "of"
    the = "" if lowered[0] in _DETERMINERS else "the "
    if _plural(head):
        return f"What are {the if of else ''}{' '.join(words)}?"
    one = head.lower() in _COUNTABLE or of
    return f"What is {the if one else ''}{' '.join(words)}?"


def _names_its_document(text: str, title: str) -> bool:
    """Whether a heading is its document's title with a word for what the document is:
    "gitfaq Manual Page" in "gitfaq(7)" (the parenthetical already dropped from ``text``)."""
    named = _PARENTHETICAL.sub(" ", title).lower().split()
    said = text.lower().split()
    return bool(named) and said[: len(named)] == named and set(said[len(named) :]) <= _KINDS


def _passing_name(words: list[str], usage: Counter[str]) -> bool:
    """Whether a heading is a name its document only mentions in passing: every word
    capitalised, never written in lower case, and each fewer than 3 times (a name the document
    keeps using, "Visual Studio", is a topic)."""
    return all(w[:1].isupper() and not usage[w.lower()] and usage[w] < 3 for w in words)


def _wh_question(words: list[str]) -> str | None:
    """A heading that is already a question ("Where is the cache stored", "How to navigate
    this manual"), as one; None for a clause that is not ("What Valgrind does")."""
    first, second = words[0].lower(), words[1].lower()
    if first == "how" and second == "to":
        return f"How do I {' '.join(words[2:])}?"
    if second not in _AUXILIARIES:
        return None
    return " ".join([first.capitalize(), *words[1:]]).rstrip("?") + "?"


def _cased(words: list[str], usage: Counter[str] | None) -> list[str]:
    """The words as they read inside a sentence. A man page's all-capitals heading is
    lowercased. Otherwise acronyms ("ICU", "XMLnamespaces") and a capital letter after the
    first word (the language of "Using C Constructs") stay; in a Title Case heading the
    capitalised words are lowercased, in a sentence-case one they are names and stay; the
    first word is lowercased. A capitalised word that its document writes so far more often
    than in lowercase (``usage`` counts each spelling) is a name wherever it stands
    ("Visual Studio")."""
    if all(w.isupper() for w in words):
        return [w.lower() for w in words]
    later = [w for w in words[1:] if len(w) > 3 and w.lower() not in _PREPOSITIONS]
    title_case = bool(later) and all(w[0].isupper() for w in later)
    cased = []
    for i, word in enumerate(words):
        lowered = word.lower()
        acronym = (len(word) > 1 and word.isupper()) or any(c.isupper() for c in word[1:])
        letter = i > 0 and len(word) == 1 and word.isupper() and word != "A"  # C, R, X
        name = usage is not None and usage[word] >= 3 and usage[word] > 3 * usage[lowered]
        sentence_name = i > 0 and not title_case and word != lowered
        cased.append(word if acronym or letter or name or sentence_name else lowered)
    return cased


def questions_from_headings(documents: Iterable[Document], limit: int = MAX_EXAMPLES) -> list[str]:
    """Up to ``limit`` questions made from the documents' headings (``heading_question``):
    the documents in ``doc_id`` order, each giving its next question in turn (a round's
    how-to questions first), so that the questions come from as many documents as possible;
    none asked twice."""
    per_document = [_document_questions(doc) for doc in sorted(documents, key=lambda d: d.doc_id)]
    chosen: list[str] = []
    seen: set[str] = set()
    for depth in range(max((len(q) for q in per_document), default=0)):
        # Each document's next question, the how-to ones of the round first.
        round_ = sorted(
            (q[depth] for q in per_document if depth < len(q)),
            key=lambda q: not q.startswith("How do I "),
        )
        for question in round_:
            if question.lower() not in seen:
                seen.add(question.lower())
                chosen.append(question)
        if len(chosen) >= limit:
            break
    return chosen[:limit]


def example_questions(
    folder: Path, documents: Iterable[Document], limit: int = MAX_EXAMPLES
) -> list[str]:
    """The corpus's example questions: its ``QUESTIONS_FILE``'s first ``limit`` when it has
    one, else ``questions_from_headings``."""
    listed = read_questions_file(folder)
    if listed is not None:
        return listed[:limit]
    return questions_from_headings(documents, limit)


def _document_questions(doc: Document) -> list[str]:
    """A document's heading questions, how-to ones first, then in document order."""
    found: list[str] = []
    headings = doc.headings[:HEADINGS_PER_DOCUMENT]
    usage = Counter(_WORD.findall(doc.indexed_text)) if headings else None
    for heading in headings:
        question = heading_question(heading.title, doc.title, usage)
        if question and question not in found:
            found.append(question)
    return sorted(found, key=lambda q: not q.startswith("How do I "))


def _verb(words: Sequence[str]) -> str | None:
    """The bare infinitive of a lowercased heading's first word when it is a how-to verb,
    else None."""
    first = words[0]
    following = words[1] if len(words) > 1 else ""
    if following in ("of", "and", "or"):  # "Use of uninitialised values", "Using and ..."
        return None
    if first in VERBS and (following in _OBJECT_WORDS or first in _ALWAYS_VERBS):
        return first
    base = _INFINITIVES.get(first)
    if base and following not in _NOUN_HEADS:
        return base
    return None


def _gerund(verb: str) -> str:
    if verb in _DOUBLED:
        return verb + verb[-1] + "ing"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    return verb + "ing"


_INFINITIVES = {_gerund(v): v for v in VERBS} | {"cancelling": "cancel", "canceling": "cancel"}
# Verbs that are rarely nouns: a heading opening with one is an instruction whatever follows.
_ALWAYS_VERBS = frozenset(
    """authenticate avoid choose compile configure customize deploy detect disable download
    embed enable execute install invoke migrate override prevent provide prune redirect remove
    rename restrict specify troubleshoot uninstall""".split()
)


def _plural(word: str) -> bool:
    lowered = word.lower()
    return (
        lowered.endswith("s")
        and not lowered.endswith(("ss", "us", "is", "ics"))
        and not word.isupper()
        and len(lowered) > 3
    )
