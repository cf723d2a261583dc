"""Read a corpus folder into ``Document``s, skipping (and saying why) files that cannot be read.

Text files are decoded as UTF-8 (a BOM is accepted, and UTF-16/UTF-32 with a BOM) and kept
exactly as decoded: line endings and quotes are not normalised, because every offset in the
project refers to this text. HTML is reduced to its visible text with the standard library's
``html.parser``; that extracted text is then the document's text.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from qa.errors import CorpusError
from qa.ingest.structure.segment import find_byline, find_title, segment_text
from qa.types import Document, SkippedFile

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_FILE_BYTES = 50 * 1024 * 1024
_SNIFF_BYTES = 8 * 1024  # where a NUL byte marks a binary file, as git and grep decide
_HTML_SUFFIXES = (".html", ".htm")
_MARKDOWN_SUFFIXES = (".md", ".markdown")
# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MD_TITLE_RE = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_SKIPPED_IN_ERROR = 3  # how many skip reasons an error message lists


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


def list_corpus_files(folder: Path) -> list[CorpusFile]:
    """List the documents under ``folder``, recursively, sorted by ``doc_id``.

    Only files ending in one of ``SUFFIXES`` (any case) are listed. Hidden files and folders
    (".git") are left out, and symlinked folders are not followed, so a link loop cannot trap
    the walk. A folder that cannot be listed is passed over.

    Args:
        folder: The corpus folder.

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
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
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
    """Read, decode and segment one file.

    Args:
        file: A file from ``list_corpus_files``.

    Returns:
        The document. Its title comes from HTML ``<title>``/``<h1>``, a Markdown "# " heading,
        the text itself (``find_title``), or else the file name; author and date come from the
        byline or author box.

    Raises:
        SkipFile: The file is unreadable (a link loop, say), not a regular file (a named
            pipe, a device), empty, binary, not valid UTF-8 (or UTF-16 with a BOM), or larger
            than ``MAX_FILE_BYTES``.
    """
    data = _read_bytes(file.path)
    text = _decode(data)
    title = None
    suffix = file.path.suffix.lower()
    if suffix in _HTML_SUFFIXES:
        text, title = _html_to_text(text)
    elif suffix in _MARKDOWN_SUFFIXES:
        heading = _MD_TITLE_RE.search(text)
        title = heading.group(1) if heading else None
    if not text.strip():
        raise SkipFile("no text (empty or whitespace only)")
    segments = segment_text(text)
    author, date = find_byline(text)
    return Document(
        doc_id=file.doc_id,
        title=title or find_title(text, segments) or file.path.stem,
        text=text,
        author=author,
        date=date,
        segments=segments,
    )


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


def _read_bytes(path: Path) -> bytes:
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


def _decode(data: bytes) -> str:
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


# --- HTML -----------------------------------------------------------------------------------------

# Whole subtrees that are never shown to a reader.
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg"})
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd details div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody "
    "td tfoot th thead title tr ul".split()
)
# Paragraph-like blocks get a blank line, so the segmenter sees paragraphs.
_PARAGRAPH_TAGS = frozenset("blockquote h1 h2 h3 h4 h5 h6 p pre title table".split())


class _TextExtractor(HTMLParser):
    """Collect the visible text of a page, one block element per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities are unescaped in handle_data
        self.parts: list[str] = []
        self.hidden: list[str] = []  # open hidden elements, innermost last
        self.pre = 0
        self.title: str | None = None
        self.h1: str | None = None
        self._capture: list[str] | None = None
        self._capture_tag: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and "head" in self.hidden:
            self.hidden.clear()  # a page that never closes <head>
        if tag == "title" or self.hidden:
            if tag == "title" and self.title is None:
                self._start_capture(tag)
                self._break(tag)
            elif tag in _HIDDEN_TAGS:
                self.hidden.append(tag)
            return
        if tag in _HIDDEN_TAGS:
            self.hidden.append(tag)
            return
        if tag == "pre":
            self.pre += 1
        if tag == "h1" and self.h1 is None and self._capture is None:
            self._start_capture(tag)
        self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._capture_tag and self._capture is not None:
            captured = " ".join("".join(self._capture).split())
            if tag == "title":
                self.title = captured or None
            else:
                self.h1 = captured or None
            self._capture = self._capture_tag = None
            self._break(tag)
            return
        if self.hidden:
            if tag in self.hidden:
                del self.hidden[len(self.hidden) - 1 - self.hidden[::-1].index(tag) :]
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
        self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<br/>" is one break, not a start and an end; "<script/>" hides nothing.
        if tag not in _HIDDEN_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.hidden and self._capture_tag != "title":
            return
        if self._capture is not None:
            self._capture.append(data)
        # Browsers collapse runs of whitespace, newlines included, except in <pre>.
        self.parts.append(data if self.pre else re.sub(r"\s+", " ", data))

    def _start_capture(self, tag: str) -> None:
        self._capture = []
        self._capture_tag = tag

    def _break(self, tag: str) -> None:
        if tag in _PARAGRAPH_TAGS:
            self.parts.append("\n\n")
        elif tag in _BLOCK_TAGS and not self._at_line_start():
            self.parts.append("\n")

    def _at_line_start(self) -> bool:
        # So that "</li><li>" is one line break, not a paragraph break.
        for part in reversed(self.parts):
            if part.endswith("\n"):
                return True
            if part.strip():
                return False
        return True

    def text(self) -> str:
        lines = [" ".join(line.split()) for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _html_to_text(html: str) -> tuple[str, str | None]:
    """The visible text of a page, and its title (``<title>``, else the first ``<h1>``)."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception as error:  # html.parser is lenient, but a broken page must not stop a run
        raise SkipFile(f"could not parse HTML ({error})") from None
    return parser.text(), parser.title or parser.h1
