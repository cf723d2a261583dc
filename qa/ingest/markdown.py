"""Markdown: the file's text as written; its first "# " heading is the document's title."""

from __future__ import annotations

import re

from qa.ingest.source import CorpusFile, decode
from qa.ingest.structure import structured_document
from qa.types import Document

_TITLE_RE = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a Markdown file."""
    text = decode(data)
    heading = _TITLE_RE.search(text)
    return structured_document(file, text, heading.group(1) if heading else None)
