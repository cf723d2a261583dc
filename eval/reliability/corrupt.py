"""Damage a stored index at random; it must come back whole and answer as before.

    python -m eval.reliability.corrupt [--cases 200] [--seed 0] [--out eval/results/corrupt.json]

Builds an index of the bundled corpus once and records what it answers. Each case copies that
index, damages one of its files at random (a flipped bit, a cut, an emptied or deleted file,
bytes appended; any file of the live version or the ``CURRENT`` pointer), then opens it as a
restarted service would (``QA.index()``). Whatever was hit:

- nothing raises;
- the index on disk is whole afterwards (``read_index``);
- the top five passages of each probe question are the ones the undamaged index gave;
- when the index was rebuilt, the log said why, in one line.

A case is "rebuilt" when the damage was detected (checksums, counts, format) and the index built
again, "unharmed" when the damage touched nothing the index reads (the damaged file was then
left as it was, or put right by the update).
"""

from __future__ import annotations

import argparse
import logging
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from eval.report import print_report
from qa.paths import DEFAULT_CORPUS
from qa.service import QA
from qa.store.folder import read_index
from qa.store.versions import CURRENT, current_version

QUESTIONS = ["Who brokered the ceasefire?", "What did Sadr demand?", "Basra offensive"]
DAMAGES = ("flip", "cut", "empty", "delete", "append")
Answers = list[list[tuple[str, int, int]]]


@dataclass
class CorruptionReport:
    cases: int
    rebuilt: int
    unharmed: int
    failures: list[str]
    seconds: float


def damage(index_dir: Path, rng: random.Random) -> str:
    """Damage one file of the live version, or the ``CURRENT`` pointer; say what was done."""
    version = current_version(index_dir)
    if version is None:
        raise FileNotFoundError(index_dir / CURRENT)
    files = sorted(p for p in version.rglob("*") if p.is_file()) + [index_dir / CURRENT]
    path, kind = rng.choice(files), rng.choice(DAMAGES)
    data = path.read_bytes()
    at = rng.randrange(max(len(data), 1))
    if kind == "flip" and data:
        flipped = bytes([data[at] ^ (1 << rng.randrange(8))])
        path.write_bytes(data[:at] + flipped + data[at + 1 :])
    elif kind == "cut":
        path.write_bytes(data[:at])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "delete":
        path.unlink()
    else:
        path.write_bytes(data + rng.randbytes(rng.randrange(1, 64)))
    return f"{kind} {path.relative_to(index_dir)} at byte {at} of {len(data)}"


def answers(qa: QA) -> Answers:
    return [[(p.doc_id, p.start, p.end) for p in qa.retrieve(q, k=5)] for q in QUESTIONS]


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def check(original: Path, expected: Answers, work: Path, rng: random.Random) -> tuple[bool, str]:
    """One case: damage a copy of ``original``, reopen it. Returns (rebuilt, problem or "")."""
    index_dir = work / "index"
    shutil.rmtree(index_dir, ignore_errors=True)
    shutil.copytree(original, index_dir)
    what = damage(index_dir, rng)
    lines = _Lines()
    logging.getLogger("qa").addHandler(lines)
    try:
        qa = QA(DEFAULT_CORPUS, index_dir, progress=False)
        rebuilt = not qa.index().up_to_date
        read_index(index_dir)
        if answers(qa) != expected:
            return rebuilt, f"{what}: answers differ from the undamaged index's"
    except Exception as exc:  # any exception is the failure being looked for
        return False, f"{what}: {type(exc).__name__}: {exc}"
    finally:
        logging.getLogger("qa").removeHandler(lines)
    if rebuilt and not lines.messages:
        return rebuilt, f"{what}: rebuilt without saying why"
    if any("\n" in m for m in lines.messages):
        return rebuilt, f"{what}: a warning of several lines"
    return rebuilt, ""


def run(cases: int, seed: int, work: Path) -> CorruptionReport:
    started = time.perf_counter()
    original = work / "whole"
    qa = QA(DEFAULT_CORPUS, original, progress=False)
    qa.index()
    expected = answers(qa)
    rng = random.Random(seed)
    rebuilt, failures = 0, []
    for case in range(1, cases + 1):
        was_rebuilt, problem = check(original, expected, work, rng)
        if problem:
            failures.append(f"case {case}: {problem}")
        else:
            rebuilt += was_rebuilt
        print(f"\rcases {case}/{cases}, {rebuilt} rebuilt", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    unharmed = cases - rebuilt - len(failures)
    return CorruptionReport(cases, rebuilt, unharmed, failures, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.reliability.corrupt", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--cases", type=int, default=200, help="damaged copies to reopen")
    parser.add_argument("--seed", type=int, default=0, help="seeds which file and what damage")
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qa-corrupt-") as work:
        report = run(args.cases, args.seed, Path(work))
    print_report(report, args.out)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
