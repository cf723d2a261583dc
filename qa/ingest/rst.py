"""reStructuredText, read as plain text: its markup stays in the text, as a reader sees it;
its sections are its underlined titles."""

from __future__ import annotations

from qa.ingest.source import CorpusFile, decode
from qa.ingest.structure import structured_document
from qa.ingest.structure.headings import plain_text_headings
from qa.types import Document


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a reStructuredText file."""
    text = decode(data)
    return structured_document(file, text, headings=plain_text_headings(text))
