"""Kill indexing at random moments; the index on disk must always be whole.

    python -m eval.reliability.crash [--kills 200] [--seed 0] [--out eval/results/crash.json]
                                     [--store postgresql://...]

A child process loads the model once, then updates the index of a small corpus again and
again. Before each update it writes a new generation number into two files of the corpus, so
every index built from it holds one generation in both. The parent waits for the child's first
update to finish, kills it with SIGKILL at a random moment within one and a half times that
update's duration (so the kill lands at any point of a later update, whatever the machine's
speed), checks the index as a restarted service loads it, and starts the next child. After
every kill:

- the index loads: every file listed, checksums and counts right (``read_index``);
- both files' documents in it carry the same generation (one complete build, never parts of
  two), and that generation never goes back;
- every chunk's text is its document's text at the chunk's offsets.

Kills that land while a new version is being written show as a left-over ``.tmp-v-…``
folder (the next write removes it); the report counts them. With ``--store URL`` the index is
kept in that PostgreSQL database instead (a killed write is a transaction the server rolls
back, leaving nothing to count; the next child must also get the writer lock that the killed
one held, which the server releases with its session).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from eval.report import print_report
from qa.paths import DEFAULT_CORPUS
from qa.store.base import Store
from qa.store.registry import open_store

FLIPPED = ("flip-a.txt", "flip-b.txt")
_GENERATION = re.compile(r"generation (\d+)\.")
READY, UPDATED = "ready", "updated"


@dataclass
class CrashReport:
    kills: int
    during_write: int
    generations_seen: int
    failures: list[str]
    seconds: float


def flip_text(name: str, generation: int) -> str:
    """A file's text at ``generation``: a few sentences, so that it makes its own chunks."""
    lines = [f"Flip file {name}, generation {generation}."]
    lines += [f"Sentence {i} of {name} is here to give the update some work." for i in range(8)]
    return "\n\n".join(lines) + "\n"


def child(corpus: Path, index_dir: Path, store: str | None = None) -> None:
    """Update the index forever, a new generation before each update (killed by the parent)."""
    from qa.service import QA

    qa = QA(corpus, index_dir, progress=False, store=store)
    qa.document_encoder  # noqa: B018  (load the model before saying ready)
    generation = int(time.time() * 1000)  # increases across children
    print(READY, flush=True)
    while True:
        generation += 1
        started = time.perf_counter()
        for name in FLIPPED:
            (corpus / name).write_text(flip_text(name, generation), encoding="utf-8")
        qa.index()
        print(f"{UPDATED} {time.perf_counter() - started:.3f}", flush=True)


def check(store: Store, last_generation: int) -> tuple[int, list[str]]:
    """The generation of the index in ``store``, and what is wrong with it."""
    try:
        index = store.read()
        if index is None:
            return last_generation, ["the index is gone"]
    except Exception as exc:  # any failure to load is what this script looks for
        return last_generation, [f"the index does not load: {type(exc).__name__}: {exc}"]
    problems = []
    generations = set()
    for name in FLIPPED:
        found = _GENERATION.search(index.document(name).text)
        generations.add(int(found.group(1)) if found else -1)
    if len(generations) != 1:
        problems.append(f"the two flipped files are of different builds: {sorted(generations)}")
    generation = max(generations)
    if generation < last_generation:
        problems.append(f"generation went back from {last_generation} to {generation}")
    for stored in index.chunks:
        chunk = stored.chunk
        if index.document(chunk.doc_id).text[chunk.start : chunk.end] != chunk.text:
            problems.append(f"chunk of {chunk.doc_id} at {chunk.start} does not match its text")
            break
    return generation, problems


def run(kills: int, seed: int, work: Path, store_url: str | None = None) -> CrashReport:
    """Build the index of a small corpus, then kill ``kills`` indexing children; the index
    kept in the database ``store_url`` when given, else in a folder."""
    rng = random.Random(seed)
    corpus, index_dir = work / "corpus", work / "index"
    shutil.copytree(DEFAULT_CORPUS, corpus, ignore=shutil.ignore_patterns("README*"))
    for name in FLIPPED:
        (corpus / name).write_text(flip_text(name, 0), encoding="utf-8")
    started = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "eval.reliability.crash",
        "--child",
        str(corpus),
        str(index_dir),
        *(["--child-store", store_url] if store_url else []),
    ]
    store = open_store(store_url, corpus, index_dir if store_url is None else None)
    written = (lambda: store.read() is not None) if store_url else (index_dir / "CURRENT").exists
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    failures: list[str] = []
    during_write, generations, last = 0, set(), 0
    for kill in range(1, kills + 1):
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
        ready = process.stdout.readline().strip() if process.stdout else ""
        first = process.stdout.readline().split() if process.stdout else []
        if ready != READY or first[:1] != [UPDATED]:
            process.kill()
            failures.append(f"kill {kill}: the child did not start or did not update")
            continue
        time.sleep(rng.uniform(0.0, 1.5 * float(first[1])))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if index_dir.is_dir() and any(p.name.startswith(".tmp-v-") for p in index_dir.iterdir()):
            during_write += 1
        if written():
            last, problems = check(store, last)
            generations.add(last)
            failures += [f"kill {kill}: {p}" for p in problems]
        print(f"\rkills {kill}/{kills}, {during_write} during a write", end="", flush=True)
    print()
    return CrashReport(
        kills, during_write, len(generations), failures, time.perf_counter() - started
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.reliability.crash", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--kills", type=int, default=200, help="indexing processes to kill")
    parser.add_argument("--seed", type=int, default=0, help="seeds the kill moments")
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    parser.add_argument("--store", metavar="URL", help="keep the index in this PostgreSQL database")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-store", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child, store=args.child_store)
        return 0
    with tempfile.TemporaryDirectory(prefix="qa-crash-") as work:
        report = run(args.kills, args.seed, Path(work), args.store)
    print_report(report, args.out)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
