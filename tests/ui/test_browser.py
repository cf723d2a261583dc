"""The chat in a real browser: Debian's Chromium driven by Playwright, against ``python app.py``
(the ``browser`` and ``page`` fixtures are in ``conftest.py``).

Set QA_SCREENSHOT=docs/screenshot.png to keep the screenshot of the app answering
(``make screenshot`` does), QA_PAGE_SCREENSHOT=FILE.png for the one of a PDF source opened
on its page, QA_SOURCES_SCREENSHOT=FILE.png for the one of a folder of manuals, an earlier
answer's sources brought back by its citation, and QA_VIEWER_SCREENSHOT=NAME for the document
viewer beside the chat (NAME-desktop.png, 1400x1000, and NAME-phone.png, 390x844).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator, Sequence

import pytest
from playwright.sync_api import Page, expect

from eval.reliability.app_process import running_app
from tests.helpers import FIXTURES, names_quds_commander, text_docx, text_pdf

pytestmark = pytest.mark.slow  # a subprocess harness: make test runs it, make check does not

ANSWER_TIMEOUT_MS = 60_000
# Anything a hostile document could smuggle into the page as live markup.
LIVE_MARKUP = '[onerror], [onload], [onclick], a[href^="javascript:" i], iframe, img[src="x"]'


@contextlib.contextmanager
def fixtures_app(
    tmp_path_factory: pytest.TempPathFactory, label: str, names: Sequence[str], empty: str = ""
) -> Iterator[str]:
    """The app over a folder holding the fixture files ``names`` (and an ``empty`` file, if
    named); its URL."""
    folder = tmp_path_factory.mktemp(label)
    corpus = folder / "manuals"
    corpus.mkdir()
    for name in names:
        shutil.copy(FIXTURES / name, corpus / name)
    if empty:
        (corpus / empty).write_text("")
    with running_app(corpus, folder / "index", folder / "app.log") as url:
        yield url


@pytest.fixture(scope="module")
def manuals_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a folder of manuals of four formats (not the demo corpus's blog posts)."""
    names = (
        "shared-mime-info-spec.pdf",
        "nodejs-intl.md",
        "ls-man-page.txt",
        "pip-repeatable-installs.docx",
    )
    with fixtures_app(tmp_path_factory, "app-manuals", names) as url:
        yield url


def bot_messages(page: Page):
    return page.locator('#qa-chat [data-testid="bot"]')


def ask(page: Page, question: str) -> str:
    """Type ``question``, press Enter, and return the text of the reply."""
    replies = bot_messages(page).count()
    box = page.locator("#qa-question textarea")
    box.fill(question)
    box.press("Enter")
    expect(bot_messages(page)).to_have_count(replies + 1, timeout=ANSWER_TIMEOUT_MS)
    return reply_text(page)


SEARCHING = "Searching the documents…"  # the reply's first state, until the answer comes


def reply_text(page: Page) -> str:
    """The text of the last reply, once the answer has replaced its "Searching" state."""
    last = bot_messages(page).last
    expect(last).not_to_contain_text(SEARCHING, timeout=ANSWER_TIMEOUT_MS)
    return last.inner_text()


def test_asking_shows_the_answer_its_sources_and_the_passage_in_its_document(page, app_url):
    page.goto(app_url)
    page.locator("#qa-examples").get_by_text("Who brokered the ceasefire?").click()
    expect(bot_messages(page)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    reply = reply_text(page)
    assert names_quds_commander(reply), reply
    assert "[1]" in reply

    card = page.locator("#qa-sources .qa-source").first
    expect(card).to_contain_text("What's Going on in Basra?")
    expect(card).to_contain_text("by Kevin Drum")  # the Washington Monthly post's author
    expect(card).to_contain_text("Reader comment by John Emerson")
    expect(card.locator("mark.qa-quote")).to_contain_text("brokered by the commander")

    card.locator(".qa-open").click()
    highlighted = page.locator("#qa-document mark.qa-highlight")
    expect(highlighted).to_contain_text("brokered by the commander", timeout=ANSWER_TIMEOUT_MS)
    expect(highlighted.locator("mark.qa-quote")).to_contain_text("al-Quds Brigade")
    expect(page.locator("#qa-document")).to_contain_text("Posted by: John Emerson")
    expect(highlighted).to_be_in_viewport()

    assert not page.errors and not page.dialogs
    if os.environ.get("QA_SCREENSHOT"):
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=os.environ["QA_SCREENSHOT"])


def test_a_follow_up_is_read_with_the_question_before_it(page, app_url):
    page.goto(app_url)
    ask(page, "What did Sadr demand?")
    reply = ask(page, "Did the government accept them?")
    assert "Read with the earlier question as: What did Sadr demand? Did the government" in reply
    assert "accept" in reply.split("Read with")[0]

    page.get_by_role("button", name="New conversation").click()
    expect(bot_messages(page)).to_have_count(0)
    expect(page.locator("#qa-sources")).to_contain_text("Ask a question")
    assert "Read with" not in ask(page, "Did the government accept them?")


def test_bad_questions_get_a_one_line_reply_not_an_error(page, app_url):
    page.goto(app_url)
    assert "The question is empty" in ask(page, "   ")
    expect(page.locator('#qa-chat [data-testid="user"]')).to_have_count(0)  # no empty bubble
    assert "too long" in ask(page, "Basra " * 4000)
    expect(page.locator('#qa-chat [data-testid="user"]')).to_have_count(1)
    # After an answer, a blank question's reply is a bubble of its own, not a paragraph of it.
    assert ask(page, " ").startswith("⚠ The question is empty")
    expect(page.locator("#qa-chat .bot-row")).to_have_count(bot_messages(page).count())
    reply = ask(page, "Who won the 1998 World Cup?")
    assert "does not seem to answer" in reply
    expect(page.locator("#qa-sources h3")).to_contain_text("Nearest passages")
    assert page.locator(".toast-body").count() == 0
    assert not page.errors and not page.dialogs


def test_a_long_question_is_shown_collapsed_and_whole_on_a_click(page, app_url):
    page.goto(app_url)
    question = (
        "Who brokered the ceasefire in Basra? "
        + "Some context about the question. " * 20
        + "\n\n[click](javascript:window.__pwned='md') <img src=x onerror=\"window.__pwned='img'\">"
        + " THE END"
    )
    ask(page, question)
    bubble = page.locator('#qa-chat [data-testid="user"]').last
    expect(bubble.locator("details summary")).to_contain_text("more characters)")
    assert "THE END" not in bubble.inner_text()
    bubble.locator("details summary").click()
    expect(bubble).to_contain_text("THE END")
    assert page.evaluate("window.__pwned") is None
    assert not page.errors and not page.dialogs


HOSTILE = """Hostile page <script>window.__pwned = 'title'</script>

By: Mallory <img src=x onerror="window.__pwned='byline'">

The ceasefire was brokered by <img src=x onerror="window.__pwned='img'"> the harbour master of \
Basra, officials said. He signed it at <a href="javascript:window.__pwned='link'">the port</a> \
after talks <script>window.__pwned='script'</script> that lasted all night.

Markdown tricks: [click](javascript:window.__pwned='md') ![x](x" onerror="window.__pwned='mdimg')
${window.__pwned='template'} {{constructor.constructor("window.__pwned='hbs'")()}}
<svg onload="window.__pwned='svg'"></svg> <iframe src="javascript:window.__pwned='iframe'"></iframe>
"""


HOSTILE_FOLDER = "hostile <img src=x onerror=\"window.__pwned='folder'\">"


def test_html_and_script_in_a_document_show_as_text_and_run_nothing(page, tmp_path):
    corpus = tmp_path / HOSTILE_FOLDER  # the header names the folder
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(HOSTILE)
    # Mostly prose, so read as Markdown source (a file mostly of raw HTML is read as its page,
    # its scripts never text: tests/ingest/test_formats.py).
    notes = "These notes were kept by the harbour office during the talks. " * 20
    (corpus / "tricks.md").write_text(f"# Notes\n\n{notes}\n\n{HOSTILE}")
    # The same text in a PDF's text layer and in a Word file's paragraphs.
    (corpus / "hostile.pdf").write_bytes(text_pdf(HOSTILE))
    (corpus / "hostile.docx").write_bytes(text_docx(HOSTILE))
    with running_app(corpus, tmp_path / "index", tmp_path / "app.log") as url:
        page.goto(url)
        expect(page.locator("#qa-header")).to_contain_text(f"{HOSTILE_FOLDER}/ · 4 documents")
        page.locator("#qa-advanced").get_by_text("Advanced").click()
        passages = page.get_by_label("number input for Passages to retrieve")
        passages.fill("8")  # every copy among the sources
        passages.press("Enter")
        reply = ask(page, "Who brokered the ceasefire?")
        assert "<img src=x onerror=" in reply  # shown as text
        sources = page.locator("#qa-sources")
        expect(sources).to_contain_text("<img src=x onerror=")
        # Each source and each "also in" copy (the four files hold the same text) opened in the
        # viewer: the PDF's page image, the Word file's paragraphs, all as text.
        opened = set()
        openers = page.locator("#qa-sources [data-open]")
        for n in range(openers.count()):
            openers.nth(n).click()
            document = page.locator("#qa-document .qa-document")
            expect(document).to_contain_text("<script>", timeout=ANSWER_TIMEOUT_MS)
            expect(document).to_contain_text("javascript:window.__pwned")
            opened.add(document.get_attribute("data-doc"))
            page.wait_for_timeout(500)  # time for any injected handler to fire
            assert page.evaluate("window.__pwned") is None, opened
            assert page.locator(LIVE_MARKUP).count() == 0, opened
            page.keyboard.press("Escape")
            expect(page.locator("#qa-document")).to_be_hidden()
        assert {"hostile.pdf", "hostile.docx"} <= opened, opened
        assert not page.dialogs


def test_opening_a_pdf_source_shows_its_page_with_the_passage_boxed(page, tmp_path):
    corpus = tmp_path / "manuals"
    corpus.mkdir()
    shutil.copy(FIXTURES / "shared-mime-info-spec.pdf", corpus / "spec.pdf")
    (corpus / "notes.txt").write_text("The MIME database is updated by a command.\n")
    with running_app(corpus, tmp_path / "index", tmp_path / "app.log") as url:
        page.goto(url)
        ask(page, "Which command must an application run after installing its XML file?")
        card = page.locator("#qa-sources .qa-source", has_text="Shared MIME-info Database")
        card.first.locator(".qa-open").click()
        image = page.locator("#qa-document .qa-page img").first
        expect(image).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        assert image.get_attribute("src").startswith("data:image/png;base64,")
        assert image.evaluate("i => i.complete && i.naturalWidth") > 0
        expect(page.locator("#qa-document figcaption").first).to_contain_text("boxed")
        expect(page.locator("#qa-document mark.qa-highlight")).to_be_visible()  # the text too
        if os.environ.get("QA_PAGE_SCREENSHOT"):
            page.locator("#qa-document").scroll_into_view_if_needed()
            page.screenshot(path=os.environ["QA_PAGE_SCREENSHOT"])
        page.get_by_text("Index report").click()  # what was read and left out, as qa index says
        report = page.locator("#qa-report pre.qa-report")
        expect(report).to_contain_text("running headers and footers")
        expect(report).to_contain_text("spec.pdf:")
        assert not page.errors and not page.dialogs


def test_the_header_names_the_folder_and_what_it_holds(page, manuals_url):
    page.goto(manuals_url)
    header = page.locator("#qa-header .qa-corpus")
    expect(header).to_contain_text("manuals/ · 4 documents · 17 PDF pages · ")
    expect(header).to_contain_text(re.compile(r"\d+ passages · indexed \d{4}-\d\d-\d\d \d\d:\d\d"))


ICU_AT_RUNTIME = "How can ICU data be provided at runtime?"
RUNTIME = "/runtime/directory/with/dat/file --with-intl=small-icu"
MAGIC = "What does the magic file contain?"
MIME_COMMAND = "Which command must an application run after installing its XML file?"


def shown_sources(page: Page):
    return page.locator("#qa-sources .qa-sources")


# The magic question's answer cites two or three passages of the PDF, depending on the
# precision the documents were embedded in (int8, or bf16 on a CPU with AMX): these tests read
# what it cites from the page rather than assume one answer.


def source_cards(page: Page):
    return page.locator("#qa-sources .qa-source")


def shown_source_cards(page: Page):
    """The source cards of the first answer, once shown: the sources panel is its own output
    and may be drawn a moment after the reply (a count taken before it reads 0)."""
    cards = source_cards(page)
    expect(cards.first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    return cards


def card_pages(card) -> str:
    """The pages a source card's passage is on ("p. 3", "pp. 8–9"), read from its open button."""
    found = re.search(r"pp?\. [\d–]+", card.locator(".qa-open").inner_text())
    assert found, card.locator(".qa-open").inner_text()
    return found.group()


def test_clicking_a_citation_marks_its_source_card(page, manuals_url):
    page.goto(manuals_url)
    reply = ask(page, MAGIC)  # "... [1] ... [2] Each match element has a number of ... [n]"
    cited = set(re.findall(r"\[(\d+)\]", reply))
    expect(source_cards(page)).to_have_count(len(cited))
    last = str(len(cited))
    assert len(cited) >= 2 and cited == {str(n) for n in range(1, len(cited) + 1)}
    expect(page.locator("#qa-sources .qa-selected")).to_have_count(0)
    quoted = source_cards(page).last.locator("mark.qa-quote").first.inner_text()
    page.set_viewport_size({"width": 1400, "height": 600})  # the last source below the fold
    page.evaluate("window.scrollTo(0, 0)")
    bot_messages(page).last.get_by_role("link", name=f"[{last}]").first.click()
    selected = page.locator("#qa-sources .qa-source.qa-selected")
    expect(selected).to_have_attribute("data-source", last, timeout=ANSWER_TIMEOUT_MS)
    expect(selected).to_be_in_viewport()
    expect(selected.locator("mark.qa-quote").first).to_have_text(quoted)
    bot_messages(page).last.get_by_role("link", name="[1]").first.click()
    expect(selected).to_have_attribute("data-source", "1")
    expect(selected).to_have_count(1)
    assert "#" not in page.url  # the link went nowhere: no jump, no new tab
    assert len(page.context.pages) == 1
    assert not page.errors and not page.dialogs


def test_an_earlier_answers_citation_brings_its_sources_back(page, manuals_url):
    page.goto(manuals_url)
    ask(page, ICU_AT_RUNTIME)
    expect(shown_sources(page).locator(".qa-asked")).to_have_text(f"For: {ICU_AT_RUNTIME}")
    first_titles = page.locator("#qa-sources .qa-title").all_inner_texts()
    ask(page, MIME_COMMAND)
    expect(shown_sources(page).locator(".qa-asked")).to_have_text(f"For: {MIME_COMMAND}")

    bot_messages(page).first.get_by_role("link", name="[1]").first.click()
    expect(shown_sources(page).locator(".qa-asked")).to_have_text(
        f"For: {ICU_AT_RUNTIME}", timeout=ANSWER_TIMEOUT_MS
    )
    assert page.locator("#qa-sources .qa-title").all_inner_texts() == first_titles
    expect(page.locator("#qa-sources .qa-selected")).to_have_attribute("data-source", "1")
    # Its cards open its own documents.
    page.locator("#qa-sources .qa-selected .qa-open").click()
    expect(page.locator("#qa-document h3")).to_have_text(first_titles[0], timeout=ANSWER_TIMEOUT_MS)
    if os.environ.get("QA_SOURCES_SCREENSHOT"):
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=os.environ["QA_SOURCES_SCREENSHOT"])

    # With the viewer open (over the sources), a citation opens its source in it.
    bot_messages(page).last.get_by_role("link", name="[1]").first.click()
    expect(shown_sources(page).locator(".qa-asked")).to_have_text(f"For: {MIME_COMMAND}")
    expect(page.locator("#qa-document .qa-viewer")).to_have_attribute("data-open-key", "2:1")
    assert not page.errors and not page.dialogs


def test_code_in_a_source_keeps_its_indentation(page, manuals_url):
    page.goto(manuals_url)
    ask(page, ICU_AT_RUNTIME)
    code = page.locator("#qa-sources pre.qa-code", has_text="./configure").first
    expect(code).to_be_visible()
    assert code.evaluate("e => getComputedStyle(e).whiteSpace") == "pre"
    lines = code.evaluate("e => e.textContent").splitlines()
    assert lines[:2] == ["  ```bash", "  ./configure --with-icu-default-data-dir=" + RUNTIME]
    assert "monospace" in code.evaluate("e => getComputedStyle(e).fontFamily")


def test_the_answering_sentence_is_scrolled_into_view_in_its_card(page, manuals_url):
    page.goto(manuals_url)
    ask(page, MAGIC)
    quoting = source_cards(page).filter(has=page.locator("mark.qa-quote"))
    expect(quoting.first).to_be_visible()
    # Every card's quoted sentence is in view in its passage; the one far down a long passage
    # ("<MIME>/magic (contains ...)" in the directory layout's list) scrolled there.
    places = [
        card.locator(".qa-passage").evaluate(
            """p => {
                 const box = p.getBoundingClientRect();
                 const quote = p.querySelector('mark.qa-quote').getBoundingClientRect();
                 return [p.scrollTop, quote.top >= box.top && quote.bottom <= box.bottom];
               }"""
        )
        for card in quoting.all()
    ]
    assert all(inside for _, inside in places), places
    assert max(scrolled for scrolled, _ in places) > 0, places


def viewer(page: Page):
    return page.locator("#qa-document .qa-viewer")


def in_view_and_uncovered(page: Page, locator) -> bool:
    """Whether ``locator``'s box is inside the viewport and what is at its centre is itself
    (not the document viewer over it)."""
    return locator.evaluate(
        """e => {
             const box = e.getBoundingClientRect();
             const inside = box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight
               && box.right <= innerWidth && box.height > 0;
             const top = document.elementFromPoint(box.left + box.width / 2,
                                                   box.top + box.height / 2);
             return inside && e.contains(top);
           }"""
    )


def test_the_document_viewer_opens_beside_the_chat_with_the_passage_in_view(page, manuals_url):
    page.goto(manuals_url)
    ask(page, MAGIC)
    cards = shown_source_cards(page)
    sources, pages = cards.count(), card_pages(cards.first)
    cards.first.locator(".qa-open").click()
    expect(viewer(page)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    bar = viewer(page).locator(".qa-viewer-bar")
    expect(bar.locator(".qa-viewer-title")).to_have_text("Shared MIME-info Database")
    expect(bar.locator(".qa-viewer-location")).to_contain_text(f"spec.pdf, {pages}, § 2.")
    expect(bar).to_contain_text(f"Source 1 of {sources}")
    # The passage scrolled into view inside the viewer, the PDF page beside it; the question
    # box and the answer still in view and not covered; the page itself not scrolled.
    highlighted = page.locator("#qa-document mark.qa-highlight").first
    expect(highlighted).to_be_in_viewport()
    text_box = page.locator("#qa-document .qa-pdf-text").bounding_box()
    mark_box = highlighted.bounding_box()
    assert text_box["y"] <= mark_box["y"] < text_box["y"] + text_box["height"]
    expect(page.locator("#qa-document .qa-page img").first).to_be_visible()
    assert page.evaluate("window.scrollY") == 0
    assert in_view_and_uncovered(page, page.locator("#qa-question textarea"))
    assert in_view_and_uncovered(page, bot_messages(page).last)
    panel = page.locator("#qa-document").bounding_box()
    assert panel["height"] == 1000 and panel["x"] + panel["width"] == 1400
    if os.environ.get("QA_VIEWER_SCREENSHOT"):
        page.screenshot(path=os.environ["QA_VIEWER_SCREENSHOT"] + "-desktop.png")
    assert not page.errors and not page.dialogs


def test_the_viewer_steps_through_the_citations_and_esc_closes_it(page, manuals_url):
    page.goto(manuals_url)
    ask(page, MAGIC)
    cards = shown_source_cards(page)
    sources = cards.count()
    assert sources >= 2
    pages = [card_pages(cards.nth(n)) for n in range(sources)]
    quotes = [cards.nth(n).locator("mark.qa-quote").first.inner_text() for n in range(sources)]
    cards.first.locator(".qa-open").click()
    expect(viewer(page)).to_have_attribute("data-open-key", "1:1", timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Previous citation")).to_be_disabled()
    for number in range(2, sources + 1):
        page.get_by_role("button", name="Next citation").click()
        expect(viewer(page)).to_have_attribute("data-open-key", f"1:{number}")
        expect(viewer(page).locator(".qa-viewer-location")).to_contain_text(pages[number - 1])
        quote = page.locator("#qa-document mark.qa-quote", has_text=quotes[number - 1][:40])
        expect(quote.first).to_be_in_viewport()
    expect(page.get_by_role("button", name="Next citation")).to_be_disabled()
    # Its card is marked in the sources panel under the viewer, for when it closes.
    expect(page.locator("#qa-sources .qa-selected")).to_have_attribute("data-source", str(sources))
    page.get_by_role("button", name="Previous citation").click()
    expect(viewer(page)).to_have_attribute("data-open-key", f"1:{sources - 1}")

    page.locator("#qa-question textarea").focus()
    page.keyboard.press("Escape")
    expect(page.locator("#qa-document")).to_be_hidden()
    expect(viewer(page)).to_have_count(0)  # emptied by the server too
    ask(page, MIME_COMMAND)  # Enter still asks
    expect(bot_messages(page)).to_have_count(2)
    # The close button closes it too.
    page.locator("#qa-sources .qa-open").first.click()
    expect(viewer(page)).to_have_attribute("data-open-key", "2:1", timeout=ANSWER_TIMEOUT_MS)
    page.get_by_role("button", name="Close the document viewer (Esc)").click()
    expect(page.locator("#qa-document")).to_be_hidden()
    assert not page.errors and not page.dialogs


def test_at_phone_width_the_sources_fit_the_window_and_long_code_scrolls_in_them(page, manuals_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(manuals_url)
    ask(page, ICU_AT_RUNTIME)  # its source quotes "./configure --with-icu-default-data-dir=..."
    code = page.locator("#qa-sources pre.qa-code", has_text="./configure").first
    expect(code).to_be_visible()
    cards = page.locator("#qa-sources .qa-source")
    for n in range(cards.count()):
        box = cards.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert code.evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls, inside its card
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.errors and not page.dialogs


def test_the_viewer_at_phone_width_covers_the_window_and_keeps_code_blocks(page, manuals_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(manuals_url)
    ask(page, ICU_AT_RUNTIME)
    page.locator("#qa-sources .qa-open").first.click()
    expect(viewer(page)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    panel = page.locator("#qa-document").bounding_box()
    assert (panel["x"], panel["width"], panel["height"]) == (0, 390, 844)
    expect(page.locator("#qa-document mark.qa-highlight").first).to_be_in_viewport()
    code = page.locator("#qa-document pre.qa-code", has_text="./configure").first
    assert code.evaluate("e => getComputedStyle(e).whiteSpace") == "pre"
    assert "monospace" in code.evaluate("e => getComputedStyle(e).fontFamily")
    assert "  ./configure --with-icu-default-data-dir=" + RUNTIME in code.inner_text()
    # Nothing sticks out sideways: the bar's buttons fit, the page does not scroll sideways.
    close = page.get_by_role("button", name="Close the document viewer (Esc)")
    assert in_view_and_uncovered(page, close)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if os.environ.get("QA_VIEWER_SCREENSHOT"):
        page.screenshot(path=os.environ["QA_VIEWER_SCREENSHOT"] + "-phone.png")
    page.keyboard.press("Escape")
    expect(page.locator("#qa-document")).to_be_hidden()
    assert not page.errors and not page.dialogs
