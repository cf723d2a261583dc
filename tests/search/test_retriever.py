"""Hybrid search runs BM25 beside the dense side on the Retriever's own thread pool: one
thread kept for the questions that follow, more only for callers asking at once, none left
once the Retriever is dropped."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from qa.search.retriever import Retriever

QUESTIONS = ["Who brokered the deal?", "What does the magic file contain?", "Which team won?"]


def _search_a_while(shared: Retriever) -> set[threading.Thread]:
    """Searches with a Retriever of its own, then drops it; returns the pool's threads."""
    retriever = Retriever(shared.index, shared.encoder, shared.settings)
    first = [retriever.search_batch([q], 5, "hybrid") for q in QUESTIONS]
    assert [retriever.search_batch([q], 5, "hybrid") for q in QUESTIONS] == first
    threads = set(retriever._lexical_pool._threads)
    assert len(threads) == 1  # reused question after question
    with ThreadPoolExecutor(3) as callers:  # several threads at once find the same
        found = list(callers.map(lambda q: retriever.search_batch([q], 5, "hybrid"), QUESTIONS))
    assert found == first
    return threads | retriever._lexical_pool._threads


def test_hybrid_search_keeps_one_thread_and_a_dropped_retriever_leaves_none(corpus_qa):
    for thread in _search_a_while(corpus_qa.retriever):
        thread.join(timeout=10)
        assert not thread.is_alive()
