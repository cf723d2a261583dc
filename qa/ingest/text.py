"""Plain text: the decoded file is the document's text, read by the structure rules, its
headings found by their layout (underlines, a man page's sections: ``structure/headings.py``).

Text saved from a terminal is cleaned first: a man page's overstrike (bold is "N\\bN", underline
"_\\bx") keeps the character shown, and escape codes (colours, cursor movement) are removed,
so that words are searchable as they were read.
"""

from __future__ import annotations

import re

from qa.ingest.source import CorpusFile, decode
from qa.ingest.structure import structured_document
from qa.ingest.structure.headings import plain_text_headings
from qa.types import Document

# A character struck over by the next (man's bold and underline): the second one is shown.
_OVERSTRIKE = re.compile(r"[^\n]\x08")
# ECMA-48 control sequences (CSI ... final byte) and the two-byte escapes.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a plain-text file."""
    text = terminal_text(decode(data))
    return structured_document(file, text, headings=plain_text_headings(text))


def terminal_text(text: str) -> str:
    """``text`` without overstrike and escape codes (unchanged when it has neither)."""
    if "\x08" in text:
        text = _OVERSTRIKE.sub("", text)
    if "\x1b" in text:
        text = _ESCAPE.sub("", text)
    return text
