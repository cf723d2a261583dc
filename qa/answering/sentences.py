"""Sentences of passages, with exact offsets, and the candidates an extractive answer is made of.

A passage is first cut into blocks (``qa.answering.layout``): headings, navigation, code and
its comments, list items, table rows, terms of a reference list and prose. A *candidate* is a
sentence of prose or of a list item that has a verb and at least ``MIN_SENTENCE_WORDS`` words
and is not cut off by the passage's edges (a first sentence that starts in lower case, prose
without final punctuation: the chunk's last words, or a line of a reference list). A candidate
brings the sentence it leans on (``wording.refers_back``: "This means ..."), or the term it
describes (the first sentence under "--log-file=<filename>"), and, for a how-to question, the
code block or the numbered steps that follow it ("Use this command line:" and the command).
Every sentence of a description also knows the option or function line it is under, or the
function its section's heading names ("timeout.unref()": ``Candidate.term``), and a short
"Default: 1000." later in its block (``Candidate.default``).
``example`` finds the line of a code block that holds a literal the question quotes, with the
comments after it ("path.extname('index.coffee.md');" and "// Returns: '.md'").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa.answering.answer_types import CODE_NAME, IDENTIFIER, SECTION_NUMBER
from qa.answering.layout import (
    DEFINITION_CATEGORY,
    Block,
    BlockKind,
    is_bare_term,
    is_option,
    layout,
)
from qa.answering.wording import asks, has_verb, is_signpost, is_verb, refers_back
from qa.types import Passage

# A sentence ends at . ! or ? (plus closing quotes or brackets) before white space, or at a line
# break. A period after a known abbreviation or a single capital ("Gen.", "M.") ends nothing.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n+")
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "brig",
    "col",
    "lt",
    "maj",
    "sgt",
    "adm",
    "capt",
    "gov",
    "sen",
    "rep",
    "st",
    "jr",
    "sr",
    "vs",
    "no",
    "inc",
    "co",
    "corp",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
    "etc",
    "approx",
    "fig",
    "eg",
    "ie",
    "cf",
    "viz",
    "al",
    "resp",
}
MIN_SENTENCE_WORDS = 4  # shorter sentences are not offered as answers
MAX_STEPS = 8  # most list items taken as the steps of a procedure
_UNENDED_WORDS = 8  # a sentence ending in an address this long may lack its full stop
_ADDRESS_END = re.compile(r"(?:\S+@[\w-]+(?:\.[\w-]+)+|\w+://\S+)$")  # an e-mail address, a URL
_UNQUOTED: frozenset[BlockKind] = frozenset({"navigation", "comment"})  # blocks with no units
# In a wrapped paragraph (PDF, man page), a line shorter than this share of the longest line
# that is followed by a capital ends its sentence even without punctuation.
SHORT_LINE = 0.6
_PROSE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
# An item that ends where its sentence goes on into the next ("... does not exist, or").
_RUNS_ON = re.compile(r"(?:[,;]|\b(?:and|or|nor))\s*$", re.IGNORECASE)
_FINAL = re.compile(r"[.!?:]['\"”’)\]]*$")
# A verdict that is a sentence of its own ("Yes.", "Go ahead.", "Of course.").
_BARE_VERDICT = re.compile(
    r"(?:yes|no|go ahead|sure|certainly|of course|absolutely|indeed|not yet|not really)[.!]?",
    re.IGNORECASE,
)
# "Returns: <string>": a label, not a term (but a GNU manual's "Function: void f (int x)" is).
_LABEL = re.compile(r"^[A-Z][\w ]*:\s")
# Where an option applies, said before what it does ("This option is only valid for push and
# save commands." over "All changes already added to the index are left intact."): no lead.
_SCOPE_NOTE = re.compile(
    r"^(?::\s*)?(?:(?:this|the) (?:\w+ )?(?:option|flag|setting|directive|command|switch)"
    r" (?:is|are) only|only|valid only) (?:valid|useful|meaningful|available|allowed|relevant"
    r"|supported|used|applies|applicable|for|with|when|in)\b",
    re.IGNORECASE,
)
# A short sentence stating a default after a description: "Default: 1000.", "Default: '&'."
# (Markdown may set the label in bold: "**Default:** `1024 * 1024`.")
_DEFAULT_LABEL = re.compile(r"^[*_]{0,2}Default(?: value)?:[*_]{0,2}\s*\S.{0,60}$", re.DOTALL)
# A heading that names one function, method or option: "timeout.unref()", "#### `ensurepip`",
# "querystring.stringify(obj[, sep[, eq]])", "### `emitter.on(eventName, listener)`", "--append",
# "3.3.1. BZ2_bzCompressInit". The prose under it describes it.
_SIGNATURE = r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\(.*\)"
_API_HEADING = re.compile(
    rf"^#{{0,6}}\s*{SECTION_NUMBER}(?:`[^`\s]+`|`{_SIGNATURE}`|--?[A-Za-z][\w-]*|{_SIGNATURE}"
    rf"|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+|{IDENTIFIER})\s*$"
)
_ATX_MARKS = re.compile(r"#{1,6}[ \t]+(?=\S)")
_RULE_ROW = re.compile(r"^[|+:=\s-]+$")  # the rule under a table's header: "| --- | :-: |"
MAX_HEADER_LINES = 2  # most lines over a table of figures taken as its header
NUMBER_MARK = r"\d{1,3}[.)]"  # a numbered item's or step's number: "1.", "2)"
_MARKER = re.compile(rf"^(?:[-*•+–:]|{NUMBER_MARK}|[a-z][.)])\s+")


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a block: code, a term, steps) of passage ``passage``, at document offsets
    ``start:end``; ``kind`` is the kind of block it is in."""

    text: str
    passage: int  # index into the passages given
    start: int  # document offsets
    end: int
    kind: BlockKind = "prose"


@dataclass(frozen=True)
class Candidate:
    """A sentence that may answer, with what it needs: ``context`` is the sentence or term
    before it that it leans on, ``procedure`` the code block or steps that follow it."""

    sentence: Sentence
    context: Sentence | None = None
    procedure: Sentence | None = None
    term: Sentence | None = None  # the option or function its paragraph describes
    default: Sentence | None = None  # a "Default: 1000." that follows it in its block
    introduces: Sentence | None = None  # what it ends with a colon before: "... backstory:"
    leads: bool = False  # the first sentence under what it describes: "Schedules the ..."
    steps: Sentence | None = None  # the numbered list it is an item of, whole
    # What comes right after its paragraph: a list no colon introduces ("libffi is missing a
    # few features." over them), or a code block ("CHUNK is the buffer size ..." over
    # "#define CHUNK 16384").
    follows: Sentence | None = None

    @property
    def described(self) -> Sentence | None:
        """The option or function line the sentence describes: its context, or the term
        over its paragraph."""
        if self.context is not None and self.context.kind == "term":
            return self.context
        return self.term

    @property
    def text(self) -> str:
        """The sentence with its context, as the answer would quote them (no procedure)."""
        if self.context is None:
            return self.sentence.text
        return f"{self.context.text} {self.sentence.text}"


def is_list_item(text: str) -> bool:
    """Whether ``text`` starts with a list item's marker ("- ", "* ", "2. "): steps quoted
    whole, not a sentence of an item."""
    return _MARKER.match(text) is not None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, stripped of surrounding space; a line
    break always ends a sentence."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for match in _END.finditer(text):
        if _ends_nothing(text, match):
            continue
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, len(text)))
    return _stripped(text, spans)


def split_prose(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of a paragraph whose lines may be wrapped: a line
    break ends a sentence only after a short line (``SHORT_LINE``) followed by a capital."""
    breaks = [m.end() for m in _PROSE_END.finditer(text) if not _ends_nothing(text, m)]
    lines = text.split("\n")
    if len(lines) > 1:
        longest = max(len(line.strip()) for line in lines)
        at = 0
        for line, following in zip(lines, lines[1:], strict=False):
            at += len(line) + 1
            short = len(line.strip()) < SHORT_LINE * longest
            if short and following.strip()[:1].isupper() and not _FINAL.search(line.rstrip()):
                breaks.append(at - 1)
    spans = []
    begin = 0
    for end in sorted(set(breaks)):
        spans.append((begin, end))
        begin = end
    spans.append((begin, len(text)))
    return _stripped(text, spans)


def _stripped(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    stripped = []
    for start, end in spans:
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            stripped.append((start + lead, start + len(piece.rstrip())))
    return stripped


def _ends_nothing(text: str, mark: re.Match[str]) -> bool:
    """Whether the end mark ``mark`` ends no sentence: a period after a known abbreviation or a
    single capital, or an ellipsis the sentence goes on after ('like "aab ..." (repeated several
    hundred times) may compress'), or a period standing alone as a word that the sentence goes
    on after ("from the last occurrence of the . (period) character")."""
    after = text[mark.end() :].lstrip()[:1]
    if mark.group().startswith("..."):
        return after.islower() or after == "("
    if mark.group() == "." and text[mark.start() - 1 : mark.start()].isspace():
        return after.islower() or after == "("
    return mark.group().startswith(".") and _is_abbreviation(text, mark.start())


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[:dot])
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and text[dot - 1].isupper())


def is_answer_sentence(text: str) -> bool:
    """Long enough and has a verb (``wording.has_verb``)."""
    return len(text.split()) >= MIN_SENTENCE_WORDS and has_verb(text)


# A word that groff hyphenated at the end of a line: "decom‐" (U+2010 HYPHEN, which a man page's
# text uses for breaks), then the next line's indentation, the rest of the word in the case of
# its start ("re‐" / "quirement", "FOR‐" / "MAT1") with the punctuation after it, and the space
# after that, where more of the line follows (a line holding only the rest of the word is left
# as it is: moving it up would leave a blank line, a paragraph break).
_REST = r"(?![{case}])[^\s\w]*(?![^\s\w])"  # the end of the word, and punctuation after it
_HYPHENATED = re.compile(
    r"(?:(?<=[a-z])\u2010\n(?P<indent>[ \t]*)(?P<rest>[a-z]+" + _REST.format(case="a-z") + ")"
    r"|(?<=[A-Z])\u2010\n(?P<upper_indent>[ \t]*)(?P<upper_rest>[A-Z]+"
    + _REST.format(case="A-Z")
    + "))"
    r"(?P<gap>[ \t]*)(?=\S)"
)


def join_hyphenated(text: str) -> str:
    """``text`` with each word hyphenated over a line break written whole on the first line,
    offsets unchanged and every line's indentation kept: "re‐\n       quirement is set"
    becomes "requirement  \n       is set" (the rest of the word moved up, the places of the
    hyphen and the space after the word left as spaces at the end of the first line), so that
    an answer quotes the word "requirement". A hyphen in plain ASCII is left alone: it
    may be a compound's."""
    return _HYPHENATED.sub(_moved_up, text)


def _moved_up(match: re.Match[str]) -> str:
    lower = match["rest"] is not None
    rest = match["rest"] if lower else match["upper_rest"]
    indent = match["indent"] if lower else match["upper_indent"]
    return f"{rest}{' ' * (1 + len(match['gap']))}\n{indent}"


def reading_text(passage: Passage) -> str:
    """The passage's text as its reader reads it, offsets unchanged: each of its running lines
    (``Passage.running_lines``, a PDF's footer and header where a paragraph goes on over a page
    break) and the white space around it turned to spaces but one line break, so that the two
    halves of the paragraph read as one and no sentence starts with the page's header; and a
    word hyphenated over a line break whole (``join_hyphenated``)."""
    if not passage.running_lines:
        return join_hyphenated(passage.text)
    chars = list(passage.text)
    for start, end in passage.running_lines:
        left, right = start - passage.start, end - passage.start
        while left > 0 and chars[left - 1].isspace():
            left -= 1
        while right < len(chars) and chars[right].isspace():
            right += 1
        broken = "\n" in chars[left:right]
        chars[left:right] = " " * (right - left)
        if broken:
            chars[right - 1] = "\n"
    return join_hyphenated("".join(chars))


def is_api_heading(line: str) -> bool:
    """Whether a heading names one function, method or option ("timeout.unref()")."""
    return _API_HEADING.match(line) is not None


def candidates(passages: Sequence[Passage]) -> list[Candidate]:
    """The candidates of every passage, in passage order (see the module doc)."""
    found: list[Candidate] = []
    for i, passage in enumerate(passages):
        found.extend(_passage_candidates(i, passage))
    return found


def _described_from(
    unit: Sentence, term: Sentence | None, lead_due: bool
) -> tuple[Sentence | None, bool]:
    """What the prose from ``unit`` on describes (``term``), and whether its first sentence is
    still due, given what the prose before it described.

    A function's or an option's own heading or term opens a description. Another heading ends
    it (but a one-word label before the description, "History" over a table of versions), and
    so does code or a table once the description has begun: before it, they are the function's
    signature or history. A label ends an option's description ("Example: ...") but
    not a function's ("Returns: <Timeout> a reference to ..." under its heading).
    """
    if unit.kind == "heading":
        if is_api_heading(unit.text):
            return unit, True
        if lead_due and term is not None and len(unit.text.split()) == 1:
            return term, lead_due  # a label over its signature or history ("History")
        return None, lead_due
    if unit.kind in ("code", "table"):
        return (term if lead_due else None), lead_due
    if unit.kind == "term" and _LABEL.match(unit.text) and not DEFINITION_CATEGORY.match(unit.text):
        return (term if term is not None and term.kind == "heading" else None), lead_due
    if unit.kind == "term":
        return unit, True
    return term, lead_due


def _passage_candidates(index: int, passage: Passage) -> list[Candidate]:
    text = reading_text(passage)
    blocks = layout(text, passage.section, passage.title)

    def piece(start: int, end: int, kind: BlockKind) -> Sentence:
        return Sentence(text[start:end], index, passage.start + start, passage.start + end, kind)

    # Every unit in order: sentences of prose and items, whole code blocks, terms, rows.
    units: list[tuple[Sentence, int]] = []  # with the index of its block
    for b, block in enumerate(blocks):
        if block.kind in ("prose", "item"):
            start = block.start
            if block.kind == "item":
                marker = _MARKER.match(text[start : block.end])
                start += marker.end() if marker else 0
            for a, z in split_prose(text[start : block.end]):
                units.append((piece(start + a, start + z, block.kind), b))
        elif block.kind == "code":
            line_start = text.rfind("\n", 0, block.start) + 1
            units.append((piece(line_start, block.end, "code"), b))
        elif block.kind == "heading":  # without its Markdown marks: "#### `ensurepip`"
            marks = _ATX_MARKS.match(text, block.start, block.end)
            units.append((piece(marks.end() if marks else block.start, block.end, "heading"), b))
        elif block.kind in ("term", "table"):
            units.append((piece(block.start, block.end, block.kind), b))

    if units and units[-1][0].kind == "code" and _cut_short(units[-1][0].text):
        units.pop()  # code the chunk's end cut off: never quoted as a procedure or an example
    result: list[Candidate] = []
    term: Sentence | None = None  # the option or function the prose since it describes
    lead_due = False  # whether the next prose sentence is the first under ``term``
    named_items: dict[int, Sentence] = {}  # block → the name in code that leads its item
    for u, (unit, b) in enumerate(units):
        if unit.kind == "item" and (u == 0 or units[u - 1][1] != b):
            lead = CODE_NAME.match(unit.text)  # an option's item: "`maxBuffer` {number} ..."
            if lead is not None:
                offset = unit.start - passage.start
                named_items[b] = piece(offset + lead.start(), offset + lead.end(), "term")
        if unit.kind == "prose" and u and _is_definition(blocks[units[u - 1][1]], text):
            if not _indented(text, blocks[b].start):  # Markdown indents a definition's more
                term, lead_due = None, False  # the prose after a definition list is not its
        term, lead_due = _described_from(unit, term, lead_due)
        if unit.kind == "table":
            row = _row_candidate(units, u, text, piece)
            if row is not None:
                result.append(row)
            continue
        if unit.kind not in ("prose", "item"):
            continue
        # A definition under its term ("User" / ": $HOME/.config/pip/pip.conf") needs no verb.
        # ... or one under an exit status or a code ("4" / "Failed to parse the stylesheet").
        under_term = (
            u > 0
            and units[u - 1][0].kind == "term"
            and (text[blocks[b].start] == ":" or is_bare_term(units[u - 1][0].text))
            and units[u - 1][1] != b
        )
        item_name = named_items.get(b) if unit.kind == "item" else None
        # ... or an item's words after its name ("`encoding` {string} **Default:** `'utf8'`").
        defines = under_term or (
            item_name is not None
            and unit.start == item_name.start
            and len(text[item_name.end - passage.start : unit.end - passage.start].split()) >= 2
        )
        # ... and so does an option's terse one ("-a, --suffix-length=N" / "generate ...").
        under_option = (
            u > 0
            and units[u - 1][0].kind == "term"
            and is_option(units[u - 1][0].text)
            and units[u - 1][1] != b
        )
        procedure = _procedure(units, u, blocks, piece)
        # ... and so does a purpose over its code ("To dump a database into a custom-format
        # archive file:" / "$ pg_dump -Fc mydb > db.dump").
        shows = procedure is not None and unit.text.rstrip().endswith(":")
        if not (defines or under_option or shows or has_verb(unit.text)) or is_signpost(unit.text):
            continue
        if asks(unit.text):
            continue  # a question answers none: an FAQ's list of its questions, a rhetorical one
        # The first sentence under a name is its first prose, or its definition's ("-a
        # --data-only" / ": Dump only the data, not the schema ...").
        # ... or a later paragraph's of the definition (": All changes ... are left intact.").
        opens = (
            unit.kind == "prose" or under_term or _is_definition(blocks[b], text)
        ) and not _SCOPE_NOTE.match(unit.text)
        first_under = term is not None and lead_due and opens
        # A step may be short ("Create the dictionary" and its command), and so may the first
        # sentence under a function's name ("Prepares for compression.").
        short = 2 if procedure or first_under else MIN_SENTENCE_WORDS
        if not defines and len(unit.text.split()) < short:
            continue
        first_of_passage = u == 0 or all(x.kind == "heading" for x, _ in units[:u])
        if first_of_passage and unit.text[:1].islower() and not (u and _names_subject(unit.text)):
            # It starts mid-sentence: the chunk began inside it. Under a heading, a sentence
            # may open with a name in lower case ("libffi is missing a few features."), not
            # with a parameter's line ("callback <Function> The function to call ...").
            continue
        if (
            unit.kind == "prose"
            and not (defines or under_option)
            and not _FINAL.search(unit.text)
            and not _ends_with_address(units, u)
        ):
            continue  # cut off by the chunk's end, or a line of a list without punctuation
        if unit.kind == "item" and _RUNS_ON.search(unit.text):
            continue  # "The parent table does not exist, or": a sentence the list goes on with
        context = None
        before = units[u - 1] if u else None
        first_in_block = before is None or before[1] != b
        if before is not None:
            if first_in_block and before[0].kind == "term":
                if not _LABEL.match(before[0].text):
                    context = before[0]  # the description of an option or a function
            elif refers_back(unit.text) and (
                before[0].kind in ("prose", "item")
                # "In this configuration, …" under "Trimmed: small-icu" (not under a function,
                # nor under an FAQ's question: "This question will not help you …")
                or (before[0].kind == "heading" and term is None and not asks(before[0].text))
            ):
                context = before[0]
            elif not first_in_block and _BARE_VERDICT.fullmatch(before[0].text.strip()):
                context = before[0]  # "Yes. Set the BASE_PATH variable …": the answer's verdict
        described = None if context is not None and context.kind == "term" else term
        if item_name is not None:
            described = item_name
        # The first sentence under a name says what it is or does; so does an item after its.
        leads = item_name is not None or first_under
        lead_due = lead_due and not opens
        default = next(
            (
                x
                for x, other in units[u + 1 :]
                if other == b and x.kind == unit.kind and _DEFAULT_LABEL.match(x.text)
            ),
            None,
        )
        introduces = None
        if unit.text.rstrip().endswith(":") and u + 1 < len(units):
            following = procedure or units[u + 1][0]
            if following.kind in ("prose", "item", "code"):
                introduces = following  # quoted alone, "... a pair of functions:" says nothing
        steps = _numbered_list(blocks, b, text, piece) if unit.kind == "item" else None
        follows = _after_paragraph(units, u, blocks, text, piece) if unit.kind == "prose" else None
        result.append(
            Candidate(
                unit,
                context=context,
                procedure=procedure,
                term=described,
                default=default,
                introduces=introduces,
                leads=leads,
                steps=steps,
                follows=follows,
            )
        )
    return result


def _ends_with_address(units: list[tuple[Sentence, int]], u: int) -> bool:
    """Whether sentence ``u`` ends its paragraph with an e-mail address or a URL, which a full
    stop would spoil ("... to the email list procps@freelists.org"), and is long enough to be a
    sentence, not a line of a list."""
    text = units[u][0].text
    last_of_block = u + 1 == len(units) or units[u + 1][1] != units[u][1]
    long_enough = len(text.split()) >= _UNENDED_WORDS
    return last_of_block and long_enough and _ADDRESS_END.search(text) is not None


def _is_definition(block: Block, text: str) -> bool:
    """Whether ``block`` is a definition under its term (an item ": ...")."""
    return block.kind == "item" and text.startswith(":", block.start)


def _indented(text: str, start: int) -> bool:
    """Whether the line holding ``start`` opens with space."""
    line_start = text.rfind("\n", 0, start) + 1
    return text[line_start : line_start + 1] in (" ", "\t")


def _names_subject(text: str) -> bool:
    """Whether ``text`` opens with a name and a verb: "libffi is ...", "pip installs ..."."""
    first = text.split(maxsplit=2)
    return len(first) > 2 and is_verb(first[1])


def _row_candidate(
    units: list[tuple[Sentence, int]],
    u: int,
    text: str,
    piece: Callable[[int, int, BlockKind], Sentence],
) -> Candidate | None:
    """Table row ``u`` as a candidate, with its table's header as its context: the first row
    of a table with pipes, or the short lines over a table of figures. None for the header, a
    rule ("|---|---|") or a row of fewer than two cells."""
    row = units[u][0]
    if _RULE_ROW.match(row.text) or len(cells(row.text)) < 2:
        return None
    first = u
    while first > 0 and units[first - 1][0].kind == "table":
        first -= 1
    top = units[first][0]
    if "|" in row.text:
        if first == u:
            return None  # the header
        return Candidate(row, context=top if len(cells(top.text)) >= 2 else None)
    # The short lines right over the first row of figures (a blank line between allowed).
    above = text[: top.start - piece(0, 0, "table").start].rstrip()
    header: list[str] = []
    for line in reversed(above.split("\n")[-MAX_HEADER_LINES:]):
        if not _is_header_line(line.strip()):
            break
        header.insert(0, line)
    if not header:
        return Candidate(row)
    start = len(above) - len("\n".join(header))
    start += len(header[0]) - len(header[0].lstrip())
    return Candidate(row, context=piece(start, len(above), "table"))


def _is_header_line(line: str) -> bool:
    """A line that may name the columns of a table of figures: a few words, mostly not
    figures, that neither end a sentence nor carry one on (a verb may be a column's name:
    "Compress")."""
    return (
        bool(line)
        and len(line.split()) <= 10
        and not _FINAL.search(line)
        and not line[:1].islower()  # the end of a wrapped sentence
        and sum(c.isdigit() for c in line) < len(line) / 4
    )


def cells(row: str) -> list[str]:
    """The non-empty cells of a table row: between pipes, or in columns of white space."""
    if "|" in row:
        return [c.strip() for c in row.strip().strip("|").split("|") if c.strip()]
    return row.split()


def _procedure(
    units: list[tuple[Sentence, int]],
    u: int,
    blocks: list[Block],
    piece: Callable[[int, int, BlockKind], Sentence],
) -> Sentence | None:
    """The code block right after sentence ``u``, or the list items after it when it ends with
    a colon ("Do the following:"), if it is the last sentence of its block, or only "For
    example:" comes between ("... using the PRAGMA foreign_keys command. For example:")."""
    b = units[u][1]
    if u + 1 < len(units) and units[u + 1][1] == b and _EXAMPLE_CUE.fullmatch(units[u + 1][0].text):
        return _procedure(units, u + 1, blocks, piece)
    if u + 1 >= len(units) or units[u + 1][1] == b:
        return None  # not the last sentence of its block
    following, first = units[u + 1]
    if following.kind == "code":
        return following
    if following.kind != "item" or not units[u][0].text.rstrip().endswith(":"):
        return None
    return _items_from(blocks, first, piece)


def _after_paragraph(
    units: list[tuple[Sentence, int]],
    u: int,
    blocks: list[Block],
    text: str,
    piece: Callable[[int, int, BlockKind], Sentence],
) -> Sentence | None:
    """The code block right after the paragraph of sentence ``u``, or the list items, unless
    the paragraph ends with a colon (its last sentence introduces them)."""
    b = units[u][1]
    after = next((x for x in range(b + 1, len(blocks)) if blocks[x].kind not in _UNQUOTED), None)
    if after is not None and blocks[after].kind == "code":
        return next((x for x, other in units[u + 1 :] if other == after), None)
    if text[blocks[b].start : blocks[b].end].rstrip().endswith(":"):
        return None
    return _items_from(blocks, b + 1, piece)


def _items_from(
    blocks: list[Block], first: int, piece: Callable[[int, int, BlockKind], Sentence]
) -> Sentence | None:
    """The list whose first item is block ``first`` (its first ``MAX_STEPS`` items), whole;
    None when block ``first`` is no item."""
    if first >= len(blocks) or blocks[first].kind != "item":
        return None
    last = first
    for other in range(first + 1, len(blocks)):
        if blocks[other].kind in _UNQUOTED:
            continue
        if blocks[other].kind != "item" or other - first >= MAX_STEPS:
            break
        last = other
    return piece(blocks[first].start, blocks[last].end, "item")


def _numbered_list(
    blocks: list[Block], at: int, text: str, piece: Callable[[int, int, BlockKind], Sentence]
) -> Sentence | None:
    """The numbered list whose item is block ``at``, whole (its first ``MAX_STEPS`` items):
    "How do I release the image?" is answered by the steps under "Steps", not by the one that
    echoes the question best. None unless it is a list of two numbered items or more, and
    ``at`` one of its first ``MAX_STEPS``."""
    first = last = at
    while first > 0 and blocks[first - 1].kind == "item":
        first -= 1
    while last + 1 < len(blocks) and blocks[last + 1].kind == "item":
        last += 1
    numbered = [b for b in range(first, last + 1) if _STEP_MARK.match(text, blocks[b].start)]
    if at not in numbered or len(numbered) < 2 or at - first >= MAX_STEPS:
        return None
    return piece(blocks[first].start, blocks[min(last, first + MAX_STEPS - 1)].end, "item")


_STEP_MARK = re.compile(rf"\s*{NUMBER_MARK}\s+")


_EXAMPLE_CUE = re.compile(
    r"\s*(?:for example|for instance|e\.g\.|example|like this|as follows)\s*:\s*", re.IGNORECASE
)


def _cut_short(code: str) -> bool:
    """Whether a code block opens more brackets than it closes: at the end of a passage, the
    chunk's end cut it ("/* decompress until the stream ends */ do {"), and it is left out of
    the passage's units."""
    return sum(code.count(c) for c in "{([") > sum(code.count(c) for c in "})]")


# A literal quoted in a question: 'index.coffee.md', "utf-8", `--fast` (an apostrophe inside a
# word, as in "Node's", opens nothing).
_LITERAL = re.compile(r"(?<!\w)(?:'([^'\n]{2,60})'|\"([^\"\n]{2,60})\"|`([^`\n]{2,60})`)(?!\w)")
MAX_EXAMPLE_COMMENTS = 2  # comment lines after the example line that come with it ("// Returns")


def quoted_literals(question: str) -> list[str]:
    """The literals ``question`` quotes, in order."""
    return [next(g for g in m.groups() if g) for m in _LITERAL.finditer(question)]


def example(literals: Sequence[str], passages: Sequence[Passage], first: int) -> Sentence | None:
    """The line of a code block that holds one of ``literals``, with the comment lines right
    after it (``// Returns: '.md'``): the example of the case the question asks about. Passage
    ``first`` (the answer's) is searched first, then the others in order."""
    if not literals:
        return None
    for index in [first, *(i for i in range(len(passages)) if i != first)]:
        passage = passages[index]
        text = reading_text(passage)
        for block in layout(text, passage.section, passage.title):
            if block.kind != "code":
                continue
            lines = text[block.start : block.end].split("\n")
            offsets = [block.start]
            for line in lines[:-1]:
                offsets.append(offsets[-1] + len(line) + 1)
            for k, line in enumerate(lines):
                if not any(literal in line for literal in literals):
                    continue
                start = offsets[k] + len(line) - len(line.lstrip())
                end = offsets[k] + len(line.rstrip())
                for j in range(k + 1, min(k + 1 + MAX_EXAMPLE_COMMENTS, len(lines))):
                    if not lines[j].lstrip().startswith(("//", "#")):
                        break
                    end = offsets[j] + len(lines[j].rstrip())
                return Sentence(
                    text[start:end], index, passage.start + start, passage.start + end, "code"
                )
    return None
