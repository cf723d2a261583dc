"""Plain text: the decoded file is the document's text, read by the structure rules."""

from __future__ import annotations

from qa.ingest.source import CorpusFile, decode
from qa.ingest.structure import structured_document
from qa.types import Document


def read(data: bytes, file: CorpusFile) -> Document:
    """The document in a plain-text file."""
    return structured_document(file, decode(data))
