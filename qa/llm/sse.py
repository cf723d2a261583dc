"""Server-sent events of an OpenAI-compatible chat completion stream, read line by line.

The stream is ``data: {json}`` events separated by blank lines and ended by ``data: [DONE]``;
each JSON chunk carries the next piece of the reply in ``choices[0].delta.content``. Pure
functions over lines, so that a recorded stream can be replayed through them in tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from qa.errors import GenerationError

DONE = "[DONE]"


def data_events(lines: Iterable[str]) -> Iterator[str]:
    """The payload of each event of ``lines`` (without line endings), until ``[DONE]``.

    Multi-line ``data:`` fields are joined with a newline, as the SSE standard says; comments
    (``: ping``) and the ``event:``, ``id:`` and ``retry:`` fields are passed over.
    """
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                payload = "\n".join(data)
                if payload == DONE:
                    return
                yield payload
                data = []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        if name == "data":
            data.append(value[1:] if value.startswith(" ") else value)
    if data and "\n".join(data) != DONE:  # a stream that ends without its blank line
        yield "\n".join(data)


def chunk_text(payload: str) -> str:
    """The reply text one chunk adds (``choices[0].delta.content``; ``message.content`` for a
    server that answers a stream request with one whole completion); "" for a chunk that only
    carries the role or the finish reason.

    Raises:
        GenerationError: The payload is not a chat completion chunk, or it reports an error.
    """
    try:
        chunk = json.loads(payload)
    except json.JSONDecodeError:
        raise GenerationError(
            f"the language model sent something that is not JSON: {_shorten(payload)}"
        ) from None
    if not isinstance(chunk, dict):
        raise GenerationError(f"the language model sent an unexpected reply: {_shorten(payload)}")
    if "error" in chunk:
        raise GenerationError(f"the language model reported an error: {error_message(chunk)}")
    choices = chunk.get("choices")
    if not isinstance(choices, list):
        raise GenerationError(
            f"the language model's reply has no choices (is the URL an OpenAI-compatible "
            f"/v1 endpoint?): {_shorten(payload)}"
        )
    if not choices:
        return ""  # a usage-only chunk
    choice = choices[0] if isinstance(choices[0], dict) else {}
    part = choice.get("delta") or choice.get("message") or {}
    content = part.get("content") if isinstance(part, dict) else None
    return content if isinstance(content, str) else ""


def error_message(body: object) -> str:
    """The message of an OpenAI-style error body (``{"error": {"message": ...}}``, or
    FastAPI's ``{"detail": ...}``), shortened."""
    error = body.get("error", body.get("detail")) if isinstance(body, dict) else None
    if isinstance(error, dict):
        error = error.get("message", error)
    # Its first two lines: a server may append its own traceback ("File ..., line 376").
    lines = [line for line in str(error if error is not None else body).splitlines() if line]
    return _shorten(" ".join(lines[:2]))


def _shorten(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
