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

import re
from dataclasses import dataclass

from qa.types import Segment, SegmentKind

# --- Dates and names -----------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?,?\s+"
)
_DAY = (
    rf"(?:{_WEEKDAY})?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
)
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
# A calendar date, optionally with a time ("March 30, 2008 at 8:42 PM").
_DATETIME = rf"(?i:{_DAY}(?:,?\s+(?:at\s+|@\s*|-\s*)?{_TIME})?)"
# What a comment signature or header may carry: a date, or a bare time.
_STAMP = rf"(?:{_DATETIME}|(?i:{_TIME}(?:,?\s+(?:on\s+)?{_DAY})?))"

# A person's name in a byline: capitalised words, with the usual lower-case particles. Kept
# case-sensitive so that "By the way, ..." is not a byline.
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|der|den|al|el|bin|da|di|du|le|la)){0,4}"

_BYLINE_RES = (
    # "By: Kevin Drum", "Posted by Kevin Drum on March 30, 2008"
    re.compile(
        rf"^(?i:by|written by|posted by|author)\s*:?\s*(?P<name>{_NAME})"
        rf"(?:\s*(?:,|\||-|–|—|(?i:on)|(?i:at))?\s*(?P<date>{_DATETIME}))?$"
    ),
    # "Posted on March 30, 2008 by Kevin Drum"
    re.compile(
        rf"^(?i:posted|published)(?:\s+(?i:on))?\s+(?P<date>{_DATETIME})\s+(?i:by)\s+"
        rf"(?P<name>{_NAME})$"
    ),
)
_DATE_LINE_RE = re.compile(
    rf"^(?:(?i:posted|published|updated|last updated)(?:\s+(?i:on))?\s*:?\s+)?"
    rf"(?P<date>{_DATETIME})$"
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

# "About James Joyner": a person's name (2-4 capitalised words), confirmed by its neighbours.
_ABOUT_RE = re.compile(r"^About (?P<name>[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3})$")

# --- Comments -------------------------------------------------------------------------------------

# "Posted by: NAME on DATE | PERMALINK". A quoted signature cut short ("... 8:57 PM |") does not
# match: the dangling bar shows it was copied into another comment.
_SIGNATURE_RE = re.compile(
    r"^(?:posted|comment(?:ed)?|written|submitted|left)\s+by\s*:?\s*(?P<name>[^|]{0,60}?)"
    rf"\s*(?:(?:\bon\b|\bat\b|,|\||-|–|—|@)\s*(?P<date>{_STAMP}))?"
    r"\s*(?P<trailer>\|\s*(?:permalink|link|reply|report)\b[^|]*(?:\|[^|]*)*)?$",
    re.IGNORECASE,
)
# "4. tequila says:", "DC Loser wrote on March 30, 2008 at 9:02 PM:".
_HEADER_RE = re.compile(
    r"^(?:(?P<num>\d{1,4})[.)]\s+)?(?P<name>\S.{0,49}?)"
    rf"(?:\s+(?:on\s+)?(?P<date1>{_STAMP}))?"
    r"\s+(?P<verb>says|said|writes|wrote|comments|commented|replies|replied)"
    rf"(?:\s+(?:on\s+)?(?P<date2>{_STAMP}))?\s*(?P<end>:|\.\.\.|…)$",
    re.IGNORECASE,
)
_MAX_NAME_WORDS = 6

# One-line spam ("Nice site. Thank you!!"): every word is generic praise.
_PRAISE_WORDS = frozenset(
    "nice great good cool excellent awesome amazing interesting informative useful helpful "
    "wonderful fantastic beautiful brilliant site sites website web blog post posts article page "
    "work job info information stuff content thanks thank thx you very really so a the this that "
    "your is it its it's keep up lol wow love like i my me of for and man dude sharing read "
    "reading well done again here".split()
)
_SPAM_MAX_WORDS = 10
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

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
class _Line:
    """One non-blank line: its trimmed span in the text, and whether a blank line precedes it."""

    start: int
    end: int
    text: str
    para_start: bool

    @property
    def words(self) -> int:
        return len(self.text.split())


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


@dataclass(frozen=True)
class _Comment:
    lines: tuple[int, ...]
    author: str | None
    date: str | None


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
    lines = _split_lines(text)
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

    comments, comments_start = _find_comments(lines, start, footers, furniture)
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
    lines = _split_lines(text)
    head = _scan_head(lines)
    author = head.author
    if author is None:
        box = _find_author_box(lines)
        author = box.name if box else None
    return author, head.date


def find_title(text: str, segments: tuple[Segment, ...]) -> str | None:
    """Find the document's title at the start of its article.

    A run-in capitalised headline ("WHAT'S GOING ON IN BASRA?....Here's ...") becomes
    "What's Going on in Basra?"; otherwise the article's first line is the title when it is
    short and does not read like a sentence. Curly quotes are straightened so that copies of
    one page agree.

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
    first_line = text[article.start : article.end].splitlines()[0].strip()
    separator = _RUN_IN_SEPARATOR.search(first_line)
    if separator and separator.start() > 0:
        head = first_line[: separator.start()].strip()
        if _is_shouting(head) and len(head.split()) >= 2 and len(head) <= _TITLE_MAX_CHARS:
            return _headline_case(head)
    if not _looks_like_title(first_line):
        return None
    if _is_shouting(first_line):
        return _headline_case(first_line)
    return first_line.translate(_QUOTES)


# --- Lines ----------------------------------------------------------------------------------------


def _split_lines(text: str) -> list[_Line]:
    """The non-blank lines of ``text`` with trimmed offsets; any line ending is accepted."""
    lines: list[_Line] = []
    pos = 0
    after_blank = True
    for raw in text.splitlines(keepends=True):
        if raw.strip():
            start = pos + len(raw) - len(raw.lstrip())
            end = pos + len(raw.rstrip())
            lines.append(_Line(start, end, text[start:end], after_blank))
            after_blank = False
        else:
            after_blank = True
        pos += len(raw)
    return lines


def _matches(patterns: tuple[tuple[re.Pattern[str], int], ...], line: str) -> bool:
    words = len(line.split())
    return any(words <= max_words and p.search(line) for p, max_words in patterns)


def _is_footer_marker(line: str) -> bool:
    # A comment signature often ends in "| PERMALINK": it is a signature, not a footer.
    return _matches(_FOOTER_MARKERS, line) and _signature(line) is None


def _is_furniture(line: str) -> bool:
    return _matches(_INLINE_FURNITURE, line) or _is_footer_marker(line)


# --- Byline and author box ------------------------------------------------------------------------


def _scan_head(lines: list[_Line]) -> _Head:
    """Look for a byline and a date line among the short lines at the top of the page."""
    author = date = None
    found: list[int] = []
    for i, line in enumerate(lines[:_HEAD_LINES]):
        if _matches(_INLINE_FURNITURE, line.text):
            continue
        byline = _match_byline(line.text)
        if byline and author is None:
            author = byline[0]
            date = date or byline[1]
            found.append(i)
            continue
        dated = _DATE_LINE_RE.match(line.text)
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


def _find_author_box(lines: list[_Line]) -> _AuthorBox | None:
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
    lines: list[_Line], start: int, furniture: set[int], box: _AuthorBox | None
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


def _find_comments(
    lines: list[_Line], start: int, footers: list[int], furniture: set[int]
) -> tuple[list[_Comment], int]:
    """Find reader comments in the style the page uses.

    Returns:
        The comments, and the index of the line where the comment area begins (``len(lines)``
        when there are none).
    """
    signatures = [
        i for i in range(start, len(lines)) if i not in furniture and _signature(lines[i].text)
    ]
    region_start = len(lines)
    # A signature followed at once by a footer marker signs the post itself (Blogger's
    # "Posted by NAME at 8:26 PM" above "3 comments:"): it ends the article like a marker.
    if signatures and (not footers or footers[0] > signatures[0]):
        if signatures[0] + 1 in footers:
            region_start = signatures[0]
            footers = [signatures.pop(0), *footers]
    first_footer = footers[0] if footers else len(lines)
    headers = []
    for i in range(start, len(lines)):
        if i in furniture:
            continue
        header = _header(lines[i].text)
        # A bare "NAME says:" may introduce a quotation inside the article; only a numbered or
        # dated header, or one below the article's footer, opens a comment.
        if header and (header[2] or i > first_footer):
            headers.append(i)
    if signatures and len(signatures) >= len(headers):
        comments, first = _signature_comments(lines, start, signatures, footers, furniture)
    elif headers:
        comments, first = _header_comments(lines, headers, footers, furniture)
    else:
        comments, first = [], len(lines)
    return comments, min(region_start, first)


def _signature(line: str) -> tuple[str | None, str | None] | None:
    """(name, date) of a comment signature line, or None."""
    m = _SIGNATURE_RE.match(line)
    if not m or not (m["date"] or m["trailer"]):
        return None
    name, date = m["name"].strip(), m["date"]
    if date is None:
        # A date the pattern does not know ("on 30.3.2008") still separates name and date.
        parts = re.split(r"\s+(?:on|at)\s+", name, maxsplit=1)
        if len(parts) == 2:
            name, date = parts[0], parts[1].strip() or None
    if len(name.split()) > _MAX_NAME_WORDS:
        return None
    return name or None, date


def _header(line: str) -> tuple[str, str | None, bool] | None:
    """(name, date, strong) of a comment header line, or None.

    "Strong" headers are numbered or dated, so they cannot be an article's "X says:".
    """
    m = _HEADER_RE.match(line)
    if not m:
        return None
    name = m["name"].strip()
    if len(name.split()) > _MAX_NAME_WORDS or not any(c.isalnum() for c in name):
        return None
    # "said:" ends many an article sentence ("Only Monday he said:"); only numbered headers
    # and Blogger's "NAME said..." may use it.
    if m["verb"].lower() == "said" and not (m["num"] or m["end"] != ":"):
        return None
    date = m["date1"] or m["date2"]
    return name, date, bool(m["num"] or date)


def _signature_comments(
    lines: list[_Line], start: int, signatures: list[int], footers: list[int], furniture: set[int]
) -> tuple[list[_Comment], int]:
    """Comments that end with a signature: each is the lines since the previous signature."""
    first = signatures[0]
    before = [f for f in footers if f < first]
    if before:
        body_start = before[-1] + 1
    else:
        # Nothing separates the article from the first comment: take only the paragraph just
        # above the first signature rather than swallow the article.
        body_start = first
        while (
            body_start > start
            and body_start - 1 not in furniture
            and (body_start == first or not lines[body_start].para_start)
        ):
            body_start -= 1
    comments = []
    lo = body_start
    for sig in signatures:
        name, date = _signature(lines[sig].text) or (None, None)
        comment = _make_comment(lines, range(lo, sig), furniture, name, date)
        if comment:
            comments.append(comment)
        lo = sig + 1
    return comments, body_start


def _header_comments(
    lines: list[_Line], headers: list[int], footers: list[int], furniture: set[int]
) -> tuple[list[_Comment], int]:
    """Comments that start with a header: each runs to the next header or a footer marker."""
    comments = []
    for k, head in enumerate(headers):
        name, date, _ = _header(lines[head].text) or ("", None, False)
        lo = head + 1
        if date is None and lo < len(lines):
            # WordPress puts the date on the line under "NAME says:".
            dated = _DATE_LINE_RE.match(lines[lo].text)
            if dated:
                date = dated["date"]
                lo += 1
        hi = headers[k + 1] if k + 1 < len(headers) else len(lines)
        hi = min([f for f in footers if lo <= f < hi] + [hi])
        if hi - 1 > lo and _DATE_LINE_RE.match(lines[hi - 1].text):
            # Blogger puts the date under the comment instead.
            date = date or _DATE_LINE_RE.match(lines[hi - 1].text)["date"]
            hi -= 1
        comment = _make_comment(lines, range(lo, hi), furniture, name, date)
        if comment:
            comments.append(comment)
    return comments, headers[0]


def _make_comment(
    lines: list[_Line], span: range, furniture: set[int], name: str | None, date: str | None
) -> _Comment | None:
    """A comment from the lines of ``span`` that are not furniture; None if empty or spam."""
    body = tuple(i for i in span if i not in furniture)
    text = " ".join(lines[i].text for i in body)
    if not any(c.isalnum() for c in text) or _is_spam(text):
        return None
    return _Comment(body, name or None, date)


def _is_spam(text: str) -> bool:
    """Short generic praise or a bare link, as left by spam robots."""
    if _URL_RE.fullmatch(text.strip()):
        return True
    words = re.findall(r"[a-z']+", text.lower())
    return 0 < len(words) <= _SPAM_MAX_WORDS and all(w in _PRAISE_WORDS for w in words)


# --- Titles ---------------------------------------------------------------------------------------


def _looks_like_title(line: str) -> bool:
    return (
        2 <= len(line) <= _TITLE_MAX_CHARS
        and len(line.split()) <= _TITLE_MAX_WORDS
        and any(c.isalpha() for c in line)
        and not line.endswith((".", ":", ","))
        and not _LABEL_RE.match(line)
        and not _is_furniture(line)
        and not _DATE_LINE_RE.match(line)
        and _match_byline(line) is None
    )


def _is_shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _headline_case(text: str) -> str:
    """ "WHAT'S GOING ON IN BASRA?" -> "What's Going on in Basra?"."""
    words = text.translate(_QUOTES).split()
    out = []
    for k, word in enumerate(words):
        lower = word.lower()
        if 0 < k < len(words) - 1 and lower in _SMALL_WORDS:
            out.append(lower)
            continue
        alpha = next((j for j, c in enumerate(lower) if c.isalpha()), None)
        if alpha is None:
            out.append(word)
        else:
            out.append(lower[:alpha] + lower[alpha].upper() + lower[alpha + 1 :])
    return " ".join(out)
