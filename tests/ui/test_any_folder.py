"""The chat over a folder of manuals, as a newcomer sees it, in a real browser (Debian's
Chromium, the harness of ``conftest.py``): example questions made from the folder's headings
(never the demo corpus's), the reply streamed, a one-line hint for a question in another
language, the dark theme, and the page at phone width.

Set QA_GALLERY=docs/gallery (``make screenshot`` does) to keep the README's gallery: the first
page, an answer, the viewer on a PDF page, the Documents panel, phone width and dark theme.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qa.ingest.example_questions import QUESTIONS_FILE, read_questions_file
from tests.helpers import DEMO_CORPUS
from tests.ui.test_browser import (
    ANSWER_TIMEOUT_MS,
    MIME_COMMAND,
    SEARCHING,
    ask,
    bot_messages,
    fixtures_app,
)

pytestmark = pytest.mark.slow  # a subprocess harness: make test runs it, make check does not

MANUALS = (
    "shared-mime-info-spec.pdf",
    "nodejs-intl.md",
    "ls-man-page.txt",
    "pip-repeatable-installs.docx",
    "valgrind-readme-developers.html",
    "terminal-grep.txt",
)
# The questions the folder's headings make ("Disable all internationalization features",
# "Pinning the package versions", ...): qa.ingest.example_questions.
EXAMPLES = [
    "How do I disable all internationalization features?",
    "How do I pin the package versions?",
    "How do I store the MIME type using Extended Attributes?",
    "How do I build with a pre-installed ICU?",
]
FRENCH_HINT = "ℹ The question looks like French: the documents and the model are English"


@pytest.fixture(scope="module")
def manuals_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over six manuals of five formats and an empty file (skipped)."""
    with fixtures_app(tmp_path_factory, "any-folder", MANUALS, empty="draft.txt") as url:
        yield url


def keep(page: Page, name: str, full_page: bool = False) -> None:
    """Save a screenshot of the page into the gallery folder, when QA_GALLERY names one."""
    gallery = os.environ.get("QA_GALLERY")
    if gallery:
        Path(gallery).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(gallery) / f"{name}.png"), full_page=full_page)


def test_the_examples_come_from_the_folder_served_not_the_demo_corpus(page, manuals_url):
    page.goto(manuals_url)
    examples = page.locator("#qa-examples")
    expect(examples).to_be_visible()
    shown = [text.strip() for text in examples.locator("button").all_inner_texts()]
    assert shown == EXAMPLES
    basra = read_questions_file(DEMO_CORPUS)
    assert basra and (DEMO_CORPUS / QUESTIONS_FILE).is_file()
    assert not set(shown) & set(basra)
    assert "ceasefire" not in page.content().lower()
    box = page.locator("#qa-question textarea")
    expect(box).to_have_attribute("placeholder", f"Ask a question, e.g. {EXAMPLES[0]}")
    keep(page, "1-first-page")

    examples.get_by_text(EXAMPLES[1]).click()  # asks it
    expect(bot_messages(page)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    expect(bot_messages(page).first).to_contain_text("Pinning refers to", timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#qa-sources h3")).to_contain_text("Sources")
    expect(page.locator("#qa-sources .qa-source mark.qa-quote").first).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    keep(page, "2-answer")
    assert not page.errors and not page.dialogs


# Every text the chat's last reply bubble shows, in order, as it changes.
RECORD_REPLIES = """() => {
  window.__replies = [];
  new MutationObserver(() => {
    const bubbles = document.querySelectorAll('#qa-chat [data-testid="bot"]');
    const text = bubbles.length ? bubbles[bubbles.length - 1].innerText.trim() : '';
    if (text && window.__replies[window.__replies.length - 1] !== text) {
      window.__replies.push(text);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_the_reply_streams_a_searching_state_then_the_answer_then_its_sources(page, manuals_url):
    page.goto(manuals_url)
    page.evaluate(RECORD_REPLIES)
    reply = ask(page, MIME_COMMAND)
    expect(page.locator("#qa-sources .qa-source").first).to_be_visible()
    replies = page.evaluate("window.__replies")
    assert replies[0] == SEARCHING, replies
    assert replies[-1] == reply.strip() and "update-mime-database" in reply, replies
    assert not page.errors and not page.dialogs


def test_a_question_in_another_language_gets_a_one_line_hint(page, manuals_url):
    page.goto(manuals_url)
    ask(page, "Comment installer pip dans un environnement virtuel ?")
    last = bot_messages(page).last
    expect(last).to_contain_text(FRENCH_HINT, timeout=ANSWER_TIMEOUT_MS)
    expect(last).to_contain_text("[1]")  # the answer (or refusal) comes with it
    ask(page, "How do I pin the package versions?")
    expect(bot_messages(page).last).to_contain_text("Pinning refers to")
    expect(bot_messages(page).last).not_to_contain_text("The question looks like")
    ask(page, "Wer hat den Waffenstillstand vermittelt?")
    expect(bot_messages(page).last).to_contain_text("The question looks like German")
    assert not page.errors and not page.dialogs


def luminance(page: Page, selector: str, prop: str) -> float:
    """The relative luminance (0 black, 1 white) of ``prop`` ("color", "backgroundColor") of
    the first element matching ``selector``, its background's alpha blended over black."""
    return page.locator(selector).first.evaluate(
        """(e, prop) => {
             const [r, g, b, a = 1] = getComputedStyle(e)[prop].match(/[\\d.]+/g).map(Number);
             const lin = (c) => { c = c * a / 255;
               return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
             return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
           }""",
        prop,
    )


def contrast(light: float, dark: float) -> float:
    return (max(light, dark) + 0.05) / (min(light, dark) + 0.05)


def test_the_dark_theme_colours_our_own_markup_too(page, manuals_url):
    page.goto(manuals_url + "?__theme=dark")
    expect(page.locator("body.dark")).to_have_count(1)
    ask(page, MIME_COMMAND)
    quote = "#qa-sources mark.qa-quote"
    expect(page.locator(quote).first).to_be_visible()
    # The highlighted sentence: a dark background with light text, not a light-theme yellow.
    assert luminance(page, quote, "backgroundColor") < 0.2
    text, back = luminance(page, quote, "color"), luminance(page, quote, "backgroundColor")
    assert contrast(text, back) >= 4.5
    assert luminance(page, "#qa-sources .qa-passage", "color") > 0.6
    assert luminance(page, "#qa-header .qa-corpus", "color") > 0.6
    card = page.locator("#qa-sources .qa-source", has_text="Shared MIME-info Database").first
    card.locator(".qa-open").click()
    viewer = "#qa-document .qa-viewer"
    expect(page.locator(viewer)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert luminance(page, "#qa-document", "backgroundColor") < 0.1
    assert luminance(page, "#qa-document .qa-viewer-title", "color") > 0.6
    highlight = "#qa-document mark.qa-highlight"
    assert luminance(page, highlight, "backgroundColor") < 0.2
    assert (
        contrast(luminance(page, highlight, "color"), luminance(page, highlight, "backgroundColor"))
        >= 4.5
    )
    expect(page.locator("#qa-document .qa-page img").first).to_be_visible()
    keep(page, "6-dark-theme")
    assert not page.errors and not page.dialogs


def test_at_phone_width_the_sources_come_right_under_the_question(page, manuals_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(manuals_url)
    box = page.locator("#qa-question textarea")
    expect(box).to_be_in_viewport()  # ready to ask without scrolling
    ask(page, "How do I pin the package versions?")
    sources = page.locator("#qa-sources .qa-source").first
    expect(sources).to_be_visible()
    # The sources come after the examples and before the Advanced, Index report and
    # Documents panels, and nothing sticks out sideways.
    top = {
        name: page.locator(selector).bounding_box()["y"]
        for name, selector in {
            "question": "#qa-question",
            "examples": "#qa-examples",
            "sources": "#qa-sources",
            "advanced": "#qa-advanced",
            "documents": "#qa-documents",
        }.items()
    }
    assert top["question"] < top["examples"] < top["sources"] < top["advanced"]
    assert top["advanced"] < top["documents"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for card in page.locator("#qa-sources .qa-source").all():  # a hash line wraps inside
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    keep(page, "5-phone", full_page=True)
    assert not page.errors and not page.dialogs


def test_gallery_the_viewer_on_a_pdf_page_and_the_documents_panel(page, manuals_url):
    page.goto(manuals_url)
    ask(page, MIME_COMMAND)
    card = page.locator("#qa-sources .qa-source", has_text="Shared MIME-info Database").first
    card.locator(".qa-open").click()
    image = page.locator("#qa-document .qa-page img").first
    expect(image).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#qa-document figcaption").first).to_contain_text("boxed")
    page.wait_for_timeout(300)  # the page image scrolled to the boxed lines
    keep(page, "3-viewer-pdf")

    page.keyboard.press("Escape")
    expect(page.locator("#qa-document")).to_be_hidden()
    page.locator("#qa-documents").get_by_text("Documents").first.click()
    panel = page.locator("#qa-documents-panel")
    expect(panel.locator(".qa-doc-summary")).to_have_text("6 documents indexed, 1 file skipped")
    expect(panel.locator(".qa-skipped")).to_contain_text("draft.txt: empty file")
    # Its rows have lines between them, none at their sides (Gradio's prose draws some).
    side = panel.locator("tbody tr").first.evaluate("r => getComputedStyle(r).borderLeftWidth")
    assert side == "0px"
    panel.locator(".qa-skipped").scroll_into_view_if_needed()
    keep(page, "4-documents")
    assert not page.errors and not page.dialogs
