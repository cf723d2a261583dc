"""A client for any OpenAI-compatible chat endpoint (llama.cpp's server, Ollama, vLLM, OpenAI).

Plain ``httpx`` (already installed with Gradio) rather than the ``openai`` package: one
POST to ``{url}/chat/completions`` and a server-sent events stream is all that is used, and
owning the few lines keeps the time limits and the error messages ours (the ``openai`` client
retries twice by default and would add a dependency tree for one call).

The API key is read from ``QA_LLM_API_KEY``, else ``OPENAI_API_KEY``, for each request; it is
only ever put in the ``Authorization`` header: never kept on the client, in a message, a log
line, a ``repr`` or anything stored.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import httpx

from qa.errors import GenerationError
from qa.llm.sse import chunk_text, data_events, error_message

KEY_VARIABLES = ("QA_LLM_API_KEY", "OPENAI_API_KEY")  # looked up in this order
CONNECT_SECONDS = 5.0


@dataclass(frozen=True)
class Message:
    """One message of a chat: ``role`` is "system", "user" or "assistant"."""

    role: str
    content: str


def api_key() -> str | None:
    """The key from the environment (``KEY_VARIABLES``, in order), or None."""
    for name in KEY_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


class ChatClient:
    """Streams chat completions from an OpenAI-compatible endpoint.

    Args:
        url: The API's base URL, with its ``/v1`` ("http://127.0.0.1:11434/v1" for Ollama).
        model: The model name the server knows it by; left out of the request when empty
            (llama.cpp's server serves the one model it loaded).
        timeout: The most seconds a whole reply may take, and a pause in it too.
        max_tokens: The most tokens the model may write.
        temperature: Sampling temperature (0: its most likely words, the same each time).
    """

    def __init__(
        self,
        url: str,
        model: str = "",
        timeout: float = 60.0,
        max_tokens: int = 400,
        temperature: float = 0.0,
    ) -> None:
        url = url.strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise GenerationError(
                f"the language model URL must start with http:// or https://, got {url!r} "
                "(e.g. http://127.0.0.1:11434/v1 for Ollama)"
            )
        self.url = url
        self.model = model
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.temperature = temperature

    def __repr__(self) -> str:
        return f"ChatClient(url={self.url!r}, model={self.model!r}, timeout={self.timeout})"

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        """The reply to ``messages``, piece by piece as the server sends it.

        Raises:
            GenerationError: The endpoint is unreachable, answers with an error status, takes
                more than ``timeout`` seconds (in all, or between two pieces), or sends
                something that is not a chat completion.
        """
        body: dict[str, object] = {
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "stream": True,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
        }
        if self.model:
            body["model"] = self.model
        headers = {"Accept": "text/event-stream"}
        key = api_key()  # read for each request, never kept on the client
        if key:
            headers["Authorization"] = f"Bearer {key}"
        deadline = time.monotonic() + self.timeout
        limits = httpx.Timeout(self.timeout, connect=min(CONNECT_SECONDS, self.timeout))
        endpoint = f"{self.url}/chat/completions"
        try:
            with (
                httpx.Client(timeout=limits, trust_env=False) as client,
                client.stream("POST", endpoint, json=body, headers=headers) as response,
            ):
                if response.status_code >= 400:
                    raise GenerationError(_status_message(response))
                kind = response.headers.get("content-type", "")
                if kind.startswith("application/json"):  # the whole reply at once
                    yield chunk_text(response.read().decode("utf-8", "replace"))
                    return
                for payload in data_events(_lines(response, deadline, self.timeout)):
                    text = chunk_text(payload)
                    if text:
                        yield text
        except httpx.TimeoutException:
            raise GenerationError(_slow(self.timeout)) from None
        except httpx.ConnectError:
            raise GenerationError(
                f"cannot reach the language model at {self.url}: is its server running?"
            ) from None
        except httpx.HTTPError as exc:
            raise GenerationError(
                f"the connection to the language model at {self.url} failed: {type(exc).__name__}"
            ) from None


def _lines(response: httpx.Response, deadline: float, timeout: float) -> Iterator[str]:
    for line in response.iter_lines():
        if time.monotonic() > deadline:
            raise GenerationError(_slow(timeout))
        yield line


def _slow(timeout: float) -> str:
    return f"the language model took more than {timeout:g} s to answer"


def _status_message(response: httpx.Response) -> str:
    """One line for an error status, with the server's own message when it sends one."""
    text = response.read().decode("utf-8", "replace")
    try:
        detail = error_message(json.loads(text))
    except json.JSONDecodeError:
        detail = " ".join(text.split())[:200]
    hint = ""
    if response.status_code in (401, 403):
        hint = f" (set {KEY_VARIABLES[0]} or {KEY_VARIABLES[1]} to the endpoint's API key)"
    elif response.status_code == 404:
        hint = " (is the URL the API's base, ending in /v1, and the model name right?)"
    reason = f": {detail}" if detail else ""
    return f"the language model answered HTTP {response.status_code}{reason}{hint}"
