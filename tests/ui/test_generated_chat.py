"""The chat with a generated answer: the model's words stream into the reply bubble, then the
checked answer and its sources replace them (the model is a local server replaying a stream)."""

from __future__ import annotations

import pytest

from qa.answering.citation_check import UNSUPPORTED_MARK
from qa.ui.render import escape_markdown
from tests.answering.test_generated import sse
from tests.llm.replay import Reply, replaying


def test_the_reply_streams_then_shows_the_checked_answer(corpus_qa):
    from qa.service import QA
    from qa.ui.app import ChatState, build_app

    question = "Who brokered the ceasefire?"
    said = " ".join(corpus_qa.retrieve(question)[0].text.split(". ")[0].split())
    reply = Reply(sse(f"{said} [1].", " Bananas", " are", " blue [2]."), pieces=4)
    with replaying(reply) as llm:
        qa = QA(corpus_qa.corpus, corpus_qa.index_dir, progress=False, llm=llm.url)
        qa.index()
        app = build_app(qa)
        respond = next(f.fn for f in app.fns.values() if f.name == "respond")
        bubbles = [out[0][-1]["content"] for out in respond(question, [], ChatState(), 5, "hybrid")]
    growing = [b for b in bubbles if "Bananas" in b or said[:20] in b]
    assert len(growing) >= 3  # the words as they arrived, then the checked answer
    mark = escape_markdown(UNSUPPORTED_MARK)
    assert mark not in growing[0]
    assert mark in bubbles[-1] and "1 of 2 sentences" in bubbles[-1]


def test_a_follow_up_in_the_chat_and_through_ask_carries_the_earlier_answer(corpus_qa):
    import gradio as gr

    from qa.answering.prompt import EARLIER
    from qa.service import QA
    from qa.ui.app import ChatState, build_app

    question = "Who brokered the ceasefire?"
    said = " ".join(corpus_qa.retrieve(question)[0].text.split(". ")[0].split())
    with replaying(Reply(sse(f"{said} [1].", " Bananas are blue [2]."))) as llm:
        qa = QA(corpus_qa.corpus, corpus_qa.index_dir, progress=False, llm=llm.url)
        qa.index()
        app = build_app(qa)
        respond = next(f.fn for f in app.fns.values() if f.name == "respond")
        *_, (chat, state, *_) = respond(question, [], ChatState(), 5, "hybrid")
        assert state.turns[0].answer == f"{said}."  # its supported sentence, no marker
        list(respond("Why?", chat, state, 5, "hybrid"))
        prompt = llm.requests[-1]["messages"][1]["content"]
        assert f"{EARLIER}\n- Asked: {question}\n  Answered: {said}.\n\nQuestion: Why?" in prompt
        assert "Bananas" not in prompt.split("Question: Why?")[0]  # unsupported: not carried
        # The API: an earlier turn is a question, or a question with the answer given to it.
        ask = next(f.fn for f in app.fns.values() if f.name == "ask")
        ask("Why?", 5, "hybrid", [{"question": question, "answer": "He did it [2]."}])
        prompt = llm.requests[-1]["messages"][1]["content"]
        assert f"- Asked: {question}\n  Answered: He did it.\n\nQuestion: Why?" in prompt
        ask("Why?", 5, "hybrid", [question])
        assert "Answered:" not in llm.requests[-1]["messages"][1]["content"]
        with pytest.raises(gr.Error, match='a question, or {"question"'):
            ask("Why?", 5, "hybrid", [{"q": question}])
        with pytest.raises(gr.Error, match="history must be a list"):
            ask("Why?", 5, "hybrid", [{"question": question, "answer": 5}])


def test_ask_stream_sends_the_words_as_written_then_the_answer_ask_returns(corpus_qa):
    from gradio_client import Client

    from eval.reliability.app_process import free_port
    from qa.service import QA
    from qa.ui.app import build_app

    question = "Who brokered the ceasefire?"
    said = " ".join(corpus_qa.retrieve(question)[0].text.split(". ")[0].split())
    reply = Reply(sse(f"{said} [1].", " Bananas", " are", " blue [2]."), pieces=4, pause=0.05)
    with replaying(reply) as llm:
        qa = QA(corpus_qa.corpus, corpus_qa.index_dir, progress=False, llm=llm.url)
        qa.index()
        app = build_app(qa).queue()
        _, url, _ = app.launch(
            server_port=free_port(), prevent_thread_lock=True, quiet=True, ssr_mode=False
        )
        try:
            client = Client(url, verbose=False)
            endpoints = client.view_api(print_info=False, return_format="dict")
            assert list(endpoints["named_endpoints"]) == ["/ask", "/ask_stream"]
            job = client.submit(question, 5, "hybrid", [], api_name="/ask_stream")
            job.result(timeout=120)
            *drafts, last = job.outputs()
            whole = client.predict(question, 5, "hybrid", [], api_name="/ask")
        finally:
            app.close()
    # The words as they arrived, each the text so far; then the checked answer, as /ask's.
    assert len(drafts) >= 3 and all(set(d) == {"draft"} for d in drafts)
    texts = [d["draft"] for d in drafts]
    assert all(b.startswith(a) for a, b in zip(texts, texts[1:], strict=False))
    assert texts[-1] == f"{said} [1]. Bananas are blue [2]."
    assert set(last) == {"answer"} and last["answer"] == whole
    assert [c["supported"] for c in whole["checks"]] == [True, False]
    assert UNSUPPORTED_MARK in whole["text"] and whole["question"] == question
