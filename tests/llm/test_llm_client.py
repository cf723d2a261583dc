"""The chat client against a local HTTP server: what it sends, what it streams, and each fault
as one line. The streamed and error replies are bytes recorded from llama.cpp's server
(``python -m eval.llm_server --record tests/llm/recorded``)."""

from __future__ import annotations

import json

import pytest

from eval.llm_server import free_port
from qa.errors import GenerationError
from qa.llm import ChatClient, Message
from tests.llm.replay import RECORDED, Reply, recorded, replaying

ASK = [Message("system", "Cite [n]."), Message("user", "Which port?")]


def _sse(*pieces: str) -> bytes:
    events = [json.dumps({"choices": [{"delta": {"content": p}}]}) for p in pieces]
    return "".join(f"data: {e}\n\n" for e in [*events, "[DONE]"]).encode()


def test_the_recorded_stream_arrives_in_pieces_that_make_the_reply():
    reply = recorded("streamed.sse")
    reply.pieces = 7  # sent in several writes, as a server flushes tokens
    with replaying(reply) as server:
        pieces = list(ChatClient(server.url, "smollm2").stream(ASK))
    assert len(pieces) > 3
    assert "".join(pieces).strip()
    sent = server.requests[0]
    assert sent["stream"] is True and sent["model"] == "smollm2"
    assert sent["messages"][1] == {"role": "user", "content": "Which port?"}


def test_no_model_name_sends_none_and_the_key_goes_only_in_the_header(monkeypatch):
    monkeypatch.setenv("QA_LLM_API_KEY", "sk-secret-test-key")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-other")
    client = ChatClient("http://127.0.0.1:1/v1")
    assert "sk-secret" not in repr(client) and "sk-secret" not in str(vars(client))
    with replaying(Reply(_sse("Port 8080 [1]."))) as server:
        assert "".join(ChatClient(server.url).stream(ASK)) == "Port 8080 [1]."
    assert "model" not in server.requests[0]
    assert server.headers[0]["Authorization"] == "Bearer sk-secret-test-key"


def test_a_whole_json_completion_is_taken_as_one_piece():
    body = json.dumps({"choices": [{"message": {"role": "assistant", "content": "All [1]."}}]})
    with replaying(Reply(body.encode(), content_type="application/json")) as server:
        assert list(ChatClient(server.url).stream(ASK)) == ["All [1]."]


def test_an_error_status_is_one_line_with_the_servers_message():
    meta = json.loads((RECORDED / "error-status.sse.json").read_text())
    reply = recorded("error-status.sse")
    reply.status, reply.content_type = meta["status"], meta["content_type"]
    with replaying(reply) as server, pytest.raises(GenerationError) as caught:
        list(ChatClient(server.url).stream(ASK))
    message = str(caught.value)
    assert message.startswith(f"the language model answered HTTP {meta['status']}")
    assert "\n" not in message and "File " not in message  # not the server's traceback
    assert "Input should be a valid list" in message


@pytest.mark.parametrize(
    ("status", "hint"), [(401, "QA_LLM_API_KEY"), (404, "ending in /v1"), (503, "HTTP 503")]
)
def test_an_error_status_says_what_to_do(status, hint):
    body = json.dumps({"error": {"message": "nope", "type": "x"}}).encode()
    with replaying(Reply(body, status, "application/json")) as server:
        with pytest.raises(GenerationError, match=hint):
            list(ChatClient(server.url).stream(ASK))


def test_an_endpoint_that_is_down_is_one_line():
    port = free_port()  # nobody listens on it
    with pytest.raises(GenerationError, match="cannot reach the language model"):
        list(ChatClient(f"http://127.0.0.1:{port}/v1").stream(ASK))


def test_a_slow_server_hits_the_time_limit():
    slow = Reply(_sse("Port", " 8080", " [1].", " More", " words"), pause=0.4, pieces=5)
    with replaying(slow) as server, pytest.raises(GenerationError, match="more than 1 s"):
        list(ChatClient(server.url, timeout=1.0).stream(ASK))


def test_a_url_that_is_not_http_is_refused_with_an_example():
    with pytest.raises(GenerationError, match="11434/v1"):
        ChatClient("localhost:11434")
