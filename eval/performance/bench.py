"""Speed and memory of our pipeline next to the tutorial recipe, measured in one run.

    python -m eval.performance.bench [--sections corpora,encoding,quality,scale]
                                     [--corpora basra,scifact] [--smoke]
    qa bench ...                                        (the same)

For each corpus, in a copy of it, and for both our pipeline and the tutorial recipe
(``eval/baseline.py``), each measurement in a fresh process (``eval/bench_cases.py``):

- indexing: documents/s and chunks/s of a full build, and of the embedding step alone;
- latency, warm: p50/p95 of ``retrieve`` and ``answer`` over the corpus's eval questions;
- cold start: process start to the first answer, with a saved index and with none;
- peak resident memory of each of those processes;
- re-indexing after one changed document, next to the full build.

The scale section measures, on collections built from SciFact's text (``eval/synthetic.py``):
the vector index alone at each size; our pipeline indexing and answering a synthetic corpus of
``TEXT_CHUNKS`` chunks; and ``retrieve`` on synthetic indexes of each size (built without the
model, vectors synthesised), with the memory of the process serving them.

Writes ``eval/results/bench-<corpus>.json``, prints a table with the ratios (ours / tutorial),
and rewrites the tables in docs/PERFORMANCE.md between the ``bench:start``/``bench:end``
markers.
``--smoke`` runs everything on tiny inputs into a temporary folder (what ``make test`` runs so
that the benchmark cannot rot); it never touches docs/PERFORMANCE.md or eval/results.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eval import ROOT  # noqa: E402
from eval.chart import bench_chart
from eval.performance.synthetic import scifact_texts, write_synthetic_corpus
from eval.quality import beir
from eval.quality.questions import QUESTIONS
from qa.paths import DEFAULT_CORPUS, default_index_dir, qa_home
from qa.store.records import FORMAT_VERSION
from qa.store.versions import CURRENT

RESULTS = ROOT / "eval" / "results"
TABLES = ROOT / "docs" / "PERFORMANCE.md"  # the tables go between its bench markers
SCIFACT = ROOT.parent / "shared" / "bench" / "scifact"
CORPORA = ("basra", "scifact")
SECTIONS = ("corpora", "encoding", "quality", "scale")
SCALE_SIZES = (100_000, 1_000_000)
SMOKE_SCALE_SIZES = (1_000, 40_000)  # one exact index, one inverted file
TEXT_CHUNKS, SMOKE_TEXT_CHUNKS = 100_000, 300  # the real pipeline on a synthetic corpus
SCIFACT_CHUNKS_PER_DOCUMENT = 16_519 / 5_183  # as the full SciFact index has them
SMOKE_QUESTIONS = 5
PRECISIONS = ("fp32", "bf16")
CHANGED_SENTENCE = " A sentence added by the benchmark, so that one document has changed."


class BenchError(RuntimeError):
    """A measurement process failed; the message holds the end of its error output."""


def run_case(case: str, **arguments: Any) -> dict[str, Any]:
    """Run one case of ``eval.performance.bench_cases`` in a fresh process; its result, plus
    ``wall_seconds``: from starting the process to its result."""
    command = [sys.executable, "-m", "eval.performance.bench_cases", case, json.dumps(arguments)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=_child_env())
    wall = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout.strip():
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise BenchError(f"{case} failed (exit {done.returncode}):\n{tail}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(wall, 2)
    return result


def _child_env() -> dict[str, str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TQDM_DISABLE="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


# -- one corpus ------------------------------------------------------------------------------


def bench_corpus(
    name: str, source: Path, questions: list[str], work: Path, repeats: int
) -> dict[str, Any]:
    """Every per-corpus measurement, ours and the tutorial's, on a copy of ``source``."""
    corpus = work / "corpus"
    shutil.copytree(source, corpus)
    ours_index, tutorial_index = work / "ours-index", work / "tutorial-index"
    args = {"corpus": str(corpus)}
    step = _Steps(name)

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


class _Steps:
    """Runs cases one after another, saying what runs and how long it took."""

    def __init__(self, corpus: str) -> None:
        self.corpus = corpus

    def __call__(self, title: str, case: str, **arguments: Any) -> dict[str, Any]:
        print(f"  {self.corpus}: {title} …", end="", flush=True)
        result = run_case(case, **arguments)
        print(f" {result['wall_seconds']:.1f} s", flush=True)
        return result


def _change_one_document(corpus: Path) -> str:
    """Add a sentence to the middle of the middle file of ``corpus`` (at a paragraph or line
    break, so that it lands in the text that is indexed, not in a page's header or footer);
    the file's name relative to ``corpus``."""
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    target = files[len(files) // 2]
    text = target.read_text(encoding="utf-8")
    middle = len(text) // 2
    cut = next((i for i in (text.find("\n\n", middle), text.find("\n", middle)) if i >= 0), middle)
    target.write_text(text[:cut] + CHANGED_SENTENCE + text[cut:], encoding="utf-8")
    return target.relative_to(corpus).as_posix()


def throughput(build: dict[str, Any]) -> dict[str, float]:
    """Documents/s and chunks/s of the whole build and of its embedding step."""
    index_s, embed_s = build["index_seconds"], build["embedding_seconds"]
    return {
        "documents_per_s": round(build["documents"] / index_s, 2),
        "chunks_per_s": round(build["chunks"] / index_s, 2),
        "embedding_documents_per_s": round(build["documents"] / embed_s, 2),
        "embedding_chunks_per_s": round(build["chunks"] / embed_s, 2),
        "embedding_characters_per_s": round(build["characters_embedded"] / embed_s, 1),
    }


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
    """Throughput of each precision and batch size on chunks of ``corpus``."""
    print("  encoding: precisions × batch sizes …", end="", flush=True)
    result = run_case(
        "encoding",
        corpus=str(corpus),
        sample=16 if smoke else 1024,
        precisions=list(PRECISIONS),
        batch_sizes=[8] if smoke else [16, 32, 64, 128],
    )
    print(f" {result['wall_seconds']:.1f} s", flush=True)
    return result


def bench_quality(folder: Path) -> dict[str, Any]:
    """SciFact test scores with the encoder in each precision (each its own index)."""
    result = {}
    for precision in PRECISIONS:
        print(f"  quality: SciFact in {precision} …", end="", flush=True)
        index_dir = None if precision == "bf16" else qa_home() / "bench" / f"scifact-{precision}"
        found = run_case(
            "beir_quality",
            folder=str(folder),
            precision=precision,
            index_dir=str(index_dir) if index_dir else None,
        )
        print(f" {found['wall_seconds']:.1f} s", flush=True)
        result[precision] = found
    return {"precisions": result}


def bench_scale(corpus: Path, scifact: Path, questions: list[str], smoke: bool) -> dict[str, Any]:
    """The vector index alone at each size (vectors synthesised from ``corpus``'s own), the
    real pipeline on a synthetic corpus of ``TEXT_CHUNKS`` chunks, and ``retrieve`` on a
    synthetic index of each size. Full-size inputs are kept under ``QA_HOME/bench/scale`` for
    the next run; smoke ones go to a temporary folder."""
    index_dir = default_index_dir(corpus)
    run_case("reindex_ours", corpus=str(corpus), index_dir=str(index_dir))  # built if missing
    sizes = SMOKE_SCALE_SIZES if smoke else SCALE_SIZES
    asked, repeats = (questions[:SMOKE_QUESTIONS], 1) if smoke else (questions, 3)
    step = _Steps("scale")
    rows = [
        step(f"{size:,} vectors", "scale_vectors", real_index_dir=str(index_dir), size=size,
             questions=questions, repeats=3)
        for size in sizes
    ]  # fmt: skip
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
    """Our pipeline on a synthetic corpus of about ``chunks`` chunks (``eval/synthetic.py``):
    a full build, its throughput, then warm latency on the index it wrote."""
    documents = round(chunks / SCIFACT_CHUNKS_PER_DOCUMENT)
    print(f"  scale: writing {documents:,} synthetic documents …", flush=True)
    corpus = write_synthetic_corpus(work / "corpus", *scifact_texts(scifact), documents)
    args = {"corpus": str(corpus), "index_dir": str(work / "index")}
    step = _Steps("scale")
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
    found = _Steps("scale")(
        f"{size:,} chunks, retrieve", "scale_retrieve",
        index_dir=str(index_dir), questions=questions, repeats=repeats,
    )  # fmt: skip
    return dict(found, build=build)


def synthetic_index(
    real_index_dir: Path, scifact: Path, index_dir: Path, size: int
) -> dict[str, Any]:
    """Build the synthetic index of ``size`` chunks (``scale_index``), or reuse the one in
    ``index_dir`` when it was built with the same arguments and index format: at a million
    chunks it takes minutes and gigabytes, and it does not change between runs."""
    arguments = {"real_index_dir": str(real_index_dir), "scifact": str(scifact), "size": size,
                 "index_dir": str(index_dir)}  # fmt: skip
    record = index_dir / "bench-build.json"
    key = {"arguments": arguments, "format": FORMAT_VERSION}
    if record.exists() and (index_dir / CURRENT).exists():
        saved = json.loads(record.read_text())
        if {k: saved.get(k) for k in key} == key:
            print(f"  scale: {size:,} chunks, index reused ({index_dir})", flush=True)
            return dict(saved["result"], reused=True)
    record.unlink(missing_ok=True)
    result = _Steps("scale")(f"{size:,} chunks, build index", "scale_index", **arguments)
    record.write_text(json.dumps(dict(key, result=result), indent=2) + "\n")
    return result


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


# -- report ----------------------------------------------------------------------------------


def format_corpus_table(result: dict[str, Any]) -> str:
    """Markdown: each figure for ours and the tutorial's, and the ratio."""
    ours, tutorial = result["ours"], result["tutorial"]
    mine, theirs = throughput(ours), throughput(tutorial)
    ratio = result["ratios"]

    def row(label: str, a: float, b: float | None, unit: str, key: str | None) -> str:
        other = f"{b:,.4g} {unit}" if b is not None else "n/a"
        times = f"{ratio[key]:.2f}×" if key else ""
        return f"| {label} | {a:,.4g} {unit} | {other} | {times} |"

    lat_o, lat_t = ours["latency"], tutorial["latency"]
    lines = [
        f"**{result['corpus']}** ({result['documents']:,} documents; ours "
        f"{ours['chunks']:,} chunks, {ours['precision']}; tutorial {tutorial['chunks']:,} "
        f"chunks, fp32)",
        "",
        "| | ours | tutorial | ours / tutorial |",
        "|---|---:|---:|---:|",
        row("indexing", mine["documents_per_s"], theirs["documents_per_s"], "docs/s",
            "documents_per_s"),
        row("embedding alone", mine["embedding_documents_per_s"],
            theirs["embedding_documents_per_s"], "docs/s", "embedding_documents_per_s"),
        row("embedding alone", mine["embedding_chunks_per_s"],
            theirs["embedding_chunks_per_s"], "chunks/s", "embedding_chunks_per_s"),
        row("`retrieve` p50", lat_o["retrieve"]["p50_ms"], lat_t["retrieve"]["p50_ms"],
            "ms", "retrieve_p50"),
        row("`retrieve` p95", lat_o["retrieve"]["p95_ms"], lat_t["retrieve"]["p95_ms"], "ms",
            None),
        row("`answer` p50", lat_o["answer"]["p50_ms"], None, "ms", None),
        row("`answer` p95", lat_o["answer"]["p95_ms"], None, "ms", None),
        row("first answer, saved index", ours["cold_saved"]["wall_seconds"],
            tutorial["cold_saved"]["wall_seconds"], "s", "cold_saved_seconds"),
        row("first answer, no index", ours["cold_none"]["wall_seconds"],
            tutorial["cold_none"]["wall_seconds"], "s", "cold_none_seconds"),
        row("peak memory, indexing", ours["peak_rss_mb"], tutorial["peak_rss_mb"], "MB",
            "index_peak_rss"),
        row("re-index, one document changed", ours["reindex_one"]["index_seconds"], None, "s",
            None),
        row("full rebuild", ours["index_seconds"], tutorial["index_seconds"], "s", None),
    ]  # fmt: skip
    return "\n".join(lines)


def format_encoding_table(result: dict[str, Any]) -> str:
    """Markdown: texts/s per precision and batch size, sorted by length or not."""
    rows = result["rows"]
    sizes = sorted({r["batch_size"] for r in rows})
    lines = [
        f"**Encoding** ({result['texts']:,} SciFact chunks; texts/s, sorted by length / not)",
        "",
        "| precision | " + " | ".join(f"batch {b}" for b in sizes)
        + " | one question p50 | cosine to fp32 (min) |",
        "|---|" + "---:|" * (len(sizes) + 2),
    ]  # fmt: skip
    for precision in dict.fromkeys(r["precision"] for r in rows):
        cells = []
        for size in sizes:
            speed = {r["sorted"]: r["texts_per_s"] for r in rows
                     if r["precision"] == precision and r["batch_size"] == size}  # fmt: skip
            cells.append(f"{speed[True]:.0f} / {speed[False]:.0f}")
        agreement = result["agreement_with_fp32"].get(precision, {})
        cosine = f"{agreement['min_cosine']:.5f}" if agreement else "n/a"
        question = result["question"][precision]["p50_ms"]
        lines.append(f"| {precision} | {' | '.join(cells)} | {question:.1f} ms | {cosine} |")
    return "\n".join(lines)


def format_quality_table(result: dict[str, Any]) -> str:
    """Markdown: SciFact test nDCG@10 of each configuration per precision."""
    result = result["precisions"]
    precisions = list(result)
    configs = list(result[precisions[0]]["configs"])
    lines = [
        "**SciFact test nDCG@10 by encoder precision**",
        "",
        "| configuration | " + " | ".join(precisions) + " |",
        "|---|" + "---:|" * len(precisions),
    ]
    for config in configs:
        scores = [f"{result[p]['configs'][config]['ndcg_10']:.4f}" for p in precisions]
        lines.append(f"| {config} | {' | '.join(scores)} |")
    return "\n".join(lines)


def format_scale_table(result: dict[str, Any]) -> str:
    """Markdown: the real pipeline on a synthetic corpus, ``retrieve`` on synthetic indexes by
    size, and the vector index alone by size (result files from before the first two lack
    them)."""
    parts = []
    if "text" in result:
        parts.append(_format_scale_text(result["text"]))
    if "retrieve" in result:
        parts.append(_format_scale_retrieve(result["retrieve"]))
    return "\n\n".join([*parts, _format_scale_vectors(result)])


def _format_scale_text(build: dict[str, Any]) -> str:
    speed, latency = build["throughput"], build["latency"]
    retrieve, answer = latency["retrieve"], latency["answer"]
    return "\n".join([
        f"**Our pipeline on a synthetic corpus** (SciFact titles and sentences, "
        f"{build['documents']:,} documents, {build['chunks']:,} chunks, {build['precision']}; "
        f"{retrieve['n']:,} searches)",
        "",
        "| full build | indexing | embedding alone | peak memory, indexing "
        "| `retrieve` p50 / p95 | `answer` p50 / p95 | peak memory, answering |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {build['index_seconds']:,.0f} s "
        f"| {speed['documents_per_s']:,.1f} docs/s, {speed['chunks_per_s']:,.1f} chunks/s "
        f"| {build['embedding_seconds']:,.0f} s, {speed['embedding_chunks_per_s']:,.1f} chunks/s "
        f"| {build['peak_rss_mb']:,.0f} MB "
        f"| {retrieve['p50_ms']:.1f} / {retrieve['p95_ms']:.1f} ms "
        f"| {answer['p50_ms']:.1f} / {answer['p95_ms']:.1f} ms "
        f"| {latency['peak_rss_mb']:,.0f} MB |",
    ])  # fmt: skip


def _format_scale_retrieve(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"**`retrieve` by index size** (synthetic indexes: SciFact sentences cut like SciFact's "
        f"chunks, vectors shaped like SciFact's; {rows[0]['retrieve']['n']:,} searches, one "
        f"question at a time, {rows[0]['mode']}, the question embedded in each)",
        "",
        "| chunks | documents | vectors | build | on disk | load | `retrieve` p50 / p95 "
        "| dense p50 | BM25 p50 | memory after load | after searches | peak memory |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        retrieve, modes = row["retrieve"], row["by_mode"]
        lines.append(
            f"| {row['size']:,} | {row['documents']:,} | {row['kind']} "
            f"| {row['build']['wall_seconds']:,.0f} s | {row['build']['disk_mb']:,} MB "
            f"| {row['load_seconds']:.1f} s "
            f"| {retrieve['p50_ms']:.1f} / {retrieve['p95_ms']:.1f} ms "
            f"| {modes['dense']['p50_ms']:.1f} ms | {modes['bm25']['p50_ms']:.1f} ms "
            f"| {row['rss_after_load_mb']:,.0f} MB | {row['rss_after_search_mb']:,.0f} MB "
            f"| {row['peak_rss_mb']:,.0f} MB |"
        )
    return "\n".join(lines)


def _format_scale_vectors(result: dict[str, Any]) -> str:
    lines = [
        f"**Vector index by size** (synthetic vectors shaped like SciFact's; "
        f"{result['questions']} SciFact queries, one at a time)",
        "",
        "| vectors | index | build | load | file | recall@10 vs exact | search p50 / p95 "
        "| memory after search |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        search = row["search"]
        lines.append(
            f"| {row['size']:,} | {row['kind']} | {row['build_seconds']:.1f} s "
            f"| {row['load_seconds']:.3f} s | {row['file_mb']:,.0f} MB | {row['recall_at_10']:.4f} "
            f"| {search['p50_ms']:.2f} / {search['p95_ms']:.2f} ms "
            f"| {row['rss_after_search_mb']:,.0f} MB |"
        )
    return "\n".join(lines)


def tables(folder: Path) -> list[str]:
    """The Markdown tables of every result file in ``folder``."""
    found = []
    for name in CORPORA:
        if (path := folder / f"bench-{name}.json").exists():
            found.append(format_corpus_table(json.loads(path.read_text())))
    if (path := folder / "bench-encoding.json").exists():
        found.append(format_encoding_table(json.loads(path.read_text())))
    if (path := folder / "bench-quality.json").exists():
        found.append(format_quality_table(json.loads(path.read_text())))
    if (path := folder / "bench-scale.json").exists():
        found.append(format_scale_table(json.loads(path.read_text())))
    return found


def draw_chart(folder: Path) -> bool:
    """bench-scale.png from the result files in ``folder``."""
    corpora = [
        json.loads(path.read_text())
        for name in CORPORA
        if (path := folder / f"bench-{name}.json").exists()
    ]
    scale = folder / "bench-scale.json"
    if not corpora and not scale.exists():
        return False
    loaded = json.loads(scale.read_text()) if scale.exists() else None
    return bench_chart(corpora, loaded, folder / "bench-scale.png")


def write_tables(folder: Path) -> bool:
    """Replace the text between the bench markers of ``TABLES``; False when they are missing."""
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = TABLES.read_text(encoding="utf-8")
    if start not in text or end not in text:
        return False
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs"
    body = "\n\n".join(
        [f"Measured with `qa bench` on {machine}, {time.strftime('%Y-%m-%d')}.", *tables(folder)]
    )
    head, rest = text.split(start, 1)
    TABLES.write_text(f"{head}{start}\n{body}\n{end}{rest.split(end, 1)[1]}", encoding="utf-8")
    return True


# -- command ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qa bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help=f"any of {', '.join(SECTIONS)}"
    )
    parser.add_argument("--corpora", default=",".join(CORPORA), help="basra and/or scifact")
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
    if "scifact" in corpora or {"encoding", "quality", "scale"} & set(sections):
        scifact, scifact_questions = scifact_corpus(args.scifact, 40 if args.smoke else None)
    if "corpora" in sections:
        for name in corpora:
            source, questions = (
                (DEFAULT_CORPUS, basra_questions())
                if name == "basra"
                else (scifact, scifact_questions)
            )
            with tempfile.TemporaryDirectory(prefix=f"qa-bench-{name}-") as work:
                result = bench_corpus(
                    name,
                    source,
                    questions[:5] if args.smoke else questions,
                    Path(work),
                    1 if args.smoke else args.repeats,
                )
            save(name, result)
    if "encoding" in sections:
        save("encoding", bench_encoding(scifact, args.smoke))
    if "quality" in sections and not args.smoke:  # a full SciFact index per precision
        save("quality", bench_quality(args.scifact))
    if "scale" in sections:
        save("scale", bench_scale(scifact, args.scifact, scifact_questions, args.smoke))
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
