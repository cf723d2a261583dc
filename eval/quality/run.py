"""Score retrieval configurations side by side on the Basra question set.

    qa eval [--split dev|test] [--config NAME ...]      (or: python -m eval ...)
    qa eval --beir FOLDER [--split test|train] [--sweep]  (a BEIR dataset: see eval/beir.py)

Each configuration indexes the corpus with its own settings (in a temporary folder), retrieves
the top 10 passages for every question of the split, and answers each question. Prints a
table, and writes ``eval/results/basra-<split>.json`` with the metrics of every configuration
and, per question, the rank of the first relevant passage. Choose settings on ``dev``; report
``test``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from tqdm import tqdm

from eval import RESULTS  # noqa: E402
from eval.chart import basra_chart
from eval.quality import beir
from eval.quality.baseline import TutorialRecipe
from eval.quality.metrics import (
    Span,
    contains_answer,
    hit_at,
    ndcg_at,
    recall_at,
    reciprocal_rank,
    relevance,
)
from eval.quality.questions import SPLITS, Question, load_questions
from qa.ingest import read_corpus
from qa.paths import DEFAULT_CORPUS
from qa.service import QA
from qa.types import Answer, Document, Passage

K = 10

# name → Settings overrides; "tutorial" is the baseline recipe, not a QA configuration.
CONFIGS: dict[str, dict[str, object] | None] = {
    "tutorial": None,
    "bm25": {"mode": "bm25"},
    "dense": {"mode": "dense"},
    "hybrid-rrf": {"fusion": "rrf"},
    "hybrid-weighted": {},
    "hybrid-weighted-0.3": {"dense_weight": 0.3},
    "hybrid-weighted-0.7": {"dense_weight": 0.7},
    "hybrid-no-collapse": {"collapse_duplicates": False},
    "hybrid-128-tokens": {"chunk_tokens": 128},
    "hybrid-256-tokens": {"chunk_tokens": 256},
}
DEFAULT_CONFIG = "hybrid-weighted"


@dataclass(frozen=True)
class Scores:
    """Metrics of one configuration over one split (retrieval over answerable questions)."""

    hit_1: float
    hit_3: float
    hit_5: float
    hit_10: float
    mrr_10: float
    ndcg_10: float
    recall_10: float
    answer_accuracy: float | None  # answer contains an expected string (answerable questions)
    refuses_unanswerable: float | None  # confident=False on unanswerable questions
    refuses_answerable: float | None  # confident=False on answerable ones (lower is better)


def places(passage: Passage) -> list[Span]:
    """Where a passage is: itself, then each copy in ``also_in``."""
    return [Span(passage.doc_id, passage.start, passage.end)] + [
        Span(p.doc_id, p.start, p.end) for p in passage.also_in
    ]


def score(
    questions: Sequence[Question],
    ranked: Sequence[Sequence[Sequence[Span]]],
    answers: Sequence[Answer] | None,
) -> tuple[Scores, dict[str, int | None]]:
    """Scores of one configuration, and per question the rank of the first relevant passage."""
    answerable = [i for i, q in enumerate(questions) if q.answerable]
    hits = {i: relevance(ranked[i], questions[i].gold) for i in answerable}

    def mean(metric: Callable[[int], float]) -> float:
        return round(statistics.fmean(metric(i) for i in answerable), 4)

    unanswerable = [i for i, q in enumerate(questions) if not q.answerable]
    scores = Scores(
        hit_1=mean(lambda i: hit_at(hits[i], 1)),
        hit_3=mean(lambda i: hit_at(hits[i], 3)),
        hit_5=mean(lambda i: hit_at(hits[i], 5)),
        hit_10=mean(lambda i: hit_at(hits[i], 10)),
        mrr_10=mean(lambda i: reciprocal_rank(hits[i], 10)),
        ndcg_10=mean(lambda i: ndcg_at(hits[i], len(questions[i].gold), 10)),
        recall_10=mean(lambda i: recall_at(hits[i], len(questions[i].gold), 10)),
        answer_accuracy=None,
        refuses_unanswerable=None,
        refuses_answerable=None,
    )
    if answers is not None:
        scores = replace(
            scores,
            answer_accuracy=mean(
                lambda i: float(contains_answer(answers[i].text, questions[i].answers))
            ),
            refuses_unanswerable=_share(unanswerable, lambda i: not answers[i].confident),
            refuses_answerable=_share(answerable, lambda i: not answers[i].confident),
        )
    first = {
        q.id: next((r for r, h in enumerate(hits[i], start=1) if h), None)
        for i, q in enumerate(questions)
        if q.answerable
    }
    return scores, first


def _share(indexes: Sequence[int], test: Callable[[int], bool]) -> float | None:
    return round(sum(test(i) for i in indexes) / len(indexes), 4) if indexes else None


def run_config(
    name: str,
    questions: Sequence[Question],
    corpus: Path,
    documents: Sequence[Document],
    work: Path,
) -> tuple[Scores, dict[str, int | None], list[Answer] | None]:
    """Scores, first relevant ranks, and the answers (None for the tutorial baseline)."""
    overrides = CONFIGS[name]
    texts = [q.question for q in questions]
    if overrides is None:
        recipe = TutorialRecipe(documents)
        return *score(questions, recipe.search_batch(texts, K), None), None
    qa = QA(corpus, work / name, progress=False, **overrides)
    qa.index()
    ranked = [[places(p) for p in found] for found in qa.retrieve_batch(texts, k=K)]
    answers = [qa.answer(text) for text in texts]
    return *score(questions, ranked, answers), answers


REFUSAL_THRESHOLDS = tuple(round(0.30 + 0.05 * i, 2) for i in range(9))  # 0.30 … 0.70


def refusal_sweep(
    questions: Sequence[Question], answers: Sequence[Answer]
) -> dict[str, dict[str, float | None]]:
    """For each ``min_answer_similarity`` threshold, the share of unanswerable questions that
    would be refused, and of answerable ones (lower is better), from the recorded similarities.
    """
    sims = [a.similarity if a.similarity is not None else -1.0 for a in answers]
    unanswerable = [i for i, q in enumerate(questions) if not q.answerable]
    answerable = [i for i, q in enumerate(questions) if q.answerable]
    return {
        f"{t:.2f}": {
            "refuses_unanswerable": _share(unanswerable, lambda i, t=t: sims[i] < t),
            "refuses_answerable": _share(answerable, lambda i, t=t: sims[i] < t),
        }
        for t in REFUSAL_THRESHOLDS
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qa eval", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--split", choices=SPLITS + beir.SPLITS, help="dev or test (a BEIR set: test or train)"
    )
    parser.add_argument(
        "--config", action="append", choices=list(CONFIGS), help="repeatable; default: all"
    )
    parser.add_argument("--beir", type=Path, metavar="FOLDER", help="run a BEIR-format dataset")
    parser.add_argument("--sweep", action="store_true", help="BEIR: also score dense weights")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.beir is not None:
        if args.split not in (None, *beir.SPLITS):
            parser.error(f"a BEIR dataset has the splits {', '.join(beir.SPLITS)}")
        return beir.main(args.beir, args.split or "test", args.sweep)
    if args.split not in (None, *SPLITS):
        parser.error(f"the Basra questions have the splits {', '.join(SPLITS)}")
    args.split = args.split or "dev"

    documents, _ = read_corpus(args.corpus)
    questions = load_questions({d.doc_id: d for d in documents}, args.split)
    names = args.config or list(CONFIGS)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="qa-eval-") as work:
        for name in tqdm(names, desc=f"eval ({args.split}, {len(questions)} questions)"):
            scores, first, answers = run_config(name, questions, args.corpus, documents, Path(work))
            results[name] = {"scores": asdict(scores), "first_relevant_rank": first}
            if answers is not None:
                results[name]["refusal_sweep"] = refusal_sweep(questions, answers)
    print(format_table(results))
    if DEFAULT_CONFIG in results:
        print(
            f"\nRefusals of {DEFAULT_CONFIG} by min_answer_similarity (unanswerable / answerable):"
        )
        sweep = results[DEFAULT_CONFIG]["refusal_sweep"].items()
        print(
            "  ".join(
                f"{t}: {r['refuses_unanswerable']} / {r['refuses_answerable']}" for t, r in sweep
            )
        )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"basra-{args.split}.json"
    payload = {
        "split": args.split,
        "questions": len(questions),
        "k": K,
        "configs": merged(out, results),
    }
    out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nWrote {out}")
    basra_chart(payload["configs"], args.split, len(questions), out.with_suffix(".png"))
    return 0


def merged(path: Path, results: dict[str, dict]) -> dict[str, dict]:
    """``results`` over the configurations already in ``path``, in ``CONFIGS`` order, so that
    ``--config X`` updates one row instead of dropping the others."""
    try:
        earlier = json.loads(path.read_text())["configs"]
    except (OSError, ValueError, KeyError):
        earlier = {}
    both = {**earlier, **results}
    return {name: both[name] for name in CONFIGS if name in both}


COLUMNS = [
    ("hit_1", "Hit@1"),
    ("hit_3", "Hit@3"),
    ("hit_5", "Hit@5"),
    ("hit_10", "Hit@10"),
    ("mrr_10", "MRR@10"),
    ("ndcg_10", "nDCG@10"),
    ("answer_accuracy", "answer"),
    ("refuses_unanswerable", "refuse(no)"),
    ("refuses_answerable", "refuse(yes)"),
]


def format_table(results: dict[str, dict]) -> str:
    """A plain-text table, one row per configuration."""
    header = f"{'configuration':22}" + "".join(f"{title:>12}" for _, title in COLUMNS)
    lines = [header, "-" * len(header)]
    for name, result in results.items():
        cells = []
        for key, _ in COLUMNS:
            value = result["scores"][key]
            cells.append(f"{'—' if value is None else f'{value:.3f}':>12}")
        lines.append(f"{name:22}" + "".join(cells))
    return "\n".join(lines)
