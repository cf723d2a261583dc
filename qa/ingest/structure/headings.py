"""Headings of plain text and reStructuredText, found by their layout.

Five layouts are read, each common in real text files:

- **Underlined** (setext, and every reStructuredText section): a short line starting a
  paragraph, followed by a line of one repeated punctuation character about as long
  ("Release Notes" over "============").
  As in reStructuredText, each new underline character is the next level down, in the order
  they first appear.
- **Man pages** (a man page saved as text, where most lines are indented): a line at the left
  margin in capitals is a section ("OPTIONS"), a line indented by three spaces and followed by
  a more indented one a subsection ("   File name transformations").
- **Marked with "="** (AsciiDoc, and MediaWiki's "== Usage =="): a line starting with one to
  six "=" and a space, its level their count, outside listing blocks, in a text with at least
  ``MIN_OUTLINE`` of them.
- **Sphinx text** with its permalink signs: a short line ending in "¶" ("2.1. Versions¶"), its
  level the depth of its number.
- **Numbered sections**, as FAQs, specifications and manuals write them: a line at the left
  margin that opens with a section number ("1.7  Is lsof vulnerable …?", "4.10. How do I …?",
  "III. Reading"), its level the depth of its number, in a text with at least
  ``MIN_OUTLINE`` numbers of two levels or more ("3.1", not "3": a numbered list of steps is
  no outline) or in Roman numerals. A title wrapped onto an indented line (or one ending with
  "?") before a blank one is read whole. The same number said again further on makes the
  first one a line of the contents, not a heading; so does a line right above another
  numbered one. A line right below a line of text at the margin is that paragraph's, however
  it starts ("… added at libpng" over "1.5.10.  If a pixel contains …"). Between numbered
  sections, a short capitalised line at the margin, alone between blank lines and over a
  paragraph at the margin, is a title one level below its section's ("III. Reading" …
  "Setup" … "User limits"): old manuals number their parts and not what is in them.

Whichever layout finds the most headings is the text's. A line that ends like a sentence (".",
",", ";", ":") is never a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.types import Heading, indentation

MAX_TITLE = 80  # characters
MAN_PAGE_INDENTED = 0.4  # a text with this share of its lines indented (column 5+) is a man page
_UNDERLINE = re.compile(r"([=\-~^*+#\"'`:.])\1{2,}[ \t]*")
_SENTENCE_END = (".", ",", ";", ":")
_NUMBER = re.compile(r"(\d+(?:\.\d+)*)\.?\s")
MIN_OUTLINE = 3  # section numbers of two levels or more that make a text numbered
CONTENTS_SHARE = 0.6  # of a run of short lines naming headings further on, to be contents
_EQUALS_TITLE = re.compile(r"(={1,6})[ \t]+([A-Za-z0-9`'\"].*?)(?:[ \t]+=+)?[ \t]*")
_DELIMITER = re.compile(r"-{4,}|\.{4,}")  # an AsciiDoc listing or literal block opens or closes
# A section number: "4.10.", "1.2.1", or in Roman numerals with a dot ("III. Reading").
_NUMBERED = re.compile(r"(\d{1,3}(?:\.\d{1,3})*\.?|[IVXL]{1,6}\.)[ \t]+([A-Za-z].*)")
_NUMBERED_LINE_MAX = 2 * MAX_TITLE + 16  # a longer line is no numbered title (nor read for one)
MAX_UNNUMBERED = 60  # characters of a title under a numbered section that has no number


def plain_text_headings(text: str) -> tuple[Heading, ...]:
    """The headings of ``text``, in text order, each spanning its title line."""
    return plain_text_outline(text)[0]


def plain_text_outline(text: str) -> tuple[tuple[Heading, ...], list[tuple[int, int]]]:
    """The headings of ``text`` (as ``plain_text_headings``) and, when they are numbered
    sections, the spans of its contents: each run of entries whose numbers are said again
    further on (or that stand right above another entry), titles wrapped in it included."""
    lines = _lines(text)
    numbered, contents = _outline(lines)
    # The layout that finds the most headings: an FAQ with one underlined line is numbered.
    layouts = (
        _underlined(lines),
        _man_page(lines),
        _permalinked(lines),
        _equals_marked(lines),
        numbered,
    )
    found = max(layouts, key=len)
    if found is not numbered:
        return tuple(found), _listed_contents(lines, found)
    found = _with_unnumbered(lines, numbered)
    runs: list[tuple[int, int]] = []
    for start, end in contents:
        if runs and _wrapped_lines(text[runs[-1][1] : start]):
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return tuple(found), runs


def _listed_contents(
    lines: list[tuple[int, str]], headings: list[Heading]
) -> list[tuple[int, int]]:
    """The spans of lists of the text's own headings before them (a README's "TABLE OF
    CONTENTS" over "Overview:", "    Functions provided by the library" …): runs of short
    lines, a blank one between them at most, of which at least ``MIN_OUTLINE`` and most
    repeat the title of a heading further on."""
    later = {}  # a heading's folded title → where it starts
    for heading in headings:
        later.setdefault(_fold(heading.title), heading.start)
    starts = {heading.start for heading in headings}
    runs: list[tuple[int, int]] = []
    run: list[tuple[int, int, bool]] = []  # each line's offsets and whether it names a heading
    blanks = 0

    def close() -> None:
        named = sum(1 for *_, names in run if names)
        if named >= MIN_OUTLINE and named >= CONTENTS_SHARE * len(run):
            first = next(i for i, item in enumerate(run) if item[2])
            last = max(i for i, item in enumerate(run) if item[2])
            runs.append((run[first][0], run[last][1]))

    for start, line in lines:
        said = line.strip()
        if not said:
            blanks += 1
            if blanks > 1 and run:
                close()
                run = []
            continue
        blanks = 0
        ends = said.endswith((".", ",", ";"))
        if len(said) > MAX_TITLE or ends or start in starts or _UNDERLINE.fullmatch(said):
            if run:
                close()
                run = []
            continue
        names = later.get(_fold(said), -1) > start
        run.append((start + len(line) - len(line.lstrip()), start + len(line.rstrip()), names))
    if run:
        close()
    return runs


def _fold(title: str) -> str:
    return " ".join(title.lower().rstrip(":").split())


def _lines(text: str) -> list[tuple[int, str]]:
    """Each line of ``text`` with its start offset (line ends left out)."""
    lines, start = [], 0
    for line in text.split("\n"):
        lines.append((start, line))
        start += len(line) + 1
    return lines


def _title(line: str) -> bool:
    said = line.strip()
    return (
        0 < len(said) <= MAX_TITLE
        and any(c.isalpha() for c in said)
        and not said.endswith(_SENTENCE_END)
    )


def _underlined(lines: list[tuple[int, str]]) -> list[Heading]:
    styles: list[str] = []  # underline characters, in the order they first appear
    headings = []
    for i, ((start, line), (_, under)) in enumerate(zip(lines, lines[1:], strict=False)):
        mark = _UNDERLINE.fullmatch(under)
        said = line.strip()
        if not mark or not _title(line) or line.startswith((" ", "\t")):
            continue
        above = lines[i - 1][1] if i else ""
        if above.strip() and not _UNDERLINE.fullmatch(above):
            continue  # not a paragraph's start: the last line of a listing over its delimiter
        if abs(len(under.rstrip()) - len(said)) > max(3, 0.3 * len(said)):
            continue  # a rule across the page, not this line's underline
        if mark.group(1) not in styles:
            styles.append(mark.group(1))
        level = styles.index(mark.group(1)) + 1
        headings.append(Heading(min(level, 6), said, start, start + len(line.rstrip())))
    return headings


def _man_page(lines: list[tuple[int, str]]) -> list[Heading]:
    written = [line for _, line in lines if line.strip()]
    indented = sum(1 for line in written if indentation(line) >= 5)
    if not written or indented < MAN_PAGE_INDENTED * len(written):
        return []
    headings = []
    for i, (start, line) in enumerate(lines):
        if not _title(line):
            continue
        said = line.strip()
        if not line[0].isspace() and said == said.upper():
            headings.append(Heading(1, said, start, start + len(line.rstrip())))
        elif (
            indentation(line) == 3
            and said[0].isupper()
            and indentation(_next_written(lines, i) or "") > 3
        ):
            headings.append(Heading(2, said, start, start + len(line.rstrip())))
    return headings


def _next_written(lines: list[tuple[int, str]], i: int) -> str | None:
    return next((line for _, line in lines[i + 1 : i + 3] if line.strip()), None)


def _permalinked(lines: list[tuple[int, str]]) -> list[Heading]:
    headings = []
    for start, line in lines:
        said = line.strip()
        if said.endswith("¶") and _title(said[:-1]):
            number = _NUMBER.match(said)
            level = number.group(1).count(".") + 1 if number else 1
            title = said[:-1].rstrip()
            headings.append(Heading(min(level, 6), title, start, start + len(line.rstrip())))
    return headings


def _equals_marked(lines: list[tuple[int, str]]) -> list[Heading]:
    """AsciiDoc's titles ("= Git User Manual", "== Stashing"), and MediaWiki's ("== Usage =="),
    outside listing blocks ("----" to "----"); none in a text with fewer than ``MIN_OUTLINE``."""
    headings, listing = [], None
    for start, line in lines:
        said = line.rstrip()
        if _DELIMITER.fullmatch(said):
            listing = None if listing == said else listing or said
            continue
        short = len(said) <= 2 * MAX_TITLE  # a longer line is no title (the pattern stays cheap)
        marked = _EQUALS_TITLE.fullmatch(said) if short and not listing else None
        if marked is not None and _title(marked.group(2)):
            level = min(len(marked.group(1)), 6)
            headings.append(Heading(level, marked.group(2), start, start + len(said)))
    return headings if len(headings) >= MIN_OUTLINE else []


def _wrapped_lines(between: str) -> bool:
    """Whether the text between two entries of the contents is blank, or the indented end of a
    title wrapped in the contents ("1.2.4  Why can't I get the sum(1) result reported in" over
    "        README.lsof_<revision>?")."""
    written = [line for line in between.split("\n")[1:] if line.strip()]
    return all(line[:1].isspace() and len(line.strip()) <= MAX_TITLE for line in written)


@dataclass(frozen=True)
class _Entry:
    """A numbered line (with its wrapped end): its first and last line, its number as written
    and as a key ("4.10." and "4.10"), its title, and its offsets."""

    first: int
    last: int
    number: str
    key: str
    title: str
    start: int
    end: int


def _in_paragraph(above: str) -> bool:
    """Whether a line below ``above`` goes on its paragraph: ``above`` is text at the margin,
    not a numbered line nor a rule ("-----")."""
    said = above.strip()
    return bool(
        said
        and not above[:1].isspace()
        and _numbered(above) is None
        and not _UNDERLINE.fullmatch(said)
    )


def _numbered(line: str) -> re.Match[str] | None:
    """The number and title of a numbered line, if it is one."""
    return _NUMBERED.fullmatch(line.rstrip()) if len(line) <= _NUMBERED_LINE_MAX else None


def _outline(lines: list[tuple[int, str]]) -> tuple[list[Heading], list[tuple[int, int]]]:
    """The numbered sections' headings and the spans of the contents' entries."""
    found: list[_Entry] = []
    for i, (start, line) in enumerate(lines):
        match = _numbered(line)
        if match is None:
            continue
        above = lines[i - 1][1] if i else ""
        if _in_paragraph(above):
            continue  # a paragraph's line that starts with a number: "… added at libpng" over
            # "1.5.10.  If a pixel contains an invalid (out-of-range) index libpng issues"
        number, title = match.groups()
        last, end = i, start + len(line.rstrip())
        wrapped = lines[i + 1][1] if i + 1 < len(lines) else ""
        after = lines[i + 2][1] if i + 2 < len(lines) else ""
        if (
            wrapped.strip()
            and not after.strip()
            and not title.endswith("?")
            and (wrapped[:1].isspace() or wrapped.rstrip().endswith("?"))
            and _numbered(wrapped) is None
        ):
            title = f"{title} {wrapped.strip()}"  # "... of Linux" over "\tfiles?"
            last, end = i + 1, lines[i + 1][0] + len(wrapped.rstrip())
        if _title(title) or title.endswith("?") and len(title) <= 2 * MAX_TITLE:
            key = number.strip(".")
            found.append(_Entry(i, last, number, key, " ".join(title.split()), start, end))
    deep = sum(1 for entry in found if "." in entry.key)
    roman = sum(1 for entry in found if entry.key.isalpha())
    if deep < MIN_OUTLINE and roman < MIN_OUTLINE:
        return [], []
    final = {entry.key: entry.first for entry in found}
    firsts = {entry.first for entry in found}
    headings, contents = [], []
    for entry in found:
        # Said again further on, or right above another entry: a line of the contents.
        if final[entry.key] != entry.first or entry.last + 1 in firsts:
            contents.append((entry.start, entry.end))
            continue
        level = len(entry.key.split("."))
        if entry.key.endswith(".0"):
            level -= 1  # "1.0 General Concepts" opens part 1
        title = f"{entry.number} {entry.title}"  # the number as written: the line says it
        headings.append(Heading(min(level, 6), title, entry.start, entry.end))
    return headings, contents


def _with_unnumbered(lines: list[tuple[int, str]], headings: list[Heading]) -> list[Heading]:
    """``headings`` (the numbered sections, in text order) and, one level below the section
    each is in, the unnumbered titles between them: a short line at the margin, alone between
    blank lines, over a paragraph at the margin ("III. Reading" … "Setup" … "User limits")."""
    found = list(headings)
    section = iter(headings)
    current, upcoming = None, next(section, None)
    for i in range(1, len(lines) - 2):
        start, line = lines[i]
        while upcoming is not None and upcoming.start <= start:
            current, upcoming = upcoming, next(section, None)
        said = line.strip()
        if (
            current is None  # before the first section
            or _numbered(line) is not None  # a section, a line of the contents, a paragraph's
            or len(said) > MAX_UNNUMBERED
            or not said[:1].isupper()
            or line[:1].isspace()
            or not _title(said)
            or "=" in said
            or lines[i - 1][1].strip()
            or lines[i + 1][1].strip()
            or not lines[i + 2][1][:1].strip()
        ):
            continue
        level = min(current.level + 1, 6)
        found.append(Heading(level, said, start, start + len(line.rstrip())))
    return sorted(found, key=lambda heading: heading.start)
