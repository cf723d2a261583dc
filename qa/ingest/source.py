"""From a file on disk to text: reading its bytes safely and decoding them.

Text is decoded as UTF-8 (a BOM is accepted, and UTF-16/UTF-32 with a BOM) and kept exactly as
decoded: line endings and quotes are not normalised, because every offset in the project refers
to this text. A file that cannot be read raises ``SkipFile`` with a one-line reason, which the
index report shows; it never stops a run.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024
_SNIFF_BYTES = 8 * 1024  # where a NUL byte marks a binary file, as git and grep decide
# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class CorpusFile:
    """A candidate file of the corpus, before it is read.

    Attributes:
        doc_id: The path relative to the corpus folder, with POSIX separators.
        path: Where the file is.
        size: Its size in bytes when listed.
        mtime_ns: Its modification time when listed, to tell whether an index is stale.
    """

    doc_id: str
    path: Path
    size: int
    mtime_ns: int


class SkipFile(Exception):
    """A file that cannot be indexed; ``reason`` says why in one short line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_bytes(path: Path) -> bytes:
    try:
        # A FIFO would block the read until some writer came, a device may never end: only
        # regular files (or links to them) are read. A link loop fails here with ELOOP.
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise SkipFile(f"not a regular file ({_file_kind(mode)})")
        with path.open("rb") as handle:
            # The size now, not the listed one, which may be stale: a large file is passed over
            # without reading it, and the read stops one byte past the limit if it grew since.
            if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                raise _too_large()
            data = handle.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise SkipFile("unreadable (permission denied)") from None
    except OSError as error:
        raise SkipFile(f"unreadable ({error.strerror or error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large()
    if not data:
        raise SkipFile("empty file")
    return data


def _too_large() -> SkipFile:
    return SkipFile(f"too large (over {MAX_FILE_BYTES // (1024 * 1024)} MiB)")


def _file_kind(mode: int) -> str:
    kinds = {
        stat.S_ISFIFO: "a named pipe",
        stat.S_ISSOCK: "a socket",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISDIR: "a folder",
    }
    return next((name for test, name in kinds.items() if test(mode)), "unknown kind")


def decode(data: bytes) -> str:
    """Decode UTF-8, or UTF-16/32 when a BOM says so; refuse binary and other encodings."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                name = encoding.removesuffix("-sig").upper()
                raise SkipFile(
                    f"not valid {name} ({error.reason} at offset {error.start})"
                ) from None
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise SkipFile("binary file (NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise SkipFile(f"not valid UTF-8 (byte 0x{byte:02x} at offset {error.start})") from None
