"""Headings of plain text and reStructuredText, found by their layout.

Three layouts are read, each common in real text files:

- **Underlined** (setext, and every reStructuredText section): a short line followed by a line
  of one repeated punctuation character about as long ("Release Notes" over "============").
  As in reStructuredText, each new underline character is the next level down, in the order
  they first appear.
- **Man pages** (a man page saved as text, where most lines are indented): a line at the left
  margin in capitals is a section ("OPTIONS"), a line indented by three spaces and followed by
  a more indented one a subsection ("   File name transformations").
- **Sphinx text** with its permalink signs: a short line ending in "¶" ("2.1. Versions¶"), its
  level the depth of its number.

A line that ends like a sentence (".", ",", ";", ":") is never a heading.
"""

from __future__ import annotations

import re

from qa.types import Heading

MAX_TITLE = 80  # characters
MAN_PAGE_INDENTED = 0.4  # a text with this share of its lines indented (5+ spaces) is a man page
_UNDERLINE = re.compile(r"([=\-~^*+#\"'`:.])\1{2,}[ \t]*")
_SENTENCE_END = (".", ",", ";", ":")
_NUMBER = re.compile(r"(\d+(?:\.\d+)*)\.?\s")


def plain_text_headings(text: str) -> tuple[Heading, ...]:
    """The headings of ``text``, in text order, each spanning its title line."""
    lines = _lines(text)
    found = _underlined(lines) or _man_page(lines) or _permalinked(lines)
    return tuple(found)


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
    for (start, line), (_, under) in zip(lines, lines[1:], strict=False):
        mark = _UNDERLINE.fullmatch(under)
        said = line.strip()
        if not mark or not _title(line) or line.startswith((" ", "\t")):
            continue
        if abs(len(under.rstrip()) - len(said)) > max(3, 0.3 * len(said)):
            continue  # a rule across the page, not this line's underline
        if mark.group(1) not in styles:
            styles.append(mark.group(1))
        level = styles.index(mark.group(1)) + 1
        headings.append(Heading(min(level, 6), said, start, start + len(line.rstrip())))
    return headings


def _man_page(lines: list[tuple[int, str]]) -> list[Heading]:
    written = [line for _, line in lines if line.strip()]
    indented = sum(1 for line in written if line.startswith("     "))
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
            line.startswith("   ")
            and not line.startswith("    ")
            and said[0].isupper()
            and _indent(_next_written(lines, i) or "") > 3
        ):
            headings.append(Heading(2, said, start, start + len(line.rstrip())))
    return headings


def _next_written(lines: list[tuple[int, str]], i: int) -> str | None:
    return next((line for _, line in lines[i + 1 : i + 3] if line.strip()), None)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


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
