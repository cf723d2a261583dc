"""The scale section of ``qa bench``: the vector index alone at each size, our pipeline on a
synthetic corpus of ``TEXT_CHUNKS`` chunks, and ``retrieve`` on synthetic indexes of each size
(built without the model, kept between full runs).

    python -m eval.performance.scale --sizes 1000000

runs only the vector-index and ``retrieve`` cases at the sizes given, as the section runs them,
and prints their results: to check a change to the index in minutes, not the section's hour.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from embeddings.vector_index import EXACT_BELOW, IVF_CODES
from eval.performance.harness import Steps, run_case, throughput
from eval.performance.synthetic import scifact_texts, write_synthetic_corpus
from qa.paths import default_index_dir, qa_home
from qa.store.records import FORMAT_VERSION
from qa.store.versions import CURRENT

SCALE_SIZES = (100_000, 1_000_000)
SMOKE_SCALE_SIZES = (1_000, 40_000)  # one exact index, one inverted file
TEXT_CHUNKS, SMOKE_TEXT_CHUNKS = 100_000, 300  # the real pipeline on a synthetic corpus
SCIFACT_CHUNKS_PER_DOCUMENT = 16_519 / 5_183  # as the full SciFact index has them
SMOKE_QUESTIONS = 5


def bench_scale(corpus: Path, scifact: Path, questions: list[str], smoke: bool) -> dict[str, Any]:
    """The vector index alone at each size (vectors synthesised from ``corpus``'s own), the
    real pipeline on a synthetic corpus of ``TEXT_CHUNKS`` chunks, and ``retrieve`` on a
    synthetic index of each size. Full-size inputs are kept under ``QA_HOME/bench/scale`` for
    the next run; smoke ones go to a temporary folder."""
    index_dir = default_index_dir(corpus)
    run_case("reindex_ours", corpus=str(corpus), index_dir=str(index_dir))  # built if missing
    sizes = SMOKE_SCALE_SIZES if smoke else SCALE_SIZES
    asked, repeats = (questions[:SMOKE_QUESTIONS], 1) if smoke else (questions, 3)
    rows = [row for size in sizes for row in bench_vectors(index_dir, size, questions)]
    with _scale_folder(smoke) as work:
        chunks = SMOKE_TEXT_CHUNKS if smoke else TEXT_CHUNKS
        text = bench_scale_text(scifact, asked, repeats, work / f"text-{chunks}", chunks)
        retrieve = [
            bench_scale_retrieve(index_dir, scifact, work / f"index-{size}", size, asked, repeats)
            for size in sizes
        ]
    return {"questions": len(questions), "rows": rows, "text": text, "retrieve": retrieve}


@contextlib.contextmanager
def _scale_folder(smoke: bool) -> Iterator[Path]:
    """Where the scale section's corpora and indexes go: kept for full runs (they take long to
    make), removed after smoke runs."""
    if smoke:
        with tempfile.TemporaryDirectory(prefix="qa-bench-scale-") as work:
            yield Path(work)
    else:
        yield qa_home() / "bench" / "scale"


def bench_scale_text(
    scifact: Path, questions: list[str], repeats: int, work: Path, chunks: int
) -> dict[str, Any]:
    """Our pipeline on a synthetic corpus of about ``chunks`` chunks (``synthetic.py``):
    a full build, its throughput, then warm latency on the index it wrote."""
    documents = round(chunks / SCIFACT_CHUNKS_PER_DOCUMENT)
    print(f"  scale: writing {documents:,} synthetic documents …", flush=True)
    corpus = write_synthetic_corpus(work / "corpus", *scifact_texts(scifact), documents)
    args = {"corpus": str(corpus), "index_dir": str(work / "index")}
    step = Steps("scale")
    build = step(f"text pipeline, {documents:,} documents, index", "index_ours", **args)
    build["throughput"] = throughput(build)
    build["latency"] = step("text pipeline, latency", "latency_ours", **args,
                            questions=questions, repeats=repeats)  # fmt: skip
    return build


def bench_scale_retrieve(
    real_index_dir: Path,
    scifact: Path,
    index_dir: Path,
    size: int,
    questions: list[str],
    repeats: int,
) -> dict[str, Any]:
    """``retrieve`` on a synthetic index of ``size`` chunks (built first, or reused), searched in
    a process of its own so that its memory is a serving process's alone."""
    build = synthetic_index(real_index_dir, scifact, index_dir, size)
    found = Steps("scale")(
        f"{size:,} chunks, retrieve", "scale_retrieve",
        index_dir=str(index_dir), questions=questions, repeats=repeats,
    )  # fmt: skip
    return dict(found, build=build)


def synthetic_index(
    real_index_dir: Path, scifact: Path, index_dir: Path, size: int
) -> dict[str, Any]:
    """Build the synthetic index of ``size`` chunks (``scale_index``), or reuse the one in
    ``index_dir`` when it was built with the same arguments, index format and inverted-file
    codes (``IVF_CODES``; the format leaves them to FAISS's own file header): at a million
    chunks it takes minutes and gigabytes, and it does not change between runs."""
    arguments = {"real_index_dir": str(real_index_dir), "scifact": str(scifact), "size": size,
                 "index_dir": str(index_dir)}  # fmt: skip
    record = index_dir / "bench-build.json"
    key = {"arguments": arguments, "format": FORMAT_VERSION, "ivf_codes": IVF_CODES}
    if record.exists() and (index_dir / CURRENT).exists():
        saved = json.loads(record.read_text())
        if {k: saved.get(k) for k in key} == key:
            print(f"  scale: {size:,} chunks, index reused ({index_dir})", flush=True)
            return dict(saved["result"], reused=True)
    record.unlink(missing_ok=True)
    result = Steps("scale")(f"{size:,} chunks, build index", "scale_index", **arguments)
    record.write_text(json.dumps(dict(key, result=result), indent=2) + "\n")
    return result


def bench_vectors(index_dir: Path, size: int, questions: list[str]) -> list[dict[str, Any]]:
    """The vector index of ``size`` vectors as the default builds it and, where that is an
    inverted file, as the default built it before its lists held float16 (float32 lists), so
    that memory and recall stand side by side."""
    step = Steps("scale")
    return [
        step(f"{size:,} vectors{' (previous default)' * previous}", "scale_vectors",
             real_index_dir=str(index_dir), size=size, questions=questions, repeats=3,
             previous=previous)
        for previous in (False, True)[: 1 + (size >= EXACT_BELOW)]
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    from eval.performance.bench import SCIFACT, scifact_corpus

    parser = argparse.ArgumentParser(
        prog="python -m eval.performance.scale",
        description="The scale section's vector-index and retrieve cases alone (nothing saved).",
    )
    parser.add_argument("--sizes", default="1000000", help="comma-separated, e.g. 100000,1000000")
    parser.add_argument("--scifact", type=Path, default=SCIFACT, help="the BEIR SciFact folder")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    corpus, questions = scifact_corpus(args.scifact, None)
    index_dir = default_index_dir(corpus)
    run_case("reindex_ours", corpus=str(corpus), index_dir=str(index_dir))  # built if missing
    work = qa_home() / "bench" / "scale"
    for size in sizes:
        vectors = bench_vectors(index_dir, size, questions)
        found = bench_scale_retrieve(
            index_dir, args.scifact, work / f"index-{size}", size, questions, 3
        )
        print(json.dumps({"vectors": vectors, "retrieve": found}, indent=1), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
