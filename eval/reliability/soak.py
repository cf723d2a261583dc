"""A long-running server: the app answering thousands of questions, its memory, latency and open
files sampled as it goes.

    python -m eval.reliability.soak [--questions 10000] [--every 500] [--warmup N] [--seed 7]
                                    [--out FILE] [--chart FILE]

Starts the app (``app.py``, the bundled corpus) on a free loopback port, as a user would, and
asks it ``--questions`` questions one after another, in conversations of one to six questions,
each conversation through one of the two ways a client has:

- the API: one ``gradio_client.Client`` for the whole run, calling ``/ask`` with the
  conversation's earlier questions;
- the chat: the page's own route (``POST /gradio_api/queue/join`` with the chat's event, then
  the ``/gradio_api/queue/data`` stream), one browser session per conversation, sending back the
  history the server returned. The chat's event is private to the page (``gradio_client``
  refuses it), so this is the only way in, and the one every visitor takes.

The questions are drawn from ``--seed``: the eval set's questions, spans of 2-60 words cut from
the corpus, and odd ones (only stop-words, emoji, other scripts, punctuation, markup, control
characters, text up to the longest accepted, and a few that must be refused: blank, or over the
limit). Each must come back as an answer, or, for those that must be refused, as a one-line
refusal; anything else is an error.

Every ``--every`` questions it reads the app process's resident memory (VmRSS), open file
descriptors and threads from /proc, and the p50/p95 latency of the questions since the last
sample. The report compares the first sample after the warm-up (``--warmup`` questions,
``--every`` by default) with the last; ``--chart`` draws memory and p95 latency against questions
answered.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from eval.chart import soak_chart
from eval.performance.measure import percentiles
from eval.reliability.app_process import app_process
from eval.reliability.load import eval_questions, load_average, machine
from eval.report import print_report
from qa.paths import DEFAULT_CORPUS
from qa.search.question import is_blank
from qa.settings import MODES, SearchSettings

TIMEOUT = 120.0  # seconds one question may take before it counts as hung
SETTLE = 0.3  # seconds to wait before a sample, so that closed connections have let go of their fds
KEPT_ERRORS = 100  # error messages kept in the report; all are counted
MAX_CHARS = SearchSettings().max_question_chars  # the longest question the app accepts
MAX_K = 10  # the chat's slider goes to 10

Way = Literal["api", "chat"]
Outcome = Literal["answer", "refusal", "error"]

# Odd questions by kind. All are answered but "blank" (and "too long", made below), which
# must be refused with one line.
ODD: dict[str, tuple[str, ...]] = {
    "stop-words": ("the of and to", "what is it that they were", "and or but if", "is it"),
    "emoji": ("🙂🔥🤔", "🇮🇶 ⛽ 💣 ❓", "👍", "🕊️ ceasefire? 🤝"),
    "other script": (
        "מי תיווך את הפסקת האש?",  # Hebrew
        "من توسط في وقف إطلاق النار؟",  # Arabic
        "谁促成了停火？",  # Chinese
        "Кто добился перемирия в Басре?",  # Russian
        "Ποιος μεσολάβησε για την εκεχειρία;",  # Greek
        "युद्धविराम किसने करवाया?",  # Hindi
        "停戦を仲介したのは誰ですか？",  # Japanese
    ),
    "punctuation": ("?", "?!?!", "...", "—;:()[]{}", "'\"`", "¿¡«»", "- * _ # >"),
    "markup": (
        "<script>alert(1)</script> who?",
        "${7*7} {{7*7}}",
        "[ceasefire](javascript:alert(1))",
        "**Sadr** `demands` <img src=x onerror=alert(1)>",
    ),
    "control": (
        "\x00who\x07 brokered\x1b[31m the ceasefire",
        "\u202ewho brokered\u200b the ceasefire\ufeff",
        "what did\u2028Sadr\tdemand\r\n",
    ),
    "blank": ("", "   ", "\n\t "),
}
REFUSED_KINDS = ("blank", "too long")


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # "eval", "span", a kind of ODD, "long" or "too long"
    refused: bool  # whether the app must refuse it (with one line) rather than answer


@dataclass(frozen=True)
class Conversation:
    """Questions asked in turn through one way, with one ``k`` and ``mode`` (as a visitor sets
    the slider and the radio once)."""

    way: Way
    k: int
    mode: str
    questions: tuple[Question, ...]


@dataclass
class Sample:
    questions: int  # answered so far (errors included)
    seconds: float  # since the first question
    rss_mb: float
    fds: int
    threads: int
    errors: int  # so far
    latency: dict[str, float] = field(default_factory=dict)  # of the questions since the last
    rss_anon_mb: float = 0.0  # of rss_mb: the heap and other private memory
    rss_file_mb: float = 0.0  # of rss_mb: pages of mapped files (the index, libraries)


@dataclass
class SoakReport:
    questions: int
    every: int
    warmup: int
    seed: int
    outcomes: dict[str, int]  # answer, refusal, error
    by_way: dict[str, int]
    by_kind: dict[str, int]
    errors: list[str]  # the first KEPT_ERRORS
    summary: dict[str, Any]
    samples: list[Sample]
    machine: dict[str, Any] = field(default_factory=dict)


# -- the questions ---------------------------------------------------------------------------


def corpus_words(corpus: Path = DEFAULT_CORPUS) -> list[list[str]]:
    """Each corpus document's words, in file order (hidden files, such as the example questions
    of .questions.txt, are no documents)."""
    return [path.read_text(encoding="utf-8").split() for path in sorted(corpus.glob("[!.]*.txt"))]


def draw_question(rng: random.Random, asked: list[str], words: list[list[str]]) -> Question:
    """One question: from the eval set (35%), a span of the corpus (45%) or odd (20%)."""
    roll = rng.random()
    if roll < 0.35:
        return Question(rng.choice(asked), "eval", False)
    if roll < 0.80:
        document = rng.choice(words)
        length = rng.randint(2, 60)
        start = rng.randrange(max(1, len(document) - length))
        return Question(" ".join(document[start : start + length]), "span", False)
    kind = rng.choice([*ODD, "long", "too long"])
    if kind in ODD:
        return Question(rng.choice(ODD[kind]), kind, kind in REFUSED_KINDS)
    # Corpus text up to the longest accepted length, or just over it.
    document = rng.choice(words)
    start = rng.randrange(len(document) // 2)
    text = " ".join(document[start:])
    while len(text) <= MAX_CHARS + 500:
        text += " " + text
    if kind == "long":
        return Question(text[: rng.randint(MAX_CHARS - 200, MAX_CHARS)].strip(), kind, False)
    return Question(text[: rng.randint(MAX_CHARS + 1, MAX_CHARS + 500)] + "?", kind, True)


def plan(count: int, seed: int) -> list[Conversation]:
    """Conversations holding ``count`` questions in all, the same for the same ``seed``."""
    rng = random.Random(seed)
    asked, words = eval_questions(), corpus_words()
    conversations: list[Conversation] = []
    left = count
    while left:
        size = min(left, rng.randint(1, 6))
        way: Way = rng.choice(("api", "chat"))
        questions = tuple(draw_question(rng, asked, words) for _ in range(size))
        conversations.append(Conversation(way, rng.randint(1, MAX_K), rng.choice(MODES), questions))
        left -= size
    return conversations


# -- asking ----------------------------------------------------------------------------------


class ApiCaller:
    """``/ask`` through one ``gradio_client.Client``, as a program calling the app would."""

    def __init__(self, url: str) -> None:
        from gradio_client import Client

        self.client = Client(url, verbose=False)

    def ask(self, question: str, k: int, mode: str, earlier: list[str]) -> tuple[Outcome, str]:
        from gradio_client.exceptions import AppError

        try:
            job = self.client.submit(question, k, mode, earlier, api_name="/ask")
            result = job.result(timeout=TIMEOUT)
        except AppError as exc:  # the app's gr.Error: a refusal
            return "refusal", str(exc)
        except Exception as exc:  # a hang, a broken connection, a server error
            return "error", f"{type(exc).__name__}: {str(exc)[:200]}"
        if isinstance(result, dict) and result.get("text"):
            return "answer", ""
        return "error", f"an empty answer: {str(result)[:200]}"

    def close(self) -> None:
        self.client.close()


class ChatCaller:
    """The chat, through the page's own route: one browser session per conversation."""

    def __init__(self, url: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=url, timeout=TIMEOUT)
        self.fn_index, self.trigger = chat_event(self.http.get("config").json())
        self.new_conversation()

    def new_conversation(self) -> None:
        """A new browser session. (It keeps no heartbeat open, as a page does; so the server
        never hears that it closed, and keeps its state until Gradio's limit of sessions.)"""
        self.session = uuid.uuid4().hex[:11]
        self.history: list[dict[str, Any]] = []

    def close(self) -> None:
        self.http.close()

    def ask(self, question: str, k: int, mode: str) -> tuple[Outcome, str]:
        try:
            history = self._submit([question, self.history, None, k, mode])
        except Exception as exc:  # a hang, a broken connection, a server error
            return "error", f"{type(exc).__name__}: {str(exc)[:200]}"
        gained = 1 if is_blank(question) else 2  # a blank question gets a reply, no bubble
        if len(history) != len(self.history) + gained or history[-1].get("role") != "assistant":
            return "error", f"the chat did not gain a question and a reply: {str(history)[-200:]}"
        self.history = history
        reply = "".join(part.get("text", "") for part in history[-1]["content"])
        if reply.startswith("⚠ Something went wrong"):  # an exception the app caught and logged
            return "error", reply
        if reply.startswith("⚠"):
            return "refusal", reply
        return ("answer", "") if reply.strip() else ("error", "an empty reply")

    def _submit(self, data: list[Any]) -> list[dict[str, Any]]:
        """Join the queue with the chat's event and read the session's stream to its end; the
        chat's new history."""
        joined = self.http.post(
            "gradio_api/queue/join",
            json={
                "data": data,
                "fn_index": self.fn_index,
                "trigger_id": self.trigger,
                "session_hash": self.session,
                "event_data": None,
            },
        )
        joined.raise_for_status()
        params = {"session_hash": self.session}
        with self.http.stream("GET", "gradio_api/queue/data", params=params) as stream:
            for line in sse_lines(stream.iter_bytes()):
                if not line.startswith("data: "):
                    continue
                message = json.loads(line.removeprefix("data: "))
                if message.get("msg") == "process_completed":
                    if not message.get("success"):
                        raise RuntimeError(f"the server's error: {str(message)[:200]}")
                    return message["output"]["data"][0]
                if message.get("msg") == "unexpected_error":
                    raise RuntimeError(f"the server's error: {str(message)[:200]}")
        raise RuntimeError("the stream ended without an outcome")


def sse_lines(chunks: Iterator[bytes]) -> Iterator[str]:
    """The lines of an event stream, split at line feeds only, as a browser's EventSource does.
    (httpx's ``iter_lines`` also splits at U+2028 and other Unicode line breaks, which JSON
    carries unescaped: a question holding one would arrive cut in two.)"""
    buffer = b""
    for chunk in chunks:
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            yield line.rstrip(b"\r").decode("utf-8")
    if buffer:
        yield buffer.rstrip(b"\r").decode("utf-8")


def chat_event(config: dict[str, Any]) -> tuple[int, int]:
    """The id of the event the question box's submit runs (the chat's answer), and the box's."""
    components = config["components"]
    boxes = [c["id"] for c in components if c.get("props", {}).get("elem_id") == "qa-question"]
    for dependency in config["dependencies"]:
        for target, event in dependency.get("targets", []):
            if target in boxes and event == "submit":
                return dependency["id"], target
    raise LookupError("the page has no question box whose submit answers (elem_id qa-question)")


# -- the run ---------------------------------------------------------------------------------


def proc_status(pid: int) -> dict[str, Any]:
    """The process's resident memory (MB; in all, private, and of mapped files), open file
    descriptors and threads, from /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        raise RuntimeError(f"the app (process {pid}) has exited during the soak") from None
    fields = dict(line.split(":", 1) for line in status.splitlines())

    def megabytes(name: str) -> float:
        return round(int(fields[name].split()[0]) / 1024, 1)

    return {
        "rss_mb": megabytes("VmRSS"),
        "rss_anon_mb": megabytes("RssAnon"),
        "rss_file_mb": megabytes("RssFile") + megabytes("RssShmem"),
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
        "threads": int(fields["Threads"]),
    }


def soak(
    pid: int,
    api: ApiCaller,
    chat: ChatCaller,
    conversations: list[Conversation],
    every: int,
    warmup: int,
    seed: int,
) -> SoakReport:
    """Ask every conversation's questions in turn, sampling process ``pid`` (the app) after
    each ``every``."""
    report = SoakReport(0, every, warmup, seed, {"answer": 0, "refusal": 0, "error": 0},
                        {"api": 0, "chat": 0}, {}, [], {}, [])  # fmt: skip
    window: list[float] = []
    started = time.perf_counter()

    def sample() -> None:
        time.sleep(SETTLE)
        seconds = round(time.perf_counter() - started, 1)
        status = proc_status(pid)
        report.samples.append(
            Sample(report.questions, seconds, errors=report.outcomes["error"], **status)
        )
        if window:
            report.samples[-1].latency = percentiles(window)
            window.clear()

    sample()  # before the first question: the app as it starts serving
    for conversation in conversations:
        chat.new_conversation()
        earlier: list[str] = []
        for question in conversation.questions:
            began = time.perf_counter()
            if conversation.way == "api":
                outcome, detail = api.ask(question.text, conversation.k, conversation.mode, earlier)
            else:
                outcome, detail = chat.ask(question.text, conversation.k, conversation.mode)
            window.append((time.perf_counter() - began) * 1000)
            report.questions += 1
            report.by_way[conversation.way] += 1
            report.by_kind[question.kind] = report.by_kind.get(question.kind, 0) + 1
            problem = _problem(question, outcome, detail)
            report.outcomes["error" if problem else outcome] += 1
            if problem and len(report.errors) < KEPT_ERRORS:
                where = f"{report.questions} ({conversation.way}, {question.kind})"
                report.errors.append(f"{where}: {problem}")
            elif not problem and outcome == "answer":
                earlier.append(question.text)
            if report.questions % every == 0:
                sample()
    if window:  # the questions after the last full window
        sample()
    report.summary = summarize(report.samples, warmup)
    return report


def _problem(question: Question, outcome: Outcome, detail: str) -> str | None:
    """What is wrong with how ``question`` came back, or None."""
    shown = repr(question.text[:80])
    if outcome == "error":
        return f"{shown}: {detail}"
    if question.refused and outcome != "refusal":
        return f"{shown}: answered, but it must be refused"
    if not question.refused and outcome == "refusal":
        return f"{shown}: refused ({detail[:200]})"
    if outcome == "refusal" and ("\n" in detail.strip() or not detail.strip()):
        return f"{shown}: the refusal is not one line: {detail[:200]!r}"
    return None


def summarize(samples: list[Sample], warmup: int) -> dict[str, Any]:
    """The first sample at or after ``warmup`` questions against the last: memory, its growth,
    p95 latency (of each one's window) and open files."""
    warm = next((s for s in samples if s.questions >= max(warmup, 1)), samples[-1])
    end = samples[-1]
    asked = end.questions
    return {
        "warm_at_questions": warm.questions,
        "rss_start_mb": samples[0].rss_mb,
        "rss_warm_mb": warm.rss_mb,
        "rss_end_mb": end.rss_mb,
        "rss_growth_mb": round(end.rss_mb - warm.rss_mb, 1),
        "rss_anon_growth_mb": round(end.rss_anon_mb - warm.rss_anon_mb, 1),
        "p95_warm_ms": warm.latency.get("p95_ms"),
        "p95_end_ms": end.latency.get("p95_ms"),
        "fds_warm": warm.fds,
        "fds_end": end.fds,
        "threads_warm": warm.threads,
        "threads_end": end.threads,
        "errors": end.errors,
        "seconds": end.seconds,
        "seconds_per_question": round(end.seconds / asked, 3) if asked else None,
    }


def run(
    questions: int, every: int, work: Path, warmup: int | None = None, seed: int = 7
) -> SoakReport:
    """Start the app over the bundled corpus and soak it with ``questions`` questions."""
    conversations = plan(questions, seed)
    load_before = load_average()
    with app_process(DEFAULT_CORPUS, work / "index", work / "app.log") as app:
        api, chat = ApiCaller(app.url), ChatCaller(app.url)
        try:
            warmup = every if warmup is None else warmup
            report = soak(app.pid, api, chat, conversations, every, warmup, seed)
        finally:
            api.close()
            chat.close()
    report.machine = machine(load_before)
    return report


def main(argv: list[str] | None = None) -> int:
    summary = __doc__.splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m eval.reliability.soak", description=summary)
    parser.add_argument("--questions", type=int, default=10_000, help="questions to ask in all")
    parser.add_argument("--every", type=int, default=500, help="questions between samples")
    parser.add_argument(
        "--warmup", type=int, help="questions before the first sample compared (default: --every)"
    )
    parser.add_argument("--seed", type=int, default=7, help="draws the questions")
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    parser.add_argument("--chart", type=Path, help="draw memory and p95 latency here (PNG)")
    args = parser.parse_args(argv)
    if args.questions < 1 or args.every < 1:
        parser.error("--questions and --every must be at least 1")
    with tempfile.TemporaryDirectory(prefix="qa-soak-") as work:
        report = run(args.questions, args.every, Path(work), args.warmup, args.seed)
    print_report(report, args.out)
    if args.chart:
        samples = [asdict(sample) for sample in report.samples]
        soak_chart(samples, report.summary["warm_at_questions"], args.chart)
    return 1 if report.outcomes["error"] else 0


if __name__ == "__main__":
    sys.exit(main())
