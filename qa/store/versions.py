"""The version protocol of the folder store: a folder of immutable versions and a pointer.

Layout of an index folder::

    CURRENT              name of the live version folder (replaced atomically)
    .lock                held by the one process writing
    v-<time>-<rand>/     one version: its files, and manifest.json with each file's checksum

A new version is written completely into a fresh folder and only then named in CURRENT (a temp
file renamed over it with ``os.replace``), so a crash at any moment leaves the old version or
the new one, never a mix. Every file's size and SHA-256 are in the manifest and checked on
load. What the files hold is ``qa.store.records``' business; this module only knows folders.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from qa.errors import IndexCorruptError, IndexWriteError

CURRENT = "CURRENT"
MANIFEST = "manifest.json"


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index folder's lock: one writer at a time, others wait.

    Raises:
        IndexWriteError: The folder or its lock file cannot be created (disk full, no
            permission); nothing has been changed.
    """
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / ".lock", "a+")  # closed by the ``with`` below
    except OSError as exc:
        raise IndexWriteError(_write_failure(index_dir, exc, _has_index(index_dir))) from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_version(index_dir: Path) -> Path | None:
    """The live version folder, or None when no index has been written."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexCorruptError(f"cannot read {index_dir / CURRENT}: {exc}") from exc
    if not name.startswith("v-") or "/" in name or "\0" in name:
        raise IndexCorruptError(f"{index_dir / CURRENT} names no version folder ({name[:40]!r})")
    return index_dir / name


def is_current(index_dir: Path, version: str) -> bool:
    """Whether ``version`` (a version folder's name) is still the live one."""
    return bool(version) and _live_name(index_dir) == version


def _live_name(index_dir: Path) -> str | None:
    """The name of the live version, or None when there is none or CURRENT is damaged."""
    try:
        live = current_version(index_dir)
    except IndexCorruptError:
        return None
    return live.name if live is not None else None


def live_manifest(index_dir: Path) -> tuple[Path, dict[str, Any]]:
    """The live version folder and its parsed manifest (checksums not yet verified).

    Raises:
        FileNotFoundError: There is no index yet.
        IndexCorruptError: The pointer, the version folder or its manifest is damaged.
    """
    version = current_version(index_dir)
    if version is None:
        raise FileNotFoundError(index_dir / CURRENT)
    if not version.is_dir():
        raise IndexCorruptError(f"the live version {version.name} is missing")
    try:
        manifest = json.loads((version / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"unreadable {MANIFEST}: {exc}") from exc
    if not isinstance(manifest, dict) or "format" not in manifest:
        raise IndexCorruptError(f"{MANIFEST} is not an index manifest")
    return version, manifest


def verify_checksums(version: Path, manifest: dict[str, Any]) -> None:
    """Check every file the manifest lists against its size and SHA-256.

    Raises:
        IndexCorruptError: A file is missing, truncated or altered.
    """
    expected = manifest.get("files", {})
    if not isinstance(expected, dict) or not all(isinstance(m, dict) for m in expected.values()):
        raise IndexCorruptError(f"{MANIFEST} lists its files in the wrong shape")
    if not expected:
        raise IndexCorruptError(f"{MANIFEST} lists no files")
    for rel, meta in expected.items():
        path = version / rel
        if not path.is_file():
            raise IndexCorruptError(f"{rel} is missing")
        if path.stat().st_size != meta.get("size"):
            raise IndexCorruptError(f"{rel} has the wrong size (truncated or altered)")
        if _sha256(path) != meta.get("sha256"):
            raise IndexCorruptError(f"{rel} fails its checksum (altered or damaged)")


def write_version(index_dir: Path, fill: Callable[[Path], dict[str, Any]]) -> Path:
    """Write a new version and make it the live one. Call under ``writer_lock``.

    ``fill(folder)`` writes the version's files into ``folder`` and returns its manifest; the
    checksum of every file is added to it, then everything is flushed to disk before the
    switch.

    Raises:
        IndexWriteError: A file could not be written (disk full, no permission). The live
            version is unchanged and nothing of the new one is left on disk.
    """
    had_index = _has_index(index_dir)
    name = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    tmp, final = index_dir / f".tmp-{name}", index_dir / name
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        _finish_version(tmp, fill(tmp))
        os.replace(tmp, final)
        # The switch. Should CURRENT fail (the disk filled up just now), the old one is intact:
        # _write_text replaces it only once the new pointer is wholly on disk.
        _write_text(index_dir / CURRENT, name)
    except BaseException as exc:
        # Nothing of an unfinished version may stay: a partial folder holds the very space the
        # next attempt needs, and a complete one that CURRENT does not name is never read.
        shutil.rmtree(tmp, ignore_errors=True)
        if _live_name(index_dir) != name:  # an interrupt just after the switch: keep it
            shutil.rmtree(final, ignore_errors=True)
        if isinstance(exc, OSError):
            raise IndexWriteError(_write_failure(index_dir, exc, had_index)) from exc
        raise
    _remove_old_versions(index_dir, keep=name)
    return final


def _finish_version(folder: Path, manifest: dict[str, Any]) -> None:
    """The manifest with every file's checksum, then everything flushed to disk."""
    _write_text(
        folder / MANIFEST,
        json.dumps(dict(manifest, files=_checksums(folder)), indent=2, sort_keys=True),
    )
    _fsync_tree(folder)


def _has_index(index_dir: Path) -> bool:
    return (index_dir / CURRENT).is_file()


def _write_failure(index_dir: Path, exc: OSError, had_index: bool) -> str:
    """One line for a failed write: what went wrong, that the old index is kept, what to do."""
    kept = "the previous index is kept" if had_index else "no index was written"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"no space left on device while writing the index to {index_dir}; {kept}: free "
            "some space there or choose another index folder (--index-dir or QA_HOME), then "
            "index again"
        )
    reason = exc.strerror or str(exc)
    where = f" ({exc.filename})" if exc.filename else ""
    return f"cannot write the index to {index_dir}: {reason}{where}; {kept}"


def move_aside(index_dir: Path) -> Path | None:
    """Rename a damaged index's live version to ``broken-…`` (kept for inspection)."""
    try:
        version = current_version(index_dir)
    except IndexCorruptError:
        version = None
    target = None
    if version is not None and version.exists():
        target = index_dir / f"broken-{version.name}"
        os.replace(version, target)
    with contextlib.suppress(FileNotFoundError):
        os.remove(index_dir / CURRENT)
    return target


def _write_text(path: Path, text: str) -> None:
    """Write ``path`` atomically: a temporary file in the same folder, then ``os.replace``."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _checksums(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        p.relative_to(folder).as_posix(): {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in _files(folder)
    }


def _fsync_tree(folder: Path) -> None:
    for path in [*_files(folder), folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def has_unnamed_versions(index_dir: Path) -> bool:
    """Whether version folders are there although ``CURRENT`` names none: it was lost."""
    try:
        return any(entry.name.startswith("v-") for entry in _version_folders(index_dir))
    except OSError:
        return False


def _remove_old_versions(index_dir: Path, keep: str) -> None:
    for entry in _version_folders(index_dir):
        if entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)


def _version_folders(index_dir: Path) -> Iterator[Path]:
    """Every version folder, finished (``v-…``) or not (``.tmp-v-…``)."""
    for entry in index_dir.iterdir():
        if entry.name.startswith(("v-", ".tmp-v-")) and entry.is_dir():
            yield entry
