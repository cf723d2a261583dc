"""A long-running server, in short (``python -m eval.reliability.soak`` asks 10,000 questions and
samples every 500).

The app answers a few hundred questions of every kind through the API and the chat. After the
warm-up its memory may grow by at most ``RSS_ALLOWANCE_MB`` and its open files not at all, and
every question must come back as an answer or, for those that must be refused, a one-line
refusal. No timing is asserted.
"""

from pathlib import Path

import pytest

from eval.reliability.soak import (
    MAX_CHARS,
    REFUSED_KINDS,
    Sample,
    plan,
    run,
    sse_lines,
    summarize,
)

# The first window is the warm-up; five more are compared. 3.4 minutes on the 2-core machine
# with its load average at 5-6 from other work (0.6 s a question); less on a quiet one.
QUESTIONS, EVERY = 300, 50
# Memory the server may gain over the 250 questions after the warm-up. It answers the same few
# kinds of question again and again, so anything it keeps for each one adds up over weeks.
RSS_ALLOWANCE_MB = 50


@pytest.mark.slow  # a subprocess harness: make test runs it, make check does not
def test_a_long_run_answers_everything_and_keeps_its_memory_and_files(tmp_path: Path) -> None:
    report = run(QUESTIONS, EVERY, tmp_path)
    summary = report.summary
    assert report.errors == []
    assert report.outcomes["error"] == 0
    assert report.questions == QUESTIONS
    assert report.by_way["api"] > 0 and report.by_way["chat"] > 0
    assert summary["fds_end"] <= summary["fds_warm"], summary
    assert summary["rss_growth_mb"] <= RSS_ALLOWANCE_MB, (
        f"the app's memory grew {summary['rss_growth_mb']} MB after the warm-up, from "
        f"{summary['rss_warm_mb']} to {summary['rss_end_mb']} MB over "
        f"{QUESTIONS - summary['warm_at_questions']} questions (allowed: {RSS_ALLOWANCE_MB} MB)"
    )


def test_the_questions_are_the_same_for_a_seed_and_of_every_kind() -> None:
    conversations = plan(QUESTIONS, seed=7)
    assert conversations == plan(QUESTIONS, seed=7)
    assert conversations != plan(QUESTIONS, seed=8)
    questions = [q for c in conversations for q in c.questions]
    assert len(questions) == QUESTIONS
    assert {c.way for c in conversations} == {"api", "chat"}
    kinds = {q.kind for q in questions}
    assert {"eval", "span", "long", "too long", "emoji", "other script", "blank"} <= kinds
    for q in questions:
        assert q.refused == (q.kind in REFUSED_KINDS)
        if q.kind == "span":
            assert 2 <= len(q.text.split()) <= 60
        if q.kind == "long":
            assert MAX_CHARS - 200 <= len(q.text) <= MAX_CHARS
        if q.kind == "too long":
            assert len(q.text) > MAX_CHARS


def test_the_summary_compares_the_first_sample_after_the_warm_up_with_the_last() -> None:
    latency = {"p50_ms": 1.0, "p95_ms": 2.0, "max_ms": 3.0, "n": 10}
    samples = [
        Sample(0, 0.0, 500.0, 20, 10, 0),
        Sample(10, 5.0, 600.0, 18, 12, 0, latency, rss_anon_mb=400.0),
        Sample(20, 10.0, 610.5, 18, 12, 1, latency | {"p95_ms": 4.0}, rss_anon_mb=403.0),
    ]
    summary = summarize(samples, warmup=10)
    assert summary["warm_at_questions"] == 10
    assert (summary["rss_warm_mb"], summary["rss_end_mb"], summary["rss_growth_mb"]) == (
        600.0,
        610.5,
        10.5,
    )
    assert summary["rss_anon_growth_mb"] == 3.0
    assert (summary["p95_warm_ms"], summary["p95_end_ms"]) == (2.0, 4.0)
    assert (summary["fds_warm"], summary["fds_end"], summary["errors"]) == (18, 18, 1)
    assert summary["seconds_per_question"] == 0.5


def test_event_stream_lines_split_at_line_feeds_only() -> None:
    # U+2028 is a line break to str.splitlines but plain text inside a JSON string; a chunk may
    # end inside a character.
    chunks = [b'data: {"q": "a\xe2\x80', b'\xa8b"}\n\nda', b"ta: 2\r\n"]
    assert list(sse_lines(iter(chunks))) == ['data: {"q": "a\u2028b"}', "", "data: 2"]
