"""HTML and Markdown rendering: corpus text is always inert, highlights land on the offsets."""

from __future__ import annotations

import base64
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from qa.index.manifest import BuildSettings, Manifest
from qa.types import Answer, Document, Heading, PageView, Passage, Place, Quote
from qa.ui.render import (
    chat_reply,
    corpus_header,
    document_view,
    document_viewer,
    escape,
    escape_markdown,
    highlight,
    language_hint,
    location,
    part_label,
    passage_html,
    question_bubble,
    source_cards,
    viewer_location,
    viewer_note,
)

PAYLOAD = (
    '<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a> '
    "[link](javascript:alert(4)) ![i](x) ${alert(5)} {{constructor}} `code` **bold**"
)


def test_escape_leaves_no_markup_or_template_characters():
    out = escape(PAYLOAD)
    assert not re.search(r"[<>\"'$`{}]", out)
    assert "&lt;script&gt;" in out and "&#36;&#123;alert(5)&#125;" in out


def test_escape_markdown_leaves_no_live_markdown_or_html():
    out = escape_markdown(PAYLOAD)
    assert "<" not in out and ">" not in out
    # every Markdown bracket, paren, star and backtick is backslash-escaped
    assert re.search(r"(?<!\\)[\[\]()*`!]", out) is None
    assert r"\[link\]\(javascript\:alert\(4\)\)" in out


def test_highlight_wraps_spans_in_document_offsets():
    text = "alpha beta gamma"
    # text starts at offset 100 of its document; "beta" is 106–110
    assert highlight(text, 100, [(106, 110)], "hit") == 'alpha <mark class="hit">beta</mark> gamma'


def test_highlight_clips_spans_and_escapes_inside_and_out():
    out = highlight("<a> <b> <c>", 0, [(4, 99), (-5, 1)], "hit")
    assert out == '<mark class="hit">&lt;</mark>a&gt; <mark class="hit">&lt;b&gt; &lt;c&gt;</mark>'


def _passage(text: str, doc_id: str = "d.txt", start: int = 10, **kw) -> Passage:
    fields = dict(score=1.0, title="T <b>", part="comment", author="Eve <i>", date="today")
    fields.update(kw)
    return Passage(text=text, doc_id=doc_id, start=start, end=start + len(text), **fields)


def test_source_cards_escape_everything_and_mark_the_quote():
    text = f"Intro. {PAYLOAD} The answer sentence."
    quote_start = 10 + text.index("The answer")
    place = Place("copy<x>.txt", "Copy", 0, len(text), "article", None)
    passage = _passage(text, also_in=(place,))
    answer = Answer(
        "q",
        "The answer sentence. [1]",
        [passage],
        True,
        [Quote(1, "d.txt", quote_start, 10 + len(text))],
    )
    doc = Document("d.txt", "T <b>", "x" * 10 + text, author="Kim", date="2008")
    html = source_cards(answer, lambda _: doc, elapsed_ms=12.3, answer_number=3)
    assert "<script" not in html and "<img" not in html and 'javascript:alert(3)"' not in html
    assert '<mark class="qa-quote">The answer sentence.</mark>' in html
    assert "Reader comment by Eve &lt;i&gt;" in html
    # answer 3's citation 1, and its first "also in" place, a text file
    assert 'data-open="3:1"' in html and 'data-open="3:1.1"' in html
    assert "(copy&lt;x&gt;.txt, text file)" in html
    assert "answered in 12 ms" in html and "qa-selected" not in html
    assert '<p class="qa-asked">For: q</p>' in html


def test_source_cards_mark_the_card_of_the_citation_clicked():
    passages = [_passage("One.", doc_id="a.pdf"), _passage("Two.", doc_id="b.md")]
    answer = Answer("Which <one>?", "One. [1]", passages, True)
    html = source_cards(answer, lambda d: Document(d, "T", "x" * 20), answer_number=2, selected=2)
    assert html.count("qa-selected") == 1
    assert '<article class="qa-source qa-selected" data-source="2"' in html
    assert "For: Which &lt;one&gt;?" in html


def test_a_document_is_labelled_by_its_kind_of_file_not_as_an_article():
    assert part_label("article", None, "manuals/bzip2-manual.pdf") == "PDF"
    assert part_label("article", None, "tar-man-page.txt") == "text file"
    assert part_label("article", None, "pip/caching.MD") == "Markdown"
    assert part_label("article", None, "notes") == ""
    assert part_label("article", "Kevin Drum", "post.txt") == "article by Kevin Drum"  # a byline
    assert part_label("comment", None, "post.txt") == "reader comment by an anonymous reader"
    card = source_cards(
        Answer(
            "q", "x [1]", [_passage("T.", doc_id="ls.1", part="article", author=None, date=None)]
        ),
        lambda d: Document(d, "T", "x" * 20),
    )
    assert "qa-part" not in card.replace('data-part="article"', "")  # nothing to say: no line
    assert "rticle" not in re.sub(r"<[^>]+>", "", card)
    dated = _passage("Text.", doc_id="a.pdf", part="article", author=None, date="2008")
    card = source_cards(Answer("q", "x [1]", [dated]), lambda d: Document(d, "T", "x" * 20))
    assert '<div class="qa-part qa-part-article">PDF · 2008</div>' in card


def test_code_in_a_passage_is_a_preformatted_block_that_keeps_its_indentation():
    text = (
        "* The `--with-icu-default-data-dir` configure option:\n\n"
        "  ```bash\n"
        "  ./configure --with-icu-default-data-dir=/runtime/dir --with-intl=small-icu\n"
        "  ```\n\n"
        "  This only embeds the <default> data directory path into the binary."
    )
    passage = _passage(text, doc_id="intl.md", start=100)
    quote = 100 + text.index("This only")
    html = passage_html(passage, [(quote, quote + 9)])
    code = re.findall(r'<pre class="qa-code">(.*?)</pre>', html, re.DOTALL)
    assert code == [
        escape(
            "  ```bash\n"
            "  ./configure --with-icu-default-data-dir=/runtime/dir --with-intl=small-icu\n"
            "  ```"
        )
    ]
    assert '<mark class="qa-quote">This only</mark> embeds the &lt;default&gt;' in html
    prose = _passage("No code here, only a sentence.\n  Indented prose.", doc_id="a.txt")
    assert passage_html(prose, []) == escape(prose.text)


def test_a_definitions_colon_is_not_shown_but_a_code_lines_is():
    """A glossary entry reads "builder" over "The builder account ...", as its page shows it,
    not ": The builder account ..." (pandoc's mark, which the HTML reader writes for a <dd>)."""
    text = (
        "builder\n\n: The builder account runs the jobs. It has uid 2001.\n\n"
        "```sh\n: ${CACHE:=/srv/cache}\n```"
    )
    passage = _passage(text, doc_id="accounts.html", start=40)
    quote = 40 + text.index("It has")
    html = passage_html(passage, [(quote, quote + 6)])
    assert "builder\n\n  The builder account runs the jobs." in html
    assert ": The builder" not in html
    assert escape(": ${CACHE:=/srv/cache}") in html  # the shell's no-op command stays
    assert '<mark class="qa-quote">It has</mark> uid 2001.' in html  # offsets unchanged
    view = document_view(Document("accounts.html", "Accounts", text), passage)
    assert ": The builder" not in view and "The builder account" in view


def _manifest(**counts) -> Manifest:
    settings = BuildSettings(4, "all-MiniLM-L6-v2", "int8", 384, 256, 192, 32, 0.7)
    return Manifest(settings, "/docs", **counts)


def test_the_header_names_the_folder_its_documents_pages_passages_and_indexing_time():
    manifest = _manifest(documents=33, chunks=1234, pages=210, created="2026-12-04T18:40:12+0000")
    html = corpus_header("realdocs", manifest)
    assert (
        "realdocs/ · 33 documents · 210 PDF pages · 1,234 passages · indexed 2026-12-04 18:40"
        in (re.sub(r"<[^>]+>", "", html))
    )
    plain = re.sub(r"<[^>]+>", "", corpus_header("notes", _manifest(documents=1, chunks=1)))
    assert "notes/ · 1 document · 1 passage" in plain and "PDF" not in plain  # pages unknown
    assert "sentences quoted from the documents" in plain
    generated = corpus_header("notes", _manifest(documents=1, chunks=1), generated=True)
    assert "written by a language model" in generated and "quoted" not in generated


def test_the_header_escapes_a_hostile_folder_name():
    html = corpus_header('<img src=x onerror="alert(1)">${x}', _manifest(documents=1, chunks=2))
    assert "<img" not in html and "onerror=&quot;" in html and "&#36;&#123;x&#125;" in html


def test_document_view_highlights_the_passage_inside_the_whole_text():
    text = "Before. <b>Passage here.</b> After."
    start = text.index("Passage")
    passage = _passage("Passage here.", start=start, part="article", author=None)
    doc = Document("d.txt", "Title", text)
    html = document_view(doc, passage, [Quote(1, "d.txt", start, start + 7)])
    assert "Before. &lt;b&gt;" in html and "&lt;/b&gt; After." in html
    assert '<mark class="qa-highlight"><mark class="qa-quote">Passage</mark> here.</mark>' in html
    assert "qa-cut" not in html  # short documents are shown whole
    assert "d.txt · highlighted: characters 11–24" in html  # not "highlighted: text file"
    comment = _passage("Passage here.", start=start, part="comment", author="Eve")
    assert "highlighted: reader comment by Eve, characters" in document_view(doc, comment)


def test_document_view_shows_a_window_of_a_long_document():
    text = "a" * 100_000 + "NEEDLE" + "b" * 100_000
    passage = _passage("NEEDLE", start=100_000, part="article")
    html = document_view(Document("d.txt", "Big", text), passage)
    assert len(html) < 50_000
    assert "100,000 characters before" not in html and "characters before" in html
    assert '<mark class="qa-highlight">NEEDLE</mark>' in html


def test_chat_reply_lists_citations_and_says_how_a_follow_up_was_read():
    passage = _passage("text", title="What's *up*", author="John")
    answer = Answer("q", "It was [x](javascript:y). [1]", [passage], True)
    reply = chat_reply(answer, searched_for="What did Sadr demand? Did they accept?")
    assert r"\[x\]\(javascript\:y\)" in reply
    assert r"\[1\] What's \*up\*\: reader comment by John" in reply
    assert "Read with the earlier question as: What did Sadr demand? Did they accept?" in reply


def test_chat_reply_links_each_citation_marker_to_its_source_of_this_answer():
    passages = [_passage("a", doc_id="a.pdf", part="article", author=None), _passage("b")]
    text = f"First [1]. Second [2]. A document's own [7] stays text, [{'1' * 5000}] too."
    reply = chat_reply(Answer("q", text, passages, True), answer_number=4)
    assert r"First [\[1\]](#qa-cite-4-1)\. Second [\[2\]](#qa-cite-4-2)\." in reply
    assert r"own \[7\] stays" in reply  # no citation 7: no link
    assert "\n[\\[1\\]](#qa-cite-4-1) T &lt;b&gt;\\: PDF  \n[\\[2\\]](#qa-cite-4-2) T" in reply
    assert "#qa-cite" not in chat_reply(Answer("q", text, passages, True))  # no number, no links


def test_a_quoted_code_block_is_shown_verbatim_in_a_fence_it_cannot_close():
    code = "    $ find . -type f -exec file '{}' \\;\n      ```\n    <b>x</b>"
    answer = Answer("q", f"Run file on every file. [1]\n\n{code}", [_passage("t")], True)
    reply = chat_reply(answer)
    prose, block = reply.split("\n\n")[:2]
    assert prose == r"Run file on every file\. \[1\]"
    fence = "````"  # longer than the backticks inside
    assert block == f"{fence}\n$ find . -type f -exec file '{{}}' \\;\n  ```\n<b>x</b>\n{fence}"


def test_a_location_names_page_and_section_but_not_the_title_again() -> None:
    title = "Internationalization support | Node.js v20.20.2 Documentation"
    trail = "Internationalization support › Options for building Node.js"
    passage = _passage("Text.", title=title, section=trail, pages=(3, 4), page=3)
    assert location(passage) == ", pp. 3–4, § Options for building Node.js"
    assert location(_passage("Text.", title="Notes", section=None)) == ""
    # A Word file's Title paragraph and its first heading both repeat the title (a no-break
    # space in one of them).
    trail = "9.7. Scheduling Tasks › 9.7. Scheduling Tasks › 9.7.2. Using the at Command"
    passage = _passage("Text.", title="9.7.\u00a0Scheduling Tasks", section=trail)
    assert location(passage) == ", § 9.7.2. Using the at Command"


def test_document_view_puts_the_page_images_beside_the_text_and_escapes_the_note():
    from qa.ingest.pdf_page import page_texts, render_pages
    from tests.helpers import FIXTURES, document_of

    spec = FIXTURES / "shared-mime-info-spec.pdf"
    with tempfile.TemporaryDirectory() as folder:
        doc = document_of(Path(folder), "spec.pdf", spec.read_bytes())
    start = doc.text.index("Each application that wishes")
    where = Passage("…", 1.0, doc.doc_id, doc.title, start, start + 300, "article")
    view = render_pages(spec, page_texts(doc, start, start + 300))

    html = document_view(doc, where, pages=view)
    image = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"[^>]*>', html)
    assert image and base64.b64decode(image.group(1)) == view.images[0].png
    lines = len(view.images[0].boxes)
    assert 'data-focus="0.' in image.group(0) and f"p. 3 · {lines} lines boxed" in html
    assert html.index('class="qa-pages"') < html.index('<mark class="qa-highlight">')

    noted = document_view(doc, where, pages=PageView(note="<b>x.pdf</b> is encrypted."))
    assert "<img" not in noted and "&lt;b&gt;x.pdf&lt;/b&gt; is encrypted." in noted
    assert document_view(doc, where, pages=PageView()) == document_view(doc, where)


def test_the_document_viewer_names_the_document_and_steps_through_the_citations():
    text = "Intro.\n\n" + "The <b>answer</b> is here." + "\n\nMore."
    start = text.index("The")
    passage = _passage(
        "The <b>answer</b> is here.",
        doc_id="a<x>.pdf",
        start=start,
        title="T <b>",
        pages=(3, 4),
        section="Part <1> › Setup",
    )
    doc = Document("a<x>.pdf", "Title <script>", text)
    html = document_viewer(doc, passage, answer_number=3, citation=1, citations=2)
    assert '<h3 class="qa-viewer-title">Title &lt;script&gt;</h3>' in html
    assert "a&lt;x&gt;.pdf, pp. 3–4, § Part &lt;1&gt; › Setup" in html
    assert "<script" not in html and "<b>" not in html
    # citation 1 of 2: no previous, the next is citation 2 of answer 3; a close button
    assert 'class="qa-step" disabled aria-label="Previous citation"' in html
    assert 'class="qa-step" data-open="3:2" aria-label="Next citation"' in html
    assert "Source 1 of 2" in html and "data-close" in html and 'data-open-key="3:1"' in html
    assert document_view(doc, passage) in html
    last = document_viewer(doc, passage, answer_number=3, citation=2, citations=2)
    assert 'data-open="3:1" aria-label="Previous citation"' in last
    assert 'disabled aria-label="Next citation"' in last


def test_the_viewer_finds_the_page_and_headings_of_an_also_in_place():
    text = "# Guide\n\nIntro.\n\n## Install <now>\n\nRun it.\n" + "x" * 50
    doc = Document(
        "g.md",
        "Guide",
        text,
        pages=(0, text.index("Run")),
        headings=(
            Heading(1, "Guide", 0, 7),
            Heading(2, "Install <now>", text.index("##"), text.index("Run") - 2),
        ),
    )
    place = Place("g.md", "Guide", text.index("Run"), text.index("Run") + 7, "article", None)
    assert viewer_location(doc, place) == "g.md, p. 2, § Install <now>"
    assert "g.md, p. 2, § Install &lt;now&gt;" in document_viewer(doc, place)


def test_code_in_the_document_view_is_a_preformatted_block_that_keeps_its_indentation():
    text = "Install it:\n\n```bash\n    ./configure --prefix=<dir>\n```\n\nThen run it."
    code = text.index("    ./configure")
    passage = _passage(text[code:], doc_id="d.md", start=code, part="article", author=None)
    html = document_view(Document("d.md", "Doc", text), passage)
    block = re.findall(r'<pre class="qa-code">(.*?)</pre>', html, re.DOTALL)
    # the code's first line and its closing fence are inside the highlight, in one block
    fence, code = escape("```"), "    ./configure --prefix=&lt;dir&gt;"
    assert block == [f'{fence}bash\n<mark class="qa-highlight">{code}\n{fence}</mark>']
    assert '</pre><mark class="qa-highlight">\nThen run it.</mark>' in html
    assert "Install it:\n" in html and "Install it:\n\n<pre" not in html  # the block's break


def test_a_viewer_note_is_escaped_and_can_be_closed():
    html = viewer_note("<img src=x onerror=alert(1)> is gone")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt; is gone" in html
    assert 'class="qa-viewer"' in html and "data-close" in html


def test_the_language_hint_is_one_italic_line_naming_the_language_and_none_for_english():
    assert language_hint(None) == ""
    hint = language_hint("French")
    assert hint.startswith("*ℹ The question looks like French")
    assert "the documents and the model are English" in hint
    assert hint.endswith("English\\.*") and "\n" not in hint  # escaped Markdown, one line


def test_a_long_question_is_echoed_collapsed_and_inert():
    assert question_bubble("Who *brokered* it?", 500) == escape_markdown("Who *brokered* it?")
    question = "Who brokered it? " * 40 + "\n\n[x](javascript:alert(1)) <img src=x onerror=f()>"
    shown = question_bubble(question, 500)
    assert shown.startswith('<details class="qa-long-question"><summary>Who brokered it?')
    assert f"({len(question) - 500:,} more characters)" in shown
    assert "\n" not in shown  # one HTML block: no Markdown starts inside it
    assert "<img" not in shown and "&lt;img src=x" in shown


def test_the_sources_name_a_long_question_by_its_start():
    question = "Who brokered it? " * 40
    answer = Answer(question.strip(), "It was brokered. [1]", [], True)
    html_ = source_cards(answer, lambda doc_id: None, 10.0)
    asked = re.search(r'<p class="qa-asked">For: (.*?)</p>', html_).group(1)
    assert len(asked) <= 200 and asked.endswith("…")


def test_a_markdown_files_tag_only_lines_are_not_shown(tmp_path: Path) -> None:
    """pandoc's Markdown wraps each example in a tags-only HTML block; the viewer and the source
    card show the source without them (blanked: offsets stay those of the document)."""
    from tests.helpers import document_of

    source = (
        "# Writing results to a file\n\n"
        "Use the .once command instead of .output for the next command only. For example:\n\n"
        '<div class="codeblock">\n\n'
        "    sqlite> .once results.txt\n\n"
        "</div>\n\n"
        "The output goes to the console again after it.\n"
    )
    doc = document_of(tmp_path, "cli.md", source.encode())
    where = _passage(doc.text, doc_id="cli.md", start=0, part="article")
    viewed = document_view(doc, where)
    card = passage_html(replace(where, running_lines=doc.unindexed_spans(0, len(doc.text))), [])
    for html in (viewed, card):
        assert "codeblock" not in html and "&lt;/div&gt;" not in html
        assert "sqlite&gt; .once results.txt" in html
        assert "The output goes to the console again" in html
