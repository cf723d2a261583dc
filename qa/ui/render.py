"""Answers and documents as safe HTML and Markdown, for the browser.

Corpus text is untrusted: a document may hold ``<script>``, ``<img onerror=...>`` or a
``javascript:`` link. Every piece of it goes through ``escape`` (HTML) or ``escape_markdown``
(the chat) before it reaches a page, so it shows as text and runs nothing. Only the markup
written here, with fixed tags and classes, is live.
"""

from __future__ import annotations

import base64
import html
import re
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime

from qa.answering.layout import Block, is_fence, layout
from qa.index.manifest import Manifest
from qa.ingest.markdown import TAGS_ONLY
from qa.types import (
    SECTION_SEPARATOR,
    Answer,
    Document,
    PageImage,
    PageView,
    Part,
    Passage,
    Place,
    Quote,
    blanked,
    repeats_title,
)

DOCUMENT_WINDOW = 20_000  # characters shown either side of a passage in a long document
# What a document is, by its file's suffix (the formats of qa.ingest.formats), for its label.
FILE_KINDS = {
    ".pdf": "PDF",
    ".docx": "Word document",
    ".html": "web page",
    ".htm": "web page",
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".rst": "reStructuredText",
    ".adoc": "AsciiDoc",
    ".asciidoc": "AsciiDoc",
    ".txt": "text file",
}
CITATION_LINK = "#qa-cite-"  # a citation [n] of answer A links to #qa-cite-A-n
ASKED_CHARS = 200  # of the question, over its sources
_CODE_KINDS = ("code", "comment")
_TEMPLATE_CHARS = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;"})
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:])")


def escape(text: str) -> str:
    """``text`` as inert HTML: markup characters and template delimiters become entities.

    ``$``, braces and backticks are encoded too, so that no client-side template engine can
    read corpus text as a placeholder.
    """
    return html.escape(text, quote=True).translate(_TEMPLATE_CHARS)


def escape_markdown(text: str) -> str:
    """``text`` as inert Markdown: every Markdown character is backslash-escaped (so no link,
    image or emphasis forms) and HTML characters become entities."""
    return html.escape(_MARKDOWN_SPECIAL.sub(r"\\\1", text), quote=False)


def code_block(text: str) -> str:
    """``text`` as a fenced Markdown code block, shown verbatim (indentation and line breaks
    kept, common indentation removed), its fence longer than any run of backticks inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{textwrap.dedent(text).strip(chr(10))}\n{fence}"


def file_kind(doc_id: str) -> str:
    """What a document is by its file name ("PDF", "web page", "text file"), "" if unknown."""
    dot = doc_id.rfind(".")
    return FILE_KINDS.get(doc_id[dot:].lower(), "") if dot >= 0 else ""


def part_label(part: Part, author: str | None, doc_id: str = "") -> str:
    """What a passage or a place is: 'reader comment by NAME', 'article by NAME' (the author's
    text of a web page that names its author), or else the kind of its file ('PDF', 'text
    file'), since a manual or a man page is no article; '' when none of these is known."""
    if part == "comment":
        return f"reader comment by {author or 'an anonymous reader'}"
    if author:
        return f"article by {author}"
    return file_kind(doc_id)


def plural(count: int, noun: str) -> str:
    """'1 document', '1,234 documents'."""
    return f"{count:,} {noun}{'s' * (count != 1)}"


def corpus_header(folder: str, manifest: Manifest, generated: bool = False) -> str:
    """The page's heading: the folder served, its documents, PDF pages (where the index counted
    them), passages, and when it was indexed; then how answers are made (quoted, or
    ``generated`` by a language model and checked)."""
    facts = [plural(manifest.documents, "document")]
    if manifest.pages:
        facts.append(plural(manifest.pages, "PDF page"))
    facts.append(plural(manifest.chunks, "passage"))
    indexed = _indexed_at(manifest.created)
    if indexed:
        facts.append(f"indexed {indexed}")
    return (
        '<header class="qa-header"><h2>Ask the corpus</h2>'
        f'<p class="qa-corpus"><span class="qa-folder">{escape(folder)}/</span> · '
        f"{escape(' · '.join(facts))}</p>"
        f'<p class="qa-intro">{GENERATED_INTRO if generated else QUOTED_INTRO}, with numbered '
        "citations: click a citation to see its source, and a source to read it in its "
        "document.</p></header>"
    )


QUOTED_INTRO = "Answers are sentences quoted from the documents"
GENERATED_INTRO = (
    "Answers are written by a language model from the documents, each sentence checked against "
    "the passage it cites (an unsupported one is marked)"
)


def _indexed_at(created: str) -> str:
    """The manifest's build time ("2026-12-04T18:40:12+0000") to the minute, as written."""
    try:
        return datetime.strptime(created, "%Y-%m-%dT%H:%M:%S%z").strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return created


def page_label(pages: Sequence[int]) -> str:
    """'p. 3', 'pp. 3–4', or '' for a passage of a document without pages."""
    if not pages:
        return ""
    return f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}–{pages[-1]}"


def question_bubble(question: str, limit: int) -> str:
    """``question`` as the chat echoes it, inert: whole up to ``limit`` characters; a longer one
    collapsed to its first ``limit``, the rest a click away (``<details>``). Its HTML form has
    no blank line, so Markdown never starts inside it."""
    if len(question) <= limit:
        return escape_markdown(question)

    def inert(text: str) -> str:
        return html.escape(text).replace("\r", "").replace("\n", "<br>")

    head, rest = question[:limit], question[limit:]
    return (
        f'<details class="qa-long-question"><summary>{inert(head)}… '
        f"<em>({len(rest):,} more characters)</em></summary>{inert(rest)}</details>"
    )


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with "…" where it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def highlight(text: str, offset: int, spans: Sequence[tuple[int, int]], css_class: str) -> str:
    """``text`` escaped, with each ``(start, end)`` span wrapped in ``<mark class=css_class>``.

    ``offset`` is where ``text`` starts in its document; spans are in document offsets, may
    reach past ``text`` (they are clipped) and must not overlap one another.
    """
    out: list[str] = []
    position = 0
    for start, end in sorted(spans):
        start, end = max(start - offset, position), min(end - offset, len(text))
        if start >= end:
            continue
        out.append(escape(text[position:start]))
        out.append(f'<mark class="{css_class}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def language_hint(language: str | None) -> str:
    """The line put above the reply to a question that ``qa.search.language`` reads as written
    in ``language``; "" for an English one (None)."""
    if not language:
        return ""
    line = (
        f"ℹ The question looks like {language}: the documents and the model are English, so "
        "an answer is found best by asking in English."
    )
    return f"*{escape_markdown(line)}*"


def chat_reply(
    answer: Answer, searched_for: str | None = None, answer_number: int | None = None
) -> str:
    """The chat message for ``answer``: its text with [n] markers, then one line per citation.

    Args:
        answer: The answer.
        searched_for: The query actually searched, when a follow-up was joined to earlier
            questions; shown so the reader sees how the question was read.
        answer_number: The answer's number in its conversation; each [n] marker is then a link
            to ``#qa-cite-A-n`` (``CITATION_LINK``), which the page turns into showing source n
            of answer A.
    """

    def cited(markdown: str) -> str:
        return _link_citations(markdown, len(answer.citations), answer_number)

    parts = [
        code_block(text) if verbatim else cited(escape_markdown(text))
        for text, verbatim in answer.blocks()
    ]
    if searched_for:
        parts.append(f"*Read with the earlier question as: {escape_markdown(searched_for)}*")
    sources = []
    for n, p in enumerate(answer.citations, start=1):
        label = part_label(p.part, p.author, p.doc_id)
        sources.append(
            cited(escape_markdown(f"[{n}] {p.title}{location(p)}{label and ': '}{label}"))
        )
    if sources:
        parts.append("  \n".join(sources))  # two spaces: a line break inside one paragraph
    return "\n\n".join(parts)


# [n] as escape_markdown writes it; a few ASCII digits, as a citation has (a document quoted in
# the answer may hold "[" and 5,000 digits, which int() refuses).
_ESCAPED_MARKER = re.compile(r"\\\[([0-9]{1,4})\\\]")


def _link_citations(markdown: str, citations: int, answer_number: int | None) -> str:
    """Each escaped [n] marker of escaped Markdown, n a citation, as a link to its source."""
    if answer_number is None:
        return markdown

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if not 1 <= n <= citations:
            return match.group(0)
        return f"[{match.group(0)}]({CITATION_LINK}{answer_number}-{n})"

    return _ESCAPED_MARKER.sub(link, markdown)


def source_cards(
    answer: Answer,
    document: Callable[[str], Document],
    elapsed_ms: float | None = None,
    answer_number: int = 1,
    selected: int | None = None,
) -> str:
    """The sources panel of answer ``answer_number`` of a conversation: the question, then
    one card per citation, with the answering sentences highlighted; card ``selected`` (a
    citation number) is marked, for the page to bring it into view.

    Each card and each "also in" place carries ``data-open="A:n"`` or ``data-open="A:n.m"``
    (answer A, its citation n, and that citation's m-th place): the page turns a click on it
    into an ``open`` request.
    """
    heading = "Sources" if answer.confident else "Nearest passages (not an answer)"
    timing = ""
    if elapsed_ms is not None:
        timing = f' <span class="qa-timing">answered in {elapsed_ms:.0f} ms</span>'
    cards = [
        _card(
            f"{answer_number}:{n}",
            n,
            passage,
            document(passage.doc_id),
            answer.quotes,
            n == selected,
        )
        for n, passage in enumerate(answer.citations, start=1)
    ]
    body = "".join(cards) or '<p class="qa-empty">No passage matched.</p>'
    question = shorten(answer.question, ASKED_CHARS)  # the chat has the whole of a long one
    asked = f'<p class="qa-asked">For: {escape(question)}</p>' if question else ""
    return (
        f'<section class="qa-sources" data-answer="{answer_number}">'
        f"<h3>{heading}{timing}</h3>{asked}{body}</section>"
    )


def _card(
    key: str,
    number: int,
    passage: Passage,
    doc: Document,
    quotes: Sequence[Quote],
    selected: bool = False,
) -> str:
    spans = [(q.start, q.end) for q in quotes if q.citation == number]
    where = f"{escape(passage.doc_id)}{location(passage)}, characters {passage.start}–{passage.end}"
    label = sentence_case(part_label(passage.part, passage.author, passage.doc_id))
    what = " · ".join(text for text in (label, passage.date) if text)
    part = (
        f'<div class="qa-part qa-part-{escape(passage.part)}">{escape(what)}</div>' if what else ""
    )
    also = "".join(
        f'<li><button type="button" class="qa-link" data-open="{key}.{m}">'
        f"{escape(place.title)} ({escape(_place_label(place))})</button></li>"
        for m, place in enumerate(passage.also_in, start=1)
    )
    also_in = f'<div class="qa-also">Also in: <ul>{also}</ul></div>' if also else ""
    return (
        f'<article class="qa-source{" qa-selected" * selected}" data-source="{number}" '
        f'data-part="{escape(passage.part)}">'
        f'<header><span class="qa-number">[{number}]</span> '
        f'<span class="qa-title">{escape(passage.title)}</span>'
        f"{_document_byline(doc)}</header>{part}"
        f'<blockquote class="qa-passage">{passage_html(passage, spans)}</blockquote>'
        f"{also_in}"
        f'<button type="button" class="qa-open" data-open="{key}">'
        f"Open in document ({where})</button></article>"
    )


def _place_label(place: Place) -> str:
    label = part_label(place.part, place.author, place.doc_id)
    return f"{place.doc_id}, {label}" if label else place.doc_id


def passage_html(passage: Passage, spans: Sequence[tuple[int, int]]) -> str:
    """A passage's text, escaped, its ``spans`` (document offsets) marked as quotes, and its
    code (``qa.answering.layout``: a fenced block, a prompt, statements) in
    ``<pre class="qa-code">`` from the start of its first line, so that it keeps its
    indentation; the line breaks around a code block are left to the block."""
    text = _without_markup(passage.text, passage.start, passage.running_lines)
    blocks = layout(text, passage.section, passage.title)
    return _with_code(
        _without_definition_marks(text, blocks),
        passage.start,
        _code_spans(text, blocks),
        lambda piece, offset: highlight(piece, offset, spans, "qa-quote"),
    )


def _without_markup(text: str, offset: int, left_out: Sequence[tuple[int, int]]) -> str:
    """``text`` (at ``offset`` in its document) with each span of ``left_out`` that is tags and
    nothing else blanked, offsets unchanged: a Markdown file's ``<div class="codeblock">`` and
    ``</div>`` (pandoc's), which its rendered page does not show either."""
    tags = [
        (s, e) for s, e in left_out if TAGS_ONLY.fullmatch(text[s - offset : e - offset].strip())
    ]
    return blanked(text, tags, offset)


def _without_definition_marks(text: str, blocks: Sequence[Block]) -> str:
    """``text`` without the ": " that opens a definition under its term (pandoc's definition
    list, as a Markdown file writes one and the HTML reader writes a ``<dd>``): "builder" over
    "The builder account ...", as a rendered page shows it, not ": The builder account ...";
    offsets unchanged. The colon of a code line stays."""
    marks = [
        (block.start, block.start + 1)
        for block in blocks
        if block.kind == "item" and text.startswith(": ", block.start)
    ]
    return blanked(text, marks)


def _with_code(
    text: str,
    offset: int,
    code: Sequence[tuple[int, int]],
    render: Callable[[str, int], str],
) -> str:
    """``text`` (at ``offset`` in its document) as HTML: each piece outside and inside the
    ``code`` spans (``_code_spans``) through ``render(piece, its document offset)``, the code
    pieces in ``<pre class="qa-code">``; the line break before and after a block is the
    block's."""
    out: list[str] = []
    position = 0
    for start, end in code:
        out.append(render(text[position:start].removesuffix("\n"), offset + position))
        out.append(f'<pre class="qa-code">{render(text[start:end], offset + start)}</pre>')
        position = end + 1 if text[end : end + 1] == "\n" else end
    out.append(render(text[position:], offset + position))
    return "".join(out)


def _code_spans(text: str, blocks: Sequence[Block]) -> list[tuple[int, int]]:
    """The code of ``text`` (laid out as ``blocks``) as (start, end) of whole lines, with the
    fence lines around it, blocks apart only by blank lines joined. A lone fence line (the end
    of a block whose start is in another passage) is code too: it is markup, not prose."""
    spans: list[tuple[int, int]] = []
    for block in blocks:
        fence = block.kind == "navigation" and is_fence(text[block.start : block.end])
        if block.kind not in _CODE_KINDS and not fence:  # a fence line goes with its code
            continue
        start = text.rfind("\n", 0, block.start) + 1  # the line's indentation with it
        end = text.find("\n", block.end)
        end = len(text) if end < 0 else end
        if spans and not text[spans[-1][1] : start].strip():
            start = spans.pop()[0]
        spans.append((start, end))
    return spans


def location(passage: Passage) -> str:
    """Where in its document a passage is, if known: the page and the headings it stands under,
    as ", p. 4, § 2.2 The source XML files" (the headings that repeat the title, as a Word
    file's Title paragraph over its first heading both do, are left out)."""
    label = page_label(passage.pages)
    trail = (passage.section or "").split(SECTION_SEPARATOR)
    while trail and repeats_title(trail[0], passage.title):
        trail = trail[1:]
    section = SECTION_SEPARATOR.join(t for t in trail if t)
    return (f", {label}" if label else "") + (f", § {section}" if section else "")


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _document_byline(doc: Document) -> str:
    parts = [f"by {doc.author}" if doc.author else "", doc.date or ""]
    text = ", ".join(p for p in parts if p)
    return f' <span class="qa-byline">{escape(text)}</span>' if text else ""


def document_view(
    doc: Document,
    where: Passage | Place,
    quotes: Sequence[Quote] = (),
    pages: PageView | None = None,
) -> str:
    """The whole document (or a window of ``DOCUMENT_WINDOW`` characters either side, when it
    is long) with ``where`` highlighted, the answer's sentences marked inside it, and its code
    (``qa.answering.layout``) in ``<pre class="qa-code">`` blocks that keep their indentation.

    ``pages``, for a PDF, puts the pages ``where`` stands on beside the text, as images with
    its lines boxed (``QA.page_view``), and its note under the heading."""
    begin = max(0, where.start - DOCUMENT_WINDOW)
    end = min(len(doc.text), where.end + DOCUMENT_WINDOW)
    spans = [(q.start, q.end) for q in quotes if q.doc_id == doc.doc_id]
    inside = [(max(s, where.start), min(e, where.end)) for s, e in spans]

    def marked(piece: str, offset: int) -> str:
        # The part of ``piece`` inside ``where`` highlighted, the quotes inside it marked: one
        # <mark class="qa-highlight"> per piece, so that a code block inside it nests validly.
        start = min(max(where.start - offset, 0), len(piece))
        stop = max(min(where.end - offset, len(piece)), start)
        if start == stop:
            return escape(piece)
        passage = highlight(piece[start:stop], offset + start, inside, "qa-quote")
        return (
            f'{escape(piece[:start])}<mark class="qa-highlight">{passage}</mark>'
            f"{escape(piece[stop:])}"
        )

    window = _without_markup(doc.text[begin:end], begin, doc.unindexed_spans(begin, end))
    blocks = layout(window, None, doc.title)
    body = _with_code(
        _without_definition_marks(window, blocks), begin, _code_spans(window, blocks), marked
    )
    cut_before = f'<p class="qa-cut">… {begin:,} characters before …</p>' if begin else ""
    cut_after = (
        f'<p class="qa-cut">… {len(doc.text) - end:,} characters after …</p>'
        if end < len(doc.text)
        else ""
    )
    # Which part is highlighted, when the document has parts (an article and its comments); the
    # kind of file needs no saying beside its name.
    label = part_label(where.part, where.author)
    highlighted = f"highlighted: {escape(label)}, " if label else "highlighted: "
    text = f'{cut_before}<div class="qa-doc-text">{body}</div>{cut_after}'
    note = f'<p class="qa-note">{escape(pages.note)}</p>' if pages and pages.note else ""
    if pages and pages.images:
        figures = "".join(_page_figure(image, doc.doc_id) for image in pages.images)
        text = (
            f'<div class="qa-pdf"><div class="qa-pages">{figures}</div>'
            f'<div class="qa-pdf-text">{text}</div></div>'
        )
    return (
        f'<section class="qa-document" data-doc="{escape(doc.doc_id)}">'
        f'<div class="qa-doc-meta">{escape(doc.doc_id)}{_document_byline(doc)} · '
        f"{highlighted}characters {where.start}–{where.end}</div>"
        f"{note}{text}</section>"
    )


def document_viewer(
    doc: Document,
    where: Passage | Place,
    quotes: Sequence[Quote] = (),
    pages: PageView | None = None,
    answer_number: int = 1,
    citation: int = 1,
    citations: int = 1,
) -> str:
    """The document viewer: a bar with the document's title, where ``where`` is in it (page,
    section trail), "previous" and "next" buttons through the answer's citations and a close
    button, above ``document_view``.

    ``where`` is citation ``citation`` of answer ``answer_number`` (of ``citations``), or one
    of its "also in" places. The buttons carry ``data-open="A:n"`` for the citation they go
    to, as the source cards do, and ``data-close``; at either end a button is disabled."""

    def step(to: int, label: str, arrow: str) -> str:
        go = f'data-open="{answer_number}:{to}"' if 1 <= to <= citations else "disabled"
        return (
            f'<button type="button" class="qa-step" {go} aria-label="{label} citation">'
            f"{arrow}</button>"
        )

    where_in = viewer_location(doc, where)
    return (
        f'<section class="qa-viewer" role="dialog" aria-label="Document viewer" '
        f'data-open-key="{answer_number}:{citation}">'
        '<header class="qa-viewer-bar"><div class="qa-viewer-where">'
        f'<h3 class="qa-viewer-title">{escape(doc.title)}</h3>'
        f'<div class="qa-viewer-location">{escape(where_in)}</div></div>'
        f'<nav class="qa-viewer-nav">{step(citation - 1, "Previous", "‹ Previous")}'
        f'<span class="qa-viewer-count">Source {citation} of {citations}</span>'
        f"{step(citation + 1, 'Next', 'Next ›')}"
        '<button type="button" class="qa-close" data-close aria-label="Close the document '
        'viewer (Esc)" title="Close (Esc)">×</button></nav></header>'
        f'<div class="qa-viewer-body">{document_view(doc, where, quotes, pages)}</div>'
        "</section>"
    )


def viewer_note(text: str) -> str:
    """The document viewer holding a message instead of a document, with its close button."""
    return (
        '<section class="qa-viewer" role="dialog" aria-label="Document viewer">'
        '<header class="qa-viewer-bar"><div class="qa-viewer-where"></div>'
        '<nav class="qa-viewer-nav"><button type="button" class="qa-close" data-close '
        'aria-label="Close the document viewer (Esc)" title="Close (Esc)">×</button></nav>'
        f'</header><div class="qa-viewer-body"><p class="qa-empty">{escape(text)}</p></div>'
        "</section>"
    )


def viewer_location(doc: Document, where: Passage | Place) -> str:
    """Where ``where`` is, for the viewer's bar: its file, page and trail of headings, as
    "spec.pdf, p. 8, § 2. Unified system › 2.5 The magic files" (an "also in" place's page
    and headings found in its document)."""
    if isinstance(where, Place):
        page = doc.page_of(where.start)
        where = Passage(
            "",
            0.0,
            doc.doc_id,
            doc.title,
            where.start,
            where.end,
            where.part,
            pages=(page,) if page else (),
            section=doc.section_at(where.start),
        )
    return f"{doc.doc_id}{location(where)}"


def _page_figure(image: PageImage, doc_id: str) -> str:
    """A page image as a data: URI (nothing to serve, nothing kept on disk), with where its
    first box is (``data-focus``, a share of its height) so that the page can be scrolled to
    the passage."""
    source = "data:image/png;base64," + base64.b64encode(image.png).decode("ascii")
    focus = f"{image.boxes[0].top / image.height:.4f}" if image.boxes else "0"
    lines = len(image.boxes)
    caption = f"p. {image.page}" + (f" · {lines} line{'s' * (lines != 1)} boxed" if lines else "")
    return (
        f'<figure class="qa-page" data-page="{image.page}">'
        f'<img src="{source}" width="{image.width}" height="{image.height}" '
        f'data-focus="{focus}" alt="Page {image.page} of {escape(doc_id)}, the passage boxed">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )
