"""The BEIR runner: reading a dataset, document rankings, metrics by hand, a real tiny run."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from eval.quality import beir
from qa.service import QA
from qa.types import Passage, Place

DOCUMENTS = {
    "d1": ("Photosynthesis", "Plants turn sunlight, water and carbon dioxide into sugar."),
    "d2": ("Volcanoes", "Magma rises through the crust and erupts as lava and ash."),
    "d3": ("Tides", "The pull of the moon raises the oceans twice a day."),
    "d/4": ("", "Bees carry pollen from flower to flower."),
}


@pytest.fixture
def dataset_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    (folder / "qrels").mkdir(parents=True)
    corpus = [{"_id": i, "title": t, "text": x, "metadata": {}} for i, (t, x) in DOCUMENTS.items()]
    (folder / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in corpus) + "\n")
    queries = [
        {"_id": "q1", "text": "How do plants make sugar from sunlight?"},
        {"_id": "q2", "text": "What makes ocean tides rise?"},
        {"_id": "q3", "text": "Where does lava come from?"},
        {"_id": "q4", "text": "A query nobody judged"},
    ]
    (folder / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in queries) + "\n")
    header = "query-id\tcorpus-id\tscore\n"
    (folder / "qrels" / "test.tsv").write_text(header + "q1\td1\t1\nq2\td3\t1\nq2\td2\t0\n")
    (folder / "qrels" / "train.tsv").write_text(header + "q3\td2\t1\n")
    return folder


def test_a_split_keeps_only_its_judged_queries_and_positive_judgments(dataset_folder):
    test = beir.load_dataset(dataset_folder, "test")
    assert test.name == "tiny"
    assert set(test.queries) == {"q1", "q2"}
    assert test.qrels == {"q1": {"d1"}, "q2": {"d3"}}  # d2 was judged 0 for q2
    assert len(test.documents) == 4
    assert set(beir.load_dataset(dataset_folder, "train").queries) == {"q3"}


def test_corpus_files_are_written_once_and_left_alone_when_unchanged(dataset_folder, tmp_path):
    dataset = beir.load_dataset(dataset_folder, "test")
    out = tmp_path / "corpus"
    beir.write_corpus(dataset, out)
    assert (out / "d1.md").read_text() == (
        "# Photosynthesis\n\nPlants turn sunlight, water and carbon dioxide into sugar.\n"
    )
    assert (out / "d_4.md").read_text() == "Bees carry pollen from flower to flower.\n"
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    beir.write_corpus(dataset, out)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def _passage(doc: str, *copies: str) -> Passage:
    return Passage(
        text="x",
        score=1.0,
        doc_id=doc,
        title="t",
        start=0,
        end=1,
        part="article",
        also_in=tuple(Place(c, "t", 0, 1, "article") for c in copies),
    )


def test_a_document_ranks_where_its_first_passage_or_copy_ranks():
    stems = {"d1": "d1", "d2": "d2", "d3": "d3", "d_4": "d/4"}
    passages = [_passage("d2.md", "d_4.md"), _passage("d2.md"), _passage("d1.md", "d2.md")]
    assert beir.document_ranking(passages, stems) == ["d2", "d/4", "d1"]


def test_metrics_match_a_hand_computed_case():
    qrels = {"a": {"r1", "r2"}, "b": {"r3"}}
    rankings = {"a": ["x", "r1", "y", "r2"], "b": ["x", "y"]}
    # a: relevant at ranks 2 and 4 of 2 relevant; b: nothing found.
    ndcg_a = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert beir.metrics(rankings, qrels) == {
        "ndcg_10": round((ndcg_a + 0.0) / 2, 4),
        "recall_100": 0.5,
    }


def test_a_real_run_ranks_each_judged_document_first(dataset_folder, tmp_path):
    dataset = beir.load_dataset(dataset_folder, "test")
    beir.write_corpus(dataset, tmp_path / "corpus")
    qa = QA(tmp_path / "corpus", tmp_path / "index", progress=False)
    results = beir.run(dataset, qa, sweep=True)
    assert "hybrid-weighted (w=0.3)" in results
    for name, scores in results.items():
        assert scores == {"ndcg_10": 1.0, "recall_100": 1.0}, name
