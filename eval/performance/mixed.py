"""A folder of mixed real files for ``qa bench``: by default 200 of them, PDF, Word, HTML,
Markdown and plain text, each with text of its own.

The folder is cut, at bench time and the same way every time, from real documents that are
committed: ``eval/quality/realdocs/corpus/`` when it exists, else ``tests/fixtures/`` (see
SOURCES.md there). Each source file is split into the units its format is made of, and each
new file holds a run of consecutive units of one source, in the source's own format:

- PDF: pages with a text layer, copied with pypdfium2 (``import_pages``) into a new PDF;
- Word: the body's paragraphs and tables, kept in a copy of the source (its styles and
  numbering with it) from which every other body element is removed, saved with python-docx;
- HTML: the outermost block elements of the page (paragraphs, headings, lists, tables, ``pre``;
  a paragraph of lines broken by ``<br><br>`` counts as several), navigation left out, each run
  wrapped in a minimal page;
- Markdown and text: blocks separated by blank lines (a Markdown code fence stays whole).

A format gets an even share of the files, or one file a unit when it has fewer units (the
fixtures' one PDF has 17 pages): what it cannot fill goes to the other formats. Within a
format, each source gets files in proportion to its units. No unit is used twice, so no two
files hold the same text and few chunks repeat: our index embeds a chunk text once, and copies
would flatter it against the tutorial recipe, which embeds every chunk. Every file written is
read back with ``qa.ingest``; one that would be skipped, or whose text another file already
has, is left out (``MixedFolder.files`` says what was made).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from eval import ROOT
from qa.ingest import CorpusFile, SkipFile, load_document

REALDOCS = ROOT / "eval" / "quality" / "realdocs" / "corpus"
REALDOCS_QUESTIONS = ROOT / "eval" / "quality" / "realdocs" / "questions.jsonl"
FIXTURES = ROOT / "tests" / "fixtures"
KINDS = (".pdf", ".docx", ".html", ".md", ".txt")
FILES = 200
NOT_SOURCES = frozenset({"sources.md", "readme.md", "license.md"})  # what describes a folder
MIN_PAGE_WORDS = 4  # a page with fewer words has no text layer to speak of (the PDF reader's rule)


@dataclass(frozen=True)
class MixedFolder:
    """The folder made by ``build_mixed``: where it is, what it was cut from, its files."""

    folder: Path
    source: Path
    files: tuple[Path, ...]

    def kinds(self) -> dict[str, int]:
        """Files per suffix, in ``KINDS`` order."""
        return {kind: sum(1 for f in self.files if f.suffix == kind) for kind in KINDS}


def default_source() -> Path:
    """The real documents to cut: the realdocs corpus when it is there, else the fixtures."""
    if REALDOCS.is_dir() and any(p.suffix.lower() in KINDS for p in REALDOCS.rglob("*")):
        return REALDOCS
    return FIXTURES


# What the latency cases ask of a folder cut from the fixtures: one question a source.
FIXTURE_QUESTIONS = (
    "How do I build Node.js with the full ICU data?",
    "How can pip check the hashes of the packages it installs?",
    "How do I run Valgrind without installing it?",
    "Which ls option sorts the files by modification time?",
    "How is the MIME type of a file guessed from its name?",
    "What does building Node.js with --with-intl=none leave out?",
)


def questions(source: Path) -> list[str]:
    """The questions the latency cases ask: the realdocs questions with the realdocs corpus
    (when its questions file is there), else ``FIXTURE_QUESTIONS``."""
    if source == REALDOCS and REALDOCS_QUESTIONS.is_file():
        lines = REALDOCS_QUESTIONS.read_text(encoding="utf-8").splitlines()
        found = [json.loads(line).get("question") for line in lines if line.strip()]
        if found := [q for q in found if q]:
            return found
    return list(FIXTURE_QUESTIONS)


def build_mixed(target: Path, source: Path | None = None, count: int = FILES) -> MixedFolder:
    """Write about ``count`` files of the five kinds into ``target`` (created), cut from the
    documents under ``source`` (default: ``default_source()``).

    Raises:
        ValueError: ``source`` lacks a kind, or holds fewer units than ``count`` files need.
    """
    source = source or default_source()
    units = {kind: _units_of_kind(source, kind) for kind in KINDS}
    if missing := [kind for kind in KINDS if not units[kind]]:
        raise ValueError(f"{source} holds no readable {', '.join(missing)} file: add one")
    capacity = {kind: sum(len(u) for _, u in found) for kind, found in units.items()}
    if sum(capacity.values()) < count:
        raise ValueError(
            f"{source} splits into {sum(capacity.values())} parts, fewer than {count} files"
        )
    target.mkdir(parents=True, exist_ok=True)
    files, seen = [], set()
    for kind, files_of_kind in _shares(capacity, count).items():
        for path, group in _groups(units[kind], files_of_kind):
            made = _WRITERS[kind](path, group, target / f"{path.stem}-{len(files):03d}{kind}")
            if _readable_and_new(made, target, seen):
                files.append(made)
            else:
                made.unlink()
    return MixedFolder(target, source, tuple(sorted(files)))


def _shares(capacity: dict[str, int], count: int) -> dict[str, int]:
    """Files per kind: an even share each, at most one a unit; the rest to the others."""
    shares = dict.fromkeys(capacity, 0)
    left = count
    while left:
        open_kinds = [k for k in capacity if shares[k] < capacity[k]]
        each = max(1, left // len(open_kinds))
        for kind in open_kinds:
            given = min(each, capacity[kind] - shares[kind], left)
            shares[kind] += given
            left -= given
    return shares


def _groups(sources: list[tuple[Path, list]], files: int) -> list[tuple[Path, list]]:
    """``files`` runs of consecutive units, shared among the sources by their units (largest
    share of units per file first, so each run is as even as can be)."""
    given = [0] * len(sources)
    for _ in range(files):
        best = max(
            (i for i, (_, u) in enumerate(sources) if given[i] < len(u)),
            key=lambda i: len(sources[i][1]) / (given[i] + 1),
        )
        given[best] += 1
    runs = []
    for (path, units), n in zip(sources, given, strict=True):
        cuts = [round(i * len(units) / n) for i in range(n + 1)] if n else []
        runs += [(path, units[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]
    return runs


def _readable_and_new(path: Path, folder: Path, seen: set[str]) -> bool:
    stat = path.stat()
    file = CorpusFile(path.relative_to(folder).as_posix(), path, stat.st_size, stat.st_mtime_ns)
    try:
        text = load_document(file).text
    except SkipFile:
        return False
    digest = hashlib.sha256(" ".join(text.split()).encode()).hexdigest()
    if digest in seen:
        return False
    seen.add(digest)
    return True


# -- units of each kind ----------------------------------------------------------------------


def _units_of_kind(source: Path, kind: str) -> list[tuple[Path, list]]:
    """Each source file of ``kind`` (sorted; hidden ones and a folder's SOURCES.md or README
    left out) and its units; a file that cannot be split (broken, encrypted) is passed over."""
    found = []
    for path in sorted(p for p in source.rglob(f"*{kind}") if p.is_file()):
        hidden = any(part.startswith(".") for part in path.relative_to(source).parts)
        if hidden or path.name.lower() in NOT_SOURCES:
            continue
        try:
            units = _SPLITTERS[kind](path)
        except Exception:  # noqa: BLE001  (a source that cannot be cut is not used)
            continue
        if units:
            found.append((path, units))
    return found


def _pdf_pages(path: Path) -> list[int]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        pages = []
        for number in range(len(pdf)):
            page = pdf[number]
            text_page = page.get_textpage()
            words = len(text_page.get_text_bounded().split())
            text_page.close()
            page.close()
            if words >= MIN_PAGE_WORDS:
                pages.append(number)
        return pages
    finally:
        pdf.close()


_DOCX_BODY = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_blocks(path: Path) -> list[int]:
    """Positions, among the body's children, of the paragraphs and tables with text."""
    import docx

    body = docx.Document(str(path)).element.body
    return [
        i
        for i, child in enumerate(body)
        if child.tag in (f"{_DOCX_BODY}p", f"{_DOCX_BODY}tbl") and "".join(child.itertext()).strip()
    ]


_FENCE = re.compile(r" {0,3}(```|~~~)")


def _text_blocks(path: Path) -> list[str]:
    """Blocks between blank lines; a blank line inside a code fence does not end one."""
    blocks, lines, fenced = [], [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            if lines:
                blocks.append("\n".join(lines))
            lines = []
        else:
            lines.append(line)
    if lines:
        blocks.append("\n".join(lines))
    return [b for b in blocks if b.strip()]


_BLOCK_TAGS = frozenset("p pre h1 h2 h3 h4 h5 h6 ul ol dl table blockquote".split())
_LEFT_OUT_TAGS = frozenset("head script style noscript template nav header footer aside".split())
_NAVIGATION = re.compile(r"\b(?:nav\w*|toc|sidebar|menu|breadcrumbs?)\b", re.I)
_BLANK_LINE = re.compile(r"(?:<br\s*/?>\s*){2,}", re.I)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _Blocks(HTMLParser):
    """The source text of the outermost block elements, outside navigation and page furniture."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.open: list[str] = []  # the stack of open elements
        self.skip_depth: int | None = None  # inside left-out content from this depth on
        self.block: tuple[str, int, int] | None = None  # (tag, depth, start offset)
        self.found: list[str] = []

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            return
        self.open.append(tag)
        if self.skip_depth is not None or self.block is not None:
            return
        names = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        if tag in _LEFT_OUT_TAGS or _NAVIGATION.search(names):
            self.skip_depth = len(self.open)
        elif tag in _BLOCK_TAGS:
            self.block = (tag, len(self.open), self.position())

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open:
            return
        while self.open:  # close what was left open inside it too
            depth, closed = len(self.open), self.open.pop()
            if self.skip_depth == depth:
                self.skip_depth = None
            if self.block and self.block[1] == depth:
                end = self.text.index(">", self.position()) + 1
                self.found.append(self.text[self.block[2] : end])
                self.block = None
            if closed == tag:
                return


def _html_blocks(path: Path) -> list[str]:
    parser = _Blocks(path.read_text(encoding="utf-8"))
    parser.feed(parser.text)
    parser.close()
    blocks = []
    for block in parser.found:
        if block.lower().startswith("<p") and _BLANK_LINE.search(block):
            inner = block[block.index(">") + 1 : block.lower().rindex("</p")]
            blocks += [f"<p>{part}</p>" for part in _BLANK_LINE.split(inner) if part.strip()]
        else:
            blocks.append(block)
    return [b for b in blocks if re.sub(r"<[^>]*>", "", b).strip()]


_SPLITTERS: dict[str, Callable[[Path], list]] = {
    ".pdf": _pdf_pages,
    ".docx": _docx_blocks,
    ".html": _html_blocks,
    ".md": _text_blocks,
    ".txt": _text_blocks,
}


# -- writing the files -----------------------------------------------------------------------


def _write_pdf(source: Path, pages: Sequence[int], target: Path) -> Path:
    import pypdfium2 as pdfium

    original, new = pdfium.PdfDocument(source), pdfium.PdfDocument.new()
    new.import_pages(original, pages=list(pages))
    new.save(str(target))
    new.close()
    original.close()
    return target


def _write_docx(source: Path, blocks: Sequence[int], target: Path) -> Path:
    import docx

    word = docx.Document(str(source))
    body = word.element.body
    kept = set(blocks)
    for i, child in enumerate(list(body)):
        if i not in kept and child.tag != f"{_DOCX_BODY}sectPr":
            body.remove(child)
    word.save(str(target))
    return target


def _write_html(source: Path, blocks: Sequence[str], target: Path) -> Path:
    body = "\n".join(blocks)
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{target.stem}</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    )
    target.write_text(page, encoding="utf-8")
    return target


def _write_text(source: Path, blocks: Sequence[str], target: Path) -> Path:
    target.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return target


_WRITERS: dict[str, Callable[[Path, Sequence, Path], Path]] = {
    ".pdf": _write_pdf,
    ".docx": _write_docx,
    ".html": _write_html,
    ".md": _write_text,
    ".txt": _write_text,
}
