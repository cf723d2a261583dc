"""Speed and memory of our pipeline next to the tutorial recipe, measured in one run.

    python -m eval.performance.bench [--sections corpora,pdf,encoding,quality,scale,postgres]
                                     [--corpora basra,scifact,mixed] [--smoke]
    qa bench ...                                        (the same)

For each corpus, in a copy of it, and for both our pipeline and the tutorial recipe
(``eval/quality/baseline.py``), each measurement in a fresh process (``bench_cases.py``):

- indexing: documents/s and chunks/s of a full build, and of the embedding step alone;
- latency, warm: p50/p95 of ``retrieve`` and ``answer`` over the corpus's eval questions;
- cold start: process start to the first answer, with a saved index and with none;
- peak resident memory of each of those processes;
- re-indexing after one changed document, next to the full build.

The corpora: ``basra`` (the bundled demo corpus), ``scifact`` (BEIR SciFact as Markdown) and
``mixed``, a folder of 200 PDF, Word, HTML, Markdown and text files cut at bench time from
committed real documents (``mixed.py`` says how), with a few fixed questions.

The pdf section (``pdfs.py``) measures pages/s and peak memory of our PDF reader on the
committed real PDFs and on a 1,000-page PDF made from their pages.

The scale section (``scale.py``) measures, on collections built from SciFact's text
(``synthetic.py``): the vector index alone at each size; our pipeline indexing and answering a
synthetic corpus of ``TEXT_CHUNKS`` chunks; and ``retrieve`` on synthetic indexes of each size
(built without the model, vectors synthesised), with the memory of the process serving them.

The postgres section (``postgres.py``) starts a PostgreSQL server and measures the files
backend and the PostgreSQL store side by side: the eval splits' and SciFact's quality,
``retrieve`` latency, the write path, and HNSW alone up to a million synthetic vectors.

Writes ``eval/results/bench-<corpus or section>.json``, prints a table with the ratios (ours /
tutorial), and rewrites the tables in docs/PERFORMANCE.md between the
``bench:start``/``bench:end`` markers.
``--smoke`` runs everything on tiny inputs into a temporary folder (what ``make test`` runs so
that the benchmark cannot rot); it never touches docs/PERFORMANCE.md or eval/results.
The tables and the chart are made in ``tables.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from eval import ROOT  # noqa: E402
from eval.performance import mixed
from eval.performance.harness import CORPORA, Steps, run_case, throughput
from eval.performance.measure import encoder_name
from eval.performance.pdfs import bench_pdf
from eval.performance.postgres import bench_postgres
from eval.performance.scale import bench_scale
from eval.performance.tables import TABLES, draw_chart, tables, write_tables
from eval.quality import beir
from eval.quality.questions import QUESTIONS
from qa.paths import DEFAULT_CORPUS, qa_home

RESULTS = ROOT / "eval" / "results"
SCIFACT = ROOT.parent / "shared" / "bench" / "scifact"
SECTIONS = ("corpora", "pdf", "encoding", "quality", "scale", "postgres")
SMOKE_MIXED_FILES = 20
# Encoders compared, as runtime/precision: torch in fp32 (the tutorial's, and the reference the
# others are compared with), torch in bf16 (the default until OpenVINO), OpenVINO in fp32, in
# bf16 (the default until int8) and quantised to int8.
ENCODERS = ("torch/fp32", "torch/bf16", "openvino/fp32", "openvino/bf16", "openvino/int8")
# SciFact is indexed once per encoder: OpenVINO in fp32 agrees with torch in fp32 to 0.99999.
QUALITY_ENCODERS = ("torch/fp32", "torch/bf16", "openvino/bf16", "openvino/int8")
PLAIN_SUFFIXES = (".txt", ".md", ".markdown", ".rst")  # where a sentence can be added as text
CHANGED_SENTENCE = " A sentence added by the benchmark, so that one document has changed."


# -- one corpus ------------------------------------------------------------------------------


def bench_corpus(
    name: str, source: Path, questions: list[str], work: Path, repeats: int
) -> dict[str, Any]:
    """Every per-corpus measurement, ours and the tutorial's, on a copy of ``source``."""
    corpus = work / "corpus"
    shutil.copytree(source, corpus)
    ours_index, tutorial_index = work / "ours-index", work / "tutorial-index"
    args = {"corpus": str(corpus)}
    step = Steps(name)

    ours = step("index, ours", "index_ours", **args, index_dir=str(ours_index))
    tutorial = step("index, tutorial", "index_tutorial", **args, save_dir=str(tutorial_index))
    ours["latency"] = step(
        "latency, ours", "latency_ours", **args, index_dir=str(ours_index),
        questions=questions, repeats=repeats,
    )  # fmt: skip
    tutorial["latency"] = step(
        "latency, tutorial", "latency_tutorial", save_dir=str(tutorial_index),
        questions=questions, repeats=repeats,
    )  # fmt: skip
    first = questions[0]
    ours["cold_saved"] = step(
        "cold start, saved index, ours", "first_answer_ours",
        **args, index_dir=str(ours_index), question=first,
    )  # fmt: skip
    ours["cold_none"] = step(
        "cold start, no index, ours", "first_answer_ours",
        **args, index_dir=str(work / "fresh-index"), question=first,
    )  # fmt: skip
    tutorial["cold_saved"] = step(
        "cold start, saved index, tutorial", "first_answer_tutorial",
        **args, save_dir=str(tutorial_index), question=first,
    )  # fmt: skip
    tutorial["cold_none"] = step(
        "cold start, no index, tutorial", "first_answer_tutorial",
        **args, save_dir=None, question=first,
    )  # fmt: skip

    changed = _change_one_document(corpus)
    ours["reindex_one"] = step(
        f"re-index after changing {changed}, ours", "reindex_ours",
        **args, index_dir=str(ours_index),
    )  # fmt: skip
    return {
        "corpus": name,
        "documents": ours["documents"],
        "questions": len(questions),
        "repeats": repeats,
        "ours": ours,
        "tutorial": tutorial,
        "ratios": ratios(ours, tutorial),
    }


def _change_one_document(corpus: Path) -> str:
    """Add a sentence to the middle of the middle plain-text or Markdown file of ``corpus``
    (any file's when it has none), at a paragraph or line break, so that it lands in the text
    that is indexed, not in a page's header or footer; the file's name relative to
    ``corpus``."""
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    plain = [p for p in files if p.suffix.lower() in PLAIN_SUFFIXES] or files
    target = plain[len(plain) // 2]
    text = target.read_text(encoding="utf-8")
    middle = len(text) // 2
    cut = next((i for i in (text.find("\n\n", middle), text.find("\n", middle)) if i >= 0), middle)
    target.write_text(text[:cut] + CHANGED_SENTENCE + text[cut:], encoding="utf-8")
    return target.relative_to(corpus).as_posix()


def ratios(ours: dict[str, Any], tutorial: dict[str, Any]) -> dict[str, float]:
    """Ours / tutorial for each compared figure (above 1 is better for throughput, below 1
    for times and memory)."""
    mine, theirs = throughput(ours), throughput(tutorial)
    pairs = {f"{key}": (mine[key], theirs[key]) for key in mine}
    pairs["retrieve_p50"] = (
        ours["latency"]["retrieve"]["p50_ms"],
        tutorial["latency"]["retrieve"]["p50_ms"],
    )
    for cold in ("cold_saved", "cold_none"):
        pairs[f"{cold}_seconds"] = (ours[cold]["wall_seconds"], tutorial[cold]["wall_seconds"])
    pairs["index_peak_rss"] = (ours["peak_rss_mb"], tutorial["peak_rss_mb"])
    return {key: round(a / b, 2) if b else float("nan") for key, (a, b) in pairs.items()}


# -- encoder and quality ---------------------------------------------------------------------


def bench_encoding(corpus: Path, smoke: bool) -> dict[str, Any]:
    """Throughput of each encoder and batch size on chunks of ``corpus``."""
    print("  encoding: encoders × batch sizes …", end="", flush=True)
    result = run_case(
        "encoding",
        corpus=str(corpus),
        sample=16 if smoke else 1024,
        encoders=list(ENCODERS),
        batch_sizes=[8] if smoke else [16, 32, 64, 128],
    )
    print(f" {result['wall_seconds']:.1f} s", flush=True)
    return {"default": default_encoder(), **result}


def bench_quality(folder: Path) -> dict[str, Any]:
    """SciFact test scores with each encoder (each its own index)."""
    result = {}
    # Each as "runtime/precision" settings; the default's are "auto/auto".
    configurations = {encoder: encoder for encoder in QUALITY_ENCODERS}
    configurations.setdefault(default_encoder(), "auto/auto")
    for encoder, settings in configurations.items():
        print(f"  quality: SciFact with {encoder} …", end="", flush=True)
        index_dir = qa_home() / "bench" / f"scifact-{encoder.replace('/', '-').replace('+', '-')}"
        found = run_case(
            "beir_quality", folder=str(folder), encoder=settings, index_dir=str(index_dir)
        )
        print(f" {found['wall_seconds']:.1f} s", flush=True)
        result[encoder] = found
    return {"default": default_encoder(), "encoders": result}


def default_encoder() -> str:
    """What the default settings resolve to on this machine (``measure.encoder_name``)."""
    from embeddings.encoder import choose_precision, choose_runtime
    from qa.settings import IndexSettings

    settings = IndexSettings()
    runtime = choose_runtime(settings.runtime)
    return encoder_name(
        runtime,
        choose_precision(settings.precision, runtime, "documents"),
        choose_precision(settings.precision, runtime, "questions"),
    )


# -- corpora and questions -------------------------------------------------------------------


def basra_questions() -> list[str]:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def scifact_corpus(folder: Path, limit: int | None) -> tuple[Path, list[str]]:
    """SciFact written as Markdown (as ``qa eval --beir`` does) and its test queries;
    ``limit`` keeps the first documents only (smoke runs)."""
    dataset = beir.load_dataset(folder, "test")
    if limit is not None:
        kept = dict(list(dataset.documents.items())[:limit])
        dataset = beir.Dataset(dataset.name, kept, dataset.queries, dataset.qrels)
        target = Path(tempfile.mkdtemp(prefix="qa-bench-scifact-")) / "corpus"
    else:
        target = qa_home() / "beir" / dataset.name / "corpus"
    beir.write_corpus(dataset, target)
    return target, list(dataset.queries.values())


# -- command ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qa bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help=f"any of {', '.join(SECTIONS)}"
    )
    parser.add_argument("--corpora", default=",".join(CORPORA), help=f"any of {', '.join(CORPORA)}")
    parser.add_argument("--scifact", type=Path, default=SCIFACT, help="the BEIR SciFact folder")
    parser.add_argument("--repeats", type=int, default=3, help="times each question is asked")
    parser.add_argument("--smoke", action="store_true", help="tiny inputs, temporary output")
    parser.add_argument("--out", type=Path, help="results folder (default: eval/results)")
    args = parser.parse_args(argv)
    sections = _choices(parser, "section", args.sections, SECTIONS)
    corpora = _choices(parser, "corpus", args.corpora, CORPORA)
    out = args.out or (Path(tempfile.mkdtemp(prefix="qa-bench-out-")) if args.smoke else RESULTS)
    out.mkdir(parents=True, exist_ok=True)
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs"

    def save(name: str, result: dict[str, Any]) -> None:
        result["machine"] = machine
        path = out / f"bench-{name}.json"
        path.write_text(json.dumps(result, indent=2) + "\n")
        print(f"Wrote {path}", flush=True)

    scifact, scifact_questions = None, []
    if "scifact" in corpora or {"encoding", "quality", "scale", "postgres"} & set(sections):
        scifact, scifact_questions = scifact_corpus(args.scifact, 40 if args.smoke else None)
    if "corpora" in sections:
        for name in corpora:
            with tempfile.TemporaryDirectory(prefix=f"qa-bench-{name}-") as work:
                folder = None
                if name == "basra":
                    source, questions = DEFAULT_CORPUS, basra_questions()
                elif name == "scifact":
                    source, questions = scifact, scifact_questions
                else:
                    count = SMOKE_MIXED_FILES if args.smoke else mixed.FILES
                    folder = mixed.build_mixed(Path(work) / "mixed", count=count)
                    source, questions = folder.folder, mixed.questions(folder.source)
                result = bench_corpus(
                    name,
                    source,
                    questions[:5] if args.smoke else questions,
                    Path(work),
                    1 if args.smoke else args.repeats,
                )
            if folder:
                result["folder"] = {
                    "source": folder.source.relative_to(ROOT).as_posix(),
                    "files": folder.kinds(),
                }
            save(name, result)
    if "pdf" in sections:
        with tempfile.TemporaryDirectory(prefix="qa-bench-pdf-") as work:
            save("pdf", bench_pdf(Path(work), args.smoke))
    if "encoding" in sections:
        save("encoding", bench_encoding(scifact, args.smoke))
    if "quality" in sections and not args.smoke:  # a full SciFact index per precision
        save("quality", bench_quality(args.scifact))
    if "scale" in sections:
        save("scale", bench_scale(scifact, args.scifact, scifact_questions, args.smoke))
    if "postgres" in sections:
        save(
            "postgres",
            bench_postgres(scifact, args.scifact, scifact_questions, basra_questions(), args.smoke),
        )
    print("\n\n".join(["", *tables(out)]))
    draw_chart(out)
    if out == RESULTS and write_tables(out):
        print(f"\nUpdated the benchmark tables in {TABLES}")
    return 0


def _choices(
    parser: argparse.ArgumentParser, what: str, given: str, valid: tuple[str, ...]
) -> list[str]:
    chosen = [c.strip() for c in given.split(",") if c.strip()]
    if unknown := sorted(set(chosen) - set(valid)):
        parser.error(f"unknown {what} {', '.join(unknown)}; choose from {', '.join(valid)}")
    return chosen


if __name__ == "__main__":
    sys.exit(main())
