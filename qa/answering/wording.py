"""Plain English rules about a sentence's wording: does it have a verb, does it lean on the one
before it. No parser and no tagger, so the rules are deliberately simple:

- *Has a verb*: one of its words is an auxiliary or modal ("is", "can", "don't"), a form of a
  common verb (``_VERBS``: base, -s/-es, -ed/-d, -ing, plus the irregular forms of
  ``_IRREGULAR``), a contraction with a verb ("it's", "we're"), or has a verb suffix of its own
  (-ed, -ize/-ise, -ify, in any inflection). Plurals ending in -s are not counted on their own:
  "Debugging Applications" has no verb, "bzip2 compresses large files" has one (a common verb).
  Misses rare verbs in the present tense ("Nettle hashes"), but not at the start of a
  description, before its object ("Schedules the ..."); a miss only drops a candidate.
- *Leans on the one before*: it opens with a pronoun or a demonstrative ("This", "It", "They",
  "Such", "He" ...), with a preposition followed by one ("For this reason", "In that case"),
  with a connective ("Otherwise", "However"), with "To do so" or "By doing this", or with a
  conjunction followed within three words by a pronoun, "none" or "neither" ("If none of them
  is set", "When this happens").
- *Headless*: it opens with a verb in the third person or the imperative and has no subject
  ("Specifies the file to write to.", "Don't replace existing files."); in reference manuals it
  describes the option or function named on the line before it.
- *Signpost*: it says what the document or a part of it is about ("This chapter describes all
  the Nettle functions.", "The following section explains ..."), and answers nothing itself.
"""

from __future__ import annotations

import re

from qa.index.lexical import STOPWORDS_SET

STOPWORDS = STOPWORDS_SET  # the lexical side's, for word tests here too
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")

_AUXILIARIES = frozenset(
    """is are was were be been being am has have had having do does did can cannot could will
    would shall should may might must isn't aren't wasn't weren't hasn't haven't hadn't don't
    doesn't didn't can't couldn't won't wouldn't shouldn't mustn't needn't""".split()
)
_CONTRACTED = re.compile(r"[A-Za-z]['’](?:s|re|m|ve|ll|d)$", re.IGNORECASE)

# Common verbs of prose and of manuals, in their base form; -s, -es, -ed, -d and -ing forms are
# derived. A word that is also a common noun ("set", "return", "use") counts: a false verb
# only lets a sentence through the verb check, which then still has to win on its score.
_VERBS = frozenset(
    """accept access add affect allow answer appear append apply argue ask assume attach avoid
    back become begin believe belong bring build call cancel cause change check choose
    claim clean close come compare compile compress compute configure connect consider
    contain continue control convert copy count create cut decide declare decompress define
    delete depend describe detect determine die disable display do drop dump edit emit
    enable encode end ensure enter exclude exist exit expect explain export expose extract
    fail fall fetch fight fill find finish fix follow force generate get give go grow guess
    handle happen help hit hold ignore import include increase indicate install interpret
    involve keep kill know lead leave let like limit link list live load look lose make
    manage mark match mean meet mention mount move need negotiate note occur offer open
    order output overwrite own parse pass pay perform pick place plan point prefer prepare
    preserve prevent print produce prompt protect prove provide publish pull push put query
    quit raise reach read receive recommend record reduce refer reject release rely remain
    remember remove repeat replace reply report request require resolve respond rest
    restore restrict result resume retry return reuse rotate run save say search see seem
    select send serve set show sign skip sort specify split start stay stop store strip
    suggest supply support suppose take talk tell tend test think throw trace track treat
    try turn understand unlock update use vary verify wait want warn watch win work worry
    write yield""".split()
)
_IRREGULAR = frozenset(
    """said made took taken gave given went gone came got gotten saw seen told kept ran wrote
    written sent built found began begun held left brought thought meant knew known shown
    became fell fought grew led lost met paid put read set spent stood understood won chose
    chosen drew drawn broke broken hid hidden""".split()
)
# Words with a verb's ending that are not verbs in running text.
_NOT_VERBS = frozenset(
    """need speed indeed bed red seed feed hundred kindred sized based related detailed
    advanced limited united interested naked wicked sacred shed""".split()
)
_SUFFIX = re.compile(
    r"(?:[a-z]{3}ed|[a-z]{2}(?:ize|ise|izes|ises|ized|ised|izing|ising)|"
    r"[a-z](?:ify|ifies|ified|ifying))$"
)

_REFERRING = frozenset(
    """this that these those it its they their them such he she his her both either neither
    there""".split()
)
_PAIRING = frozenset("both either neither".split())
_MORE = frozenset("other others another also more further several same".split())
_BE = frozenset("is are was were be been exists exist seems seem may might can will".split())
_PREPOSITIONS = frozenset("for in on at by with from to of after before despite".split())
# A clause that opens with one of these and points back within its first words ("If none of
# them is set, ...", "When this happens, ..."), and connectives that continue the sentence
# before ("Otherwise, ...", "However, ...").
_SUBORDINATORS = frozenset("if when unless once until because since although though while".split())
_POINTING = frozenset("this that these those it they them none neither either both".split())
_DOING = frozenset(
    "do so|do this|do that|doing so|doing this|doing that|achieve this|achieve that".split("|")
)
_CONNECTIVES = frozenset("otherwise however therefore thus hence instead".split())
_THIRD_PERSON = re.compile(r"^(?:[A-Z][a-z]+(?:s|es)|Don['’]t|Do not|Never|Must)\b")


def _forms(base: str) -> set[str]:
    forms = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("e"):
        forms |= {base[:-1] + "ing"}
    if base.endswith("y"):
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    if (
        len(base) >= 3
        and base[-1] in "bdgmnprt"
        and base[-2] in "aeiou"
        and base[-3] not in "aeiou"
    ):
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return forms


_VERB_FORMS = frozenset().union(*(_forms(v) for v in _VERBS)) | _IRREGULAR


def words(text: str) -> list[str]:
    """The words of ``text`` (letters, with an inner apostrophe), in order."""
    return _WORD.findall(text)


def is_verb(word: str) -> bool:
    """Whether ``word`` is (probably) a verb form, by the rules of the module doc."""
    lower = word.lower().replace("’", "'")
    if lower in _AUXILIARIES or lower in _VERB_FORMS:
        return True
    if lower in _NOT_VERBS:
        return False
    return bool(_CONTRACTED.search(lower) or _SUFFIX.search(lower))


# A sentence that opens with a verb in the third person and its object, whatever the verb:
# "Schedules the 'immediate' execution of ...", under the name of the function it describes.
_OPENS_WITH_VERB = re.compile(
    r"^[A-Z][a-z]{2,}s (?:the|a|an|its|their|all|any|each|every|one|no|it|them|whether)\b"
)


def has_verb(text: str) -> bool:
    """Whether ``text`` has a word that is a verb form (see the module doc)."""
    return bool(_OPENS_WITH_VERB.match(text.lstrip())) or any(is_verb(w) for w in words(text))


# A quotation attributed to a pronoun: "“The gunmen have heavier weapons,” he said."
_SPEAKER = re.compile(
    r"[,.!?][\"'”’]\s*(?:he|she|they|it) (?:said|says|added|adds|told|explained|continued"
    r"|wrote|writes|noted|argued|warned)\b",
    re.IGNORECASE,
)


def refers_back(text: str) -> bool:
    """Whether ``text`` opens by pointing at what came before it ("This means ...", "It is
    ...", "For this reason ..."), or quotes a speaker named only by a pronoun ("..., he
    said."), so that it needs the sentence before it."""
    if _SPEAKER.search(text):
        return True
    first = words(text[:60])
    if not first:
        return False
    head = first[0].lower()
    if head in _PAIRING and any(w.lower() in ("and", "or", "nor") for w in first[2:8]):
        return False  # "Both list.sort() and sorted() accept ...": it names the two itself
    if head == "there" and len(first) > 1 and first[1].lower() in _BE:
        # "There are independent tools to ...": no place pointed at; "There are other ways
        # to ..." still leans on the way before.
        return any(w.lower() in _POINTING or w.lower() in _MORE for w in first[2:5])
    if head in _REFERRING or head in _CONNECTIVES:
        return True
    if head in _SUBORDINATORS:
        return any(w.lower() in _POINTING for w in first[1:4])
    if head in _PREPOSITIONS and len(first) > 1 and first[1].lower() in _REFERRING:
        return True
    if head in ("the", "a", "an"):
        # "The default value of this macro is ...": its subject is something named before.
        said = [w.lower() for w in first[1:7]]
        return any(
            a == "of" and b in _REFERRING and c not in _BE
            for a, b, c in zip(said, said[1:], said[2:], strict=False)
        )
    # "To do so, ...", "By doing this, ...": the action of the sentence before; "To use it,
    # pass in ...": what the sentence before names.
    if head == "to" and len(first) > 2 and first[2].lower() in _POINTING:
        return True
    return head in ("to", "by", "in") and " ".join(w.lower() for w in first[1:3]) in _DOING


# A sentence about the document itself: "This chapter describes all the Nettle functions."
_SIGNPOST = re.compile(
    r"^(?:this|the following|the next|the present|these)\s+(?:\w+\s+)?(?:chapter|section"
    r"|subsection|document|manual|page|guide|appendix|tutorial|article|book|part|paper)s?"
    r"\s+(?:\w+\s+)?(?:describes?|explains?|covers?|lists?|documents?|discuss(?:es)?"
    r"|introduces?|gives?|provides?|presents?|shows?|summari[sz]es?|outlines?|deals?"
    r"|contains?|is about|will)\b"
    # "The following is information for reporting bugs." (procps's bugs.md)
    r"|^the following (?:is|are) (?:some |a |an |the )?(?:information|notes?|details?"
    r"|instructions?|guidelines?|description|overview|summary|list)\b",
    re.IGNORECASE,
)


def is_signpost(text: str) -> bool:
    """Whether ``text`` tells what the document or a part of it is about ("This chapter
    describes ...", "The following section explains ...") rather than saying anything itself."""
    return _SIGNPOST.match(text.lstrip()) is not None


def asks(text: str) -> bool:
    """Whether ``text`` is a question: it ends with "?" (before any closing quote or bracket)."""
    return re.search(r"\?['\"”’)\]]*$", text.rstrip()) is not None


def is_headless(text: str) -> bool:
    """Whether ``text`` opens with a verb and no subject ("Specifies the file.", "Don't
    replace existing files."), as a reference manual describes the term on the line above."""
    first = words(text[:40])
    if not first:
        return False
    return (
        bool(_THIRD_PERSON.match(text.lstrip()))
        and is_verb(first[0])
        or (
            first[0].lower() in _VERBS
            and first[0][0].isupper()
            and len(first) > 1
            and first[1].lower() not in _AUXILIARIES
        )
    )
