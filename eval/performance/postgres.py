"""The postgres section of ``qa bench``: the files backend and the PostgreSQL store side by side,
in one run, on a server the section starts itself (``eval/postgres_server.py``).

- quality and speed: Basra test and real-documents test Hit@5/MRR@10, SciFact test nDCG@10, and
  ``retrieve`` p50/p95 on the demo corpus and SciFact, for the files backend and for the
  database with vectors stored as ``vector`` and as ``halfvec`` (``pg_cases.pg_compare``);
- the write path: the synthetic index of ``WRITE_SIZE`` chunks (the scale section's) written to
  the database, with the seconds of its steps and the sizes of its tables;
- the whole ``retrieve`` at each of ``RETRIEVE_SIZES`` synthetic chunks (the scale section's
  indexes), files backend and database side by side, each in an app process of its own:
  p50/p95 of the default mode and of each side, the dense side's recall@10 against exact
  search, the process's memory, and the write (and HNSW build) of that size;
- HNSW alone at each of ``VECTOR_SIZES`` synthetic vectors: build time, size, recall@10
  against exact search and p50/p95 at each ``hnsw.ef_search``.

    python -m eval.performance.postgres --sizes 300000 --builds vector:16:128,halfvec:16:64
    python -m eval.performance.postgres --retrieve --sizes 1000000

run only the HNSW cases at the sizes and builds given (``type:m:ef_construction``), or only
the ``retrieve`` cases at the sizes given, and print their results: to tune HNSW or to
measure ``retrieve`` at a million chunks without the rest of the section.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eval.performance.harness import BenchError, Steps
from eval.performance.pg_cases import BACKENDS
from eval.performance.scale import SCALE_SIZES, SMOKE_SCALE_SIZES, synthetic_index
from eval.postgres_server import postgres_server
from qa.paths import DEFAULT_CORPUS, default_index_dir, qa_home
from qa.store.postgres import DEFAULT_VECTORS, HNSW_EF_CONSTRUCTION, HNSW_M

REALDOCS = Path(__file__).resolve().parents[1] / "quality" / "realdocs" / "corpus"
WRITE_SIZE, SMOKE_WRITE_SIZE = 100_000, 1_000
VECTOR_SIZES, SMOKE_VECTOR_SIZES = (100_000, 1_000_000), (2_000,)
# retrieve is measured on the scale section's synthetic indexes (kept between full runs).
RETRIEVE_SIZES, SMOKE_RETRIEVE_SIZES = SCALE_SIZES, SMOKE_SCALE_SIZES[:1]
# What is built at each size: the store's m and ef_construction, in float32 and float16.
BUILDS = tuple({"vectors": kind, "m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION}
               for kind in ("vector", "halfvec"))  # fmt: skip
EF_SEARCHES, SMOKE_EF_SEARCHES = (40, 100, 200, 400), (40, 100)
SMOKE_QUESTIONS = 5


def bench_postgres(
    scifact_corpus: Path, scifact: Path, questions: list[str], basra: list[str], smoke: bool
) -> dict[str, Any]:
    """Every measurement of the section; in smoke runs the demo corpus only, with tiny
    synthetic sizes, everything in a temporary folder."""
    step = Steps("postgres")
    result: dict[str, Any] = {"backends": list(BACKENDS)}
    with _work_folder(smoke) as work, postgres_server(parent=work) as url:
        asked = basra[:SMOKE_QUESTIONS] if smoke else basra
        repeats = 1 if smoke else 3
        demo = work / "basra-index"
        shutil.rmtree(demo, ignore_errors=True)  # built afresh: the demo corpus may change
        compare = {"basra": step(
            "demo corpus, files and database", "pg_compare", corpus=str(DEFAULT_CORPUS),
            index_dir=str(demo), url=url, questions=asked, repeats=repeats, question_set="basra",
        )}  # fmt: skip
        if not smoke:
            compare["realdocs"] = step(
                "real documents, files and database", "pg_compare", corpus=str(REALDOCS),
                index_dir=str(work / "realdocs-index"), url=url, questions=[], repeats=0,
                question_set="realdocs",
            )  # fmt: skip
            compare["scifact"] = step(
                "SciFact, files and database", "pg_compare", corpus=str(scifact_corpus),
                index_dir=str(default_index_dir(scifact_corpus)), url=url, questions=questions,
                repeats=repeats, beir_folder=str(scifact),
            )  # fmt: skip
        result["compare"] = compare
        # The synthetic vectors are shaped like a real index's: SciFact's, or the demo
        # corpus's in smoke runs (SciFact is not indexed then).
        real = demo if smoke else default_index_dir(scifact_corpus)
        size = SMOKE_WRITE_SIZE if smoke else WRITE_SIZE
        # The scale section's synthetic index of that size, reused when it is there.
        synthetic = (work if smoke else qa_home() / "bench" / "scale") / f"index-{size}"
        synthetic_index(real, scifact, synthetic, size)
        result["write"] = [
            step(f"{size:,} chunks written as {kind}", "pg_write", index_dir=str(synthetic),
                 url=url, corpus_id=f"bench-write-{kind}", vectors=kind)
            for kind in ("vector", "halfvec")
        ]  # fmt: skip
        result["retrieve"] = []
        for size in SMOKE_RETRIEVE_SIZES if smoke else RETRIEVE_SIZES:
            try:
                result["retrieve"].append(bench_retrieve(
                    url, real, scifact, size, asked, repeats, work if smoke else None
                ))  # fmt: skip
            except BenchError as exc:  # a size too big for this machine: the rest is kept
                if smoke:
                    raise
                print(f"\n{exc}", flush=True)
                result.setdefault("failed", {})[f"retrieve {size}"] = str(exc)
        result["vectors"] = []
        for size in SMOKE_VECTOR_SIZES if smoke else VECTOR_SIZES:
            try:
                result["vectors"].append(bench_vectors(
                    url, real, size, asked if smoke else questions, list(BUILDS),
                    SMOKE_EF_SEARCHES if smoke else EF_SEARCHES,
                ))  # fmt: skip
            except BenchError as exc:  # a size too big for this machine: the rest is kept
                if smoke:
                    raise
                print(f"\n{exc}", flush=True)
                result.setdefault("failed", {})[str(size)] = str(exc)
    return result


def bench_retrieve(
    url: str,
    real: Path,
    scifact: Path,
    size: int,
    questions: list[str],
    repeats: int,
    folder: Path | None = None,
) -> dict[str, Any]:
    """``retrieve`` on the synthetic index of ``size`` chunks (the scale section's, built if
    missing, under ``folder`` or ``QA_HOME/bench/scale``), files backend and database side by
    side: the index written to the database as the store writes it by default (``halfvec``,
    its m and ef_construction, which the write cases above do not use), then
    ``pg_cases.pg_retrieve`` on each backend in a process of its own."""
    step = Steps("postgres")
    index_dir = (folder or qa_home() / "bench" / "scale") / f"index-{size}"
    build = synthetic_index(real, scifact, index_dir, size)
    corpus_id = f"bench-retrieve-{size}"
    write = step(
        f"{size:,} chunks written as the store writes them", "pg_write", index_dir=str(index_dir),
        url=url, corpus_id=corpus_id, vectors=DEFAULT_VECTORS, m=HNSW_M,
        ef_construction=HNSW_EF_CONSTRUCTION,
    )  # fmt: skip
    backends = {
        backend: step(
            f"{size:,} chunks, retrieve, {backend}",
            "pg_retrieve",
            index_dir=str(index_dir),
            backend=backend,
            questions=questions,
            repeats=repeats,
            url=url,
            corpus_id=corpus_id,
        )  # fmt: skip
        for backend in ("files", DEFAULT_VECTORS)
    }
    return {"size": size, "build": build, "write": write, "backends": backends}


def bench_vectors(
    url: str,
    real: Path,
    size: int,
    questions: list[str],
    builds: list[dict[str, Any]],
    ef_searches: tuple[int, ...] | list[int],
) -> dict[str, Any]:
    """HNSW alone at ``size`` synthetic vectors (``pg_cases.pg_vectors``)."""
    return Steps("postgres")(
        f"HNSW, {size:,} vectors", "pg_vectors", real_index_dir=str(real), url=url, size=size,
        questions=questions, builds=builds, ef_searches=list(ef_searches),
    )  # fmt: skip


@contextlib.contextmanager
def _work_folder(smoke: bool) -> Iterator[Path]:
    """Where the server's data and the indexes go: under ``QA_HOME/bench/postgres`` for full
    runs (the million-vector table takes gigabytes, more than a small /tmp holds), a
    temporary folder for smoke runs."""
    if smoke:
        with tempfile.TemporaryDirectory(prefix="qa-bench-pg-") as work:
            yield Path(work)
    else:
        folder = qa_home() / "bench" / "postgres"
        folder.mkdir(parents=True, exist_ok=True)
        yield folder


def main(argv: list[str] | None = None) -> int:
    from eval.performance.bench import SCIFACT, scifact_corpus
    from eval.performance.harness import run_case

    parser = argparse.ArgumentParser(
        prog="python -m eval.performance.postgres",
        description="The postgres section's HNSW cases, or its retrieve cases, alone (nothing "
        "saved).",
    )
    parser.add_argument(
        "--retrieve",
        action="store_true",
        help="the retrieve cases (files and database side by side) at --sizes, not HNSW alone",
    )
    parser.add_argument("--repeats", type=int, default=3, help="times each question is asked")
    parser.add_argument("--sizes", default="1000000", help="comma-separated, e.g. 100000,300000")
    parser.add_argument(
        "--builds",
        default=",".join(f"{b['vectors']}:{b['m']}:{b['ef_construction']}" for b in BUILDS),
        help="type:m:ef_construction[:workers], comma-separated",
    )
    parser.add_argument("--ef-search", default=",".join(map(str, EF_SEARCHES)))
    parser.add_argument("--scifact", type=Path, default=SCIFACT, help="the BEIR SciFact folder")
    args = parser.parse_args(argv)
    builds = []
    for given in args.builds.split(","):
        kind, m, construction, *workers = given.split(":")
        build: dict[str, Any] = {"vectors": kind, "m": int(m), "ef_construction": int(construction)}
        if workers:
            build["workers"] = int(workers[0])
        builds.append(build)
    corpus, questions = scifact_corpus(args.scifact, None)
    real = default_index_dir(corpus)
    run_case("reindex_ours", corpus=str(corpus), index_dir=str(real))  # built if missing
    with _work_folder(False) as work, postgres_server(parent=work) as url:
        for size in (int(s) for s in args.sizes.split(",")):
            if args.retrieve:
                found = bench_retrieve(url, real, args.scifact, size, questions, args.repeats)
                print(json.dumps(found, indent=1), flush=True)
                continue
            efs = [int(e) for e in args.ef_search.split(",")]
            found = bench_vectors(url, real, size, questions, builds, efs)
            print(json.dumps(found, indent=1), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
