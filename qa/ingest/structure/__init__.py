"""The structure rules: which parts of a document's text are the author's article, which are
reader comments (and whose), and which are page furniture that is not indexed.

A format applies them with ``structured_document`` once it has the document's text; the rules
are general (no per-site templates). They apply only to a document shaped like a web page
with posts and comments (a comment found, a byline at its head, or a line only such a page
shows, such as "Leave a reply" or "Recent Comments"): any other document is one article, whole,
so that a manual is never cut where a line looks like page furniture ("Copyright …",
"comment (3) above").
"""

from __future__ import annotations

from qa.ingest.source import CorpusFile, SkipFile
from qa.ingest.structure.segment import (
    find_byline,
    find_title,
    is_web_page,
    segment_text,
    set_aside,
)
from qa.types import Document, Heading, Segment

__all__ = [
    "find_byline",
    "find_title",
    "laid_out_document",
    "segment_text",
    "set_aside",
    "structured_document",
]


def structured_document(
    file: CorpusFile, text: str, title: str | None = None, headings: tuple[Heading, ...] = ()
) -> Document:
    """The document of ``file`` with ``text``, split by the structure rules.

    Args:
        file: Where the text comes from (its ``doc_id``; its name is the last fallback title).
        text: The document's text, as the format extracted it; offsets refer to it.
        title: The title the format found (an HTML ``<title>``, a Markdown heading), if any;
            otherwise it is looked for at the start of the article, then the file name is used.
        headings: The headings the format found, in text order (sections of the chunks).

    Raises:
        SkipFile: The text is empty or only white space.
    """
    if not text.strip():
        raise SkipFile("no text (empty or whitespace only)")
    segments = segment_text(text)
    author, date = find_byline(text)
    if author is None and not any(s.kind == "comment" for s in segments) and not is_web_page(text):
        segments = _whole(text)  # not a web page with posts and comments: nothing is furniture
    return Document(
        doc_id=file.doc_id,
        title=title or find_title(text, segments) or file.path.stem,
        text=text,
        author=author,
        date=date,
        segments=segments,
        headings=headings,
    )


def laid_out_document(
    file: CorpusFile,
    text: str,
    title: str | None,
    segments: tuple[Segment, ...] | None = None,
    pages: tuple[int, ...] = (),
    headings: tuple[Heading, ...] = (),
) -> Document:
    """The document of a format that knows its own layout (a PDF's pages, a Word file's
    paragraphs): the blog rules of ``segment_text`` do not run on it, so that a manual is never
    cut by them. Without ``segments`` the whole text is the article.

    Raises:
        SkipFile: The text is empty or only white space.
    """
    if not text.strip():
        raise SkipFile("no text (empty or whitespace only)")
    return Document(
        doc_id=file.doc_id,
        title=title or file.path.stem,
        text=text,
        segments=_whole(text) if segments is None else segments,
        pages=pages,
        headings=headings,
    )


def _whole(text: str) -> tuple[Segment, ...]:
    """One article segment over the whole text, trimmed."""
    start = len(text) - len(text.lstrip())
    return (Segment("article", start, len(text.rstrip())),)
