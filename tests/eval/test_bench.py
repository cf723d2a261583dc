"""The benchmark in smoke mode: every measurement runs, in real processes, on tiny inputs.

The corpus measurements run on the mixed folder (all five formats, cut from the fixtures at
bench time): the same code as the basra and SciFact corpora, which differ only in their folder
and questions, and running one corpus keeps the smoke run short. Nothing here asserts a time:
speed goals are the benchmark's to report, not the tests'.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eval.performance import bench, pdfs, postgres, scale
from eval.performance.synthetic import chunk_templates, synthetic_chunked_documents
from eval.performance.tables import _format_pg_write
from qa.store.pg_connection import POOL_SIZE
from qa.types import Chunk
from tests.helpers import ROOT  # noqa: E402

pytestmark = pytest.mark.slow  # a subprocess harness: make test runs it, make check does not


@pytest.fixture(scope="module")
def smoke_results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("bench")
    tables_before = bench.TABLES.read_text(encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "eval.performance.bench",
            "--smoke",
            "--corpora",
            "mixed",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert bench.TABLES.read_text(encoding="utf-8") == tables_before, "smoke runs leave the docs"
    return out, done.stdout


def test_corpus_bench_measures_ours_and_the_tutorial_on_the_same_documents(smoke_results):
    out, stdout = smoke_results
    result = json.loads((out / "bench-mixed.json").read_text())
    ours, tutorial = result["ours"], result["tutorial"]
    assert ours["documents"] == tutorial["documents"] == bench.SMOKE_MIXED_FILES
    assert ours["chunks"] > 0 and tutorial["chunks"] > 0
    assert 0 < ours["embedded"] <= ours["chunks"]
    for side in (ours, tutorial):
        assert side["latency"]["retrieve"]["n"] == result["questions"] * result["repeats"]
        assert side["cold_saved"]["cited"] > 0 and side["cold_none"]["cited"] > 0
        assert side["peak_rss_mb"] > 0
    assert ours["latency"]["answer"]["n"] == result["questions"] * result["repeats"]
    assert set(result["ratios"]) >= {"documents_per_s", "retrieve_p50", "index_peak_rss"}
    assert "| indexing |" in stdout and "| ours / tutorial |" in stdout


def test_the_mixed_folder_holds_every_kind_and_says_where_it_came_from(smoke_results):
    out, stdout = smoke_results
    folder = json.loads((out / "bench-mixed.json").read_text())["folder"]
    assert folder["source"] == "eval/quality/realdocs/corpus"  # the real documents, committed
    assert folder["files"] == {".pdf": 4, ".docx": 4, ".html": 4, ".md": 4, ".txt": 4}
    assert "**mixed** (20 documents: 4 .pdf, 4 .docx" in stdout


def test_reindex_after_one_changed_document_reads_and_embeds_only_that_one(smoke_results):
    out, _ = smoke_results
    ours = json.loads((out / "bench-mixed.json").read_text())["ours"]
    again = ours["reindex_one"]
    assert again["documents_read"] == 1
    assert 0 < again["embedded"] < ours["chunks"]
    assert again["reused"] + again["embedded"] >= ours["chunks"]


def test_pdf_bench_reads_the_real_pdf_and_a_long_one_made_from_its_pages(smoke_results):
    out, stdout = smoke_results
    result = json.loads((out / "bench-pdf.json").read_text())
    real, long = result["real"], result["long"]
    assert [row["file"] for row in real["files"]] == ["shared-mime-info-spec.pdf"]
    assert real["pages"] == 17 and long["pages"] == pdfs.SMOKE_LONG_PAGES
    assert result["long_made_from"] == ["tests/fixtures/shared-mime-info-spec.pdf"]
    for part in (real, long):
        assert part["pages_per_s"] > 0 and part["skipped"] == {}
        # The reading process's own peak (VmHWM), not the bench process's carried over.
        assert part["rss_before_mb"] <= part["peak_rss_mb"] < 400
    assert "**PDF reading**" in stdout


def test_encoding_bench_compares_each_encoder_with_torch_in_fp32(smoke_results):
    out, stdout = smoke_results
    result = json.loads((out / "bench-encoding.json").read_text())
    # Each encoder ran as asked: none fell back from OpenVINO to torch.
    assert {r["encoder"] for r in result["rows"]} == set(bench.ENCODERS)
    assert {r["sorted"] for r in result["rows"]} == {True, False}
    agreement = result["agreement_with_torch_fp32"]
    assert agreement["torch/fp32"]["min_cosine"] == pytest.approx(1.0)
    # Every runtime and precision must embed the same meaning as the reference; int8 to within
    # its quantisation (SciFact nDCG@10 within 0.003 of fp32).
    assert min(a["min_cosine"] for n, a in agreement.items() if n != "openvino/int8") > 0.999
    assert agreement["openvino/int8"]["min_cosine"] > 0.98
    # The default is one encoder, or one for documents and one for questions ("openvino/int8+bf16").
    runtime, _, precisions = result["default"].partition("/")
    assert {f"{runtime}/{p}" for p in precisions.split("+")} <= set(bench.ENCODERS)
    assert "**Encoding**" in stdout and "(previous default)" in stdout


def test_scale_bench_measures_an_exact_index_and_an_inverted_file(smoke_results):
    out, stdout = smoke_results
    rows = json.loads((out / "bench-scale.json").read_text())["rows"]
    by_kind = {row["kind"]: row for row in rows}
    # The inverted file also as the previous default built it (float32 lists), side by side.
    assert set(by_kind) == {"exact", "ivf", "ivf-flat"}
    assert by_kind["ivf"]["size"] == by_kind["ivf-flat"]["size"]
    assert by_kind["exact"]["recall_at_10"] == 1.0
    # Approximate, but on vectors shaped like real embeddings it must find nearly all of them.
    assert min(by_kind["ivf"]["recall_at_10"], by_kind["ivf-flat"]["recall_at_10"]) >= 0.9
    # float16 lists take about half the bytes of float32 ones.
    assert by_kind["ivf"]["file_mb"] < 0.6 * by_kind["ivf-flat"]["file_mb"]
    assert "(previous default)" in stdout
    assert (out / "bench-scale.png").stat().st_size > 0
    assert "**Vector index by size**" in stdout


def test_scale_bench_indexes_a_synthetic_corpus_with_our_pipeline(smoke_results):
    out, stdout = smoke_results
    text = json.loads((out / "bench-scale.json").read_text())["text"]
    wanted = round(scale.SMOKE_TEXT_CHUNKS / scale.SCIFACT_CHUNKS_PER_DOCUMENT)
    assert text["documents"] == wanted
    # Synthetic documents copy SciFact abstracts' lengths, so they chunk like SciFact.
    assert 0.5 * scale.SMOKE_TEXT_CHUNKS < text["chunks"] < 2 * scale.SMOKE_TEXT_CHUNKS
    assert text["throughput"]["chunks_per_s"] > 0 and text["peak_rss_mb"] > 0
    asked = text["latency"]["retrieve"]["n"]
    assert asked == text["latency"]["answer"]["n"] == scale.SMOKE_QUESTIONS
    assert "**Our pipeline on a synthetic corpus**" in stdout


def test_scale_bench_retrieves_from_a_synthetic_index_of_each_size(smoke_results):
    out, stdout = smoke_results
    rows = json.loads((out / "bench-scale.json").read_text())["retrieve"]
    assert [row["size"] for row in rows] == list(scale.SMOKE_SCALE_SIZES)
    assert {row["kind"] for row in rows} == {"exact", "ivf"}
    for row in rows:
        # About three chunks a document, as SciFact has.
        assert 2 < row["size"] / row["documents"] < 4.5
        assert row["build"]["documents"] == row["documents"] and row["build"]["disk_mb"] > 0
        assert set(row["by_mode"]) == {"hybrid", "dense", "bm25"}
        assert all(t["n"] == scale.SMOKE_QUESTIONS for t in row["by_mode"].values())
        assert row["fewest_passages"] == 5, "every question gets k passages"
        assert row["offsets_match"], "passages are where their offsets say"
        assert row["peak_rss_mb"] >= row["rss_after_load_mb"] > 0
    assert "**`retrieve` by index size**" in stdout


def test_synthetic_documents_hold_the_chunks_asked_for_at_their_offsets():
    abstracts = ["Cells divide. Proteins fold in the cell. Genes are expressed at night."] * 4
    templates = chunk_templates(
        [Chunk("a", 0, 30, "x" * 30, "article"), Chunk("a", 31, 150, "y" * 119, "article"),
         Chunk("b", 0, 200, "z" * 200, "article")]
    )  # fmt: skip
    assert sorted(templates) == [(30, 119), (200,)]
    made = list(synthetic_chunked_documents(["A title", "Another"], abstracts, templates, 51))
    assert sum(len(chunks) for _, chunks in made) == 51
    for document, chunks in made:
        assert chunks[0].text.startswith(f"# {document.title}")
        for chunk in chunks:
            assert chunk.doc_id == document.doc_id
            assert document.text[chunk.start : chunk.end] == chunk.text


def test_postgres_bench_puts_the_files_backend_and_the_database_side_by_side(smoke_results):
    out, stdout = smoke_results
    result = json.loads((out / "bench-postgres.json").read_text())
    backends = result["compare"]["basra"]["backends"]
    assert set(backends) == {"files", "vector", "halfvec"}
    files = backends["files"]["quality"]
    assert files["questions"] > 0 and files["hit_5"] > 0.5
    for kind in ("vector", "halfvec"):
        # The same index in the database: the same retrieval, within the 0.01.
        found = backends[kind]["quality"]
        assert abs(found["hit_5"] - files["hit_5"]) <= 0.01
        assert abs(found["mrr_10"] - files["mrr_10"]) <= 0.01
    for side in backends.values():
        assert side["retrieve"]["n"] == postgres.SMOKE_QUESTIONS
    assert "**Files and PostgreSQL side by side**" in stdout


def test_postgres_bench_times_the_write_path_and_hnsw_in_both_vector_types(smoke_results):
    out, stdout = smoke_results
    result = json.loads((out / "bench-postgres.json").read_text())
    written = {row["vectors"]: row for row in result["write"]}
    assert set(written) == {"vector", "halfvec"}
    for row in written.values():
        assert row["chunks"] == postgres.SMOKE_WRITE_SIZE and row["postings"] > row["chunks"]
        assert set(row["steps"]) == {"rows", "keys", "hnsw"}
    # float16 vectors: a smaller chunks table and HNSW index than float32 ones.
    assert written["halfvec"]["sizes_mb"]["chunks"] < written["vector"]["sizes_mb"]["chunks"]
    (size,) = result["vectors"]
    assert size["size"] == postgres.SMOKE_VECTOR_SIZES[0]
    builds = {build["vectors"]: build for build in size["builds"]}
    assert builds["halfvec"]["index_mb"] < 0.7 * builds["vector"]["index_mb"]
    for build in builds.values():
        assert [s["ef_search"] for s in build["searches"]] == list(postgres.SMOKE_EF_SEARCHES)
        # On vectors shaped like real embeddings, HNSW must find nearly all of the exact top 10.
        assert build["searches"][-1]["recall_at_10"] >= 0.9
    assert "**HNSW in PostgreSQL by size**" in stdout and "**Writing an index" in stdout


def test_postgres_bench_times_retrieve_at_a_size_on_both_backends(smoke_results):
    out, stdout = smoke_results
    result = json.loads((out / "bench-postgres.json").read_text())
    (size,) = result["retrieve"]
    assert size["size"] == postgres.SMOKE_RETRIEVE_SIZES[0]
    assert set(size["backends"]) == {"files", "halfvec"}
    for backend, found in size["backends"].items():
        assert found["size"] == size["size"] and found["mode"] == "hybrid"
        assert set(found["by_mode"]) == {"hybrid", "dense", "bm25"}
        assert found["retrieve"]["n"] == postgres.SMOKE_QUESTIONS
        assert found["dense_recall_at_10"] >= 0.9 and found["rss_after_search_mb"] > 0
        # the database: the dense search, the BM25 postings, the records shown
        assert found["statements_per_question"] == (0 if backend == "files" else 3)
        assert found["connection_setups"] <= (0 if backend == "files" else POOL_SIZE)
    assert "**`retrieve` by size, files and PostgreSQL side by side**" in stdout


def test_the_write_table_counts_the_bm25_side_in_either_schema_layout():
    sizes = {"chunks": 272.3, "chunks indexes": 197.5, "words": 2.3, "words indexes": 1.8}
    row = {
        "chunks": 100_000,
        "postings": 5_296_562,
        "vectors": "vector",
        "write_seconds": 56.0,
        "steps": {"rows": 14.2, "keys": 3.9, "hnsw": 37.7},
        "sizes_mb": sizes,
    }
    assert _format_pg_write([row]).endswith("| 272 / 198 MB | 4 MB |")  # postings in the words
    # Results of layout 1 hold the postings in a table of their own: they count too.
    row["sizes_mb"] = {**sizes, "postings": 223.8, "postings indexes": 159.1}
    assert _format_pg_write([row]).endswith("| 272 / 198 MB | 387 MB |")
