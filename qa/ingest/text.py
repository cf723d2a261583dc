"""Plain text: the decoded file is the document's text, read by the structure rules, its
headings found by their layout (underlines, a man page's sections: ``structure/headings.py``).

Text saved from a terminal is cleaned first: a man page's overstrike (bold is "N\\bN", underline
"_\\bx") keeps the character shown, and escape codes (colours, cursor movement) are removed,
so that words are searchable as they were read. A man page's running header and footer
("XARGS(1)   General Commands Manual   XARGS(1)" over its first line, the page's name again
under its last) are left out of the index: alone they are a passage that names the program
twice and says nothing, and it came first for any question naming the program. The page's
name is its title ("xargs(1)").
"""

from __future__ import annotations

import re
from dataclasses import replace

from qa.ingest.source import CorpusFile, decode
from qa.ingest.structure import set_aside, structured_document
from qa.ingest.structure.headings import plain_text_headings
from qa.types import RUNNING_LINES, Document

# A character struck over by the next (man's bold and underline): the second one is shown.
_OVERSTRIKE = re.compile(r"[^\n]\x08")
# ECMA-48 control sequences (CSI ... final byte) and the two-byte escapes.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
# A man page's header, its first line ("XARGS(1)   General Commands Manual   XARGS(1)"), and
# its footer, its last ("GNU Findutils 4.9.0   2022-09-20   XARGS(1)" or the name alone).
_MAN_HEADER = re.compile(r"\A\s*(([\w.+-]+)\(\d\w*\))[ \t]{2,}\S[^\n]*?[ \t]{2,}\1[ \t]*$", re.M)
_MAN_FOOTER = re.compile(r"^[^\n]*?(?<![^ \t])([\w.+-]+\(\d\w*\))[ \t]*\s*\Z", re.M)


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a plain-text file."""
    text = terminal_text(decode(data))
    document = structured_document(file, text, headings=plain_text_headings(text))
    header = _MAN_HEADER.match(text)
    if header is None:
        return document
    left_out = [(header.start(1), header.end(), RUNNING_LINES)]
    footer = _MAN_FOOTER.search(text, header.end())
    if footer is not None and footer.group(1).lower() == header.group(1).lower():
        left_out.append((text.rfind("\n", 0, footer.start(1)) + 1, footer.end(1), RUNNING_LINES))
    name = header.group(1)  # "XARGS(1)" names the page as "xargs(1)" does
    return replace(
        document,
        title=name.lower() if name.isupper() else name,
        segments=set_aside(text, document.segments, left_out),
    )


def terminal_text(text: str) -> str:
    """``text`` without overstrike and escape codes (unchanged when it has neither)."""
    if "\x08" in text:
        text = _OVERSTRIKE.sub("", text)
    if "\x1b" in text:
        text = _ESCAPE.sub("", text)
    return text
