"""Reading a chat completion stream: events, their text, and the errors a server reports."""

import pytest

from qa.errors import GenerationError
from qa.llm.sse import chunk_text, data_events


def test_events_are_the_data_fields_until_done():
    lines = [
        ": ping",
        'data: {"a": 1}',
        "",
        "event: message",
        "data: two",
        "data: lines",
        "",
        "data: [DONE]",
        "",
        "data: after done",
        "",
    ]
    assert list(data_events(lines)) == ['{"a": 1}', "two\nlines"]


def test_a_stream_that_ends_without_its_blank_line_keeps_its_last_event():
    assert list(data_events(["data: last"])) == ["last"]


def test_the_text_of_a_chunk_is_its_delta_and_role_only_chunks_add_nothing():
    assert chunk_text('{"choices": [{"delta": {"content": "Port 8080"}}]}') == "Port 8080"
    assert chunk_text('{"choices": [{"delta": {"role": "assistant"}}]}') == ""
    assert chunk_text('{"choices": [{"delta": {}, "finish_reason": "stop"}]}') == ""
    assert chunk_text('{"choices": []}') == ""
    whole = '{"choices": [{"message": {"role": "assistant", "content": "All of it"}}]}'
    assert chunk_text(whole) == "All of it"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("<html>", "not JSON"),
        ('{"error": {"message": "model not found"}}', "reported an error: model not found"),
        ('{"object": "list"}', "no choices"),
        ("[1, 2]", "unexpected reply"),
    ],
)
def test_what_is_not_a_completion_chunk_is_one_line_error(payload, message):
    with pytest.raises(GenerationError, match=message):
        chunk_text(payload)
