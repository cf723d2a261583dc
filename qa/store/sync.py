"""The index lifecycle: bring the stored index up to date with the corpus folder, then use it.

An index that is up to date is only read, without the writer lock. Otherwise, under the lock,
the index is read again (another process may have updated it meanwhile), then updated or built
(``qa.index.build``) and written as a new version. A damaged index, or one in another format,
is set aside with a one-line warning and rebuilt; damage is only acted on under the lock,
because without it a version that another process replaced while this one read it would look
damaged. An up-to-date index whose vectors are in a layout no longer written is rewritten once,
reusing all it holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from embeddings.encoder import Encoder
from qa.errors import IndexCorruptError, IndexFormatError, IndexWriteError, QAError
from qa.index.build import build_index, build_settings, is_up_to_date
from qa.index.manifest import BuildSettings
from qa.index.report import IndexReport
from qa.index.stored import StoredIndex
from qa.ingest import CorpusFile, list_corpus_files
from qa.settings import IndexSettings
from qa.store.base import Store

log = logging.getLogger("qa")


def open_index(
    store: Store,
    corpus: Path,
    settings: IndexSettings,
    document_encoder: Callable[[], Encoder],
    expected: BuildSettings,
    *,
    rebuild: bool = False,
    progress: bool = True,
) -> tuple[StoredIndex, IndexReport]:
    """The index of ``corpus`` in ``store``, brought up to date first; and what that took.

    Only new or changed files are read and only new text is embedded, unless ``rebuild``.
    ``document_encoder`` loads the encoder that embeds chunks, only when something is to be
    built: an index built with the ``expected`` settings from the files as they are is used as
    it stands (a server started on an up-to-date index never loads that model).

    Raises:
        CorpusError: The folder is missing or holds no readable document.
        IndexWriteError: The index cannot be written; the previous one is kept as it was.
    """
    files = list_corpus_files(corpus, unsupported=True)  # every file left out is reported
    previous = None if rebuild else _read(store, locked=False)
    if previous is not None and is_up_to_date(previous, files, expected):
        if not previous.outdated:
            return previous, IndexReport.of(previous.manifest, store.location)
    with store.writer_lock():
        if previous is None or not store.is_current(previous):
            previous = None if rebuild else _read(store, locked=True)
        if previous is not None and is_up_to_date(previous, files, expected):
            if not previous.outdated:
                return previous, IndexReport.of(previous.manifest, store.location)
        encoder = document_encoder()
        wanted = build_settings(settings, encoder)  # as loaded: a fallback may differ
        if previous is not None and is_up_to_date(previous, files, wanted):
            if not previous.outdated:
                return previous, IndexReport.of(previous.manifest, store.location)
            return _rewrite(store, corpus, settings, encoder, previous, progress, files)
        if previous is not None:
            changed = wanted.changes_from(previous.manifest.settings)
            if changed:
                log.warning(
                    "The index at %s was built with other settings (%s): updating it.",
                    store.location,
                    ", ".join(changed),
                )
        index, report = build_index(corpus, settings, encoder, previous, progress, files)
        store.write(index)
        return _as_stored(store, index), replace(report, index_dir=store.location)


def _rewrite(
    store: Store,
    corpus: Path,
    settings: IndexSettings,
    encoder: Encoder,
    previous: StoredIndex,
    progress: bool,
    files: list[CorpusFile],
) -> tuple[StoredIndex, IndexReport]:
    """Write an up-to-date index whose vectors are in a layout no longer written (the float32
    inverted file of earlier versions, ``VectorIndex.outdated``) again in the current one: every
    document, chunk and embedding is reused, nothing is read or embedded. Should the write fail
    (a full disk, say), the index is used as it is: it answers as before, only in more memory.
    """
    log.warning(
        "The index at %s holds its vectors in an older layout: rewriting it (nothing is read or "
        "embedded again).",
        store.location,
    )
    index, report = build_index(corpus, settings, encoder, previous, progress, files)
    try:
        store.write(index)
    except IndexWriteError as exc:
        log.warning("%s; using it as it is.", exc)
        return previous, IndexReport.of(previous.manifest, store.location)
    return _as_stored(store, index), replace(report, index_dir=store.location)


def _as_stored(store: Store, built: StoredIndex) -> StoredIndex:
    """The version just written, as the store reads it; call under the writer lock, so that
    it is this one. Served as read, an index is what every later check compares with the live
    version (a built one has no version, so the first check would read it again and its report
    would give way to an "up to date" one), and it takes the memory of an index read at start-up
    (records parsed lazily, not the built lists). Should the store fail to read it back (a
    database gone just now), the built index is served: the same documents, in more memory."""
    try:
        stored = store.read()
    except QAError as exc:
        log.warning("Cannot read back the index just written to %s (%s).", store.location, exc)
        return built
    return built if stored is None else stored


def _read(store: Store, locked: bool) -> StoredIndex | None:
    """The stored index, or None when there is none or it is damaged (then set aside)."""
    try:
        index = store.read()
    except IndexCorruptError as exc:
        if not locked:
            with store.writer_lock():
                return _read(store, locked=True)
        moved = store.set_aside()
        where = f"; the old copy is kept at {moved}" if moved else ""
        what = "is from another version" if isinstance(exc, IndexFormatError) else "is damaged"
        log.warning("The index at %s %s (%s): rebuilding it%s.", store.location, what, exc, where)
        return None
    # Under the lock, versions without a live one are no write in progress: the pointer was
    # lost, and the user should hear why everything is embedded again.
    if index is None and locked and store.lost_pointer():
        log.warning("The index at %s has lost its CURRENT pointer: rebuilding it.", store.location)
    return index
