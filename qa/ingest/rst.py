"""reStructuredText, read as plain text: its markup stays in the text, as a reader sees it."""

from __future__ import annotations

from qa.ingest.source import CorpusFile, decode
from qa.ingest.structure import structured_document
from qa.types import Document


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a reStructuredText file."""
    return structured_document(file, decode(data))
