"""A file uploaded through the browser, checked and saved into the corpus folder.

An upload is refused, with a one-line ``UploadError``, before anything lands in the folder when
its name is not a plain file name (a path, ``..``, a hidden name, control characters), its kind
is not one the reader knows (``formats.SUFFIXES``), it is empty or over the size limit, its
bytes do not match its suffix (``%PDF-`` for a PDF, a zip holding ``word/document.xml`` for a
Word file, decodable text for the text kinds), or its reader cannot read it. The checks are
cheap first (name, size, magic bytes), then the reader runs on a hidden temporary file in the
folder (hidden files are never indexed), which is linked to its name only if no file has it:
a file already there is never replaced.
"""

from __future__ import annotations

import io
import os
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from qa.errors import UploadError
from qa.ingest.folder import load_document
from qa.ingest.formats import SUFFIXES, reader_for
from qa.ingest.source import MAX_FILE_BYTES, CorpusFile, SkipFile, decode

MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # the default limit: what the reader reads at most
MAX_NAME_BYTES = 255  # a file name's limit on Linux and most file systems
_BINARY_KINDS = (".pdf", ".docx")
_PDF_HEADER_WITHIN = 1024  # PDF readers find "%PDF-" within the first KB, as Acrobat does


def check_name(name: str) -> str:
    """``name`` if it is a plain file name of a kind the reader knows.

    Raises:
        UploadError: ``name`` is empty, holds a path separator, ``..``, a control character,
            starts with a dot (hidden), begins or ends with a space, is over
            ``MAX_NAME_BYTES``, or has no supported suffix.
    """
    if not isinstance(name, str) or not name.strip():
        raise UploadError("the file has no name: give it one, such as notes.md")
    shown = name.encode("unicode_escape").decode("ascii")[:80]
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in name):
        raise UploadError(f"the file name {shown!r} holds control characters: rename the file")
    if "/" in name or "\\" in name:
        raise UploadError(f"the file name {shown!r} is a path: upload a file, not a path")
    if ".." in name or name.startswith("."):
        raise UploadError(
            f"the file name {shown!r} starts with a dot or holds '..': rename the file"
        )
    if name != name.strip():
        raise UploadError(f"the file name {shown!r} begins or ends with a space: rename the file")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise UploadError(f"the file name is over {MAX_NAME_BYTES} bytes long: shorten it")
    if reader_for(name) is None:
        raise UploadError(
            f"{shown} is not a kind of file the reader knows: upload {', '.join(SUFFIXES)}"
        )
    return name


def check_size(size: int, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Raises ``UploadError`` for an empty file or one over ``max_bytes``."""
    if size <= 0:
        raise UploadError("the file is empty: upload a document with text in it")
    if size > max_bytes:
        raise UploadError(
            f"the file is too large ({_megabytes(size)}; the limit is {_megabytes(max_bytes)})"
        )


def check_content(name: str, data: bytes) -> None:
    """Whether ``data`` is what the suffix of ``name`` says it is.

    Raises:
        UploadError: A PDF without ``%PDF-`` near its start, a Word file that is not a zip
            holding ``word/document.xml``, or a text kind that is binary or not decodable.
    """
    suffix = name[name.rfind(".") :].lower()
    if suffix == ".pdf":
        if b"%PDF-" not in data[:_PDF_HEADER_WITHIN]:
            raise UploadError(f"{name} is not a PDF (no %PDF- header){_what(data)}")
    elif suffix == ".docx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, EOFError):
            what = _what(data)
            raise UploadError(f"{name} is not a Word file (not a zip archive){what}") from None
        if "word/document.xml" not in names:
            raise UploadError(f"{name} is not a Word file (a zip without word/document.xml)")
    else:
        try:
            decode(data)
        except SkipFile as skip:
            raise UploadError(f"{name} is not text: {skip.reason}{_what(data)}") from None


def save_upload(folder: Path, name: str, source: Path, max_bytes: int = MAX_UPLOAD_BYTES) -> Path:
    """Check the upload ``source`` (a file the server received) as ``name`` and save it into
    the corpus ``folder`` under that name; returns where it was saved.

    Raises:
        UploadError: Refused by one of the checks above, its reader cannot read it, or a file
            of that name is already in ``folder``; nothing is left in ``folder``.
    """
    name = check_name(name)
    try:
        check_size(source.stat().st_size, max_bytes)
        with source.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise UploadError(f"the upload cannot be read ({error.strerror or error})") from None
    check_size(len(data), max_bytes)  # it may have grown since
    check_content(name, data)
    target = folder / name
    if target.exists() or target.is_symlink():
        raise UploadError(f"{name} is already in the folder: rename the file to add it as well")
    suffix = name[name.rfind(".") :]
    handle, temporary = tempfile.mkstemp(prefix=".upload-", suffix=suffix, dir=folder)
    temp = Path(temporary)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        _readable(temp, name)
        try:  # a link, not a rename: it fails instead of replacing a file that came meanwhile
            os.link(temp, target)
        except FileExistsError:
            raise UploadError(
                f"{name} is already in the folder: rename the file to add it as well"
            ) from None
    except OSError as error:
        raise UploadError(f"the file cannot be saved ({error.strerror or error})") from None
    finally:
        temp.unlink(missing_ok=True)
    return target


def _readable(path: Path, name: str) -> None:
    """Raises ``UploadError`` when the reader of ``name``'s kind cannot read ``path``."""
    stat = path.stat()
    try:
        load_document(CorpusFile(name, path, stat.st_size, stat.st_mtime_ns))
    except SkipFile as skip:
        raise UploadError(f"{name} cannot be read: {skip.reason}") from None


def _what(data: bytes) -> str:
    """What the bytes look like instead, when their start says so."""
    if data.startswith(b"\x7fELF"):
        return "; it is a program (ELF)"
    if data.startswith(b"PK\x03\x04"):
        return "; it is a zip archive"
    if data.startswith(b"%PDF-"):
        return "; it is a PDF"
    if data.startswith(b"MZ"):
        return "; it is a Windows program"
    return ""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
