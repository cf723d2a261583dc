"""The generated answerer against a local server replaying chat completion streams: the reply
streams, every sentence is checked, and each fault gives the extractive answer with one line.

The streams are in llama.cpp's format (as recorded in ``tests/llm/recorded``), with the words a
case needs: a 135M model cannot be made to cite wrongly on purpose."""

from __future__ import annotations

import json

import numpy as np
import pytest

from eval.llm_server import free_port
from qa.answering.citation_check import UNSUPPORTED_MARK
from qa.answering.extractive import ExtractiveAnswerer
from qa.answering.generated import FALLBACK, GeneratedAnswerer
from qa.answering.prompt import NOT_ANSWERED
from qa.cli import main
from qa.settings import AnswerSettings
from qa.types import Answer, Draft, Passage, Turn
from tests.llm.replay import Reply, replaying

QUESTION = "Which port does the server listen on?"


def sse(*pieces: str) -> bytes:
    """A chat completion stream as llama.cpp's server sends it, with ``pieces`` as its text."""
    head = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": "smollm2"}
    events = [{**head, "choices": [{"index": 0, "delta": {"role": "assistant"}}]}]
    events += [{**head, "choices": [{"index": 0, "delta": {"content": p}}]} for p in pieces]
    events.append({**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    return (
        "".join(f"data: {json.dumps(e)}\r\n\r\n" for e in events).encode() + b"data: [DONE]\r\n\r\n"
    )


def _passage(text: str, title: str, doc_id: str) -> Passage:
    return Passage(text, 1.0, doc_id, title, 0, len(text), "article")


PASSAGES = [
    _passage(
        "Install it first. The server listens on port 8080 by default. Set PORT to move it.",
        "Server guide",
        "server.md",
    ),
    _passage("Logs are rotated daily and kept for a week.", "Logging", "logs.md"),
]


@pytest.fixture(scope="module")
def parts(encoder):
    """The encoder, word weights and question vector the answerer works with."""
    from qa.index.lexical import LexicalIndex

    weights = LexicalIndex.build([p.text for p in PASSAGES] + ["Backups run every night."])
    return encoder, weights, encoder.encode([QUESTION])[0]


def _run(parts, url: str, timeout: float = 20.0) -> tuple[list[Draft], Answer]:
    encoder, weights, vector = parts
    settings = AnswerSettings(answerer="generated", llm=url, llm_timeout=timeout)
    answerer = GeneratedAnswerer(encoder, weights, settings)
    *drafts, answer = answerer.stream(QUESTION, PASSAGES, vector)
    assert all(isinstance(d, Draft) for d in drafts) and isinstance(answer, Answer)
    return drafts, answer


def test_a_supported_reply_streams_and_is_kept_as_written(parts):
    with replaying(Reply(sse("The server", " listens on port", " 8080 [1]."), pieces=3)) as llm:
        drafts, answer = _run(parts, llm.url)
    assert "".join(d.text for d in drafts) == "The server listens on port 8080 [1]."
    assert answer.text == "The server listens on port 8080 [1]." and answer.note is None
    assert [c.supported for c in answer.checks] == [True]
    assert answer.citations == PASSAGES and answer.quotes[0].doc_id == "server.md"
    # The prompt numbered the passages with their titles and asked the question.
    prompt = llm.requests[0]["messages"][1]["content"]
    assert "[1] Server guide\n" in prompt and "[2] Logging\n" in prompt
    assert f"Question: {QUESTION}\n\n" in prompt and prompt.endswith("for example [1].")


def test_an_unsupported_sentence_is_marked_and_listed(parts):
    reply = sse("The server listens on port 8080 [1].\n", "The server listens on port 8080 [2].")
    with replaying(Reply(reply)) as llm:
        _, answer = _run(parts, llm.url)
    assert [c.supported for c in answer.checks] == [True, False]
    assert answer.checks[1].reason == "not supported by [2]"
    assert answer.text.startswith("The server listens on port 8080 [1]. The server")
    assert f"8080 [2]. {UNSUPPORTED_MARK}" in answer.text
    assert all(not verbatim for _, verbatim in answer.blocks())  # prose, not a code block
    assert answer.note and answer.note in answer.text and "1 of 2 sentences" in answer.note


def _extractive(parts) -> Answer:
    encoder, weights, vector = parts
    return ExtractiveAnswerer(encoder, weights, AnswerSettings()).answer(QUESTION, PASSAGES, vector)


def _falls_back(parts, answer: Answer, why: str) -> None:
    assert answer.note is not None and why in answer.note and FALLBACK in answer.note
    assert "\n" not in answer.note and "Traceback" not in answer.text
    assert answer.text == f"{answer.note}\n\n{_extractive(parts).text}"


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (sse("The server listens on port 8080."), "cited no passage"),
        (sse("The server listens on port 8080 [7]."), "No sentence"),
        (sse("The moon is made of cheese [2]."), "No sentence"),
        (sse(NOT_ANSWERED), "found no answer"),
        (sse(), "found no answer"),
    ],
    ids=["no markers", "out of range", "unsupported", "refusal", "empty"],
)
def test_a_reply_that_cannot_be_trusted_gives_the_extractive_answer(parts, reply, why):
    with replaying(Reply(reply)) as llm:
        _, answer = _run(parts, llm.url)
    _falls_back(parts, answer, why)


def test_an_out_of_range_marker_is_listed_with_why(parts):
    with replaying(Reply(sse("The server listens on port 8080 [7]."))) as llm:
        _, answer = _run(parts, llm.url)
    assert answer.checks[0].reason == "cites [7], not one of the 2 passages given"


def test_faults_give_the_extractive_answer_with_one_line(parts):
    error = json.dumps({"error": {"code": 500, "message": "model crashed"}}).encode()
    with replaying(Reply(error, 500, "application/json")) as llm:
        _falls_back(parts, _run(parts, llm.url)[1], "HTTP 500: model crashed")
    slow = Reply(sse("The", " server", " listens", " on", " port"), pause=0.5, pieces=5)
    with replaying(slow) as llm:
        _falls_back(parts, _run(parts, llm.url, timeout=1.0)[1], "took more than 1 s")
    down = f"http://127.0.0.1:{free_port()}/v1"  # nobody listens on it
    _falls_back(parts, _run(parts, down)[1], "Cannot reach the language model")


def test_qa_streams_a_generated_answer_and_the_cli_prints_it(corpus_qa, capsys):
    from qa.service import QA

    question = "Who brokered the ceasefire?"
    first = corpus_qa.retrieve(question)[0]
    said = " ".join(first.text.split(". ")[0].split())
    with replaying(Reply(sse(f"{said} [1].", " Bananas are blue [2]."))) as llm:
        qa = QA(corpus_qa.corpus, corpus_qa.index_dir, progress=False, llm=llm.url)
        earlier = [Turn("What happened in Basra?", "Fighting broke out [3].")]
        *drafts, answer = qa.answer_stream(question, history=earlier)
        assert drafts and all(isinstance(d, Draft) for d in drafts)
        assert [c.supported for c in answer.checks] == [True, False]
        assert answer.question == question and answer.citations[0].doc_id == first.doc_id
        prompt = llm.requests[0]["messages"][1]["content"]
        assert "- Asked: What happened in Basra?\n  Answered: Fighting broke out.\n" in prompt
        code = main(
            ["ask", question, "--corpus", str(corpus_qa.corpus), "--index-dir",
             str(corpus_qa.index_dir), "--quiet", "--llm", llm.url, "--llm-model", "m"]
        )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and llm.requests[-1]["model"] == "m"
    streamed, checked = out.split("Checked against the passages cited:")
    assert "Bananas are blue [2]." in streamed and UNSUPPORTED_MARK not in streamed
    assert f"[2]. {UNSUPPORTED_MARK}" in checked and "\n[1] " in checked


def test_an_unused_vector_shape_is_fine_without_passages(parts):
    encoder, weights, _ = parts
    settings = AnswerSettings(answerer="generated", llm="http://127.0.0.1:9/v1")
    answer = GeneratedAnswerer(encoder, weights, settings).answer(QUESTION, [], np.zeros(384))
    assert answer.checks == () and not answer.confident
