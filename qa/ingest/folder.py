"""Read a corpus folder into ``Document``s, skipping (and saying why) files that cannot be read.

``list_corpus_files`` walks the folder for files of a known format (``formats.SUFFIXES``);
``load_document`` reads one with its format's reader; ``read_corpus`` does both for a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from qa.errors import CorpusError
from qa.ingest.formats import SUFFIXES, reader_for
from qa.ingest.source import CorpusFile, SkipFile, read_bytes
from qa.types import Document, SkippedFile

_SKIPPED_IN_ERROR = 3  # how many skip reasons an error message lists


def list_corpus_files(folder: Path, unsupported: bool = False) -> list[CorpusFile]:
    """List the documents under ``folder``, recursively, sorted by ``doc_id``.

    Only files ending in one of ``SUFFIXES`` (any case) are listed, unless ``unsupported``.
    Hidden files and folders (".git") are left out, and symlinked folders are not followed, so a
    link loop cannot trap the walk. A folder that cannot be listed is passed over.

    Args:
        folder: The corpus folder.
        unsupported: List files of other formats too; ``load_document`` skips them with
            "not a supported format", so that an index report names every file it left out.

    Returns:
        The candidate files.

    Raises:
        CorpusError: ``folder`` does not exist or is not a folder.
    """
    folder = Path(folder)
    if not folder.exists():
        raise CorpusError(f"corpus folder {folder} does not exist: create it or give another path")
    if not folder.is_dir():
        raise CorpusError(f"corpus path {folder} is not a folder: give the folder holding it")
    files = []
    # os.walk does not descend into symlinked folders unless followlinks=True.
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith(".") or (reader_for(name) is None and not unsupported):
                continue
            path = Path(root, name)
            try:
                stat = path.stat()
            except OSError:
                try:
                    # A dangling link: list it anyway, so that reading it reports the problem.
                    stat = path.lstat()
                except OSError:
                    continue  # removed while we were listing
            files.append(
                CorpusFile(
                    doc_id=path.relative_to(folder).as_posix(),
                    path=path,
                    size=stat.st_size,
                    mtime_ns=stat.st_mtime_ns,
                )
            )
    return sorted(files, key=lambda f: f.doc_id)


def load_document(file: CorpusFile) -> Document:
    """Read one file with the reader of its format.

    Raises:
        SkipFile: The file is unreadable (a link loop, say), not a regular file (a named
            pipe, a device), empty, binary, not valid UTF-8 (or UTF-16 with a BOM), larger
            than ``MAX_FILE_BYTES``, of no known format, holds no text, or its format's reader
            fails on it (a broken, encrypted or scanned PDF, a broken Word file).
    """
    reader = reader_for(file.path.name)
    if reader is None:
        kind = file.path.suffix.lower() or "no suffix"
        raise SkipFile(f"not a supported format ({kind}; reads {', '.join(SUFFIXES)})")
    data = read_bytes(file.path)
    try:
        return reader(data, file)
    except SkipFile:
        raise
    except Exception as error:  # a library's own error on a hostile file: one file, never the run
        kind = file.path.suffix.lower().lstrip(".")
        raise SkipFile(f"unreadable {kind} file ({type(error).__name__}: {error})"[:300]) from None


def read_corpus(folder: Path) -> tuple[list[Document], list[SkippedFile]]:
    """Read every document under ``folder``; a bad file is skipped, never fatal.

    Args:
        folder: The corpus folder.

    Returns:
        The documents, sorted by ``doc_id``, and the skipped files with their reasons.

    Raises:
        CorpusError: ``folder`` is missing or not a folder, or holds no readable document.
    """
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    for file in list_corpus_files(folder):
        try:
            documents.append(load_document(file))
        except SkipFile as skip:
            skipped.append(SkippedFile(path=file.doc_id, reason=skip.reason))
    if not documents:
        raise no_documents_error(folder, skipped)
    return documents, skipped


def no_documents_error(folder: Path, skipped: list[SkippedFile]) -> CorpusError:
    """The error for a folder where no document could be read, with the first reasons why."""
    kinds = "/".join(s.lstrip(".") for s in SUFFIXES)
    if not skipped:
        return CorpusError(f"no .{kinds} documents in {folder}: add some or give another folder")
    reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:_SKIPPED_IN_ERROR])
    more = "; ..." if len(skipped) > _SKIPPED_IN_ERROR else ""
    return CorpusError(
        f"no readable .{kinds} documents in {folder} ({len(skipped)} skipped: {reasons}{more})"
    )
