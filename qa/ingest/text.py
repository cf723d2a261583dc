"""Plain text: the decoded file is the document's text, read by the structure rules, its
headings found by their layout (underlines, a man page's sections, an FAQ's numbered questions:
``structure/headings.py``).

Text saved from a terminal is cleaned first: a man page's overstrike (bold is "N\\bN", underline
"_\\bx") keeps the character shown, and escape codes (colours, cursor movement) are removed,
so that words are searchable as they were read. A man page's running header and footer
("XARGS(1)   General Commands Manual   XARGS(1)" over its first line, the page's name again
under its last) are left out of the index: alone they are a passage that names the program
twice and says nothing, and it came first for any question naming the program. The page's
name is its title ("xargs(1)"). An FAQ's contents, the list of its numbered questions before
the questions themselves ("1.7  Is lsof vulnerable …?"), is left out of the index as a PDF's
contents lines are: each entry matched questions on its section's words, and quoted a question
as the answer.
"""

from __future__ import annotations

import re
from dataclasses import replace

from qa.ingest.source import CorpusFile, decode
from qa.ingest.structure import set_aside, structured_document
from qa.ingest.structure.headings import plain_text_outline
from qa.types import RUNNING_LINES, TABLE_OF_CONTENTS, Document

# A character struck over by the next (man's bold and underline): the second one is shown.
_OVERSTRIKE = re.compile(r"[^\n]\x08")
# ECMA-48 control sequences (CSI ... final byte) and the two-byte escapes.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
# A man page's header, its first line: "XARGS(1)   General Commands Manual   XARGS(1)". Its
# footer is its last line, ending with the same name: "GNU Findutils 4.9.0   XARGS(1)".
_MAN_HEADER = re.compile(r"([\w.+-]+\(\d\w*\))[ \t]{2,}\S.*?[ \t]{2,}\1")
_MAX_HEADER = 200  # characters: a longer first line is no header (and the pattern stays cheap)


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a plain-text file."""
    text = terminal_text(decode(data))
    headings, contents = plain_text_outline(text)
    # A heading that starts the text is its title, without its marks ("= Git User Manual").
    first = headings[0] if headings and not text[: headings[0].start].strip() else None
    document = structured_document(file, text, first and first.title, headings)
    name, running = _man_page_running_lines(text)
    left_out = sorted([*((a, b, TABLE_OF_CONTENTS) for a, b in contents), *running])
    left_out = [s for i, s in enumerate(left_out) if i == 0 or s[0] >= left_out[i - 1][1]]
    if not left_out:
        return document
    return replace(
        document,
        title=document.title if name is None else name.lower() if name.isupper() else name,
        segments=set_aside(text, document.segments, left_out),  # one pass for every span
    )


def _man_page_running_lines(text: str) -> tuple[str | None, list[tuple[int, int, str]]]:
    """A man page's name ("XARGS(1)") and the spans of its header and footer lines; None and
    no spans for any other text."""
    body = text.rstrip()
    start = len(body) - len(body.lstrip())
    end = body.find("\n", start)
    end = len(body) if end < 0 else end  # the first line's end
    header = _MAN_HEADER.fullmatch(body[start:end].rstrip()) if end - start <= _MAX_HEADER else None
    if header is None:
        return None, []
    name = header.group(1)  # "XARGS(1)" names it as "xargs(1)"
    running = [(start, start + header.end(), RUNNING_LINES)]
    last = body.rfind("\n") + 1
    if last > end and body[last:].split()[-1].lower() == name.lower():
        running.append((last, len(body), RUNNING_LINES))
    return name, running


def terminal_text(text: str) -> str:
    """``text`` without overstrike and escape codes (unchanged when it has neither)."""
    if "\x08" in text:
        text = _OVERSTRIKE.sub("", text)
    if "\x1b" in text:
        text = _ESCAPE.sub("", text)
    return text
