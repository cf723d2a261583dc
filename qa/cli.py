"""The ``qa`` command: index a folder, ask a question, serve the chat. A thin edge over ``qa.QA``.

Further commands come from plugins: each entry point of the group ``qa.commands`` is a
``main(argv) -> int`` run as ``qa NAME ...`` (this project's ``eval`` and ``bench`` are
registered so in ``pyproject.toml``); the library itself never imports them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap
from dataclasses import asdict
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from qa.errors import QAError, SettingsError
from qa.ingest.upload import MAX_UPLOAD_BYTES
from qa.settings import MODES, Settings
from qa.types import Answer, Draft, Passage
from qa.ui import CONVERSATIONS, QUEUE_SIZE
from qa.ui.render import location, part_label, shorten

MAX_UPLOAD_MB = MAX_UPLOAD_BYTES / (1024 * 1024)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    argv = sys.argv[1:] if argv is None else argv
    plugins = _plugins()
    if argv[:1] and argv[0] in plugins:  # a plugin parses its own options
        return plugins[argv[0]].load()(argv[1:])
    parser = _parser(plugins)
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except QAError as exc:
        print(f"qa: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `qa ask ... | head` closed the pipe: stop quietly, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _plugins() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group="qa.commands")}


def _parser(plugins: dict[str, EntryPoint]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa", description="Answer questions over a folder of documents, with citations."
    )
    commands = parser.add_subparsers(title="commands")

    index = commands.add_parser("index", help="build or update the index of a folder")
    index.add_argument("folder", nargs="?", help="corpus folder (default: the bundled corpus)")
    index.add_argument("--corpus", help="the same folder, named as qa ask and serve name it")
    index.add_argument("--rebuild", action="store_true", help="re-embed everything")
    _common(index)
    index.set_defaults(run=_index)

    ask = commands.add_parser("ask", help="answer a question with cited passages")
    ask.add_argument("question")
    ask.add_argument("--corpus", help="corpus folder (default: the bundled corpus)")
    ask.add_argument("-k", type=int, default=5, help="passages to retrieve (default: 5)")
    ask.add_argument("--mode", choices=MODES, help="retrieval mode (default: hybrid)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    _common(ask)
    _llm(ask)
    ask.set_defaults(run=_ask)

    serve = commands.add_parser("serve", help="index a folder, then serve the browser chat")
    serve.add_argument("--corpus", help="corpus folder (default: the bundled corpus)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    serve.add_argument("--port", type=int, default=7860, help="port (default: 7860)")
    serve.add_argument(
        "--queue-size",
        type=int,
        default=QUEUE_SIZE,
        help=f"requests that may wait; beyond them a visitor is told the app is busy "
        f"(default: {QUEUE_SIZE})",
    )
    serve.add_argument(
        "--conversations",
        type=int,
        default=CONVERSATIONS,
        help=f"browser sessions whose conversation is kept; beyond them the least recently "
        f"used starts afresh (default: {CONVERSATIONS})",
    )
    serve.add_argument(
        "--allow-uploads",
        action="store_true",
        help="let visitors add documents to the folder from the Documents panel (off: the page "
        "takes no files)",
    )
    serve.add_argument(
        "--max-upload-mb",
        type=float,
        default=MAX_UPLOAD_MB,
        help=f"the largest upload accepted, in MB (default and most: {MAX_UPLOAD_MB:g})",
    )
    _common(serve)
    _llm(serve)
    serve.set_defaults(run=_serve)

    corpora = commands.add_parser(
        "corpora", help="list the corpora a PostgreSQL store holds (their ids, for --corpus-id)"
    )
    corpora.add_argument(
        "--store", metavar="URL", help="postgresql://user@host/db (default: $QA_STORE)"
    )
    corpora.set_defaults(run=_corpora)

    for name, plugin in sorted(plugins.items()):
        commands.add_parser(name, help=f"from {plugin.module} (qa {name} --help)")
    return parser


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("--index-dir", help="where the index is kept (default: under QA_HOME)")
    command.add_argument(
        "--store",
        metavar="URL",
        help="keep the index in a PostgreSQL database with pgvector, postgresql://user@host/db "
        "(default: $QA_STORE, else a folder under QA_HOME)",
    )
    command.add_argument(
        "--corpus-id",
        metavar="NAME",
        help="the corpus's name in the store: qa index names it so; qa ask and serve given it "
        "without --corpus only read that index as it is, with no folder (an app replica)",
    )
    command.add_argument("--model", help="sentence-transformers model name or local path")
    command.add_argument("--quiet", action="store_true", help="no progress bars")


def _llm(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--llm",
        metavar="URL",
        help="have the answer written by the model of an OpenAI-compatible chat API, e.g. "
        "http://127.0.0.1:11434/v1 (Ollama), each sentence checked against its citation; its "
        "key from $QA_LLM_API_KEY or $OPENAI_API_KEY (default: the extractive answer)",
    )
    command.add_argument("--llm-model", metavar="NAME", help="the model's name at --llm")


def _make_qa(args: argparse.Namespace, corpus: str | None):
    from qa.service import QA

    settings = Settings().updated(model=args.model) if args.model else Settings()
    if getattr(args, "llm", None):
        settings = settings.updated(llm=args.llm, llm_model=args.llm_model)
    return QA(
        corpus,
        args.index_dir,
        settings=settings,
        progress=not args.quiet,
        store=args.store,
        corpus_id=args.corpus_id,
        read_only=_replica(args, corpus),
    )


def _replica(args: argparse.Namespace, corpus: str | None) -> bool:
    """Whether ``qa ask`` or ``qa serve`` only reads a stored index: a corpus named by its id,
    with no folder to index (``qa index`` always indexes its folder)."""
    return args.run is not _index and corpus is None and args.corpus_id is not None


def _corpora(args: argparse.Namespace) -> int:
    from qa.paths import store_url
    from qa.store.pg_catalog import corpus_table, stored_corpora
    from qa.store.pg_connection import Database
    from qa.store.registry import SCHEMES

    url = args.store or store_url()
    if url is None or url.partition("://")[0].lower() not in SCHEMES:
        raise QAError(
            "qa corpora lists a PostgreSQL store's corpora: give --store postgresql://user@host/db "
            "or set QA_STORE (a folder store keeps one corpus per folder under QA_HOME/indexes)"
        )
    db = Database(url, size=1)
    try:
        print(corpus_table(stored_corpora(db)))
    finally:
        db.close()
    return 0


def _index(args: argparse.Namespace) -> int:
    if args.folder and args.corpus and Path(args.folder) != Path(args.corpus):
        raise SettingsError(f"two folders given: {args.folder} and --corpus {args.corpus}")
    qa = _make_qa(args, args.folder or args.corpus)
    report = qa.index(rebuild=args.rebuild)
    print(report.summary())
    return 0


def _ask(args: argparse.Namespace) -> int:
    from qa.search.question import clean_question

    # A question the library would refuse is refused before the model loads.
    clean_question(args.question, Settings().search.max_question_chars)
    qa = _make_qa(args, args.corpus)
    if args.llm and not args.json:  # the model's words as they arrive, then the checked answer
        for part in qa.answer_stream(args.question, k=args.k, mode=args.mode):
            if isinstance(part, Draft):
                print(part.text, end="", flush=True)
        print("\n\nChecked against the passages cited:\n")
        print(format_answer(part))
        return 0
    answer = qa.answer(args.question, k=args.k, mode=args.mode)
    if args.json:
        print(json.dumps(asdict(answer), indent=2, ensure_ascii=False))
    else:
        print(format_answer(answer))
    return 0


def _serve(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise QAError(f"--port must be between 1 and 65535, not {args.port}")
    if args.queue_size < 1:
        raise QAError(f"--queue-size must be 1 or more, not {args.queue_size}")
    if args.conversations < 1:
        raise QAError(f"--conversations must be 1 or more, not {args.conversations}")
    if args.allow_uploads and _replica(args, args.corpus):
        raise QAError(
            "--allow-uploads needs the corpus folder (--corpus): a server given only --corpus-id "
            "reads the index as another process keeps it"
        )
    if not 0 < args.max_upload_mb <= MAX_UPLOAD_MB:
        raise QAError(
            f"--max-upload-mb must be above 0 and at most {MAX_UPLOAD_MB:g} (the most the "
            f"reader reads), not {args.max_upload_mb:g}"
        )
    try:
        from qa.ui.app import serve
    except ImportError as exc:
        raise QAError(f"the browser chat needs Gradio ({exc}): pip install -e '.[ui]'") from None
    from embeddings.heap import share_one_heap

    share_one_heap()  # before the model's and the server's threads start: see embeddings.heap
    _check_address(args.host, args.port)  # at once, not after the model and the index load
    qa = _make_qa(args, args.corpus)
    print(qa.index().summary(), flush=True)
    try:
        serve(
            qa,
            host=args.host,
            port=args.port,
            queue_size=args.queue_size,
            conversations=args.conversations,
            allow_uploads=args.allow_uploads,
            max_upload_bytes=int(args.max_upload_mb * 1024 * 1024),
        )
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise QAError(f"cannot serve on {args.host}:{args.port}: {exc}") from None
    return 0


def _check_address(host: str, port: int) -> None:
    """Fail now if the server could not listen on ``host:port`` (a port taken by another
    process, an address that is not this machine's)."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            probe.bind(address)
    except OSError as exc:
        raise QAError(
            f"cannot serve on {host}:{port}: {exc.strerror or exc}; choose another with --port"
        ) from None


def format_answer(answer: Answer) -> str:
    """The answer, then its numbered citations, for a terminal."""
    # Prose is refilled; a quoted code block or list of steps stays as it is.
    paragraphs = [
        text if verbatim else textwrap.fill(text, width=100) for text, verbatim in answer.blocks()
    ]
    lines = ["\n\n".join(paragraphs), ""]
    for number, passage in enumerate(answer.citations, start=1):
        lines.append(f"[{number}] {describe(passage)}")
        excerpt = " ".join(passage.text.split())
        lines.append(textwrap.indent(textwrap.fill(shorten(excerpt, 400), width=96), "    "))
    return "\n".join(lines)


def describe(passage: Passage) -> str:
    """One line: title, what it is (its file's kind, or whose comment), date, document and
    offsets."""
    part = part_label(passage.part, passage.author, passage.doc_id)
    when = f", {passage.date}" if passage.date else ""
    also = f"; also in {', '.join(p.doc_id for p in passage.also_in)}" if passage.also_in else ""
    return (
        f"{passage.title}{part and ' — '}{part}{when} ({passage.doc_id}{location(passage)}, "
        f"chars {passage.start}–{passage.end}{also})"
    )


if __name__ == "__main__":
    sys.exit(main())
