"""Score the real pipeline on a BEIR-format dataset, next to published numbers.

    qa eval --beir ../shared/bench/scifact [--split test|train] [--sweep]

The dataset's documents are written once as Markdown files (``# title``, then the text) under
``QA_HOME/beir/<name>/corpus`` and indexed by the same code users run, so a second run reuses
the index. Each query asks for ``PASSAGES`` passages; a document ranks where its first passage
(or a place in a passage's ``also_in``) ranks. Metrics follow BEIR: nDCG@10 with binary gains
and Recall@100, over every query with judgments in the split. Tune (``--sweep``) on ``train``;
report ``test``.
"""

from __future__ import annotations

import csv
import json
import statistics
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from eval import RESULTS  # noqa: E402
from eval.chart import beir_chart
from eval.quality.metrics import ndcg_at, recall_at
from qa.paths import qa_home
from qa.search.retriever import fuse
from qa.service import QA
from qa.settings import Settings
from qa.types import Passage

PASSAGES = 300  # enough passages for 100 distinct documents on SciFact (about 3 per document)
SPLITS = ("test", "train")

# Published nDCG@10 / Recall@100 on the test split, as the dataset's README gives them.
PUBLISHED: dict[str, dict[str, tuple[float, float]]] = {
    "scifact": {
        "BM25 (BEIR paper)": (0.665, 0.908),
        "BM25 flat (Anserini)": (0.679, 0.925),
        "all-MiniLM-L6-v2 (MTEB)": (0.645, 0.925),
    }
}


@dataclass(frozen=True)
class Dataset:
    name: str
    documents: dict[str, tuple[str, str]]  # id → (title, text)
    queries: dict[str, str]  # id → text, only queries with judgments in the split
    qrels: dict[str, set[str]]  # query id → relevant document ids


def load_dataset(folder: Path, split: str) -> Dataset:
    """A BEIR folder: corpus.jsonl, queries.jsonl / queries_all.jsonl, qrels/<split>.tsv.

    Raises:
        FileNotFoundError: A file the split needs is missing.
    """
    documents = {
        record["_id"]: (record.get("title", ""), record.get("text", ""))
        for record in _jsonl(folder / "corpus.jsonl")
    }
    qrels: dict[str, set[str]] = {}
    with (folder / "qrels" / f"{split}.tsv").open(encoding="utf-8") as lines:
        for row in csv.DictReader(lines, delimiter="\t"):
            if int(row["score"]) > 0:
                qrels.setdefault(row["query-id"], set()).add(row["corpus-id"])
    queries_file = folder / "queries_all.jsonl"
    if not queries_file.exists():
        queries_file = folder / "queries.jsonl"
    queries = {r["_id"]: r["text"] for r in _jsonl(queries_file) if r["_id"] in qrels}
    return Dataset(folder.resolve().name, documents, queries, {q: qrels[q] for q in queries})


def _jsonl(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as lines:
        yield from (json.loads(line) for line in lines if line.strip())


def write_corpus(dataset: Dataset, folder: Path) -> None:
    """Each document as ``<id>.md``; files already written with the same text are left alone,
    so that the index stays up to date across runs."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, (title, text) in dataset.documents.items():
        path = folder / f"{_file_stem(doc_id)}.md"
        content = f"# {title}\n\n{text}\n" if title else f"{text}\n"
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")


def _file_stem(doc_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in doc_id)


def document_ranking(passages: Sequence[Passage], stems: Mapping[str, str]) -> list[str]:
    """Dataset document ids in the order their first passage (or copy) appears."""
    ranking: list[str] = []
    seen: set[str] = set()
    for passage in passages:
        for file in (passage.doc_id, *(p.doc_id for p in passage.also_in)):
            doc_id = stems[file.removesuffix(".md")]
            if doc_id not in seen:
                seen.add(doc_id)
                ranking.append(doc_id)
    return ranking


def metrics(rankings: Mapping[str, list[str]], qrels: Mapping[str, set[str]]) -> dict[str, float]:
    """Mean nDCG@10 and Recall@100 over the judged queries."""
    ndcg, recall = [], []
    for query, relevant in qrels.items():
        gold = sorted(relevant)
        hits = [{gold.index(d)} if d in relevant else set() for d in rankings[query]]
        ndcg.append(ndcg_at(hits, len(gold), 10))
        recall.append(recall_at(hits, len(gold), 100))
    return {
        "ndcg_10": round(statistics.fmean(ndcg), 4),
        "recall_100": round(statistics.fmean(recall), 4),
    }


def fused_configs(sweep: bool, settings: Settings) -> dict[str, tuple[str, Settings]]:
    """name → (mode, settings): what to score from one set of candidates."""
    weighted = settings.updated(fusion="weighted")
    configs = {
        "bm25": ("bm25", settings),
        "dense": ("dense", settings),
        "hybrid-rrf": ("hybrid", settings.updated(fusion="rrf")),
        f"hybrid-weighted (w={settings.search.dense_weight:g})": ("hybrid", weighted),
    }
    if sweep:
        for tenth in range(1, 10):
            name = f"hybrid-weighted (w={tenth / 10:g})"
            configs[name] = ("hybrid", weighted.updated(dense_weight=tenth / 10))
    return configs


def run(dataset: Dataset, qa: QA, sweep: bool) -> dict[str, dict[str, float]]:
    """Metrics of each configuration; the candidates are retrieved once and fused per config."""
    retriever = qa.retriever
    stems = {_file_stem(d): d for d in dataset.documents}
    ids = list(dataset.queries)
    depth = max(qa.settings.search.candidates, 3 * PASSAGES)
    candidates = []
    for start in tqdm(range(0, len(ids), 64), desc="Searching", unit="batch"):
        batch = [dataset.queries[q] for q in ids[start : start + 64]]
        candidates.extend(retriever.candidates(batch, depth, "hybrid"))
    results = {}
    for name, (mode, settings) in fused_configs(sweep, qa.settings).items():
        rankings = {
            query: document_ranking(
                retriever.rank(fuse(dense, lexical, mode, settings.search), PASSAGES), stems
            )
            for query, (dense, lexical) in zip(ids, candidates, strict=True)
        }
        results[name] = metrics(rankings, dataset.qrels)
    return results


def format_table(
    results: Mapping[str, Mapping[str, float]], published: Mapping[str, tuple[float, float]]
) -> str:
    """A plain-text table: our configurations, then the published numbers given."""
    lines = [f"{'configuration':36}{'nDCG@10':>10}{'Recall@100':>12}", "-" * 58]
    for name, scores in results.items():
        lines.append(f"{name:36}{scores['ndcg_10']:>10.3f}{scores['recall_100']:>12.3f}")
    for name, (ndcg, recall) in published.items():
        lines.append(f"{'published: ' + name:36}{ndcg:>10.3f}{recall:>12.3f}")
    return "\n".join(lines)


def main(
    folder: Path, split: str, sweep: bool, write: bool = True, store: str | None = None
) -> int:
    """Index the dataset's corpus (in the database ``store`` when given, results then to
    ``<name>-<split>-postgres.json``), score it, print the table and write the results."""
    dataset = load_dataset(folder, split)
    corpus = qa_home() / "beir" / dataset.name / "corpus"
    write_corpus(dataset, corpus)
    qa = QA(corpus, store=store)
    started = time.perf_counter()
    print(qa.index().summary())
    print(f"Index ready in {time.perf_counter() - started:.0f} s")
    results = run(dataset, qa, sweep)
    print(f"\n{dataset.name}, {split} split, {len(dataset.queries)} queries")
    # Published numbers are for the test split; next to train scores they would mislead.
    published = PUBLISHED.get(dataset.name, {}) if split == "test" else {}
    print(format_table(results, published))
    if write:
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"{dataset.name}-{split}{'-postgres' if store else ''}.json"
        payload = {
            "dataset": dataset.name,
            "split": split,
            "queries": len(dataset.queries),
            "passages_per_query": PASSAGES,
            "configs": results,
            "published": published,
        }
        out.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"\nWrote {out}")
        beir_chart(dataset.name, split, results, published, out.with_suffix(".png"))
    return 0
