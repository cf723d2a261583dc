"""The layout of a passage's text: which lines are headings, navigation, code, list items,
table rows, terms of a reference list, or prose, grouped into blocks.

A passage is plain text, but its lines keep the document's structure: the reader put headings
on lines of their own (and the passage's ``section`` names them), Markdown keeps its fences
and ``#`` marks, a manual keeps its indented examples and ``$`` prompts. Rules, line by line:

- *heading*: a Markdown heading (``# Title``), a line equal to a title of the passage's
  section trail or its document's title (permalink marks ``#`` and ``¶`` ignored), a short
  line ending with such a mark, or a short line (at most
  ``HEADING_WORDS`` words) without final punctuation or verb that starts with a capital and is
  followed by a blank line, a paragraph or the end.
- *navigation*: letters spaced out ("C O P Y"), menu words ("Next", "Table of contents"),
  separator rules, Markdown link definitions ("[lz4]: https://..."), fence lines and the
  body of a MyST ``{seealso}`` box (pointers to other pages), reStructuredText directive
  lines (".. attention::"; the body of a ``code-block`` under one is code), AsciiDoc's block
  macros ("include::config/stash.txt[]") and its "+" joining a block to the item above it,
  a list's bullet alone on its line ("○", as pandoc writes a man page's list); not a line
  opening with an option ("--index").
  A line of HTML tags alone at the margin, outside a fence (pandoc's ``<div
  class="codeblock">`` around an example), is read as a blank line.
- *code*: inside a fence (not a MyST directive whose body is prose, such as ``{note}`` or
  ``{tab}``: fences nest, so a ``{tab}`` may hold a code fence), a prompt (``$ ``,
  ``>>> ``), statement syntax (ends with ``;``, ``{`` or ``}``, starts with ``const``,
  ``import`` ...), a line after one that ends with ``:`` that is indented deeper or reads as
  a command, and comment lines (``//``, ``/*``, ``#`` in code), which are kind *comment*.
- *item*: a bullet or number ("- ", "* ", "• ", "1. ", "2) ") with its deeper lines, or the
  definition of a term in a definition list (": ").
- *table*: a row between pipes; a row of cells joined by " | " (a Word table) or of figures
  in columns (a PDF's or a man page's "-6  5200k  2500k  1600k  838626") next to another row
  like it.
- *term*: a short line naming an option or function ("--log-file=<filename>",
  "timeout.unref()", "-k, --keep-old-files"), without final punctuation, before prose; the
  term of a definition list (the short line over ": its definition"); an exit status or a
  code in capitals alone on its line, over its meaning ("4" / "Failed to parse the
  stylesheet": an HTML man page's list of return codes), which is prose however short; an
  AsciiDoc label ("apply [--index] [<stash>]::") over its description.
- *prose*: the rest; consecutive prose lines form one paragraph, so that text wrapped at a
  fixed width (PDF, man pages) reads as sentences, not lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from qa.answering.wording import STOPWORDS, asks, has_verb, words
from qa.ingest.markdown import TAGS_ONLY
from qa.types import SECTION_SEPARATOR, indentation

BlockKind = Literal["heading", "navigation", "code", "comment", "item", "table", "term", "prose"]
HEADING_WORDS = 10
QUESTION_WORDS = 30  # an FAQ's question, a paragraph of its own, is a heading up to this long

_FENCE = re.compile(r"^(```+|~~~+)\s*(\{?[\w-]*\}?)")
_ADMONITIONS = frozenset(
    """note warning tip important admonition attention caution danger error hint seealso
    versionadded versionchanged deprecated""".split()
)
# MyST directives whose body is prose: admonitions, tabs, cards and the like.
_PROSE_DIRECTIVES = _ADMONITIONS | frozenset(
    "tab tab-item tab-set dropdown card grid-item-card margin sidebar topic epigraph".split()
)
_MD_HEADING = re.compile(r"^#{1,6}\s+\S")
_SPACED = re.compile(r"^(?:\S ){2,}\S$")
_NAVIGATION = frozenset(
    """next previous prev up home top contents index back skip menu search toggle
    navigation""".split()
)
_NAV_PHRASES = re.compile(
    r"^(?:table of contents|on this page|skip to (?:main )?content|back to top|edit on github"
    r"|edit this page|previous page|next page|copyright\b.*|all rights reserved\.?)$",
    re.IGNORECASE,
)
_LINK_DEFINITION = re.compile(r"^\[[^\]^]+\]:\s+\S+$")  # Markdown: "[lz4]: https://..."
# reStructuredText's explicit markup: a directive (".. attention::", ".. code-block:: python"),
# a link target (".. _install:"), a substitution or a comment (".. This section isn't written
# yet"); a directive's body is the indented lines under it, prose or (for code) code.
_RST_DIRECTIVE = re.compile(r"^\.\.(?:\s+([\w-]+)::)?(?=\s|$)")
_RST_CODE = frozenset("code-block code sourcecode literalinclude doctest".split())
_ASCIIDOC_LABEL = re.compile(r"^\S.*[^:]::$")
_ASCIIDOC_MACRO = re.compile(r"^(?:include|image|ifn?def|endif|ifeval|toc)::\S*\[.*\]$")
_RULE = re.compile(r"^[-=_*~.·•#+|]{3,}$")
# A shell's prompt, or a program's own ("sqlite> ", "mysql> ", "postgres=# ").
_PROMPT = re.compile(r"^(?:\$|%|>>>|\.\.\.|>|#|C:\\>|[a-z][\w.-]{1,15}=?[>#])\s")
# A C preprocessor line is code, not a "#" comment: "#define CHUNK 16384", "#  include <io.h>".
_C_DIRECTIVE = re.compile(
    r"^#(?:(?:if|ifdef|ifndef|elif|else|endif|undef|pragma|error)\b"
    r"|\s*include\s*[<\"]|\s*define\s+[A-Z_][A-Z0-9_]*\b)"
)
_COMMENT = re.compile(r"^(?://|/\*|\*/|<!--|-- |;;|#(?![#!]?\s*\w+\s*$))")
# A keyword is a whole word, and a tag closes on its line: "intended for debugging." or
# "<foo.zip' or 'gunzip -S .zip foo.zip'." wrapped onto a line of their own are prose.
_STATEMENT = re.compile(
    r"^(?:(?:const|let|var|import|export|def|class|return|function|async|await|int|void|struct"
    r"|public|private|static)\b|from \S+ import|#include|#define|if\s*\(|for\s*\(|while\s*\("
    r"|try\s*\{|\}|\)|\]|<[a-zA-Z/?!][^<>]*>)"
)
_ENDS_CODE = re.compile(r"(?:[{\[(]|\\|=>|\))$")
_STATEMENT_END = re.compile(r"(?:[)}\]'\"`]\s*;|[{}]|^[{}\])]+[,;]?)$")
_CODE_CHARS = re.compile(r"[(){}=<>\[\]]")
_CODE_TOKEN = re.compile(r"\S*[-./_(){}<>=\[\]$@:]\S*")
_COMMAND_TOKEN = re.compile(r"(?:^|\s)(?:--?\w[\w-]*|\S*[/=$]\S*)(?=\s|$)")
_INLINE_CODE = re.compile(r"^`[^`]+`$")
_OPTION_LEAD = re.compile(r"^--?[A-Za-z0-9]")
# Options, a gap of two spaces or more, their description: "-a, --all      do not ignore ...".
_OPTION_BESIDE = re.compile(
    r"^(--?[A-Za-z0-9][^\s,]*(?:,? --?[A-Za-z0-9][^\s,]*)*(?: [A-Z_<\[][^\s]*)?)"
    r"(?: {2,}|\t+)(\S.*)$"
)
_TERM_BESIDE = re.compile(r"^([A-Za-z_][\w.-]*(?: [\w.-]+){0,2})(?: {2,}|\t+)(\S.*)$")
_ITEM = re.compile(r"^(?:[-*•+–:]|\d{1,3}[.)]|[a-z][.)])\s+\S")  # ": " defines a term
_TABLE = re.compile(r"^\|.*\|$|^\+[-=+]+\+$")
_CELL_SEPARATOR = " | "
_FIGURE = re.compile(r"\d")
_FIGURE_CELL = re.compile(r"[-+]?\d[\d.,]*%?")  # a cell that is a figure: "40", "1,000", "2.5%"
_KEY = re.compile(r"^[A-Za-z_][\w.:-]*$")  # a row's first cell in a table of words: "rgba"
MIN_WORD_ROWS = 4
MIN_PAIR_ROWS = 3  # a header and two rows: the least a two-column table is taken for
# An option, a call, a dotted or snake_case name, a constant, or a setting's CamelCase keyword
# ("ControlPersist", "AllowOverride": sshd_config(5), Apache's directives).
_TERM_CHARS = re.compile(
    r"^-{1,2}\w|[(){}<>\[\]=]|\w[._]\w|^[A-Z0-9_]{3,}$|^[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+$"
)
_FINAL = re.compile(r"[.!?:;,]['\"”’)\]]*$")
_VERSION = re.compile(r"^v?\d+(?:\.\d+)+(?:[-+.]\w+)*(?:,\s*v?\d+(?:\.\d+)+(?:[-+.]\w+)*)*$")
_BARE_TERM = re.compile(r"^(?:-?\d{1,3}|[A-Z][A-Z0-9]*_[A-Z0-9_]+)$")


@dataclass(frozen=True)
class Block:
    """A run of lines of one kind: ``text[start:end]`` of the passage text."""

    kind: BlockKind
    start: int
    end: int


@dataclass(frozen=True)
class _Line:
    start: int  # offsets of the line without its surrounding space
    end: int
    indent: int
    text: str


# A GNU (Texinfo) manual's definition line: what it defines after its category ("Function: void
# ffi_closure_free (void *writable)", "Macro: FFI_CLOSURES", "Data Type: ffi_cif").
DEFINITION_CATEGORY = re.compile(
    r"^(?:(?:Library |Instance |User |Data |Constant |Standard )?"
    r"(?:Function|Macro|Variable|Constant|Type|Method|Command|Option)s?|Special Form|Typedef)"
    r":\s+(?=\S)"
)


def _lines(text: str) -> list[_Line | None]:
    """The lines of ``text``, None for a blank one. An option with its description beside it
    ("-d     use numeric suffixes ...") is two lines, as if the description were under it; so
    is a short term whose description goes on below at the column it started beside it (man
    sets a short tag so: "port   You can override ..." over "\t      specifying this value")."""
    raws = text.split("\n")
    result: list[_Line | None] = []
    at = 0
    for r, raw in enumerate(raws):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            indent = indentation(raw)
            beside = _OPTION_BESIDE.match(stripped) or _term_beside(stripped, indent, raws, r)
            if beside is not None and _describes(beside.group(2)):
                gap = beside.start(2)
                result.append(_Line(at + lead, at + lead + beside.end(1), indent, beside.group(1)))
                result.append(
                    _Line(at + lead + gap, at + lead + len(stripped), indent + gap, beside.group(2))
                )
            else:
                result.append(_Line(at + lead, at + lead + len(stripped), indent, stripped))
        else:
            result.append(None)
        at += len(raw) + 1
    return result


def _term_beside(stripped: str, indent: int, raws: list[str], r: int) -> re.Match[str] | None:
    """``stripped`` split as a term and its description beside it, when the next line goes on
    at the description's column; None otherwise (justified prose has wide gaps too)."""
    beside = _TERM_BESIDE.match(stripped)
    below = raws[r + 1] if r + 1 < len(raws) else ""
    if beside is None or not below.strip():
        return None
    return beside if indentation(below) == indent + beside.start(2) else None


def _fold_title(text: str) -> str:
    text = re.sub(r"^(?:#{1,6}|={1,6})\s+", "", text)  # Markdown's and AsciiDoc's marks
    # A manual's section number ("3.4.2 Special Parameters" under the outline's "Special
    # Parameters"), not a step's ("1. Install it").
    text = re.sub(r"^(?:\d+(?:\.\d+)+\.?|\d+)\s+(?=\D)", "", text)
    text = text.rstrip("#¶ \t")
    unmarked = text.rstrip("=")
    if unmarked != text and unmarked[-1:].isspace():  # MediaWiki's "== Usage =="
        text = unmarked
    return " ".join(text.lower().replace("`", "").split())


def section_titles(section: str | None) -> frozenset[str]:
    """The folded titles of a section trail ("A › B" → {"a", "b"})."""
    if not section:
        return frozenset()
    return frozenset(_fold_title(t) for t in section.split(SECTION_SEPARATOR))


def is_fence(line: str) -> bool:
    """Whether a line opens or closes a Markdown code fence (its info string with it)."""
    return _FENCE.match(line) is not None


_BULLET_ALONE = re.compile(r"^[•◦○●▪▫■□‣⁃∙·]$")


def is_navigation(line: str) -> bool:
    """Whether a line is page furniture rather than content (see the module doc)."""
    if _SPACED.match(line) or _NAV_PHRASES.match(line) or _LINK_DEFINITION.match(line):
        return True
    if _RST_DIRECTIVE.match(line) or _ASCIIDOC_MACRO.match(line):
        return True
    if line == "+":  # AsciiDoc's "+" joins the block under it to the item above
        return True
    if _BULLET_ALONE.match(line):  # a list's bullet on a line of its own, as pandoc writes man's
        return True
    if _RULE.match(line):
        return True
    if re.match(r"--?\w", line):
        return False  # an option: "--index" is no link to an index
    found = [w.lower() for w in words(line)]
    return bool(found) and len(found) <= 3 and all(w in _NAVIGATION for w in found)


# A line ending on a word that needs more after it is a wrapped sentence, not a term or a
# heading ("The importance of the distinction between `exec()` and").
_WRAPPED = re.compile(r"\s(?:and|or|nor|but|the|a|an|of|between)$", re.IGNORECASE)


def looks_like_heading(line: str) -> bool:
    """A short line without final punctuation or verb, starting with a capital or a number."""
    if _FINAL.search(line) or _WRAPPED.search(line) or len(line.split()) > HEADING_WORDS:
        return False
    first = line.lstrip("#0123456789. ")[:1]
    return (first.isupper() or line[:1].isdigit()) and not has_verb(line)


def _asks(line: str, followed: bool) -> bool:
    """Whether ``line`` is a question of at most ``QUESTION_WORDS`` words, or (when text
    ``followed`` it) one sentence and a question ("I've made a mistake in the last commit.
    How do I change it?")."""
    if not asks(line) or len(line.split()) > QUESTION_WORDS or not has_verb(line):
        return False
    return len(re.findall(r"[.!?]\s", line)) <= (1 if followed else 0)


def _goes_on(line: _Line, before: _Line | None, blank: bool, kind_before: str | None) -> bool:
    """Whether ``line`` goes on with the sentence of the prose line right above it, which ends
    on a word ("... use the .dump command to" over "export an SQLite database into other
    popular SQL database engines. Like"), however like a keyword it starts."""
    return (
        before is not None
        and not blank
        and kind_before == "prose"
        and line.indent == before.indent
        and before.text[-1:].isalpha()
        and not _PROMPT.match(line.text)
        and _letter_share(line.text) >= 0.8
    )


def looks_like_code(line: str) -> bool:
    """Statement syntax, a prompt, or a comment."""
    return bool(
        _PROMPT.match(line)
        or _INLINE_CODE.match(line)
        or _STATEMENT.match(line)
        or _STATEMENT_END.search(line)
        or (line.endswith(";") and _CODE_CHARS.search(line))
        or (_ENDS_CODE.search(line) and not has_verb(line))
        or _COMMENT.match(line)
        or _C_DIRECTIVE.match(line)
    )


def _is_comment(line: str) -> bool:
    """Whether a line of code is a comment: "// ...", "# ...", but not "#define CHUNK 16384"."""
    return _COMMENT.match(line) is not None and _C_DIRECTIVE.match(line) is None


def looks_like_prose(line: str) -> bool:
    """Words with a verb, mostly letters, that start like a sentence or end like one."""
    found = words(line)
    return (
        len(found) >= 4
        and _letter_share(line) >= 0.8
        and has_verb(line)
        and (line[:1].isupper() or bool(_FINAL.search(line)))
    )


def looks_like_term(line: str) -> bool:
    """A short line naming an option or a function, without final punctuation, whose words
    outside its code tokens have no verb; not a version ("v0.9.9", a changelog's cell)."""
    return (
        len(line) <= 80
        and not _VERSION.match(line)
        and not re.search(r"[.!?:;]$", line)
        and not _WRAPPED.search(line)
        and bool(_TERM_CHARS.search(line))
        and len(line.split()) <= 8
        and not has_verb(_CODE_TOKEN.sub(" ", line))
    )


def is_option(line: str) -> bool:
    """Whether ``line`` opens with an option: "-a, --suffix-length=N", "-0, --null"."""
    return _OPTION_LEAD.match(line) is not None


def option_part(line: str) -> str | None:
    """The options a line of a manual's list opens with, without the description beside them
    ("-d" of "-d     use numeric suffixes ..."); None when it opens with none."""
    line = line.strip()
    if not is_option(line):
        return None
    beside = _OPTION_BESIDE.match(line)
    return beside.group(1) if beside is not None and _describes(beside.group(2)) else line


def _describes(line: str) -> bool:
    """Whether ``line`` reads as words, as a manual's terse description does ("generate
    suffixes of length N (default 2)"): three words or more, mostly letters, no code."""
    return len(words(line)) >= 3 and _letter_share(line) >= 0.8 and not _STATEMENT.match(line)


def _letter_share(line: str) -> float:
    """The share of ``line``'s characters that are letters or spaces."""
    return sum(c.isalpha() or c.isspace() for c in line) / max(len(line), 1)


def is_bare_term(line: str) -> bool:
    """Whether a line is only a number or a code in capitals ("4", "127", "FFI_BAD_ABI"): in a
    list of exit statuses or error codes, the term its meaning is written under."""
    return _BARE_TERM.match(line) is not None


def layout(text: str, section: str | None = None, title: str | None = None) -> list[Block]:
    """The blocks of a passage's ``text``, in order; ``section`` is its trail of headings and
    ``title`` its document's title (a line repeating either is a heading)."""
    titles = section_titles(section)
    if title:
        titles |= {_fold_title(title)}
    lines = _lines(text)
    rows, continued = word_table_rows(lines)
    kinds: list[BlockKind | None] = [None] * len(lines)
    # The open fences, innermost last: their marker ("````") and "code" or "prose" inside. A
    # MyST directive holds prose and may hold fenced code ("````{tab} Linux" around "```").
    fences: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        if line is None:
            continue
        opened = _FENCE.match(line.text)
        fence = fences[-1][1] if fences else None
        if opened:
            marker = opened.group(1)
            closes = (
                fences
                and marker[0] == fences[-1][0][0]
                and len(marker) >= len(fences[-1][0])
                and not line.text[len(marker) :].strip()
            )
            if closes:
                fences.pop()
            elif fence != "code":
                info = opened.group(2).strip("{}").lower()
                inside = "prose" if info in _PROSE_DIRECTIVES else "code"
                fences.append((marker, "navigation" if info == "seealso" else inside))
            else:
                kinds[i] = "code"  # a fence-like line inside code is code
                continue
            kinds[i] = "navigation"  # the fence line itself is markup
            continue
        if fence == "code":
            kinds[i] = "comment" if _is_comment(line.text) else "code"
            continue
        if fence == "navigation":
            kinds[i] = "navigation"  # a "see also" box: pointers to elsewhere, not content
            continue
        if line.indent == 0 and TAGS_ONLY.fullmatch(line.text):
            # markup a Markdown file carries (pandoc's '<div class="codeblock">' around an
            # example) that its page never shows: what is around it reads as if it were blank
            lines[i] = None
            continue
        kinds[i] = "table" if i in rows else _kind(lines, kinds, i, titles)
    return _group(lines, kinds, continued)


def _rst_code(line: str) -> bool:
    """Whether ``line`` is a reStructuredText directive whose body is code."""
    directive = _RST_DIRECTIVE.match(line)
    return directive is not None and directive.group(1) in _RST_CODE


def _previous(lines: list[_Line | None], i: int) -> tuple[_Line | None, bool]:
    """The nearest non-blank line before ``i``, and whether a blank line separates them."""
    blank = False
    for j in range(i - 1, -1, -1):
        line = lines[j]
        if line is None:
            blank = True
        else:
            return line, blank
    return None, blank


def _next(lines: list[_Line | None], i: int) -> _Line | None:
    return next((line for line in lines[i + 1 :] if line is not None), None)


def _wrapped_title(lines: list[_Line | None], i: int, titles: frozenset[str]) -> bool:
    """Whether line ``i`` and the line next to it say a title together ("10.5.1  What does
    (stat: xxx) mean in the NAME column of Linux" over "files?")."""
    if not titles:
        return False
    pairs = []
    if i + 1 < len(lines) and lines[i + 1] is not None:
        pairs.append((lines[i], lines[i + 1]))
    if i > 0 and lines[i - 1] is not None:
        pairs.append((lines[i - 1], lines[i]))
    return any(_fold_title(f"{a.text} {b.text}") in titles for a, b in pairs if a is not None)


def _kind(
    lines: list[_Line | None], kinds: list[BlockKind | None], i: int, titles: frozenset[str]
) -> BlockKind:
    line = lines[i]
    assert line is not None
    text = line.text
    before, blank = _previous(lines, i)
    kind_before = next((k for k in reversed(kinds[:i]) if k is not None), None)
    # "# dpkg-reconfigure locales" under "You need to configure it as:" is a root prompt (a
    # command in lower case), "# Usage" a heading.
    prompt = (
        text.startswith("# ")
        and text[2:3].islower()
        and before is not None
        and before.text.endswith(":")
    )
    if (
        (_MD_HEADING.match(text) and not prompt and not _C_DIRECTIVE.match(text))
        or _fold_title(text) in titles
        # (not the rule under a title: "=====" under "Why use man-db instead of man?")
        or (_wrapped_title(lines, i, titles) and not _RULE.match(text))
    ):
        return "heading"
    if text.endswith(("#", "¶")) and len(text.split()) <= HEADING_WORDS and text[:1].isupper():
        return "heading"  # a web page's heading with its permalink mark
    if is_navigation(text):
        return "navigation"
    if before is not None and line.indent > before.indent and _rst_code(before.text):
        return "code"  # the body of ".. code-block:: python"
    if kind_before == "term" and before is not None and is_bare_term(before.text):
        return "prose"  # the meaning of an exit status or a code, however short
    # An option's description under it, however worded: "generate suffixes ... (default 2)".
    if kind_before == "term" and before is not None and is_option(before.text) and not blank:
        if line.indent > before.indent:
            return "prose"
    if _TABLE.match(text) or _in_rows(lines, i):
        return "table"
    if _ITEM.match(text) and not _PROMPT.match(text):
        return "item"
    if kind_before in ("item", "code", "comment") and before is not None and not blank:
        # A continuation: deeper than the item, or as deep as the continuation before it; or
        # more code.
        if (
            kind_before == "item"
            and (
                line.indent > before.indent
                or line.indent == before.indent > 0
                and _ITEM.match(before.text) is None
                # a PDF keeps no indentation: a line in lower case goes on with the item's sentence
                or text[:1].islower()
                and not _FINAL.search(before.text)
            )
        ):
            return "item"
        if kind_before in ("code", "comment") and (
            looks_like_code(text) or (line.indent >= before.indent and not looks_like_prose(text))
        ):
            return "comment" if _is_comment(text) else "code"
    if kind_before in ("code", "comment") and blank and before is not None:
        if line.indent > 0 and line.indent >= before.indent and not _FINAL.search(text):
            return "code"
    if _is_comment(text) and (kind_before in ("code", "comment") or text.startswith(("//", "/*"))):
        return "comment"
    if before is not None and before.text.endswith(":") and kind_before in ("prose", "item"):
        deeper = line.indent > before.indent
        if deeper and not has_verb(text):
            return "code"
        if deeper and blank and not _FINAL.search(text):
            return "code"
        if not _FINAL.search(text) and not text[:1].isupper():
            if not has_verb(text) or _COMMAND_TOKEN.search(text):
                return "code"
    after = _next(lines, i)
    if (
        after is not None
        and after.text.startswith(": ")
        and (len(text.split()) <= 8 or DEFINITION_CATEGORY.match(text))
        and not _FINAL.search(text)
    ):
        # A definition list's term ("User" over ": $HOME/.config/pip/pip.conf"), or a GNU
        # manual's definition line, its signature however long.
        return "term"
    if _ASCIIDOC_LABEL.match(text) and len(text.split()) <= 8 and _labels_prose(lines, i):
        return "term"  # AsciiDoc's labeled list: "apply [--index] [<stash>]::" over its text
    if (
        after is not None
        and after.indent > line.indent
        and len(text.split()) <= 8
        and not re.search(r"[.!?:]$", text)
        and (looks_like_prose(after.text) or is_option(text) and _describes(after.text))
    ):
        return "term"  # a manual's option, its description indented below it
    if (before is None or blank) and is_bare_term(text) and _next_is_blank(lines, i):
        if after is not None and not is_bare_term(after.text):
            return "term"  # an exit status or a code over its meaning ("4" / "Failed to parse")
    if (before is None or blank or kind_before in ("heading", "navigation")) and _asks(
        text, after is not None
    ):
        if after is None or _next_is_blank(lines, i) or after.text.startswith(": "):
            return "heading"  # an FAQ's question over its answer: "(9) What is the maximum …?"
    if looks_like_code(text) and not _goes_on(line, before, blank, kind_before):
        return "code"
    starts_paragraph = (
        before is None
        or blank
        or kind_before not in ("prose", "item")
        or bool(re.search(r"[.!?:]['\"”’)\]]*$", before.text))
    )
    # A line that a lower-case one goes on from, as flush, wraps a sentence: "The man
    # (currently http://…) and man-db" over "packages forked from a common code base ...".
    wraps = after is not None and lines[i + 1] is after and after.indent == line.indent
    wraps = wraps and after.text[:1].islower()
    if starts_paragraph and looks_like_term(text) and after is not None and not wraps:
        if not looks_like_term(after.text):
            return "term"
        # The short spelling over the long one ("-a" over "--append"), then the description.
        if lines[i + 1] is after and _is_option_pair(text, after.text):
            return "term"
    if (
        (before is None or blank or kind_before in ("heading", "navigation"))
        and looks_like_heading(text)
        and not wraps
    ):
        if after is None or _next_is_blank(lines, i) or not looks_like_heading(after.text):
            return "heading"
    return "prose"


def is_row(line: str) -> bool:
    """Whether a line reads as a table row without pipes around it: cells joined by " | " (two
    separators or more), or at least three columns, most of them figures."""
    if line.count(_CELL_SEPARATOR) >= 2:
        return True
    cells = line.split()
    figures = sum(bool(_FIGURE.search(cell)) for cell in cells)
    return 3 <= len(cells) <= 12 and figures >= 0.6 * len(cells)


def word_table_rows(lines: list[_Line | None]) -> tuple[frozenset[int], frozenset[int]]:
    """The lines that are rows of a table of words, and those of them that carry on the row
    above. Such a table (a PDF's property table: "rgba Int unknown, rgb, bgr, vrgb, vbgr,") is a
    run of lines without a blank one, each a key ("rgba") and at least two more words, at least
    ``MIN_WORD_ROWS`` of whose second words repeat a few capitalised values down the column
    ("String", "Int", "Bool"): the mark of a column of types or kinds, which hard-wrapped prose
    does not have (its repeated second words, "use", "font", are not capitalised, or are stop
    words). A line under a row that ends with a comma, or of fewer than three words, is the
    rest of that row."""
    rows: set[int] = set()
    continued: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, None]):
        if line is not None:
            run.append(i)
            continue
        if len(run) >= MIN_WORD_ROWS:
            _mark_word_rows(lines, run, rows, continued)
        run = []
    return frozenset(rows), frozenset(continued)


def _mark_word_rows(
    lines: list[_Line | None], run: list[int], rows: set[int], continued: set[int]
) -> None:
    cells = {i: lines[i].text.split() for i in run}  # type: ignore[union-attr]
    keyed = {
        i
        for i in run
        if len(cells[i]) >= 3
        and _KEY.match(cells[i][0])
        and cells[i][1][:1].isupper()
        and cells[i][1].lower() not in STOPWORDS
    }
    column = Counter(cells[i][1] for i in keyed)
    typed = {i for i in keyed if column[cells[i][1]] >= 2}
    # A key under a row is a row too, its type seen once ("ftface FT_Face ..."); over the
    # first row, it is the header ("Property Type Description").
    alike = {i for i in keyed - typed if i - 1 in typed}
    stretch: list[int] = []  # consecutive rows, a wrapped row's rest included
    wrapped: set[int] = set()
    for i in [*run, None]:
        if i is not None and (i in typed or i in alike):
            stretch.append(i)
            continue
        if i is not None and stretch and stretch[-1] == i - 1:
            above = lines[i - 1]
            if above is not None and (above.text.endswith(",") or len(cells[i]) < 3):
                stretch.append(i)
                wrapped.add(i)
                continue
        rows_in = [j for j in stretch if j not in wrapped]
        keys = [cells[j][0].lower() for j in rows_in]
        kinds = [cells[j][1] for j in rows_in if j in typed]
        if len(kinds) >= MIN_WORD_ROWS and len(set(keys)) == len(keys):
            if len(set(kinds)) <= len(kinds) / 2:
                rows.update(stretch)
                continued.update(wrapped)
        stretch, wrapped = [], set()


def _in_rows(lines: list[_Line | None], i: int) -> bool:
    """Whether line ``i`` is a row (``is_row``) next to another row of the same shape, or a
    row of a two-column table (``_in_pairs``): one line of figures or one shell pipeline is not
    a table."""
    line = lines[i]
    if line is None:
        return False
    if not is_row(line.text):
        return _in_pairs(lines, i)
    neighbours = (lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines))
    return any(n is not None and _same_shape(line.text, n.text) for n in neighbours)


def _in_pairs(lines: list[_Line | None], i: int) -> bool:
    """Whether line ``i`` is in a run of ``MIN_PAIR_ROWS`` lines or more, not indented, each
    a row of two cells: joined by " | " (a two-column table of a Word file or a Markdown table
    without outer pipes: "command | function" / "passwd -e | set one-time password ..."), or a
    name and a figure (a PDF's "CRITICAL 50" / "ERROR 40"). Indented, such lines are code ("ps
    aux | grep ssh")."""

    def pair(j: int) -> bool:
        line = lines[j] if 0 <= j < len(lines) else None
        if line is None or line.indent:
            return False
        if _CELL_SEPARATOR in line.text:
            return line.text.count(_CELL_SEPARATOR) == 1
        cells = line.text.split()
        return len(cells) == 2 and _FIGURE_CELL.fullmatch(cells[1]) is not None

    runs = range(i - MIN_PAIR_ROWS + 1, i + 1)  # the runs of MIN_PAIR_ROWS lines holding i
    return any(all(pair(j) for j in range(s, s + MIN_PAIR_ROWS)) for s in runs)


def _same_shape(row: str, other: str) -> bool:
    if not is_row(other):
        return False
    if _CELL_SEPARATOR in row:  # a Word table's empty last cells shorten a row
        return _CELL_SEPARATOR in other
    return len(row.split()) == len(other.split())


def _is_option_pair(line: str, following: str) -> bool:
    """Two spellings of one option on consecutive lines ("-a" and "--append", "-o file" and
    "--output=file", "--keep-index" and "--no-keep-index"): a short option over a long one, or
    a long option alone on its line (with at most its argument) over another."""
    if not following.startswith("--"):
        return False
    return bool(re.match(r"^-\w\b", line) or _LONG_OPTION_LINE.match(line))


_LONG_OPTION_LINE = re.compile(r"^--\w[\w-]*(?:[= ]\S+)?$")


def _continues_term(lines: list[_Line | None], i: int) -> bool:
    """Whether term line ``i`` is the long spelling right under a short one ("--append" under
    "-a"): one term, two lines."""
    before = lines[i - 1] if i else None
    line = lines[i]
    return before is not None and line is not None and _is_option_pair(before.text, line.text)


def _labels_prose(lines: list[_Line | None], i: int) -> bool:
    """Whether the first line after line ``i`` and the labels right under it ("-u::" over
    "--include-untracked::") is prose, their description, or the passage's end. Under
    reStructuredText's "For example::" come the indented lines of a literal block, code."""
    for after in lines[i + 1 :]:
        if after is None or _ASCIIDOC_LABEL.match(after.text):
            continue
        return looks_like_prose(after.text)
    return True  # the passage ends before its description


def _next_is_blank(lines: list[_Line | None], i: int) -> bool:
    return i + 1 < len(lines) and lines[i + 1] is None


def _group(
    lines: list[_Line | None], kinds: list[BlockKind | None], continued: frozenset[int]
) -> list[Block]:
    """Consecutive lines of one kind as blocks: prose runs to a blank line, an item to the next
    item, code across blank lines (its comment lines included); headings, terms, table rows and
    navigation stand alone, but for the ``continued`` lines of a row wrapped over two."""
    blocks: list[Block] = []
    current: tuple[BlockKind, int, int] | None = None
    for i, line in enumerate(lines):
        kind = kinds[i]
        if line is None or kind is None:
            if current and current[0] not in ("code", "comment"):
                blocks.append(Block(*current))
                current = None
            continue
        if current and current[0] in ("code", "comment") and kind in ("code", "comment"):
            merged: BlockKind = "code" if "code" in (current[0], kind) else "comment"
            current = (merged, current[1], line.end)
            continue
        starts_new = (
            current is None
            or current[0] != kind
            or kind in ("heading", "navigation")
            or (kind == "table" and i not in continued)
            or (kind == "term" and not _continues_term(lines, i))
            or (kind == "item" and _ITEM.match(line.text) is not None)
        )
        if starts_new:
            if current:
                blocks.append(Block(*current))
            current = (kind, line.start, line.end)
        else:
            assert current is not None
            current = (current[0], current[1], line.end)
    if current:
        blocks.append(Block(*current))
    return blocks
