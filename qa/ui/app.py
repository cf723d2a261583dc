"""The browser chat: a Gradio app around one ``QA``.

Only translation between people and the library lives here: the question goes to ``QA.answer``
with the conversation's earlier turns; the answer comes back through ``qa.ui.render`` as
escaped Markdown and HTML. The page has a header naming the corpus, a chat whose [n] citations
are links (click one to bring that answer's sources back into the panel, source n marked), a
sources panel (click a source to open its document in the document viewer, a panel over the
sources column beside the chat, with the passage highlighted and scrolled into view, previous /
next citation buttons, and a close button or Esc), an advanced panel, and two API endpoints:
``/ask`` returns the answer and its citations as JSON, ``/ask_stream`` the same after the
words of a generated answer as they are written. The reply streams ("Searching the
documents…", then the answer, then its sources), with a one-line hint when the question is not
in English (``qa.search.language``); the examples are the corpus's own
(``QA.example_questions``). The page follows Gradio's light and dark themes and stacks its
columns at phone width.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import gradio as gr

from qa.errors import DocumentNotFoundError, QAError, QuestionError
from qa.ingest.upload import MAX_UPLOAD_BYTES
from qa.paths import qa_home
from qa.search.language import foreign_language
from qa.search.question import is_blank, valid_unicode
from qa.service import QA
from qa.settings import MODES
from qa.types import Answer, Draft, PageView, Passage, Place, Quote, Turn
from qa.ui import CONVERSATIONS, KEPT_ANSWERS, QUEUE_SIZE
from qa.ui.documents import DOCUMENTS_CSS, documents_section
from qa.ui.render import (
    CITATION_LINK,
    chat_reply,
    corpus_header,
    document_viewer,
    escape,
    escape_markdown,
    language_hint,
    question_bubble,
    sentence_case,
    source_cards,
    viewer_note,
)

log = logging.getLogger("qa")

MAX_K = 10
UPLOAD_CACHE_SECONDS = (600, 3600)  # every 10 minutes, uploads older than an hour go
SHOWN_QUESTION_CHARS = 500  # a longer question is echoed collapsed to this many characters
NO_SOURCES = '<section class="qa-sources"><h3>Sources</h3><p class="qa-empty">Ask a question: \
the passages that support the answer appear here.</p></section>'
SEARCHING = "*Searching the documents…*"  # the reply's first state, until the answer comes
NO_DOCUMENT = ""  # the document viewer closed: hidden until a source is opened

# A click on anything with data-open (a source card's button, an "also in" place) becomes a
# Python event carrying which passage to open ("A:n" or "A:n.m"); so does a click on a
# citation link of the chat ("#qa-cite-A-n"), marked as one, which shows the source instead,
# and in the document viewer too when it is open (it covers the sources panel).
# When the panel changes after a citation click, the marked card comes into view (not when the
# viewer opens a source: the page under it must not scroll), and in every card whose passage
# scrolls, the answering sentence.
OPEN_ON_CLICK = """
let cited = false;
element.addEventListener('click', (event) => {
  const target = event.target.closest('[data-open]');
  if (target) trigger('click', {open: target.dataset.open});
});
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a[href^="LINK"]');
  if (!link) return;
  event.preventDefault();  // no jump to a fragment, no new tab
  const [answer, source] = link.getAttribute('href').slice(LENGTH).split('-');
  const viewing = document.querySelector('#qa-document .qa-viewer') !== null;
  cited = !viewing;
  trigger('click', {open: `${answer}:${source}`, cite: true, viewing});
}, true);
watch('value', () => {
  for (const passage of element.querySelectorAll('.qa-passage')) {
    const quote = passage.querySelector('mark.qa-quote');
    if (quote && passage.scrollHeight > passage.clientHeight) {
      const below = quote.getBoundingClientRect().top - passage.getBoundingClientRect().top;
      passage.scrollTop += below - passage.clientHeight / 4;
    }
  }
  const card = element.querySelector('.qa-source.qa-selected');
  if (card && cited) card.scrollIntoView({block: 'nearest'});
  cited = false;
});
""".replace("LENGTH", str(len(CITATION_LINK))).replace("LINK", CITATION_LINK)
# The document viewer, a panel fixed over the sources column (CSS), so that the page never
# scrolls and the chat stays in view. Its previous / next buttons (data-open) open another
# citation as a source card does; its close button and Esc close it (hidden at once, then
# emptied by the server). When a document is shown, its highlighted passage is scrolled into
# view inside the viewer (or inside a PDF's text under its pages), and in a PDF's first page
# image the first boxed line (its data-focus: a share of the image's height). Only scrollTop
# is set: scrollIntoView would scroll the page under the viewer as well. The viewer's left edge
# is the sources column's (--qa-viewer-left), which it covers, so that it never hides the chat.
VIEWER = """
const place = () => {
  const sources = document.querySelector('#qa-sources');
  if (sources) document.documentElement.style.setProperty(
    '--qa-viewer-left', `${Math.max(0, sources.getBoundingClientRect().left - 12)}px`);
};
window.addEventListener('resize', place);
const close = () => {
  if (!element.querySelector('.qa-viewer')) return false;
  element.classList.add('qa-closing');
  trigger('click', {close: true});
  return true;
};
element.addEventListener('click', (event) => {
  const target = event.target.closest('[data-open], [data-close]');
  if (target && 'close' in target.dataset) close();
  else if (target) trigger('click', {open: target.dataset.open});
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !element.classList.contains('qa-closing') && close()) {
    event.preventDefault();
  }
});
const reveal = (box, top) => {
  box.scrollTop += top - box.getBoundingClientRect().top - box.clientHeight / 3;
};
watch('value', () => {
  element.classList.remove('qa-closing');
  place();
  const mark = element.querySelector('mark.qa-highlight');
  const box = mark && (mark.closest('.qa-pdf-text') || mark.closest('.qa-viewer-body'));
  if (box) reveal(box, mark.getBoundingClientRect().top);
  const pages = element.querySelector('.qa-pages');
  const image = pages && pages.querySelector('img[data-focus]');
  if (image) image.decode().catch(() => {}).then(() => {
    const focus = image.offsetTop - pages.offsetTop + Number(image.dataset.focus) * image.height;
    pages.scrollTop = Math.max(0, focus - pages.clientHeight / 3);
  });
});
"""
# Colours of our own markup, as variables that follow Gradio's theme (its dark theme puts
# "dark" on <body>, from the system's setting or ?__theme=dark): everything else uses Gradio's
# own variables (--body-text-color, --background-fill-*, --border-color-*), which follow it too.
CSS = """
:root { --qa-quote-bg: #ffe58f; --qa-quote-fg: #1f1a00; --qa-highlight-bg: #d6e4ff;
  --qa-highlight-fg: #0b1a33; --qa-shadow: rgba(0, 0, 0, .18); }
.dark { --qa-quote-bg: #6b5500; --qa-quote-fg: #fff6cc; --qa-highlight-bg: #1d3557;
  --qa-highlight-fg: #e6efff; --qa-shadow: rgba(0, 0, 0, .6); }
.qa-header h2 { margin: 0; }
.qa-corpus { margin: .2em 0; font-size: 1.05em; }
.qa-folder { font-weight: 600; font-family: var(--font-mono); }
.qa-intro { margin: .2em 0 0; opacity: .8; }
#qa-chat a[href^="#qa-cite-"] { text-decoration: none; font-weight: 600; }
.qa-sources h3 { margin: 0 0 .5em; }
.qa-asked { margin: 0 0 .6em; opacity: .8; }
.qa-timing { font-weight: normal; font-size: .8em; opacity: .7; margin-left: .5em; }
.qa-source { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: .6em .8em; margin-bottom: .7em; }
.qa-source.qa-selected { border-color: var(--color-accent);
  box-shadow: 0 0 0 2px var(--color-accent); }
.qa-number { font-weight: bold; }
.qa-title { font-weight: 600; }
.qa-byline, .qa-doc-meta, .qa-cut { opacity: .75; font-size: .9em; }
.qa-part { font-size: .9em; margin: .2em 0; }
.qa-part-comment { color: var(--color-accent); }
.qa-passage { margin: .4em 0; padding-left: .7em;
  border-left: 3px solid var(--border-color-primary); white-space: pre-wrap;
  overflow-wrap: anywhere; max-height: 14em; overflow-y: auto; }
.qa-code { white-space: pre; font-family: var(--font-mono); font-size: .9em; margin: .3em 0;
  padding: .3em .5em; overflow-x: auto; background: var(--background-fill-secondary);
  border-radius: 4px; }
mark.qa-quote { background: var(--qa-quote-bg); color: var(--qa-quote-fg); }
mark.qa-highlight { background: var(--qa-highlight-bg); color: var(--qa-highlight-fg); }
mark.qa-highlight mark.qa-quote { background: var(--qa-quote-bg); color: var(--qa-quote-fg); }
.qa-doc-text { white-space: pre-wrap; overflow-wrap: anywhere; }
#qa-right { min-width: 0; }  /* a long unbroken line (a hash, a URL) wraps, never widens it */
.qa-sources { contain: inline-size; }  /* a long code line scrolls in its card, never widens
  the column past a phone's width */
.qa-also ul { margin: .2em 0; padding-left: 1.2em; }
.qa-open, .qa-link { cursor: pointer; text-decoration: underline; background: none; border: 0;
  padding: 0; color: var(--link-text-color); text-align: left; font: inherit; font-size: .9em; }
.qa-note { opacity: .75; font-size: .9em; margin: .3em 0; }
.qa-page { margin: 0 0 .5em; }
.qa-page img { display: block; width: 100%; height: auto; }
.qa-page figcaption { font-size: .85em; opacity: .75; text-align: center; }
/* The document viewer: fixed over the sources column, the whole height of the window, beside
   the chat; the whole window at phone width. Hidden while it has nothing. */
#qa-document { position: fixed; top: 0; right: 0; bottom: 0; width: auto;
  left: var(--qa-viewer-left, 60vw); z-index: 100; margin: 0; padding: 0; border-radius: 0;
  border-left: 1px solid var(--border-color-primary);
  box-shadow: -6px 0 24px var(--qa-shadow); background: var(--background-fill-primary); }
#qa-document:not(:has(.qa-viewer)), #qa-document:has(.qa-closing) { display: none !important; }
#qa-document .html-container, #qa-document .html-container > div { height: 100%;
  padding: 0; }
.qa-viewer { display: flex; flex-direction: column; height: 100%; }
.qa-viewer-bar { flex: none; display: flex; gap: .8em; align-items: flex-start;
  justify-content: space-between; padding: .7em 1em;
  border-bottom: 1px solid var(--border-color-primary); }
.qa-viewer-where { min-width: 0; }
.qa-viewer .qa-viewer-title { margin: 0; font-size: 1.1em; }
.qa-viewer-location { font-size: .85em; opacity: .75; overflow-wrap: anywhere; }
.qa-viewer-nav { flex: none; display: flex; gap: .4em; align-items: center; }
.qa-viewer-count { font-size: .85em; opacity: .75; white-space: nowrap; }
.qa-step, .qa-close { cursor: pointer; border: 1px solid var(--border-color-primary);
  border-radius: 6px; background: var(--background-fill-secondary); color: inherit;
  font: inherit; font-size: .85em; padding: .2em .6em; white-space: nowrap; }
.qa-step:disabled { cursor: default; opacity: .4; }
.qa-close { font-size: 1.2em; line-height: 1; padding: .15em .5em; }
.qa-viewer-body { flex: 1 1 auto; min-height: 0; overflow-y: auto; padding: .6em 1em 1em; }
.qa-pdf { display: flex; flex-direction: column; gap: .6em; }
.qa-pages { max-height: 55vh; overflow-y: auto; border: 1px solid var(--border-color-primary); }
.qa-pdf-text { max-height: 30vh; overflow-y: auto; }
/* At phone width the columns stack: the sources come right under the question box and the
   examples, before the Advanced, Index report and Documents panels (the left column's blocks
   become the stack's own, so that the sources can go between them). */
@media (max-width: 720px) {
  #qa-document { left: 0; border-left: 0; }
  .qa-viewer-bar { flex-wrap: wrap; }
  #qa-main { flex-direction: column; flex-wrap: nowrap; }
  #qa-left { display: contents; }
  #qa-right { order: 1; }
  #qa-advanced, #qa-report, #qa-documents { order: 2; }
}
"""


@dataclass(frozen=True)
class Answered:
    """An answer of a conversation, numbered from 1, as its sources panel shows it."""

    number: int
    answer: Answer
    elapsed_ms: float | None = None


@dataclass(frozen=True)
class ChatState:
    """One browser session: the turns so far (each question, and what its answer said, cut
    short: ``Turn.of``), the latest ``KEPT_ANSWERS`` answers (their citations, for the chat's
    links to bring back), and which of them the sources panel shows."""

    turns: tuple[Turn, ...] = ()
    answers: tuple[Answered, ...] = ()
    shown: int = 0

    @property
    def questions(self) -> tuple[str, ...]:
        return tuple(turn.question for turn in self.turns)

    def answered(self, number: int) -> Answered | None:
        return next((a for a in self.answers if a.number == number), None)

    def with_answer(self, question: str, answer: Answer, elapsed_ms: float) -> ChatState:
        number = len(self.turns) + 1
        kept = (*self.answers, Answered(number, answer, elapsed_ms))[-KEPT_ANSWERS:]
        return ChatState((*self.turns, Turn.of(question, answer)), kept, number)


def build_app(
    qa: QA, allow_uploads: bool = False, max_upload_bytes: int = MAX_UPLOAD_BYTES
) -> gr.Blocks:
    """The Gradio Blocks for ``qa``. Call ``qa.index()`` first so that nothing loads lazily.
    ``allow_uploads`` adds a file upload to the Documents panel (files up to
    ``max_upload_bytes``)."""

    def respond(
        message: str, history: list[dict[str, Any]], state: ChatState, k: float, mode: str
    ) -> Iterator[tuple[Any, ...]]:
        """The chat's reply, streamed: a "Searching" bubble at once, then the answer (with a
        line saying the documents are English when the question is not), then its sources.
        The extractive answer comes in one piece; a generated one (``QA(llm=...)``) word by
        word, then checked."""
        # Lone surrogates (a JSON client can send "\ud800") cannot be sent back as JSON.
        message = valid_unicode(message) if isinstance(message, str) else message
        history = list(history)
        asked = isinstance(message, str) and not is_blank(message)
        if asked:  # a blank question gets no bubble, and its one-line reply at once
            shown = question_bubble(message, SHOWN_QUESTION_CHARS)
            history.append({"role": "user", "content": shown})
            searching = {"role": "assistant", "content": SEARCHING}
            yield [*history, searching], state, gr.skip(), gr.skip(), gr.skip()
        hint = language_hint(foreign_language(message)) if asked else ""
        try:
            started = time.perf_counter()
            written = ""  # a generated answer's words so far, shown as they arrive
            for part in qa.answer_stream(message, k=int(k), mode=mode, history=state.turns):
                if isinstance(part, Draft):
                    written += part.text
                    draft = {"role": "assistant", "content": escape_markdown(written)}
                    yield [*history, draft], state, gr.skip(), gr.skip(), gr.skip()
                else:
                    answer = part
            elapsed_ms = (time.perf_counter() - started) * 1000
        except QAError as exc:
            reply = escape_markdown(f"⚠ {sentence_case(str(exc))}")
            # The warning first (clients read a reply starting with "⚠" as a refusal).
            history.append({"role": "assistant", "content": _with_hint(reply, hint)})
            yield history, state, gr.skip(), gr.skip(), message
            return
        except Exception:  # never a stack trace in the page; the log has it
            log.exception("Answering %r failed", message)
            reply = "⚠ Something went wrong while answering; the server log has the details."
            history.append({"role": "assistant", "content": reply})
            yield history, state, gr.skip(), gr.skip(), message
            return
        rewritten = answer.query if answer.query_joined else None
        state = state.with_answer(message.strip(), answer, elapsed_ms)
        reply = chat_reply(answer, rewritten, answer_number=state.shown)
        history.append({"role": "assistant", "content": _with_hint(hint, reply)})
        yield history, state, gr.skip(), gr.skip(), ""
        cards = source_cards(answer, qa.document, elapsed_ms, answer_number=state.shown)
        # The chat again (unchanged: nothing is re-sent), so that the run's outcome, which
        # holds each output's last value, is the whole chat for a client reading only it.
        yield history, state, cards, NO_DOCUMENT, ""

    def open_source(state: ChatState, event: gr.EventData) -> tuple[ChatState, str, str]:
        """A click on a source card or a viewer's previous / next button (open its document
        in the viewer, its card marked), on a citation in the chat (show that answer's
        sources, the cited one marked; open it too if the viewer is open) or on the viewer's
        close button (or Esc)."""
        if getattr(event, "close", False) is True:
            return state, gr.skip(), NO_DOCUMENT
        key = SourceKey.parse(str(getattr(event, "open", "")))
        state, cards, viewer = show_citation(state, replace(key, also_in=None))
        if getattr(event, "cite", False) is not True or getattr(event, "viewing", False) is True:
            viewer = view(state, key)
        return state, cards, viewer

    def view(state: ChatState, key: SourceKey) -> str:
        """The document viewer for ``key``, or a note saying why not."""
        target = _source(state, key)
        if target is None:
            return viewer_note("This source is no longer kept: ask the question again.")
        where, quotes = target
        answered = state.answered(key.answer)
        citation = key.citation
        try:
            doc = qa.document(where.doc_id)
        except DocumentNotFoundError:
            return viewer_note(f"{where.doc_id} is no longer in the index.")
        citations = len(answered.answer.citations) if answered else citation
        return document_viewer(
            doc, where, quotes, _pages(qa, where), state.shown, citation, citations
        )

    def show_citation(state: ChatState, key: SourceKey) -> tuple[ChatState, str, str]:
        answered = state.answered(key.answer)
        if answered is None:
            note = (
                f"The sources of earlier answers are kept for the last {KEPT_ANSWERS}: "
                "ask the question again to see them."
            )
            return state, gr.skip(), viewer_note(note)
        selected = key.citation or None
        cards = source_cards(
            answered.answer, qa.document, answered.elapsed_ms, answered.number, selected
        )
        # The document view stays when it belongs to the answer shown; another answer's goes.
        viewer = gr.skip() if answered.number == state.shown else NO_DOCUMENT
        return replace(state, shown=answered.number), cards, viewer

    def new_conversation() -> tuple[list[dict[str, Any]], ChatState, str, str]:
        return [], ChatState(), NO_SOURCES, NO_DOCUMENT

    def ask(
        question: str,
        k: int = 5,
        mode: str = "hybrid",
        earlier: list[str | dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        """Answer ``question`` from the corpus, with citations.

        Args:
            question: The question.
            k: Passages to retrieve (1-1000).
            mode: "hybrid", "dense" or "bm25".
            earlier: The conversation's earlier turns, oldest first, for follow-ups such as
                "Did the government accept them?": each a question, or {"question": ...,
                "answer": the text of the answer given}. A language model writing the answer
                reads the answers too; the search and the extractive answer read the questions.

        Returns:
            The answer as a dict: question, query (what was searched), text, confident,
            citations (passages with document, part, section, page, author, offsets,
            also_in), quotes, and for a generated answer checks (one per sentence) and note.
        """
        *_, last = ask_stream(question, k, mode, earlier)
        return last["answer"]

    def ask_stream(
        question: str,
        k: int = 5,
        mode: str = "hybrid",
        earlier: list[str | dict[str, str]] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """``/ask`` as the answer is written: with a language model, ``{"draft": the text so
        far}`` as its words arrive (before they are checked), then ``{"answer": what /ask
        returns}``; the extractive answer comes as that last item alone.

        Args:
            question: The question.
            k: Passages to retrieve (1-1000).
            mode: "hybrid", "dense" or "bm25".
            earlier: The conversation's earlier turns, oldest first, as for ``/ask``.

        Returns:
            Dicts, each {"draft": text} or, last, {"answer": dict}.
        """
        if isinstance(question, str):  # echoed below: lone surrogates cannot go out as JSON
            question = valid_unicode(question)
        written = ""
        try:
            history = _history(earlier)
            for part in qa.answer_stream(question, k=k, mode=mode, history=history):
                if isinstance(part, Draft):
                    written += part.text
                    yield {"draft": written}
                else:
                    yield {"answer": {**asdict(part), "question": question}}
        except QAError as exc:
            raise gr.Error(str(exc), print_exception=False) from None

    examples = qa.example_questions()  # the corpus's own (its .questions.txt or headings)
    # With uploads, Gradio keeps what its /upload route received in its cache; a file that no
    # event took (a visitor who only uploaded) is deleted within the hour.
    delete_cache = UPLOAD_CACHE_SECONDS if allow_uploads else None
    with gr.Blocks(
        title="Ask the corpus", analytics_enabled=False, delete_cache=delete_cache
    ) as app:
        state = gr.State(ChatState())
        header = gr.HTML(_header(qa), elem_id="qa-header")
        with gr.Row(equal_height=False, elem_id="qa-main"):
            with gr.Column(scale=3, elem_id="qa-left"):
                chat = gr.Chatbot(
                    label="Conversation",
                    elem_id="qa-chat",
                    height=480,
                    latex_delimiters=[],
                    feedback_options=None,
                    buttons=["copy", "copy_all"],
                    placeholder="Ask a question about the documents.",
                    # A reply to a blank question follows the previous answer with no question
                    # between: its own bubble, not a paragraph of that answer.
                    group_consecutive_messages=False,
                )
                question = gr.Textbox(
                    show_label=False,
                    placeholder=_placeholder(qa, examples),
                    elem_id="qa-question",
                    submit_btn="Ask",
                    autofocus=True,
                )
                example_list = gr.Dataset(
                    components=[question],
                    samples=[[q] for q in examples],
                    label="Examples",
                    visible=bool(examples),
                    elem_id="qa-examples",
                )
                clear = gr.Button("New conversation", size="sm", variant="secondary")
                with gr.Accordion("Advanced", open=False, elem_id="qa-advanced"):
                    k = gr.Slider(1, MAX_K, value=5, step=1, label="Passages to retrieve")
                    mode = gr.Radio(
                        list(MODES), value=qa.settings.search.mode, label="Retrieval mode"
                    )
                    gr.Markdown(_corpus_note(qa))
                with gr.Accordion("Index report", open=False, elem_id="qa-report"):
                    report = gr.HTML(_index_report(qa))
                documents_section(
                    qa,
                    [header, report, example_list, question],
                    lambda qa: (_header(qa), _index_report(qa), *_examples(qa)),
                    allow_uploads,
                    max_upload_bytes,
                )
            with gr.Column(scale=2, elem_id="qa-right"):
                sources = gr.HTML(NO_SOURCES, elem_id="qa-sources", js_on_load=OPEN_ON_CLICK)
                viewer = gr.HTML(NO_DOCUMENT, elem_id="qa-document", js_on_load=VIEWER)

        chat_io = dict(
            fn=respond,
            inputs=[question, chat, state, k, mode],
            outputs=[chat, state, sources, viewer, question],
            # Progress, and the "Error" badge beside Gradio's "This application is currently
            # busy" toast when the queue is full, on the chat alone: the question stays in its
            # box, ready to ask again, and the sources panel keeps what it showed.
            show_progress_on=[chat],
            api_visibility="private",
        )
        question.submit(**chat_io)
        example_list.click(
            lambda sample: sample[0], example_list, question, api_visibility="private"
        ).then(**chat_io)
        for opened in (sources.click, viewer.click):
            opened(open_source, [state], [state, sources, viewer], api_visibility="private")
        for trigger in (clear.click, chat.clear):  # the button, and the chat's own bin icon
            trigger(
                new_conversation, None, [chat, state, sources, viewer], api_visibility="private"
            )
        gr.api(ask, api_name="ask")
        # A generator: Gradio's queue sends each item as it is yielded (gradio_client's
        # submit() iterates them; predict() returns the last).
        gr.api(ask_stream, api_name="ask_stream")
    return app


@dataclass(frozen=True)
class SourceKey:
    """The source a ``data-open`` key names: "A:n" is citation n of answer A, "A:n.m" its
    m-th "also in". A part that is not a number reads as 0, which names nothing."""

    answer: int
    citation: int
    also_in: int | None = None

    @classmethod
    def parse(cls, key: str) -> SourceKey:
        answer, _, rest = key.partition(":")
        cited, _, place = rest.partition(".")
        return cls(_number(answer), _number(cited), _number(place) if place else None)


def _find(state: ChatState, key: str) -> tuple[Passage | Place, list[Quote]] | None:
    """The passage a ``data-open`` key names (``SourceKey``), with its quotes."""
    return _source(state, SourceKey.parse(key))


def _source(state: ChatState, key: SourceKey) -> tuple[Passage | Place, list[Quote]] | None:
    answered = state.answered(key.answer)
    if answered is None:
        return None
    answer = answered.answer
    if not 1 <= key.citation <= len(answer.citations):
        return None
    passage = answer.citations[key.citation - 1]
    if key.also_in is None:
        return passage, [q for q in answer.quotes if q.citation == key.citation]
    if not 1 <= key.also_in <= len(passage.also_in):
        return None
    return passage.also_in[key.also_in - 1], []


def _number(text: str) -> int:
    """The number a key's part writes in ASCII digits (at most 9), else 0 (numbers start at 1)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0


def _history(earlier: list[str | dict[str, str]] | None) -> Sequence[str | Turn]:
    """The ``/ask`` endpoint's ``earlier`` turns for ``QA.answer`` (which checks the text):
    a question as it is, {"question": ..., "answer": ...} as a ``Turn``."""
    if not isinstance(earlier, list):
        return earlier or []  # None; or not a list, which QA.answer refuses
    turns: list[str | Turn] = []
    for item in earlier:
        if isinstance(item, dict):
            if "question" not in item or not set(item) <= {"question", "answer"}:
                raise QuestionError(
                    'an earlier turn is a question, or {"question": ..., "answer": ...}, '
                    f"not an object with {', '.join(sorted(map(str, item))) or 'no keys'}"
                )
            turns.append(Turn(item["question"], item.get("answer")))
        else:
            turns.append(item)
    return turns


def _pages(qa: QA, where: Passage | Place) -> PageView:
    """The PDF pages of ``where``; the text alone, with a note, if they cannot be shown."""
    try:
        return qa.page_view(where)
    except DocumentNotFoundError:
        raise
    except Exception:  # a page image is an extra: never lose the text view over it
        log.exception("Rendering the pages of %s failed", where.doc_id)
        return PageView(note="The page cannot be shown; the server log has the details.")


def _with_hint(first: str, second: str) -> str:
    """A reply and the language hint, in that order or the other, as paragraphs."""
    return "\n\n".join(part for part in (first, second) if part)


def _examples(qa: QA) -> tuple[gr.Dataset, gr.Textbox]:
    """The example questions and the question box's hint of the index served now (a re-index
    may have changed its headings)."""
    examples = qa.example_questions()
    return (
        gr.Dataset(samples=[[q] for q in examples], visible=bool(examples)),
        gr.Textbox(placeholder=_placeholder(qa, examples)),
    )


def _placeholder(qa: QA, examples: list[str]) -> str:
    """The question box's hint: the corpus's first example question, else its folder."""
    if examples:
        return f"Ask a question, e.g. {examples[0]}"
    if qa.corpus is None:  # a replica reading a shared index
        return f"Ask a question about the documents of {qa.name}"
    return f"Ask a question about the documents in {qa.corpus.name or qa.corpus}/"


def _header(qa: QA) -> str:
    return corpus_header(qa.name, qa.manifest, generated=qa.settings.answer.answerer == "generated")


def _index_report(qa: QA) -> str:
    """What indexing read, left out and skipped, as ``qa index`` prints it."""
    report = qa.last_report
    if report is None:
        return "<p>The index report appears once the folder is indexed.</p>"
    return f'<pre class="qa-report">{escape(report.summary(details=True))}</pre>'


def _corpus_note(qa: QA) -> str:
    report = qa.last_report
    documents = f"{report.documents} documents, {report.chunks} passages" if report else ""
    if qa.corpus is None:  # a replica reading a shared index
        return (
            f"**Corpus:** {escape_markdown(qa.name)} ({documents}), read from "
            f"{escape_markdown(qa.store.location)}: re-indexed elsewhere, served here as soon "
            "as it is."
        )
    return (
        f"**Corpus:** {escape_markdown(str(qa.corpus))} ({documents})  \n"
        "To serve another folder: `python app.py --corpus FOLDER` (or `qa serve --corpus FOLDER`)."
    )


def serve(
    qa: QA,
    host: str = "127.0.0.1",
    port: int = 7860,
    queue_size: int = QUEUE_SIZE,
    conversations: int = CONVERSATIONS,
    allow_uploads: bool = False,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
) -> None:
    """Serve the app for ``qa`` until stopped. Call ``qa.index()`` first to see its report;
    whatever is not loaded yet (model, index) loads here, before the first visitor. Beyond
    ``queue_size`` waiting requests, a visitor is refused at once as busy; beyond
    ``conversations`` browser sessions, the least recently used is forgotten. With
    ``allow_uploads``, visitors may add documents of up to ``max_upload_bytes`` to the
    folder."""
    qa.retrieve("warm up", k=1)  # the first pass through the model is slow; pay it now
    app = build_app(qa, allow_uploads, max_upload_bytes)
    # One answer at a time per event (Gradio's default concurrency_limit=1): the encoder already
    # uses both cores of the machine it was measured on, and 2 at a time was no faster
    # (eval.reliability.load, 20 users x 10 questions: 52 and 51 s against 51 and 52 s).
    app.queue(max_size=queue_size)
    _, url, _ = app.launch(
        server_name=host,
        server_port=port,
        show_error=False,
        allowed_paths=[],
        blocked_paths=[str(p) for p in (qa.index_dir, qa_home()) if p is not None],
        # Gradio's /upload route is always open: without --allow-uploads the page takes no
        # files, and every byte is refused so that nobody can fill the disk (or the file cache)
        # through it; with it, nothing over the limit is received.
        max_file_size=max_upload_bytes if allow_uploads else 0,
        state_session_capacity=conversations,
        footer_links=["api"],
        ssr_mode=False,
        css=CSS + DOCUMENTS_CSS,
        quiet=True,
        prevent_thread_lock=True,
    )
    print(f"Serving the chat at {url} (Ctrl+C to stop)", flush=True)
    app.block_thread()
