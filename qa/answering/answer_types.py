"""What kind of answer a question asks for, and whether a sentence holds one: plain rules on the
question's wording and regular expressions on the sentence, no model.

Question types, from the wording (the first rule that matches wins):

- **how-to**: "how do I / can we / should you …", "how to …", "what command …" → a procedure;
- **how-many**: "how many / much / long / far / fast / big / often …", "what percentage",
  "the largest / maximum … value" → a quantity (a number, with its unit if it has one; for
  "how often", a frequency: "every 2 years", "once a day", "weekly");
- **when**: "when …", "what / which year, date, day, month, time" → a date or a time;
- **where**: "where …", "which / what city, country, directory, file …" → a place (a
  capitalised name after "in", "at", "from" …, a file path or a URL);
- **who**: "who / whom / whose …", "which / what / name the reporter, officer, group,
  company …" → a name (capitalised words, or an acronym);
- **what**: any other "what" or "which" question; it asks for a *value* when it names one
  ("which version", "what is the default", "which option, variable, signal …": an option,
  an environment variable, a code literal, a quoted string, a number or a version);
- **yes-no**: "is / does / can / should / may … ?" → a verdict: a sentence that says yes or no
  in so many words (a negation, "must", "should", "only", "recommended", "deprecated",
  "guaranteed" …), not one that only names the topic;
- **why**: "why …", "what is the reason / purpose / motive …" → a reason: a sentence that
  gives one in so many words ("because", "so that", "in order to", "aimed at", "in exchange
  for", "due to", "ensures that", ", or <what would follow>" …);
- **other**: the rest ("how did …").

A "what" or "other" question that asks what to use in something's place ("What should I use
instead of dup()?", "What is the replacement for strcmp?") asks for an *alternative*: a
sentence that names one in so many words ("Use `fcntl(fd, F_DUPFD_CLOEXEC, 3)` instead.",
"… in favour of …", "… replaced by …"), not one that only warns against the thing named.

A "what" question for a plural that is no value ("What are the advantages of WAL?", "What
were the main causes …") asks for a *list*: a sentence that names it and ends with a colon
over its items ("Advantages include:" and the items under it), quoted with the items.

A sentence *holds* the expected kind when it has one that the question does not already say:
"Who supplied the backstory?" is not answered by "Sadr" when the question names Sadr.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from qa.answering.layout import DEFINITION_CATEGORY
from qa.answering.wording import STOPWORDS, is_verb

QuestionType = Literal[
    "who", "when", "where", "how-many", "how-to", "why", "what", "yes-no", "other"
]
AnswerType = Literal[
    "name",
    "date",
    "place",
    "quantity",
    "value",
    "procedure",
    "verdict",
    "reason",
    "alternative",
    "list",
    "any",
]
QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)

_HOW_TO = re.compile(
    r"\bhow (?:do|can|could|should|would|might|must) (?:i|we|you|one)\b|\bhow to\b"
    r"|^(?:what|which) command\b"
)
_HOW_MANY = re.compile(
    r"\bhow (?:many|much|long|far|fast|big|large|old|often|slow|slower|faster|soon|small)\b"
    r"|\bwhat (?:percentage|proportion|fraction|share)\b"
    r"|\b(?:largest|smallest|maximum|minimum|highest|lowest|max|min) (?:\w+ )?"
    r"(?:value|number|size)\b"
)
_ASKS_COUNT = re.compile(r"\bhow many\b", re.IGNORECASE)
_TIME_NOUNS = r"(?:year|date|day|month|time|century|decade|week|hour)"
_WHEN = re.compile(
    rf"^when\b|\bwhen (?:was|were|did|does|do|is|will|had|has)\b"
    rf"|\b(?:what|which) {_TIME_NOUNS}\b|\bin which {_TIME_NOUNS}\b"
)
# Up to three words between "which" and its noun, none a verb or a preposition ("which highly
# praised Iraqi general", not "what conditions did the cleric").
_MODIFIERS = (
    r"(?:(?!(?:did|does|do|is|was|were|are|has|had|have|will|would|can|could|should|might"
    r"|must|of|in|for|on|from|with|to|by|at|about)\b)[\w'’-]+ ){0,3}"
)
_PLACE_NOUNS = (
    r"(?:city|cities|town|village|country|countries|region|province|state|place|location"
    r"|directory|folder|file|path|neighbou?rhood|district|capital)"
)
_WHERE = re.compile(
    rf"^where\b|\bwhere (?:is|are|was|were|do|does|did|can|should|will|would|had|has)\b"
    rf"|\b(?:which|what) {_MODIFIERS}{_PLACE_NOUNS}\b"
)
_PERSON_NOUNS = (
    r"(?:person|people|man|woman|reporter|journalist|writer|author|officer|general|senator"
    r"|president|minister|leader|commander|cleric|commenter|reader|blogger|analyst|spokesman"
    r"|spokesperson|official|politician|company|companies|organi[sz]ation|group|party|militia"
    r"|army|firm|vendor|maintainer|developer|team|agency|newspaper|paper|member|candidate"
    r"|engineer|scientist|researcher|founder|director|manager|editor|correspondent|expert)s?"
)
_WHO = re.compile(
    rf"^(?:who|whom|whose)\b|\b(?:who|whom) (?:else|is|was|were|did|does|had|has|would|will)\b"
    rf"|^besides [^,]+, who\b|^name the [^.?]*? who\b"
    rf"|\b(?:which|what|name the) {_MODIFIERS}{_PERSON_NOUNS}\b"
)
_WHY = re.compile(
    r"^why\b|\bwhy (?:did|does|do|is|was|were|are|would|should|has|had|have|can|could|will"
    r"|doesn['’]t|don['’]t|didn['’]t|isn['’]t|aren['’]t|wasn['’]t|won['’]t|can['’]t)\b"
    r"|\b(?:what|which) (?:is|was|are|were) (?:the|their|his|her|its) (?:main |real )?"
    r"(?:reasons?|motives?|motivation|purpose|rationale|cause)\b|\bfor what reason\b"
)
_WHAT = re.compile(r"\b(?:what|which|name the)\b")
_YES_NO = re.compile(
    r"^(?:is|are|was|were|do|does|did|can|could|may|might|must|should|shall|will|would|has"
    r"|have|had|isn't|aren't|doesn't|don't|can't)\b"
)
# What a value is called: "Which signal ...", "What text encoding ...".
_VALUE_NOUNS = (
    r"version|default|value|option|flag|setting|variable|command|signal|property|encoding|code"
    r"|error|gid|uid|port|status|format|level|levels|extension|argument|key|scheme|schemes|name"
    r"|field|mode|directive|keyword|macro|parameter|function|method|operator|pragma|header"
    r"|attribute|element|hook|filter"
)
# Values that only a number is: "What is the uid of the janitor account?" is not answered by
# "... serves the cache over HTTP."
_NUMERIC_VALUE_NOUNS = frozenset({"uid", "gid", "port", "pid"})
_CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")  # "03:00" is no uid
_ASKED_VALUE = (
    rf"\b(?:which|what)(?: is| are| was)?(?: the)? (?:[\w'’.-]+ ){{0,3}}({_VALUE_NOUNS})s?\b"
)
_VALUE = re.compile(
    _ASKED_VALUE + r"|\bdefault\b"
    # What a program or a function outputs: "What does console.assert print ...?"
    r"|\bwhat (?:does|do|will|would) (?:[\w'’.()-]+ ){1,4}(?:print|output|display|emit"
    r"|log|write|return)s?\b"
)

# "What does X do / mean / stand for?": a description of X, whatever X is called.
# "... do?", and "... do in jq?": the program may come after the verb.
_IN_PROGRAM = r"(?: (?:in|with) (?:the |an? )?([\w.-]+(?: [\w.-]+){0,2}))?"
_DESCRIPTION = re.compile(
    rf"^what (?:does|do|did) .+ (?:do|does|mean|means|stand for|represent|control){_IN_PROGRAM}\??$"
)

_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_DATE = re.compile(
    rf"\b{_MONTHS} \d{{1,2}}\b|\b\d{{1,2}} {_MONTHS}\b|\b{_MONTHS},? (?:1[5-9]|20)\d\d\b"
    r"|\b(?:1[5-9]|20)\d\d\b|\b(?:1[5-9]|20)\d0s\b|\b\d{4}-\d\d-\d\d\b|\b\d{1,2}:\d\d\b"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?:yesterday|today|tomorrow|tonight|last (?:week|month|year|night)"
    r"|\w+ (?:days|weeks|months|years) ago"
    r"|(?:this|next|last) (?:spring|summer|autumn|fall|winter))\b"
)
_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|hundreds|thousand|thousands|million|millions|billion|billions"
    r"|dozen|dozens|half|twice|double|triple)"
)
_HOW_OFTEN = re.compile(r"\bhow (?:often|frequently)\b")
_TIME_UNITS = r"(?:second|minute|hour|day|night|week|month|quarter|year|decade)s?"
_FREQUENCY = re.compile(
    rf"\bevery (?:\S+ )?{_TIME_UNITS}\b|\b(?:each|per) {_TIME_UNITS}\b"
    r"|\b(?:once|twice|\w+ times) (?:a|an|per|every|each)\b"
    r"|\b(?:hourly|daily|nightly|weekly|fortnightly|monthly|quarterly|yearly|annually)\b",
    re.IGNORECASE,
)
# "one" after a determiner is a pronoun, no quantity ("the one even before", "each one").
_PRONOUN_ONE = "".join(
    rf"(?<!\b{word} )" for word in "the this that each every any no some which another".split()
)
_NUMBER = re.compile(
    rf"\d+(?:[.,]\d+)*|{_PRONOUN_ONE}\bone\b|\b(?!one\b){_NUMBER_WORDS}\b", re.IGNORECASE
)
# "How many soldiers ...?" counts things: "for the past six days" is a length of time, no count
# of them ("How many days ...?" is answered by one).
_COUNTED = re.compile(r"\bhow many((?: [\w'’-]+){1,3})")
_OF_TIME = re.compile(rf"[ -]?{_TIME_UNITS}\b", re.IGNORECASE)
_PATH = re.compile(
    r"(?:~|\.{1,2}|\$\w+|%\w+%)?/[\w.@{}$%-]+(?:/[\w.@{}$%-]*)*|[A-Z]:\\\S*|\w+://\S+"
)
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.IGNORECASE)
_PLACE_NAME = re.compile(
    r"\b(?:in|at|from|to|into|near|inside|outside|toward|towards|across|throughout)"
    r" (?:the )?((?:[A-Z][\w'’-]+ ?)+)"
)
_NAME = re.compile(
    r"(?<!^)\b((?:[A-Z][a-z][\w'’-]*|[A-Z]{2,}\w*|(?:[A-Z]\.){2,})"
    r"(?: (?:al-|de |van |von )?[A-Z][\w'’-]+)*)"
)
_CAPITALISED_WORDS = frozenset(
    """The A An I In On At To For Of And But Or If It Its This That These Those He She They We
    You His Her Their Our My When Where Who What Which Why How There Here As By From With Not
    No Yes So Then Also After Before Since While Note See Use""".split()
)
_CODE = re.compile(
    r"(?<![\w-])--?[A-Za-z][\w-]*(?:=\S+)?|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|`[^`\n]+`"
    r"|\b[\w.]+\(\)|'[^'\n]{1,40}'|\"[^\"\n]{1,40}\"|‘[^’\n]{1,40}’|“[^”\n]{1,40}”"
    r"|\b\d+(?:\.\d+)+\b|\b(?!(?:e\.g|i\.e|et\.al)\b)[a-z_]\w*(?:\.[a-z_]\w*)+\b"
    r"|\b[\w-]+=[\w./-]+|\bDefault: \S+"
    r"|\b[A-Z]{3,}\b"
    r"|\b[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b"
)
_IMPERATIVE_VERBS = (
    r"(?:Use|Run|Set|Add|Pass|Specify|Call|Install|Enable|Disable|Type|Give|Edit|Create|Put"
    r"|Remove|Start|Stop|Compile|Download|Open|Make|Try|Export|Change)"
)
_IMPERATIVE = re.compile(rf"^(?:To [^,]+, )?{_IMPERATIVE_VERBS}\b")
# ... or after a colon or a semicolon: "For at tasks, it is almost as easy: run atrm task-number."
_IMPERATIVE_AFTER = re.compile(
    rf"[:;]\s+(?:simply |just )?{_IMPERATIVE_VERBS.lower()}"
    r"\s+(?!(?:is|are|was|were|has|had|will|would|can|may|must)\b)\S",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'’.-]+")
WHETHER = 8  # words after "whether" where a sentence that restates the question repeats it
# What says yes or no in so many words: a negation, an obligation, a restriction, a verdict.
_VERDICT = re.compile(
    r"\b(?:yes|not|no|never|none|cannot|\w+n['’]t|must|should|only|always|recommended"
    r"|deprecated|discouraged|guarantee[sd]?|required|requires?|allowed|forbidden"
    r"|prohibited|supported|unsupported|safe|unsafe|avoid)\b",
    re.IGNORECASE,
)
# A reason given in so many words: "because ...", "so that ...", "an operation aimed at ...".
_REASON = re.compile(
    r"\b(?:because|since|due to|owing to|thanks to|in order to|so as to|so that|aimed at"
    r"|intended to|meant to|designed to|in exchange for|in response to|in retaliation for"
    r"|the reason|is why|was why|caused by|as a result|otherwise|to (?:prevent|avoid|ensure"
    r"|stop|keep|protect|allow|break)|(?:ensures?|guarantees?) that"
    # What would follow otherwise: "... should not own it, or a compromised server would ...".
    r"|,\s+or\s+(?:else\s+)?(?:[\w'’-]+\s+){1,6}?(?:would|could|will|might)(?:\s+not)?\s+\w+)\b",
    re.IGNORECASE,
)
# A list asked for: "What are the advantages of WAL?", "What were the main causes of …",
# "What are SQLite's limits?" (a plural, not ending in "ss" or "us", among the three words after
# "the" or a possessive, that is not the subject of a verb after it).
_ASKS_LIST = re.compile(
    r"^(?:what|which) (?:are|were) (?:the |some of the |some |[\w.-]+['’]s )(?:[\w-]+ ){0,2}?"
    r"([a-z-]{3,}(?<![su])s)\b(?! (?:is|are|was|were|do|does|did|has|have|had)\b| \w+ing\b)"
)
# What to use in something's place, asked ("What should I use instead of dup()?") and said.
_ASKS_ALTERNATIVE = re.compile(
    r"\b(?:use|call|run|try|choose|pick|prefer|do)(?: \S+)? instead of\b"
    r"|\b(?:alternative|replacement|substitute|successor) (?:to|for)\b|\bwhat replaces\b"
    r"|\breplaced (?:by|with)\b"
)
_ALTERNATIVE = re.compile(
    r"\b(?:instead|rather than|in favou?r of|(?:replaced|superseded) (?:by|with)|better yet"
    r"|prefer(?:red|ably)?|alternatives?)\b",
    re.IGNORECASE,
)
# A default stated with its value: "[default: 2, stderr]", "Default: 1000.", "defaults to
# /tmp", "The default value is twenty million bytes." ("by default" alone names no value).
_DEFAULT = re.compile(
    r"\[default:\s*[^\]\s][^\]]*\]|\bdefault:\s*\S|\bdefaults? to\b"
    r"|\bdefault (?:\w+ )?(?:of (?:\S+ ){1,3})?(?:is|are|was)\b"
    # said of the value just named: "This is the default/status quo.", "gzip (the default)"
    r"|\b(?:is|are|was) the default\b(?! \w)|\((?:the )?default\)"
    # what happens when the caller gives none: "If no argument is given, ...", "If omitted, ..."
    r"|\b(?:if|when)\s+(?:no\s+\w+(?:\s+\w+)?\s+(?:is|are)\s+|(?:it\s+is\s+|they\s+are\s+)?not\s+)"
    r"(?:given|specified|provided|passed|supplied)\b|\b(?:if|when)\s+omitted\b",
    re.IGNORECASE,
)
_QUESTION_TYPES: tuple[tuple[re.Pattern[str], QuestionType], ...] = (
    (_HOW_TO, "how-to"),
    (_HOW_MANY, "how-many"),
    (_WHEN, "when"),
    (_WHERE, "where"),
    (_WHO, "who"),
    (_WHY, "why"),
    (_WHAT, "what"),
    (_YES_NO, "yes-no"),
)
# A name set in code: "`maxBuffer`", "`options.detached`", "`$HOME`".
# A name in snake_case or camelCase ("BZ2_bzCompressInit", "setImmediate"), not "iOS" or "macOS".
IDENTIFIER = r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|[a-z]{2,}[A-Z][a-z][A-Za-z0-9]*"
SECTION_NUMBER = r"(?:\d+(?:\.\d+)*\.?\s+)?"  # a manual's number before a heading: "3.3.1. "
CODE_NAME = re.compile(r"`([A-Za-z_$][\w.$-]*)`")
# The name of an option ("--log-file=<filename>" → "log-file"), of a function
# ("timeout.unref()" → "timeout.unref"; GNU's "jpeg_set_defaults (j_compress_ptr cinfo)" when
# the name is an identifier) or in code ("`maxBuffer`") on a term line.
_OPTION_NAME = re.compile(
    rf"(?<![\w-])--?([A-Za-z0-9][\w-]*)"
    rf"|\b([A-Za-z_][\w.]*(?=\()|(?:{IDENTIFIER})(?= \())[ ]?\("
    rf"|{CODE_NAME.pattern}"
)


def question_type(question: str) -> QuestionType:
    """The type of ``question``, from its wording (see the module doc): the first of
    ``_QUESTION_TYPES`` whose pattern it matches, else "other"."""
    text = " ".join(question.lower().split())
    return next((kind for pattern, kind in _QUESTION_TYPES if pattern.search(text)), "other")


def answer_type(question: str) -> AnswerType:
    """The kind of answer ``question`` asks for (see the module doc)."""
    kind = question_type(question)
    if kind in ("what", "other") and _ASKS_ALTERNATIVE.search(" ".join(question.lower().split())):
        return "alternative"
    if kind == "what":
        text = " ".join(question.lower().split())
        if asks_description(question):
            return "any"  # "What does the --nonet option do?" asks what it does, not which
        if _VALUE.search(text):
            return "value"
        return "list" if _ASKS_LIST.search(text) else "any"
    return {
        "who": "name",
        "when": "date",
        "where": "place",
        "how-many": "quantity",
        "how-to": "procedure",
        "yes-no": "verdict",
        "why": "reason",
        "other": "any",
    }[kind]  # type: ignore[return-value]


# When something happens, said as a condition rather than a date: "whenever a COMMIT occurs
# that …", "as soon as the file is closed", "each time the timer fires", "should be used in a
# case where …", "unless the file is locked".
_CONDITION = re.compile(
    r"\b(?:whenever|when|once|as soon as|after|before|until|every time|each time|if|unless"
    r"|in (?:a |the )?(?:case|cases|situation|situations) (?:where|when|in which))\b"
    r"(?! (?:necessary|needed|possible|any|so)\b)",
    re.IGNORECASE,
)


def states_condition(text: str) -> bool:
    """Whether ``text`` says when something happens as a condition ("whenever a COMMIT
    occurs …"): what answers "When does SQLite checkpoint?" in a manual, which has no date."""
    return _CONDITION.search(text) is not None


def asked_list(question: str) -> str | None:
    """The plural a list question asks for ("advantages" of "What are the advantages of
    WAL?"), if it asks for one."""
    found = _ASKS_LIST.search(" ".join(question.lower().split()))
    return found.group(1) if found else None


def names_plural(text: str, plural: str) -> bool:
    """Whether ``text`` names ``plural`` or its singular ("Advantages include:" names
    "advantages"; "Each library needs:" names "libraries")."""
    stem = plural[:-3] if plural.endswith("ies") else plural[:-1]
    return re.search(rf"\b{re.escape(stem)}", text, re.IGNORECASE) is not None


def value_noun(question: str) -> str | None:
    """What the value asked for is called ("encoding" of "What text encoding does pip assume
    ...?"), if the question says."""
    found = re.search(_ASKED_VALUE, " ".join(question.lower().split()))
    return found.group(1) if found else None


def asks_description(question: str) -> bool:
    """Whether ``question`` asks what something does or means ("What does setImmediate do?",
    "What does small-icu mean?")."""
    return _DESCRIPTION.search(" ".join(question.lower().split())) is not None


_KIND_OF_NAME = (
    r"(?:option|function|method|command|flag|variable|setting|property|event|class|module"
    r"|program|field|parameter|argument|call|directive|keyword|macro|operator|statement"
    r"|filter|builtin|attribute|element|hook)"
)
_ASKED_NAME = re.compile(
    rf"^what (?:does|do|did) (?:the |a |an )?(.+?)(?: {_KIND_OF_NAME})?"
    r"(?: (?:of|in|for|from) ([\w .-]+?))? (?:do|does|mean|means|stand for|represent|control"
    rf"|returns?){_IN_PROGRAM}\??$"  # "What does os.tmpdir return?": what it returns, said where
)
# "What is the parent table?": a term of at most four words, asked what it is.
_TERM_CONTEXT = re.compile(r"(?<=\w) (?:under|in|within|according to) .+$", re.IGNORECASE)
_ASKED_TERM = re.compile(
    r"^what (?:is|are) (?:the |a |an )?([\w.-]+(?: [\w.-]+){0,3})"
    r"(?: (?:under|within|according to) [^?]+)?\?$"
)
_TRAILING_OPTION = re.compile(r"^([a-z][\w.-]*(?: [a-z][\w.-]*)*) (--?[a-z0-9][\w-]*)$")


def described_name(question: str) -> str | None:
    """What a "What does X do / mean / return?" or "What is X?" question asks about, as
    written: "util.inspect" of "What does util.inspect do?", "--nonet" of "What does the
    --nonet option do?", "-0" of "What does xargs -0 do?", "parent table" of "What is the
    parent table?"; None when it asks about a case ("What does path.extname return for
    '.md'?")."""
    asked = _asked(question)
    return asked[0] if asked else None


def described_program(question: str) -> str | None:
    """The program whose option a "What does X do?" question asks about, when it says: "split"
    of "What does split -d do?" and of "What does the -e option of split do?"."""
    asked = _asked(question)
    return asked[1] if asked else None


def _asked(question: str) -> tuple[str, str | None] | None:
    """The name a "What does X do?" question asks about and the program it names, if any."""
    said = " ".join(question.split())
    lowered = said.lower()
    found = _ASKED_NAME.search(lowered)
    if found is None:
        term = _ASKED_TERM.search(lowered)
        if term is None:
            return None
        # "What is a patent license under the GPL?" asks what a patent license is.
        name = _TERM_CONTEXT.sub("", said[term.start(1) : term.end(1)])
        return name, None
    # The name as written ("-A" is not "-a"), at the match's offsets: lower() keeps them for
    # all but a few letters ("İ"), and with one of those the lowered name is taken.
    name = (said if len(said) == len(lowered) else lowered)[found.start(1) : found.end(1)]
    name = name.strip("`'\"")
    option = _TRAILING_OPTION.search(name.lower())  # "xargs -0", "git commit --amend"
    if option is not None:
        return name[option.start(2) : option.end(2)], option.group(1).split()[-1]
    program = (found.group(2) or found.group(3) or "").split()  # "... of split", "... in jq"
    if program and name.lower() in re.split(r"[^a-z0-9]+", program[-1]):
        return None  # "the cif in ffi_cif" is a part of a name, not an entry of a program
    return name, program[-1] if program else None


def is_named(term: str, name: str) -> bool:
    """Whether one of the names of ``term`` (a heading "assert.deepStrictEqual(actual,
    expected)", an option line "-t --test") is ``name`` ("assert.deepStrictEqual", "-t"),
    letter case and marks aside; "assert(value)" is not "assert.deepStrictEqual". A term in
    words is named by all of them: a setting "use chroot", an entry "max connections"."""
    wanted = _name_parts(name)
    term = DEFINITION_CATEGORY.sub("", term.strip())  # "Macro: FFI_CLOSURES" is FFI_CLOSURES
    names = [m.group(1) or m.group(2) or m.group(3) for m in _OPTION_NAME.finditer(term)]
    if len(name.strip("-")) == 1:  # a one-letter option: "-a" is not "-A"
        return name.strip("-") in names
    if bool(wanted) and any(_name_parts(n) == wanted for n in [*names, *_bare_name(term)]):
        return True
    return _words_of(term) == _words_of(name) != []


def _words_of(text: str) -> list[str]:
    return re.findall(r"[\w.-]+", text.casefold())


# A heading that is one identifier, numbered or not: "3.3.1. BZ2_bzCompressInit", "setImmediate".
_IDENTIFIER = re.compile(rf"^{SECTION_NUMBER}({IDENTIFIER})$")
_SYNOPSIS = re.compile(r"^([a-z][\w.-]*) (?=[\[<])")  # a command before its arguments


def _bare_name(term: str) -> list[str]:
    """The identifier a heading is, if it is one and nothing else (see ``_IDENTIFIER``), or
    the command a synopsis line starts with ("apply" of "apply [--index] [<stash>]::")."""
    found = _IDENTIFIER.match(term.strip()) or _SYNOPSIS.match(term.strip())
    return [found.group(1)] if found else []


def opens_with_name(sentence: str, name: str) -> bool:
    """Whether ``sentence`` is about ``name`` from its first words, which are the name and a
    verb: "The `util.inspect()` method returns a string ...", "bzip2 compresses files ...",
    not "`util.inspect.styles` is a map ..." nor "Color output of `util.inspect` is ..."."""
    plain = re.sub(r"[`*_]|\(\)", "", " ".join(sentence.split()))
    found = re.match(
        rf"(?:the |an? )?{re.escape(name)}(?: {_KIND_OF_NAME}s?)? ([\w'’]+)", plain, re.IGNORECASE
    )
    return found is not None and is_verb(found.group(1))


# A licence's or a policy's definition: "In this License, "the Program" means ...", "The
# "Corresponding Source" for a work in object code form means ...".
_SETTING = r"(?:(?:in|for|within|under) [^,]{1,60}, )?"
_QUALIFIER = r"(?: (?:of|for|in|under) [^,.;]{1,60}?)?"


def defines_term(sentence: str, name: str) -> bool:
    """Whether ``sentence`` says what ``name`` is, from its first words: "The parent table is
    the table that ...", not "The parent table does not exist, or"; the name may be quoted,
    after where the definition holds and before what it is of ("In the following three
    paragraphs, a "patent license" is any express agreement ...")."""
    plain = re.sub(r"[`*_\"“”]", "", " ".join(sentence.split()))
    found = re.match(
        rf"{_SETTING}(?:the |an? )?{re.escape(name)}{_QUALIFIER} "
        r"(?:is|are|means|refers to|denotes|stands for|includes?)\b",
        plain,
        re.IGNORECASE,
    )
    return found is not None


def asks_what_is(question: str) -> bool:
    """Whether ``question`` asks what a term is ("What is the parent table?")."""
    return _ASKED_TERM.search(" ".join(question.lower().split())) is not None


def asks_default(question: str) -> bool:
    """Whether ``question`` asks for a default ("What is the default port?", "... by
    default?")."""
    return re.search(r"\bdefaults?\b", question, re.IGNORECASE) is not None


def states_default(text: str) -> bool:
    """Whether ``text`` states a default with its value ("[default: 20000000]", "Default:
    1000.", "it defaults to /tmp", "The default value is twenty million bytes.")."""
    return _DEFAULT.search(text) is not None


# A bound asked for: "the largest value", "the maximum size", "at most", "the lowest level".
_ASKS_LIMIT = re.compile(
    r"\b(?:largest|biggest|smallest|highest|lowest|maximum|minimum|max|min|longest|shortest)\b"
    r"|\bat (?:most|least)\b|\b(?:upper|lower) (?:limit|bound)\b"
    r"|\blimits?\b(?! (?:the|a|an|my)\b)",
    re.IGNORECASE,
)
_BOUND = (
    r"(?:largest|biggest|smallest|highest|lowest|maximum|minimum|max|min|longest|shortest"
    r"|limit|upper|lower|greatest|least)"
)
# A bound stated with its figure: "The maximum value for this is 500.", "max 1000", "at most
# 3", "up to 22", "must not exceed 64", "between 1 and 19", "limited to 255 bytes".
_STATES_LIMIT = re.compile(
    rf"\b{_BOUND}\b[^.;:!?]{{0,40}}?(?:\bis\b|\bare\b|\bof\b|=|:)\s*[-+]?\d"
    rf"|\b{_BOUND}\b\s*[-+]?\d"
    r"|\b(?:at most|at least|up to|no more than|no fewer than|no less than|(?:not|never) exceed"
    r"|exceeds?|limited to|capped at|ranges? from"
    r"|as (?:large|big|high|long|many|much|small|low|few|little) as)\s+[-+]?\d"
    r"|\bbetween\s+[-+]?\d[\d.,]*\s+and\s+[-+]?\d|\b\d+\s*(?:to|\.\.|-|–)\s*\d+\b",
    re.IGNORECASE,
)


def asks_limit(question: str) -> bool:
    """Whether ``question`` asks for a bound ("What is the largest value --num-callers
    accepts?", "What is the highest compression level?"), not how to set one ("How do I limit
    ...?" asks for a procedure, and is not asked here)."""
    return _ASKS_LIMIT.search(question) is not None


def asks_count(question: str) -> bool:
    """Whether ``question`` asks "how many": a count, which only a number answers (unlike "What
    is the maximum size of a VARCHAR?": "SQLite does not enforce the length ...")."""
    return _ASKS_COUNT.search(question) is not None


def counts_time(question: str) -> bool:
    """Whether ``question`` asks how many of something and counts time ("How many days ...?",
    "How many CPU hours ...?"), or asks for no count of things at all ("How much memory ...?")."""
    counted = _COUNTED.search(" ".join(question.lower().split()))
    return counted is None or re.search(rf"\b{_TIME_UNITS}\b", counted.group(1)) is not None


def states_limit(text: str) -> bool:
    """Whether ``text`` states a bound with its figure ("The maximum value for this is 500.",
    "at most 3 times", "levels from 1 to 19"), not only a word for one ("the maximum number of
    entries shown")."""
    return _STATES_LIMIT.search(text) is not None


def _name_parts(name: str) -> set[str]:
    return {_singular(p) for p in re.split(r"[^a-z0-9]+", name.lower()) if p}


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def names_term(term: str, question: str) -> bool:
    """Whether ``question`` names the option or function of ``term`` (a manual's option line
    "--log-file=<filename>", "-a --append", "timeout.unref()"): every word of one of its names
    (at least three letters long) is a word of the question, so "a log file" names
    "--log-file" and not "--log-fd"; or the question writes one of its options, dash and all
    ("What does the -t option do?")."""
    asked = set().union(*(_name_parts(w) for w in _WORD.findall(question)))
    written = set(_WORD.findall(question))
    for match in _OPTION_NAME.finditer(term):
        name = match.group(1) or match.group(2) or match.group(3)
        parts = _name_parts(name)
        if len(name.strip("-_.")) >= 3 and parts and parts <= asked:
            if len(parts) > 1 or _called(name, question):
                return True
        if match.group(1) is not None and match.group(0) in written:
            return True  # a short option written with its dash: "-t"
    return any(_name_parts(name) <= asked for name in _bare_name(term))


def _called(name: str, question: str) -> bool:
    """Whether the question calls a one-word ``name`` by it: an identifier by itself
    ("maxBuffer"), a plain word with its dashes ("--backup") or beside what it is ("the backup
    option", "Which option appends ...", "the compress directive") or as the action asked for
    ("How do I extract ..." names "--extract"), not as a word it uses anyway ("a tar backup",
    "the top-level directory")."""
    bare = name.strip("-_.")
    if not bare.isalpha() or not bare.islower():
        return True
    word = re.escape(bare)
    said = question.lower()
    return (
        re.search(rf"(?<![\w-])-{{1,2}}{word}\b", said) is not None
        or re.search(rf"(?<![\w-]){word}[`'\"]? {_KIND_OF_NAME}s?\b", said) is not None
        or re.search(rf"\b{_KIND_OF_NAME}s? [`'\"]?{word}(?:e?s)?(?![\w-])", said) is not None
        or re.search(rf"^how (?:do|can|should) (?:i|we|you) {word}\b", said) is not None
    )


def names_term_literally(term: str, question: str) -> bool:
    """Whether ``question`` writes one of the names of ``term`` as the term does, marks and
    all: "--nonet", "timeout.unref(" (an identifier the question quotes, not words it
    happens to share with the term)."""
    written = {m.group(0) for m in _OPTION_NAME.finditer(question)}
    return any(
        m.group(0) in written and len(m.group(0).strip("-_.(")) >= 3
        for m in _OPTION_NAME.finditer(term)
    )


def row_key(row: str) -> str | None:
    """The first word or figure of a table row's first cell, lower case: "zlib" of
    "| [zlib] 1.2.11 -1 | 2.743 |", "6" of "-6  5200k  2500k"; None for an empty cell."""
    first_cell = row.strip().strip("|").split("|")[0].split()
    key = re.findall(r"[a-z0-9]+", first_cell[0].lower()) if first_cell else []
    return key[0] if key else None


def names_row(key: str | None, question: str) -> bool:
    """Whether ``question`` names a table row by its ``row_key`` ("... a level 6 file ...")."""
    return key is not None and key in re.findall(r"[a-z0-9]+", question.lower())


def _restates(text: str, asked: set[str]) -> bool:
    """Whether ``text`` puts the yes/no question itself ("... about whether or not foreign keys
    are enabled by default ..."): two of its words in the few after "whether"."""
    for found in re.finditer(r"\bwhether\b", text, re.IGNORECASE):
        after = [w.lower().strip(".'’-") for w in _WORD.findall(text[found.end() :])[:WHETHER]]
        if len(asked & set(after) - STOPWORDS) >= 2:
            return True
    return False


def _question_words(question: str) -> set[str]:
    return {w.lower().strip(".'’-") for w in _WORD.findall(question)}


def _new(found: str, asked: set[str]) -> bool:
    """Whether ``found`` says something the question does not: a word of it is not asked."""
    tokens = [w.lower().strip(".'’-") for w in _WORD.findall(found)]
    return any(t and t not in asked for t in tokens)


def _names(text: str) -> list[str]:
    """Capitalised words after the first ("Erica Goode", "Vice President Cheney", "Hezbollah")
    and acronyms ("ISCI", "U.S."), without the capitalised function words ("The", "It")."""
    names = []
    for match in _NAME.finditer(text):
        words = [w for w in match.group(1).split() if w not in _CAPITALISED_WORDS]
        if words:
            names.append(" ".join(words))
    return names


def holds(kind: AnswerType, text: str, question: str) -> bool:
    """Whether ``text`` holds an answer of ``kind`` that ``question`` does not already say.

    Args:
        kind: What the question asks for (``answer_type``); "any" holds nothing.
        text: A sentence (or a sentence and its context).
        question: The question, whose words do not count as an answer.
    """
    asked = _question_words(question)
    if kind == "any":
        return False
    if kind == "name":
        return any(_new(name, asked) for name in _names(text))
    if kind in ("date", "quantity"):  # not the digits of a link ("…/1996/06/msg00515.html")
        text = _URL.sub(" ", text)
    if kind == "date":
        return any(_new(m.group(), asked) for m in _DATE.finditer(text))
    if kind == "place":
        places = [m.group(1) for m in _PLACE_NAME.finditer(text)]
        places += [m.group() for m in _PATH.finditer(text)]
        return any(_new(p, asked) for p in places)
    if kind == "quantity":
        if _HOW_OFTEN.search(question.lower()):
            return any(_new(m.group(), asked) for m in _FREQUENCY.finditer(text))
        numbers = list(_NUMBER.finditer(text))
        if not counts_time(question):
            numbers = [m for m in numbers if not _OF_TIME.match(text, m.end())]
        return any(_new(m.group(), asked) for m in numbers)
    if kind == "verdict":
        return _VERDICT.search(text) is not None and not _restates(text, asked)
    if kind == "reason":
        return _REASON.search(text) is not None
    if kind == "alternative":
        return _ALTERNATIVE.search(text) is not None
    if kind == "list":  # what introduces the list: its items are the caller's to check
        plural = asked_list(question)
        return plural is not None and text.rstrip().endswith(":") and names_plural(text, plural)
    if kind == "value":
        numeric = value_noun(question) in _NUMERIC_VALUE_NOUNS
        if numeric:
            text = _CLOCK_TIME.sub(" ", text)
        found = [m.group() for m in _CODE.finditer(text)]
        found += [m.group() for m in _NUMBER.finditer(text)]
        if numeric:
            found = [v for v in found if any(c.isdigit() for c in v)]
        return any(_new(v, asked) for v in found)
    # A procedure: an instruction, or a command, option or code literal the question lacks
    # (not a word in capitals: "yq transcodes YAML documents to JSON" says no way to do it).
    if _IMPERATIVE.match(text.lstrip()) or _IMPERATIVE_AFTER.search(text):
        return True
    found = (m.group() for m in _CODE.finditer(text))
    return any(_new(code, asked) for code in found if not code.isalpha() or not code.isupper())
