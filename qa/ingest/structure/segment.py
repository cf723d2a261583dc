"""Split one document's text into the author's article, reader comments and page furniture.

The rules are general (no per-site templates) and work line by line, because some pages have
no blank lines between paragraphs:

1. Furniture lines are recognised by pattern. *Footer markers* (a permalink line, share
   buttons, "FILED UNDER:", a "Comments" heading, an author box) end the article; *inline
   furniture* (newsletter sign-ups, adverts, copyright) is dropped wherever it appears.
2. A byline near the top ("By: Kevin Drum", a date line) gives the document's author and date;
   the masthead above it is furniture. Without a byline, an author box ("About James Joyner")
   gives the author.
3. Reader comments come in two styles, and the style with more matches in the document wins:
   *signature-after* ("Posted by: NAME on DATE | PERMALINK" closes each comment) and
   *header-before* ("4. tequila says:" opens each comment).
4. The article runs from its start to the first footer marker or the first comment.

Every non-blank line ends up in exactly one segment, boilerplate included, so nothing is lost
silently; only "article" and "comment" segments are indexed.

Simplified on purpose: one article per page; nested or threaded replies are flat comments; a
comment that quotes another reader stays one comment by its writer.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa.ingest.structure.comments import find_comments, signature
from qa.ingest.structure.lines import DATE_LINE_RE, DATETIME, NAME, Line, matches, split_lines
from qa.types import INDEXED_KINDS, Segment, SegmentKind

_BYLINE_RES = (
    # "By: Kevin Drum", "Posted by Kevin Drum on March 30, 2008"
    re.compile(
        rf"^(?i:by|written by|posted by|author)\s*:?\s*(?P<name>{NAME})"
        rf"(?:\s*(?:,|\||-|–|—|(?i:on)|(?i:at))?\s*(?P<date>{DATETIME}))?$"
    ),
    # "Posted on March 30, 2008 by Kevin Drum"
    re.compile(
        rf"^(?i:posted|published)(?:\s+(?i:on))?\s+(?P<date>{DATETIME})\s+(?i:by)\s+"
        rf"(?P<name>{NAME})$"
    ),
)
# --- Furniture ------------------------------------------------------------------------------------

# Each pattern is paired with the most words a line may have to count: furniture lines are
# short, and the limit keeps an article sentence that merely mentions "newsletter" or
# "comments" from being dropped.
_INLINE_FURNITURE: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), max_words)
    for pattern, max_words in (
        (r"newsletter icon", 40),
        (r"\bsign up (?:for|to)\b.*\b(?:news|newsletters?|updates|e-?mails?|alerts)\b", 25),
        (r"^subscribe\b", 8),
        (r"\bsubscribe to (?:our|the|this|my) (?:newsletter|feed|rss|blog|mailing list)", 12),
        (r"^(?:join|get) (?:our|the) (?:e-?mail|mailing) list\b", 10),
        (r"^advertise (?:in|with|on|here)\b", 8),
        (r"\bbuy (?:it |this |them )?(?:from|at|on) amazon\b", 10),
        (r"^support (?:the|our|this) \S+(?: \S+)?$", 4),
        (r"^(?:©|\(c\)|copyright\b)", 25),
        (r"\ball rights reserved\b", 25),
        (r"^(?:reply|report abuse|report comment|quote)$", 2),
        (r"^(?:print|e-?mail)(?: this(?: article| post| page| story)?)?$", 4),
    )
)

_FOOTER_MARKERS: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), max_words)
    for pattern, max_words in (
        (r"\bpermalink\b", 15),
        (r"\btrack ?backs?\b", 15),
        (r"\bcomments?\s*\(\d+\)", 15),
        (r"^\d+ (?:comments?|responses?|replies)\b", 8),
        (r"^(?:comments|responses|discussion|reader comments)(?:\s*\(\d+\))?\s*:?$", 3),
        (r"^(?:leave|post|add|write) a (?:reply|comment|response)\b", 10),
        (r"^(?:bookmark and share|share this(?: \w+)?|share|share on \w+)\s*:?$", 4),
        (r"^(?:recent|related|popular|latest|similar|more) (?:comments|posts|entries|articles)", 6),
        (r"^(?:filed under|filed in)\b", 60),
        (r"^(?:tags?|tagged(?: with)?|categor(?:y|ies)|labels)\s*:", 60),
        (r"^posted in\b", 12),
        (r"^about the author$", 3),
    )
)

# Whole lines that only a web page's post or comment section shows ("Leave a reply", "Recent
# Comments", "3 Responses", "Filed under"): a document with one is a web page, and the page rules
# run on it even before a comment or a byline is found. Looser furniture ("comment (3)",
# "Copyright", "Tags:") is left out here: manuals have such lines too.
_WEB_PAGE_MARKERS: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), max_words)
    for pattern, max_words in (
        (r"^\d+ (?:comments?|responses?|replies)(?: to\b.*)?$", 12),
        (r"^(?:leave|post|add|write) a (?:reply|comment|response)\s*:?$", 4),
        (r"^(?:recent|related|popular|latest|similar|more) (?:comments|posts|entries)\s*:?$", 3),
        (r"^(?:bookmark and share|share this(?: post| page| article)?)\s*:?$", 4),
        (r"^(?:filed under|posted in)\b", 12),
    )
)


def is_web_page(text: str) -> bool:
    """Whether a line of ``text`` is one only a web page's post or comment section shows."""
    return any(matches(_WEB_PAGE_MARKERS, line.strip()) for line in text.split("\n"))


# "About James Joyner": a person's name (2-4 capitalised words), confirmed by its neighbours.
_ABOUT_RE = re.compile(r"^About (?P<name>[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3})$")

# --- Layout thresholds ----------------------------------------------------------------------------

_HEAD_LINES = 15  # a byline is looked for among the first lines only
_HEAD_MAX_WORDS = 20  # a longer line means the text proper has begun
_PROSE_WORDS = 10  # a line this long is prose, not a heading or furniture
_TITLE_MAX_CHARS = 150
_TITLE_MAX_WORDS = 25
_SMALL_WORDS = frozenset("a an and as at but by for from in nor of on or the to via vs".split())
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
# "UPDATE: ..." opens a paragraph added later, not a title.
_LABEL_RE = re.compile(r"^(?:update|note|editor'?s note|correction|p\.?s\.?)\s*\d*\s*:", re.I)
_RUN_IN_SEPARATOR = re.compile(r"\.{3,}|…\.*|\s[-–—]{1,2}\s|—|:\s")


@dataclass(frozen=True)
class _Head:
    """What the top of the page says about the document."""

    author: str | None = None
    date: str | None = None
    lines: frozenset[int] = frozenset()  # byline and date lines
    article_start: int = 0
    title_line: int | None = None  # a title kept in the article although above the byline


@dataclass(frozen=True)
class _AuthorBox:
    name: str
    first: int
    lines: frozenset[int]


def segment_text(text: str) -> tuple[Segment, ...]:
    """Split a document's text into article, comment and boilerplate segments.

    Args:
        text: The decoded text of one document.

    Returns:
        Segments in document order, non-overlapping, each trimmed to start and end on
        non-whitespace, so that ``text[s.start:s.end]`` is the segment. Every non-blank line
        belongs to exactly one segment. Comment segments carry the commenter (None when
        anonymous) and the date given with the comment; article segments carry the document's
        author and date when found.
    """
    lines = split_lines(text)
    if not lines:
        return ()
    count = len(lines)
    head = _scan_head(lines)
    box = _find_author_box(lines)
    author = head.author or (box.name if box else None)

    # Lines that are furniture wherever they appear.
    furniture = {i for i, line in enumerate(lines) if _is_furniture(line.text)}
    furniture |= head.lines
    if box:
        furniture |= box.lines
    start = head.article_start
    footers = _footer_markers(lines, start, furniture, box)

    comments, comments_start = find_comments(lines, start, footers, furniture)
    article_end = min(footers[0] if footers else count, comments_start)

    # Label every line: "article", "boilerplate", or the index of its comment.
    labels: list[str | int] = ["boilerplate"] * count
    for i in range(start, article_end):
        if i not in furniture:
            labels[i] = "article"
    if head.title_line is not None:
        labels[head.title_line] = "article"
    for number, comment in enumerate(comments):
        for i in comment.lines:
            labels[i] = number

    segments: list[Segment] = []
    run_start = 0
    for i in range(1, count + 1):
        if i < count and labels[i] == labels[run_start]:
            continue
        label = labels[run_start]
        first, last = lines[run_start], lines[i - 1]
        if isinstance(label, int):
            comment = comments[label]
            segments.append(Segment("comment", first.start, last.end, comment.author, comment.date))
        else:
            kind: SegmentKind = "article" if label == "article" else "boilerplate"
            who, when = (author, head.date) if kind == "article" else (None, None)
            segments.append(Segment(kind, first.start, last.end, who, when))
        run_start = i
    return tuple(segments)


def find_byline(text: str) -> tuple[str | None, str | None]:
    """Find the document's author and date.

    Args:
        text: The decoded text of one document.

    Returns:
        ``(author, date)`` from a byline near the top ("By: Kevin Drum", "March 30, 2008"); the
        author falls back to an author box ("About James Joyner"). Either may be None.
    """
    lines = split_lines(text)
    head = _scan_head(lines)
    author = head.author
    if author is None:
        box = _find_author_box(lines)
        author = box.name if box else None
    return author, head.date


# An HTML tag, an address or a Markdown link or image: a README's logo line
# ('<p align="center"><img src="https://..." alt="Zstandard"></p>', "[![Build](...)](...)") is
# markup, not a title.
_MARKUP = re.compile(r"<[a-zA-Z/!]|://|\]\(")


def find_title(text: str, segments: tuple[Segment, ...]) -> str | None:
    """Find the document's title at the start of its article.

    A run-in capitalised headline ("WHAT'S GOING ON IN BASRA?....Here's ...") becomes
    "What's Going on in Basra?"; otherwise the article's first line (after a block of header
    fields, "Archive-Name: …") is the title when it is short and does not read like a
    sentence. Curly quotes are straightened so that copies of one page agree.

    Args:
        text: The decoded text of one document.
        segments: Its segments, from ``segment_text``.

    Returns:
        The title, or None when the article does not start with one (the caller then falls
        back to the file name).
    """
    article = next((s for s in segments if s.kind == "article"), None)
    if article is None:
        return None
    first_line = _after_header_fields(text[article.start : article.end]).strip()
    separator = _RUN_IN_SEPARATOR.search(first_line)
    if separator and separator.start() > 0:
        head = first_line[: separator.start()].strip()
        if _is_shouting(head) and len(head.split()) >= 2 and len(head) <= _TITLE_MAX_CHARS:
            return _headline_case(head, text[article.start : article.end])
    if not _looks_like_title(first_line):
        return None
    if _is_shouting(first_line):
        return _headline_case(first_line, text[article.start : article.end])
    return first_line.translate(_QUOTES)


def _after_header_fields(article: str) -> str:
    """The article's first line, or the first after a block of two or more header fields
    ("Archive-Name: editor-faq/sed" over "Posting-Frequency: irregular", as a Usenet FAQ or
    a saved mail opens)."""
    lines = article.splitlines()
    fields = 0
    while fields < len(lines) and _HEADER_FIELD.match(lines[fields]):
        fields += 1
    if fields < 2:
        return lines[0] if lines else ""
    return next((line for line in lines[fields:] if line.strip()), lines[0])


_HEADER_FIELD = re.compile(r"^[A-Z][A-Za-z]*(?:-[A-Za-z]+)*: \S")


def _is_footer_marker(line: str) -> bool:
    # A comment signature often ends in "| PERMALINK": it is a signature, not a footer.
    return matches(_FOOTER_MARKERS, line) and signature(line) is None


def _is_furniture(line: str) -> bool:
    return matches(_INLINE_FURNITURE, line) or _is_footer_marker(line)


# --- Byline and author box ------------------------------------------------------------------------


def _scan_head(lines: list[Line]) -> _Head:
    """Look for a byline and a date line among the short lines at the top of the page."""
    author = date = None
    found: list[int] = []
    for i, line in enumerate(lines[:_HEAD_LINES]):
        if matches(_INLINE_FURNITURE, line.text):
            continue
        byline = _match_byline(line.text)
        if byline and author is None:
            author = byline[0]
            date = date or byline[1]
            found.append(i)
            continue
        dated = DATE_LINE_RE.match(line.text)
        if dated and date is None:
            date = dated["date"]
            found.append(i)
            continue
        if line.words > _HEAD_MAX_WORDS or (
            line.words >= _PROSE_WORDS and line.text.endswith((".", ";", '"', "”"))
        ):
            break  # the text proper has begun; a byline further down is something else
    if author is None:
        # A date line alone does not show where a masthead ends: keep everything else.
        return _Head(date=date, lines=frozenset(found))
    # With a byline, what is above it is masthead, except a title line right above it.
    top = min(found)
    title_line = None
    if top > 0 and not _is_furniture(lines[top - 1].text):
        if _looks_like_title(lines[top - 1].text):
            title_line = top - 1
    return _Head(author, date, frozenset(found), max(found) + 1, title_line)


def _match_byline(line: str) -> tuple[str, str | None] | None:
    for pattern in _BYLINE_RES:
        m = pattern.match(line)
        if m:
            return m["name"].strip(), m["date"]
    return None


def _find_author_box(lines: list[Line]) -> _AuthorBox | None:
    """Find "About NAME", confirmed by a name line above it or a bio starting with NAME below."""
    for i, line in enumerate(lines):
        m = _ABOUT_RE.match(line.text)
        if not m:
            continue
        name = m["name"]
        has_name_line = i > 0 and lines[i - 1].text == name
        has_bio = i + 1 < len(lines) and lines[i + 1].text.startswith(name)
        if not (has_name_line or has_bio):
            continue
        first = i - 1 if has_name_line else i
        box = set(range(first, i + 1))
        if has_bio:
            # The bio is the paragraph after the heading.
            j = i + 1
            box.add(j)
            while j + 1 < len(lines) and not lines[j + 1].para_start:
                j += 1
                box.add(j)
        return _AuthorBox(name, first, frozenset(box))
    return None


# --- Footer and comments --------------------------------------------------------------------------


def _footer_markers(
    lines: list[Line], start: int, furniture: set[int], box: _AuthorBox | None
) -> list[int]:
    """Indices of footer markers that can end the article.

    A marker counts only once some prose has been seen, because share buttons and comment
    counts are also placed above articles.
    """
    markers: list[int] = []
    seen_prose = False
    for i in range(start, len(lines)):
        line = lines[i]
        is_marker = _is_footer_marker(line.text) or (box is not None and i == box.first)
        if is_marker and seen_prose:
            markers.append(i)
        elif i not in furniture and line.words >= _PROSE_WORDS:
            seen_prose = True
    return markers


# --- Titles ---------------------------------------------------------------------------------------


def _looks_like_title(line: str) -> bool:
    return (
        2 <= len(line) <= _TITLE_MAX_CHARS
        and not _MARKUP.search(line)
        and len(line.split()) <= _TITLE_MAX_WORDS
        and any(c.isalpha() for c in line)
        and not line.endswith((".", ":", ","))
        and not _LABEL_RE.match(line)
        and not _is_furniture(line)
        and not DATE_LINE_RE.match(line)
        and _match_byline(line) is None
    )


def _is_shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


_LETTERS = re.compile(r"[A-Za-z]{2,}")


def _headline_case(text: str, article: str = "") -> str:
    """ "WHAT'S GOING ON IN BASRA?" -> "What's Going on in Basra?". A word the ``article``
    writes in capitals at least as often as otherwise is an acronym and stays so: "THE SED
    FAQ" -> "The Sed FAQ" ("USING THE IJG JPEG LIBRARY" -> "Using the IJG Jpeg Library": its
    function names write "jpeg" more often than its text writes "JPEG")."""
    words = text.translate(_QUOTES).split()
    said = Counter(_LETTERS.findall(article)) - Counter(_LETTERS.findall(text))  # elsewhere
    out = []
    for k, word in enumerate(words):
        lower = word.lower()
        bare = word.strip(".,:;!?'\"()")
        if bare.isalpha() and said[bare] and said[bare] >= said[bare.lower()] + said[bare.title()]:
            out.append(word)
            continue
        if 0 < k < len(words) - 1 and lower in _SMALL_WORDS:
            out.append(lower)
            continue
        alpha = next((j for j, c in enumerate(lower) if c.isalpha()), None)
        if alpha is None:
            out.append(word)
        else:
            out.append(lower[:alpha] + lower[alpha].upper() + lower[alpha + 1 :])
    return " ".join(out)


def set_aside(
    text: str, segments: Sequence[Segment], spans: Sequence[tuple[int, int, str]]
) -> tuple[Segment, ...]:
    """``segments`` with ``spans`` of ``text`` (start, end and why; in order, not overlapping)
    cut out of the indexed segments they fall in, as boilerplate for that reason; what is left
    of a segment keeps its kind and author, trimmed to start and end on non-whitespace."""
    out: list[Segment] = []
    ends = [end for _, end, _ in spans]
    for segment in segments:
        if segment.kind not in INDEXED_KINDS:
            out.append(segment)
            continue
        cursor = segment.start
        # The spans ending inside or after the segment, up to the first starting after it.
        for start, end, reason in spans[bisect.bisect_right(ends, segment.start) :]:
            if start >= segment.end:
                break
            start, end = max(start, cursor), min(end, segment.end)
            if start >= end:
                continue
            out += _trimmed(text, replace(segment, start=cursor, end=start))
            out.append(Segment("boilerplate", start, end, reason=reason))
            cursor = end
        out += _trimmed(text, replace(segment, start=cursor))
    return tuple(out)


def _trimmed(text: str, segment: Segment) -> list[Segment]:
    """``segment`` without the white space at its ends; none if that is all it holds."""
    piece = text[segment.start : segment.end]
    if not piece.strip():
        return []
    start = segment.start + len(piece) - len(piece.lstrip())
    return [replace(segment, start=start, end=segment.start + len(piece.rstrip()))]
