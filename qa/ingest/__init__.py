"""Ingest: from a folder of files to ``Document``s (text, title, author, structure segments).

    files = list_corpus_files(folder)     # walk: files of a known format, hidden ones left out
    doc = load_document(files[0])         # read, decode, extract, apply the structure rules

One module per format (``text``, ``markdown``, ``html``, ``rst``, ``pdf``, ``word``), registered
by suffix in ``formats``;
``source`` reads and decodes bytes; ``structure`` splits article, comments and boilerplate.
"""

from qa.ingest.folder import list_corpus_files, load_document, no_documents_error, read_corpus
from qa.ingest.source import MAX_FILE_BYTES, CorpusFile, SkipFile

__all__ = [
    "MAX_FILE_BYTES",
    "CorpusFile",
    "SkipFile",
    "list_corpus_files",
    "load_document",
    "no_documents_error",
    "read_corpus",
]
