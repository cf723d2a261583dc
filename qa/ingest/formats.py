"""The file formats the corpus reader knows, by file name suffix (any case).

A format is a module with ``read(data: bytes, file: CorpusFile) -> Document``: it turns the
file's bytes into a ``Document`` whose text every offset refers to, and raises ``SkipFile`` with
a one-line reason when it cannot. Adding a format is one module and one line here
(``docs/ARCHITECTURE.md``).
"""

from __future__ import annotations

from collections.abc import Callable

from qa.ingest import html, markdown, pdf, rst, text, word
from qa.ingest.source import CorpusFile
from qa.types import Document

Reader = Callable[[bytes, CorpusFile], Document]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": markdown.read,
    ".markdown": markdown.read,
    ".html": html.read,
    ".htm": html.read,
    ".rst": rst.read,
    ".adoc": text.read,  # AsciiDoc, read as text: its "== Title" lines are headings
    ".asciidoc": text.read,
    ".pdf": pdf.read,
    ".docx": word.read,
}
SUFFIXES: tuple[str, ...] = tuple(READERS)


def reader_for(name: str) -> Reader | None:
    """The reader of a file called ``name``, or None when no format claims it."""
    dot = name.rfind(".")
    return READERS.get(name[dot:].lower()) if dot >= 0 else None
