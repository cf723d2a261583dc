"""Reader comments, in the two styles pages use: a signature after each comment ("Posted by:
NAME on DATE | PERMALINK") or a header before it ("4. NAME says:"). The style with more matches
in the document wins (``find_comments``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.ingest.structure.lines import DATE_LINE_RE, STAMP, Line

# --- Comments -------------------------------------------------------------------------------------

# "Posted by: NAME on DATE | PERMALINK". A quoted signature cut short ("... 8:57 PM |") does not
# match: the dangling bar shows it was copied into another comment.
_SIGNATURE_RE = re.compile(
    r"^(?:posted|comment(?:ed)?|written|submitted|left)\s+by\s*:?\s*(?P<name>[^|]{0,60}?)"
    rf"\s*(?:(?:\bon\b|\bat\b|,|\||-|–|—|@)\s*(?P<date>{STAMP}))?"
    r"\s*(?P<trailer>\|\s*(?:permalink|link|reply|report)\b[^|]*(?:\|[^|]*)*)?$",
    re.IGNORECASE,
)
# "4. tequila says:", "DC Loser wrote on March 30, 2008 at 9:02 PM:".
_HEADER_RE = re.compile(
    r"^(?:(?P<num>\d{1,4})[.)]\s+)?(?P<name>\S.{0,49}?)"
    rf"(?:\s+(?:on\s+)?(?P<date1>{STAMP}))?"
    r"\s+(?P<verb>says|said|writes|wrote|comments|commented|replies|replied)"
    rf"(?:\s+(?:on\s+)?(?P<date2>{STAMP}))?\s*(?P<end>:|\.\.\.|…)$",
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


@dataclass(frozen=True)
class Comment:
    lines: tuple[int, ...]
    author: str | None
    date: str | None


def find_comments(
    lines: list[Line], start: int, footers: list[int], furniture: set[int]
) -> tuple[list[Comment], int]:
    """Find reader comments in the style the page uses.

    Returns:
        The comments, and the index of the line where the comment area begins (``len(lines)``
        when there are none).
    """
    signatures = [
        i for i in range(start, len(lines)) if i not in furniture and signature(lines[i].text)
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


def signature(line: str) -> tuple[str | None, str | None] | None:
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
    lines: list[Line], start: int, signatures: list[int], footers: list[int], furniture: set[int]
) -> tuple[list[Comment], int]:
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
        name, date = signature(lines[sig].text) or (None, None)
        comment = _make_comment(lines, range(lo, sig), furniture, name, date)
        if comment:
            comments.append(comment)
        lo = sig + 1
    return comments, body_start


def _header_comments(
    lines: list[Line], headers: list[int], footers: list[int], furniture: set[int]
) -> tuple[list[Comment], int]:
    """Comments that start with a header: each runs to the next header or a footer marker."""
    comments = []
    for k, head in enumerate(headers):
        name, date, _ = _header(lines[head].text) or ("", None, False)
        lo = head + 1
        if date is None and lo < len(lines):
            # WordPress puts the date on the line under "NAME says:".
            dated = DATE_LINE_RE.match(lines[lo].text)
            if dated:
                date = dated["date"]
                lo += 1
        hi = headers[k + 1] if k + 1 < len(headers) else len(lines)
        hi = min([f for f in footers if lo <= f < hi] + [hi])
        if hi - 1 > lo and DATE_LINE_RE.match(lines[hi - 1].text):
            # Blogger puts the date under the comment instead.
            date = date or DATE_LINE_RE.match(lines[hi - 1].text)["date"]
            hi -= 1
        comment = _make_comment(lines, range(lo, hi), furniture, name, date)
        if comment:
            comments.append(comment)
    return comments, headers[0]


def _make_comment(
    lines: list[Line], span: range, furniture: set[int], name: str | None, date: str | None
) -> Comment | None:
    """A comment from the lines of ``span`` that are not furniture; None if empty or spam."""
    body = tuple(i for i in span if i not in furniture)
    text = " ".join(lines[i].text for i in body)
    if not any(c.isalnum() for c in text) or _is_spam(text):
        return None
    return Comment(body, name or None, date)


def _is_spam(text: str) -> bool:
    """Short generic praise or a bare link, as left by spam robots."""
    if _URL_RE.fullmatch(text.strip()):
        return True
    words = re.findall(r"[a-z']+", text.lower())
    return 0 < len(words) <= _SPAM_MAX_WORDS and all(w in _PRAISE_WORDS for w in words)
