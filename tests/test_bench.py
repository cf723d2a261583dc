"""The benchmark in smoke mode: every measurement runs, in real processes, on tiny inputs.

Nothing here asserts a time: speed goals are the benchmark's to report, not the tests'.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eval import bench

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def smoke_results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("bench")
    readme_before = bench.README.read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "eval.bench", "--smoke", "--corpora", "basra", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert bench.README.read_text(encoding="utf-8") == readme_before, "smoke runs leave README"
    return out, done.stdout


def test_corpus_bench_measures_ours_and_the_tutorial_on_the_same_documents(smoke_results):
    out, stdout = smoke_results
    result = json.loads((out / "bench-basra.json").read_text())
    ours, tutorial = result["ours"], result["tutorial"]
    assert ours["documents"] == tutorial["documents"] == 5
    assert ours["chunks"] > 0 and tutorial["chunks"] > 0
    for side in (ours, tutorial):
        assert side["latency"]["retrieve"]["n"] == result["questions"] * result["repeats"]
        assert side["cold_saved"]["cited"] > 0 and side["cold_none"]["cited"] > 0
        assert side["peak_rss_mb"] > 0
    assert ours["latency"]["answer"]["n"] == result["questions"] * result["repeats"]
    assert set(result["ratios"]) >= {"embedding_documents_per_s", "retrieve_p50", "index_peak_rss"}
    assert "| indexing |" in stdout and "| ours / tutorial |" in stdout


def test_reindex_after_one_changed_document_reads_and_embeds_only_that_one(smoke_results):
    out, _ = smoke_results
    ours = json.loads((out / "bench-basra.json").read_text())["ours"]
    again = ours["reindex_one"]
    assert again["documents_read"] == 1
    assert 0 < again["embedded"] < ours["chunks"]
    assert again["reused"] + again["embedded"] >= ours["chunks"]


def test_encoding_bench_compares_each_precision_with_fp32(smoke_results):
    out, stdout = smoke_results
    result = json.loads((out / "bench-encoding.json").read_text())
    assert {r["precision"] for r in result["rows"]} == set(bench.PRECISIONS)
    assert {r["sorted"] for r in result["rows"]} == {True, False}
    assert result["agreement_with_fp32"]["fp32"]["min_cosine"] == pytest.approx(1.0)
    # bf16 must embed the same meaning as fp32.
    assert result["agreement_with_fp32"]["bf16"]["min_cosine"] > 0.99
    assert "**Encoding**" in stdout


def test_scale_bench_measures_an_exact_index_and_an_inverted_file(smoke_results):
    out, stdout = smoke_results
    rows = json.loads((out / "bench-scale.json").read_text())["rows"]
    by_kind = {row["kind"]: row for row in rows}
    assert set(by_kind) == {"exact", "ivf"}
    assert by_kind["exact"]["recall_at_10"] == 1.0
    # Approximate, but on vectors shaped like real embeddings it must find nearly all of them.
    assert by_kind["ivf"]["recall_at_10"] >= 0.9
    assert (out / "bench-scale.png").stat().st_size > 0
    assert "**Vector index by size**" in stdout
