"""Does a learned second-stage ranker beat fusion? The study behind ``reranker="none"``.

    python -m eval.quality.rerank_study [--test]

For every question of the training data (the Basra and real-documents dev splits, SciFact's
train queries) the first stage's top ``CANDIDATES`` are described by ``rerank_features``
and labelled relevant or not (a gold quote covered; on SciFact, a judged document). A linear
model is fitted on pairs (a relevant candidate against an irrelevant one of the same question,
each question weighing the same, logistic loss, L2), and scored by five-fold cross-validation
over each set's questions, the other sets always in the training data. The table gives
Hit@1, Hit@5 and MRR@10 of fusion alone and after reranking, then the same without each
feature (the ablation). ``--test`` also fits on all the training data and scores the test
splits once. Passages are compared as the first stage returned them (no duplicate collapse),
so the numbers are for this comparison, not for the eval's tables.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from eval import RESULTS
from eval.quality import beir
from eval.quality.metrics import Span, covers
from eval.quality.questions import QUESTION_SETS
from eval.quality.rerank_features import FEATURES, Question, features
from qa.paths import qa_home
from qa.search import fusion
from qa.search.retriever import fuse
from qa.service import QA

CANDIDATES = 50
FOLDS = 5
L2 = 0.01
SCIFACT = Path(__file__).resolve().parents[3] / "shared" / "bench" / "scifact"


@dataclass(frozen=True)
class Table:
    """Features of each question's candidates, in fusion's order, and their labels."""

    name: str
    x: np.ndarray  # (candidates, features)
    relevant: np.ndarray  # (candidates,) bool
    question: np.ndarray  # (candidates,) question number


def question_set_table(name: str, split: str) -> Table:
    """The candidates of the answerable questions of a question set's split."""
    question_set = QUESTION_SETS[name]
    questions = question_set.load(split)
    asked = [q for q in questions if q.answerable]
    qa = QA(question_set.corpus, qa_home() / "rerank-study" / name, progress=False)

    def relevant(number: int, row: int) -> bool:
        stored = qa.retriever.index.chunk(row)
        chunk = stored.chunk
        spans = [Span(chunk.doc_id, chunk.start, chunk.end)]
        spans += [Span(p.doc_id, p.start, p.end) for p in stored.also_in]
        return any(covers(spans, gold) for gold in asked[number].gold)

    return _table(f"{name}-{split}", qa, [q.question for q in asked], relevant)


def scifact_table(split: str) -> Table:
    """The candidates of SciFact's judged queries (the corpus as ``qa eval --beir`` writes it)."""
    dataset = beir.load_dataset(SCIFACT, split)
    corpus = qa_home() / "beir" / dataset.name / "corpus"
    beir.write_corpus(dataset, corpus)
    qa = QA(corpus, progress=False)
    stems = {beir._file_stem(d): d for d in dataset.documents}
    ids = list(dataset.queries)

    def relevant(number: int, row: int) -> bool:
        doc_id = qa.retriever.index.chunk(row).chunk.doc_id
        return stems[doc_id.removesuffix(".md")] in dataset.qrels[ids[number]]

    return _table(f"scifact-{split}", qa, [dataset.queries[q] for q in ids], relevant)


def _table(
    name: str, qa: QA, questions: Sequence[str], relevant: Callable[[int, int], bool]
) -> Table:
    qa.index()
    retriever = qa.retriever
    xs, labels, numbers = [], [], []
    depth = max(retriever.settings.candidates, CANDIDATES)
    for number, text in enumerate(tqdm(questions, desc=name, unit="question")):
        ((dense, lexical),) = retriever.candidates([text], depth, "hybrid")
        fused = fuse(dense, lexical, "hybrid", retriever.settings)
        rows = [row for row, _ in fusion.ranked(fused)][:CANDIDATES]
        xs.append(
            features(
                Question.of(text, retriever.index), rows, dense, lexical, fused, retriever.index
            )
        )
        labels += [relevant(number, row) for row in rows]
        numbers += [number] * len(rows)
    return Table(name, np.vstack(xs), np.array(labels, bool), np.array(numbers))


def fit(
    tables: Sequence[Table], columns: Sequence[int], scale: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """Weights of a linear score, from pairs of one question's relevant and irrelevant
    candidates (logistic loss on their difference, each question weighing the same)."""
    differences, weights = [], []
    for table in tables:
        x = _scaled(table.x, scale)[:, columns]
        for number in np.unique(table.question):
            mine = table.question == number
            good, bad = x[mine & table.relevant], x[mine & ~table.relevant]
            if len(good) and len(bad):
                pairs = (good[:, None, :] - bad[None, :, :]).reshape(-1, len(columns))
                differences.append(pairs)
                weights.append(np.full(len(pairs), 1.0 / len(pairs)))
    d, w = np.vstack(differences), np.concatenate(weights)
    beta = np.zeros(len(columns))
    for _ in range(100):  # Newton's method on the convex loss
        p = 1.0 / (1.0 + np.exp(-(d @ beta)))
        gradient = d.T @ (w * (p - 1.0)) + L2 * beta
        hessian = (d * (w * p * (1.0 - p))[:, None]).T @ d + L2 * np.eye(len(columns))
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    return beta


def _scaled(x: np.ndarray, scale: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    mean, spread = scale
    return (x - mean) / spread


def scores(table: Table, order: np.ndarray) -> dict[str, float]:
    """Hit@1, Hit@5 and MRR@10 when each question's candidates are ranked by ``order``
    (higher first)."""
    hit1, hit5, mrr = [], [], []
    for number in np.unique(table.question):
        mine = np.flatnonzero(table.question == number)
        ranked = table.relevant[mine[np.argsort(-order[mine], kind="stable")]]
        first = int(np.argmax(ranked)) + 1 if ranked.any() else CANDIDATES + 1
        hit1.append(first == 1)
        hit5.append(first <= 5)
        mrr.append(1.0 / first if first <= 10 else 0.0)
    return {
        "hit_1": float(np.mean(hit1)),
        "hit_5": float(np.mean(hit5)),
        "mrr_10": float(np.mean(mrr)),
    }


def fusion_order(table: Table) -> np.ndarray:
    """The first stage's order: candidates were stored best first."""
    return -np.concatenate(
        [np.arange((table.question == n).sum()) for n in np.unique(table.question)]
    ).astype(float)


def cross_validated(tables: Sequence[Table], columns: Sequence[int]) -> dict[str, dict[str, float]]:
    """Each set's reranked scores, its questions held out ``FOLDS`` at a time."""
    scale = _scale(tables)
    result = {}
    for held in tables:
        order = np.zeros(len(held.relevant))
        folds = np.random.default_rng(0).permutation(np.unique(held.question))
        for fold in range(FOLDS):
            out = np.isin(held.question, folds[fold::FOLDS])
            kept = Table(held.name, held.x[~out], held.relevant[~out], held.question[~out])
            beta = fit([kept, *(t for t in tables if t is not held)], columns, scale)
            order[out] = _scaled(held.x[out], scale)[:, columns] @ beta
        result[held.name] = scores(held, order)
    return result


def _scale(tables: Sequence[Table]) -> tuple[np.ndarray, np.ndarray]:
    x = np.vstack([t.x for t in tables])
    return x.mean(axis=0), x.std(axis=0) + 1e-9


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.quality.rerank_study", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--test", action="store_true", help="also score the test splits once")
    args = parser.parse_args(argv)
    train = [
        question_set_table("basra", "dev"),
        question_set_table("realdocs", "dev"),
        scifact_table("train"),
    ]
    everything = list(range(len(FEATURES)))
    report: dict[str, dict] = {"fusion": {t.name: scores(t, fusion_order(t)) for t in train}}
    report["reranked"] = cross_validated(train, everything)
    for i, name in enumerate(tqdm(FEATURES, desc="ablation")):
        report[f"without {name}"] = cross_validated(train, [c for c in everything if c != i])
    lines = [_row("", [t.name for t in train], header=True)]
    for config, by_set in report.items():
        lines.append(_row(config, [_cell(by_set[t.name]) for t in train]))
    if args.test:
        test = [
            question_set_table("basra", "test"),
            question_set_table("realdocs", "test"),
            scifact_table("test"),
        ]
        scale = _scale(train)
        beta = fit(train, everything, scale)
        report["test: fusion"] = {t.name: scores(t, fusion_order(t)) for t in test}
        report["test: reranked"] = {t.name: scores(t, _scaled(t.x, scale) @ beta) for t in test}
        lines.append(_row("", [t.name for t in test], header=True))
        for config in ("test: fusion", "test: reranked"):
            lines.append(_row(config, [_cell(report[config][t.name]) for t in test]))
        report["weights"] = dict(zip(FEATURES, beta.round(4).tolist(), strict=True))
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "rerank-study.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {out}")
    return 0


def _cell(values: dict[str, float]) -> str:
    return f"{values['hit_1']:.3f} {values['hit_5']:.3f} {values['mrr_10']:.3f}"


def _row(name: str, cells: Sequence[str], header: bool = False) -> str:
    if header:
        cells = [f"{c} (H@1 H@5 MRR)" for c in cells]
    return f"{name:26}" + "".join(f"{c:>32}" for c in cells)


if __name__ == "__main__":
    raise SystemExit(main())
