"""Talking to a language model the user runs or rents, over the OpenAI chat completions API.

``client.ChatClient`` posts the messages and yields the reply as it streams in
(``sse`` reads the server-sent events); every fault becomes a ``GenerationError`` of one line.
What to ask and what to make of the reply is ``qa.answering``'s business.
"""

from qa.llm.client import ChatClient, Message

__all__ = ["ChatClient", "Message"]
