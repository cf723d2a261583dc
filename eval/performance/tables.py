"""The report of ``qa bench``: a Markdown table for each result file, the chart, and the tables
rewritten between the bench markers of docs/PERFORMANCE.md."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Any

from eval import ROOT
from eval.chart import bench_chart
from eval.performance.harness import CORPORA, throughput
from eval.performance.measure import encoder_name

TABLES = ROOT / "docs" / "PERFORMANCE.md"  # the tables go between its bench markers


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
    files = ""
    if folder := result.get("folder"):  # a folder made at bench time: what it holds
        kinds = ", ".join(f"{n} {kind}" for kind, n in folder["files"].items())
        files = f": {kinds}, cut from `{folder['source']}`"
    distinct = f", {ours['embedded']:,} distinct" if "embedded" in ours else ""
    lines = [
        f"**{result['corpus']}** ({result['documents']:,} documents{files}; ours "
        f"{ours['chunks']:,} chunks{distinct}, {_encoder(ours)}; tutorial "
        f"{tutorial['chunks']:,} chunks, fp32)",
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
        *(
            [row("`answer` p50, sentence cache off", lat_o["answer_uncached"]["p50_ms"], None,
                 "ms", None)]
            if "answer_uncached" in lat_o
            else []
        ),
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


def _memory(case: dict[str, Any]) -> str:
    parser = case.get("parser_peak_rss_mb")
    return f"{case['peak_rss_mb']:,.0f} MB / " + ("—" if parser is None else f"{parser:,.0f} MB")


def format_pdf_table(result: dict[str, Any]) -> str:
    """Markdown: our PDF reader's pages/s and peak memory on the real PDFs and the long one."""
    real, long = result["real"], result["long"]
    names = ", ".join(f"`{row['file']}`" for row in real["files"])
    skipped = f"; {len(real['skipped'])} skipped" if real.get("skipped") else ""
    lines = [
        f"**PDF reading** (`qa.ingest.load_document`, median of {real['repeats']} reads a file; "
        f"the long PDF is the real PDFs' pages one document after another{skipped})",
        "",
        "| PDFs | pages | time | pages/s | peak memory: reader / PDFium's process |",
        "|---|---:|---:|---:|---:|",
        f"| real: {names} | {real['pages']:,} | {real['seconds']:.2f} s "
        f"| {real['pages_per_s']:,.0f} | {_memory(real)} |",
        f"| one long PDF ({long['files'][0]['megabytes']:,.1f} MB) | {long['pages']:,} "
        f"| {long['seconds']:.2f} s | {long['pages_per_s']:,.0f} | {_memory(long)} |",
    ]
    return "\n".join(lines)


def format_encoding_table(result: dict[str, Any]) -> str:
    """Markdown: texts/s per encoder (runtime/precision) and batch size, sorted by length or
    not, with the default marked."""
    rows = result["rows"]
    sizes = sorted({r["batch_size"] for r in rows})
    lines = [
        f"**Encoding** ({result['texts']:,} SciFact chunks; texts/s, sorted by length / not)",
        "",
        "| encoder | " + " | ".join(f"batch {b}" for b in sizes)
        + " | one question p50 | cosine to torch fp32 (min) |",
        "|---|" + "---:|" * (len(sizes) + 2),
    ]  # fmt: skip
    for name in dict.fromkeys(r["encoder"] for r in rows):
        cells = []
        for size in sizes:
            speed = {r["sorted"]: r["texts_per_s"] for r in rows
                     if r["encoder"] == name and r["batch_size"] == size}  # fmt: skip
            cells.append(f"{speed[True]:.0f} / {speed[False]:.0f}")
        cosine = result["agreement_with_torch_fp32"][name]["min_cosine"]
        question = result["question"][name]["p50_ms"]
        label = _encoder_label(name, result.get("default"))
        lines.append(f"| {label} | {' | '.join(cells)} | {question:.1f} ms | {cosine:.5f} |")
    return "\n".join(lines)


def format_quality_table(result: dict[str, Any]) -> str:
    """Markdown: SciFact test nDCG@10 of each configuration per encoder."""
    # Results from before OpenVINO compared torch's precisions only ("precisions").
    default, result = result.get("default"), result.get("encoders") or result["precisions"]
    names = list(result)
    configs = list(result[names[0]]["configs"])
    lines = [
        "**SciFact test nDCG@10 by encoder** (each its own index)",
        "",
        "| configuration | " + " | ".join(_encoder_label(n, default) for n in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for config in configs:
        scores = [f"{result[n]['configs'][config]['ndcg_10']:.4f}" for n in names]
        lines.append(f"| {config} | {' | '.join(scores)} |")
    return "\n".join(lines)


# What the encoders other than the default were: the default before OpenVINO (on a CPU with
# native bf16, as here) and the tutorial recipe's.
_ENCODER_ROLES = {"torch/bf16": "previous default", "torch/fp32": "tutorial"}


def _index_label(row: dict[str, Any]) -> str:
    """The index kind and how it stores vectors (results from before float16 lists: the kind)."""
    if "stored_as" not in row:
        return row["kind"]
    return f"{row['kind']}, {row['stored_as']}{' (previous default)' * row['previous']}"


def _encoder(build: dict[str, Any]) -> str:
    """The encoders of a build (``measure.encoder_name``; results from before OpenVINO name the
    precision only, from before int8 one precision)."""
    return encoder_name(
        build.get("runtime", "torch"),
        build["precision"],
        build.get("question_precision", build["precision"]),
    )


def _encoder_label(name: str, default: str | None) -> str:
    """``name`` with its role: "default" (as resolved on the measuring machine; a default that
    embeds documents and questions in two precisions, "openvino/int8+bf16", marks each) or
    another."""
    role = _ENCODER_ROLES.get(name)
    if default is not None:
        runtime, _, precision = default.partition("/")
        documents, _, questions = precision.partition("+")
        if name == default:
            role = "default"
        elif questions and name == f"{runtime}/{documents}":
            role = "default for documents"
        elif questions and name == f"{runtime}/{questions}":
            role = "default for questions"
    return f"{name} ({role})" if role else name


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
            f"| {row['size']:,} | {_index_label(row)} "
            f"| {row['build_seconds']:.1f} s "
            f"| {row['load_seconds']:.3f} s | {row['file_mb']:,.0f} MB | {row['recall_at_10']:.4f} "
            f"| {search['p50_ms']:.2f} / {search['p95_ms']:.2f} ms "
            f"| {row['rss_after_search_mb']:,.0f} MB |"
        )
    return "\n".join(lines)


def format_postgres_table(result: dict[str, Any]) -> str:
    """Markdown: the files backend and the database side by side, the write path, and HNSW
    by size."""
    parts = [_format_pg_compare(result), _format_pg_write(result["write"])]
    if result.get("retrieve"):  # results of runs before it was measured lack it
        parts.append(_format_pg_retrieve(result["retrieve"]))
    if result.get("vectors"):
        parts.append(_format_pg_hnsw(result))
    return "\n\n".join(parts)


_PG_LABELS = {"files": "files", "vector": "PostgreSQL, `vector`",
              "halfvec": "PostgreSQL, `halfvec`"}  # fmt: skip


def _format_pg_compare(result: dict[str, Any]) -> str:
    backends, compare = result["backends"], result["compare"]
    lines = [
        "**Files and PostgreSQL side by side** (the same index in each: the files index written "
        "to the database; default hybrid search; `retrieve` one question at a time, warm)",
        "",
        "| | " + " | ".join(_PG_LABELS[b] for b in backends) + " |",
        "|---|" + "---:|" * len(backends),
    ]

    def row(label: str, cell: Any) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(b) for b in backends) + " |")

    for name, title in (("basra", "Basra test"), ("realdocs", "real documents test")):
        if name in compare:
            found = compare[name]["backends"]
            row(
                f"{title}: Hit@5 / MRR@10",
                lambda b, f=found: (
                    f"{f[b]['quality']['hit_5']:.4f} / {f[b]['quality']['mrr_10']:.4f}"
                ),
            )
    if "scifact" in compare:
        found = compare["scifact"]["backends"]
        default = next(c for c in found["files"]["quality"]["configs"] if c.startswith("hybrid-w"))
        row(
            f"SciFact test nDCG@10 ({default})",
            lambda b: f"{found[b]['quality']['configs'][default]['ndcg_10']:.4f}",
        )
    for name, title in (("basra", "demo corpus"), ("scifact", "SciFact")):
        if name in compare and "retrieve" in compare[name]["backends"]["files"]:
            found = compare[name]["backends"]
            row(
                f"`retrieve` p50 / p95, {title}",
                lambda b, f=found: (
                    f"{f[b]['retrieve']['p50_ms']:.1f} / {f[b]['retrieve']['p95_ms']:.1f} ms"
                ),
            )
    return "\n".join(lines)  # fmt: skip


# The BM25 side's tables and their keys: the words, and the postings in a table of their own
# in the results of schema layout 1 (layout 2 keeps them in the words' rows).
_LEXICAL_TABLES = ("words", "words indexes", "postings", "postings indexes")


def _format_pg_write(rows: list[dict[str, Any]]) -> str:
    first = rows[0]
    lines = [
        f"**Writing an index to PostgreSQL** (the synthetic index of {first['chunks']:,} chunks "
        f"and {first['postings']:,} BM25 postings, one transaction; binary COPY)",
        "",
        "| vectors | rows | keys | HNSW | whole write | chunks: table / HNSW and key "
        "| words and BM25 postings |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        steps, sizes = row["steps"], row["sizes_mb"]
        lines.append(
            f"| `{row['vectors']}` | {steps['rows']:,.1f} s | {steps['keys']:,.1f} s "
            f"| {steps['hnsw']:,.1f} s | {row['write_seconds']:,.1f} s "
            f"| {sizes['chunks']:,.0f} / {sizes['chunks indexes']:,.0f} MB "
            f"| {sum(sizes.get(part, 0.0) for part in _LEXICAL_TABLES):,.0f} MB |"
        )
    return "\n".join(lines)


def _format_pg_retrieve(sizes: list[dict[str, Any]]) -> str:
    first = sizes[0]["backends"]["files"]
    lines = [
        f"**`retrieve` by size, files and PostgreSQL side by side** (synthetic indexes; "
        f"{first['retrieve']['n']:,} questions asked one at a time, warm, each backend in "
        "an app process of its own; dense recall@10 against exact search; memory after the "
        "searches, the encoder included)",
        "",
        "| chunks | backend | hybrid p50 / p95 | dense p50 | BM25 p50 | dense recall@10 "
        "| statements a question | RSS | written in (HNSW) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        write = size["write"]
        for backend, found in size["backends"].items():
            modes = found["by_mode"]
            written = (
                f"{write['write_seconds']:,.1f} s ({write['steps']['hnsw']:,.1f} s)"
                if backend != "files"
                else ""
            )
            lines.append(
                f"| {size['size']:,} | {_PG_LABELS[backend]} "
                f"| {found['retrieve']['p50_ms']:.1f} / {found['retrieve']['p95_ms']:.1f} ms "
                f"| {modes['dense']['p50_ms']:.1f} ms | {modes['bm25']['p50_ms']:.1f} ms "
                f"| {found['dense_recall_at_10']:.3f} | {found['statements_per_question']:g} "
                f"| {found['rss_after_search_mb']:,.0f} MB | {written} |"
            )
    return "\n".join(lines)


def _format_pg_hnsw(result: dict[str, Any]) -> str:
    efs = [s["ef_search"] for s in result["vectors"][0]["builds"][0]["searches"]]
    lines = [
        f"**HNSW in PostgreSQL by size** (synthetic vectors shaped like SciFact's; "
        f"{result['vectors'][0]['queries']} queries one at a time; recall@10 against exact "
        "search; p50 / p95 at each `hnsw.ef_search`)",
        "",
        "| vectors | type | m, ef_construction | load | HNSW build | HNSW size | "
        + " | ".join(f"ef_search {ef}" for ef in efs)
        + " |",
        "|---:|---|---|---:|---:|---:|" + "---:|" * len(efs),
    ]
    for size in result["vectors"]:
        for build in size["builds"]:
            cells = [
                f"{s['recall_at_10']:.3f}, {s['search']['p50_ms']:.1f} / "
                f"{s['search']['p95_ms']:.1f} ms"
                for s in build["searches"]
            ]
            lines.append(
                f"| {size['size']:,} | `{build['vectors']}` | {build['m']}, "
                f"{build['ef_construction']} | {build['copy_seconds']:,.1f} s "
                f"| {build['build_seconds']:,.1f} s | {build['index_mb']:,.0f} MB | "
                + " | ".join(cells)
                + " |"
            )
    return "\n".join(lines)


def tables(folder: Path) -> list[str]:
    """The Markdown tables of every result file in ``folder``."""
    found = []
    for name in CORPORA:
        if (path := folder / f"bench-{name}.json").exists():
            found.append(format_corpus_table(json.loads(path.read_text())))
    if (path := folder / "bench-pdf.json").exists():
        found.append(format_pdf_table(json.loads(path.read_text())))
    if (path := folder / "bench-encoding.json").exists():
        found.append(format_encoding_table(json.loads(path.read_text())))
    if (path := folder / "bench-quality.json").exists():
        found.append(format_quality_table(json.loads(path.read_text())))
    if (path := folder / "bench-scale.json").exists():
        found.append(format_scale_table(json.loads(path.read_text())))
    if (path := folder / "bench-postgres.json").exists():
        found.append(format_postgres_table(json.loads(path.read_text())))
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
