"""The pieces every structure rule works with: non-blank lines with their offsets, and the
patterns of dates and names that bylines, date lines and comment signatures share."""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- Dates and names -----------------------------------------------------------------------------

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?,?\s+"
)
DAY = (
    rf"(?:{WEEKDAY})?(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
)
TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
# A calendar date, optionally with a time ("March 30, 2008 at 8:42 PM").
DATETIME = rf"(?i:{DAY}(?:,?\s+(?:at\s+|@\s*|-\s*)?{TIME})?)"
# What a comment signature or header may carry: a date, or a bare time.
STAMP = rf"(?:{DATETIME}|(?i:{TIME}(?:,?\s+(?:on\s+)?{DAY})?))"

# A person's name in a byline: capitalised words, with the usual lower-case particles. Kept
# case-sensitive so that "By the way, ..." is not a byline.
NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|der|den|al|el|bin|da|di|du|le|la)){0,4}"

DATE_LINE_RE = re.compile(
    rf"^(?:(?i:posted|published|updated|last updated)(?:\s+(?i:on))?\s*:?\s+)?"
    rf"(?P<date>{DATETIME})$"
)


@dataclass(frozen=True)
class Line:
    """One non-blank line: its trimmed span in the text, and whether a blank line precedes it."""

    start: int
    end: int
    text: str
    para_start: bool

    @property
    def words(self) -> int:
        return len(self.text.split())


# --- Lines ----------------------------------------------------------------------------------------


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` with trimmed offsets; any line ending is accepted."""
    lines: list[Line] = []
    pos = 0
    after_blank = True
    for raw in text.splitlines(keepends=True):
        if raw.strip():
            start = pos + len(raw) - len(raw.lstrip())
            end = pos + len(raw.rstrip())
            lines.append(Line(start, end, text[start:end], after_blank))
            after_blank = False
        else:
            after_blank = True
        pos += len(raw)
    return lines


def matches(patterns: tuple[tuple[re.Pattern[str], int], ...], line: str) -> bool:
    words = len(line.split())
    return any(words <= max_words and p.search(line) for p, max_words in patterns)
