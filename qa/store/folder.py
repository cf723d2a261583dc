"""The folder store: an index as a versioned folder of plain files on local disk.

``qa.store.versions`` keeps the versions (CURRENT, lock, atomic switch, clean-up, checksums);
``qa.store.records`` says what the files of a version hold. This module puts the two together
behind the ``Store`` protocol.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from qa.index.stored import StoredIndex
from qa.store import records, versions


def read_index(index_dir: Path) -> StoredIndex:
    """Read and check the live version of the index in ``index_dir``.

    Raises:
        FileNotFoundError: There is no index yet.
        IndexCorruptError: A file is missing, altered, unreadable or inconsistent; an index in
            another format raises its subclass ``IndexFormatError``.
    """
    version, manifest = versions.live_manifest(index_dir)
    records.check_format(manifest)
    versions.verify_checksums(version, manifest)
    return records.read_records(version, manifest)


def write_index(index_dir: Path, index: StoredIndex) -> Path:
    """Write ``index`` as a new version and make it the live one. Call under the writer lock.

    Raises:
        IndexWriteError: A file could not be written; the live version is unchanged.
    """
    return versions.write_version(index_dir, lambda folder: records.write_records(folder, index))


class FolderStore:
    """An index kept in ``index_dir`` (see ``qa.store.versions`` for the layout)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir

    @property
    def location(self) -> str:
        return str(self.index_dir)

    def read(self) -> StoredIndex | None:
        try:
            return read_index(self.index_dir)
        except FileNotFoundError:
            return None

    def write(self, index: StoredIndex) -> None:
        write_index(self.index_dir, index)

    def writer_lock(self) -> AbstractContextManager[None]:
        return versions.writer_lock(self.index_dir)

    def is_current(self, index: StoredIndex) -> bool:
        return versions.is_current(self.index_dir, index.version)

    def set_aside(self) -> str | None:
        moved = versions.move_aside(self.index_dir)
        return str(moved) if moved else None

    def lost_pointer(self) -> bool:
        return versions.has_unnamed_versions(self.index_dir)
