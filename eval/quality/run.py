"""Score retrieval configurations side by side on a question set.

    qa eval [--set basra|realdocs] [--split dev|test] [--config NAME ...]  (or: python -m eval)
    qa eval --beir FOLDER [--split test|train] [--sweep]  (a BEIR dataset: see eval/beir.py)
    qa eval ... --store postgresql://...  (the same, the indexes kept in that database)
    qa eval --llm URL [--llm-model NAME] [--limit N]  (a language model's checked answers beside
        the extractive ones: ``eval.quality.generated``)

Each configuration indexes the set's corpus with its own settings (in a temporary folder),
retrieves the top 10 passages for every question of the split, and answers each question.
Prints a table, then the default configuration's scores by kind of file (pdf, docx, html, md,
txt), by tag and by question type (who, when, where, how-many, how-to, what, other: from the
question's wording, by the answerer's own rules in ``qa.answering.answer_types``), and writes
``eval/results/<set>-<split>.json`` with the metrics of every configuration, its breakdown and,
per question, the rank of the first relevant passage. ``answer`` is the share of answerable
questions whose answer contains an expected string; ``ans+cited`` also needs one of its quoted
sentences to come from a document of a gold quote (or a copy of it).
Choose settings on ``dev``; report ``test``. With ``--store URL`` each configuration's index is
kept in that PostgreSQL database (corpus id ``eval-<corpus key>-<config>``, beside any other
corpus in it) and the results go to ``<set>-<split>-postgres.json``, so that the two backends'
numbers can be compared side by side.
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
from eval.chart import questions_chart
from eval.quality import beir, generated
from eval.quality.baseline import TutorialRecipe
from eval.quality.metrics import (
    Span,
    cites_gold,
    contains_answer,
    hit_at,
    ndcg_at,
    recall_at,
    reciprocal_rank,
    relevance,
)
from eval.quality.questions import DEV_SETS, QUESTION_SETS, SPLITS, Question
from qa.answering.answer_types import question_type
from qa.ingest import read_corpus
from qa.paths import corpus_key
from qa.service import QA
from qa.store.base import Store
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

    hit_1: float | None  # None: the group has no answerable question
    hit_3: float | None
    hit_5: float | None
    hit_10: float | None
    mrr_10: float | None
    ndcg_10: float | None
    recall_10: float | None
    answer_accuracy: float | None  # answer contains an expected string (answerable questions)
    answer_cited: float | None  # ... and quotes a sentence of a gold quote's document
    refuses_unanswerable: float | None  # confident=False on unanswerable questions
    refuses_answerable: float | None  # confident=False on answerable ones (lower is better)


def quoted_documents(answer: Answer) -> list[str]:
    """The documents an answer's sentences are quoted from, with the copies of their passages
    (a copy in ``also_in`` holds the same sentence)."""
    documents = []
    for quote in answer.quotes:
        documents.append(quote.doc_id)
        passage = answer.citations[quote.citation - 1]
        documents.extend(p.doc_id for p in passage.also_in)
    return documents


def gold_documents(question: Question) -> list[str]:
    """The documents holding a gold quote of ``question`` (its copies included)."""
    return sorted({span.doc_id for quote in question.gold for span in quote})


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

    def mean(metric: Callable[[int], float]) -> float | None:
        values = [metric(i) for i in answerable]
        return round(statistics.fmean(values), 4) if values else None

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
        answer_cited=None,
        refuses_unanswerable=None,
        refuses_answerable=None,
    )
    if answers is not None:
        scores = replace(
            scores,
            answer_accuracy=mean(
                lambda i: float(contains_answer(answers[i].text, questions[i].answers))
            ),
            answer_cited=mean(
                lambda i: float(
                    contains_answer(answers[i].text, questions[i].answers)
                    and cites_gold(quoted_documents(answers[i]), gold_documents(questions[i]))
                )
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


def breakdown(
    questions: Sequence[Question],
    ranked: Sequence[Sequence[Sequence[Span]]],
    answers: Sequence[Answer] | None,
) -> dict[str, dict[str, object]]:
    """The scores of each group of questions: "kind:pdf", "kind:docx" … (the format of the
    gold quote's file), "tag:paraphrase", "tag:code" … and "type:who", "type:how-to" … (from
    the question's wording), each with its question count."""
    groups: dict[str, list[int]] = {}
    for i, question in enumerate(questions):
        names = [f"tag:{tag}" for tag in question.tags]
        names.append(f"type:{question_type(question.question)}")
        if question.kind is not None:
            names.insert(0, f"kind:{question.kind}")
        for name in names:
            groups.setdefault(name, []).append(i)
    result = {}
    order = ("kind:", "tag:", "type:")
    for name in sorted(groups, key=lambda n: (order.index(n[: n.index(":") + 1]), n)):
        chosen = groups[name]
        subset = [questions[i] for i in chosen]
        scores, _ = score(
            subset,
            [ranked[i] for i in chosen],
            None if answers is None else [answers[i] for i in chosen],
        )
        result[name] = {"questions": len(chosen), "scores": asdict(scores)}
    return result


def _share(indexes: Sequence[int], test: Callable[[int], bool]) -> float | None:
    return round(sum(test(i) for i in indexes) / len(indexes), 4) if indexes else None


Ranked = list[list[list[Span]]]  # per question, the places of each passage found


def run_config(
    name: str,
    questions: Sequence[Question],
    corpus: Path,
    documents: Sequence[Document],
    work: Path,
    store: str | None = None,
) -> tuple[Scores, dict[str, int | None], list[Answer] | None, Ranked]:
    """Scores, first relevant ranks, the answers (None for the tutorial baseline) and what
    was retrieved; each index kept in the database ``store`` when given."""
    overrides = CONFIGS[name]
    texts = [q.question for q in questions]
    if overrides is None:
        ranked = TutorialRecipe(documents).search_batch(texts, K)
        return *score(questions, ranked, None), None, ranked
    qa = QA(corpus, work / name, progress=False, store=eval_store(store, corpus, name), **overrides)
    qa.index()
    ranked = [[places(p) for p in found] for found in qa.retrieve_batch(texts, k=K)]
    answers = [qa.answer(text) for text in texts]
    return *score(questions, ranked, answers), answers, ranked


def eval_store(url: str | None, corpus: Path, name: str) -> Store | None:
    """The database store of configuration ``name``'s index (None: a folder), under a corpus
    id of its own, so that the eval never replaces a served corpus's index."""
    if url is None:
        return None
    from qa.store.postgres import PostgresStore

    return PostgresStore(url, f"eval-{corpus_key(corpus)}-{name}")


REFUSAL_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 13))  # 0.05 … 0.60


def refusal_sweep(
    questions: Sequence[Question], answers: Sequence[Answer]
) -> dict[str, dict[str, float | None]]:
    """For each ``min_confidence`` threshold, the share of unanswerable questions that would
    be refused, and of answerable ones (lower is better), from the answers' confidence (an
    answer with none, refused before any was computed, is refused at every threshold)."""
    sims = [a.confidence if a.confidence is not None else -1.0 for a in answers]
    unanswerable = [i for i, q in enumerate(questions) if not q.answerable]
    answerable = [i for i, q in enumerate(questions) if q.answerable]
    return {
        f"{t:.2f}": {
            "refuses_unanswerable": _share(unanswerable, lambda i, t=t: sims[i] < t),
            "refuses_answerable": _share(answerable, lambda i, t=t: sims[i] < t),
        }
        for t in REFUSAL_THRESHOLDS
    }


def default_split(name: str) -> str:
    """The split ``qa eval --set name`` scores by default: dev, or test for a held-out set."""
    return "dev" if name in DEV_SETS else "test"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qa eval", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--split",
        choices=tuple(dict.fromkeys(SPLITS + beir.SPLITS)),
        help="dev or test (default: dev; test for the held-out newuser set; BEIR: test or train)",
    )
    parser.add_argument(
        "--config", action="append", choices=list(CONFIGS), help="repeatable; default: all"
    )
    parser.add_argument(
        "--set", default="basra", choices=list(QUESTION_SETS), help="question set (basra)"
    )
    parser.add_argument("--beir", type=Path, metavar="FOLDER", help="run a BEIR-format dataset")
    parser.add_argument("--sweep", action="store_true", help="BEIR: also score dense weights")
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--store",
        metavar="URL",
        help="keep the indexes in this PostgreSQL database (postgresql://...); results go to "
        "<set>-<split>-postgres.json",
    )
    generated.add_arguments(parser, required=False)
    args = parser.parse_args(argv)
    if args.llm is not None:
        other = {"--beir": args.beir, "--store": args.store, "--config": args.config}
        other |= {"--sweep": args.sweep, "--corpus": args.corpus}
        given = [flag for flag, value in other.items() if value]
        if given:
            parser.error(
                "--llm compares the default configuration's extractive answers with the "
                f"model's on a question set (--set, --split): {' '.join(given)} does not apply"
            )
        if args.split not in (None, *SPLITS):
            parser.error(f"a question set has the splits {', '.join(SPLITS)}")
        args.split = args.split or default_split(args.set)
        return generated.run(args)
    if args.limit is not None:
        parser.error("--limit goes with --llm")
    if args.beir is not None:
        if args.split not in (None, *beir.SPLITS):
            parser.error(f"a BEIR dataset has the splits {', '.join(beir.SPLITS)}")
        return beir.main(args.beir, args.split or "test", args.sweep, store=args.store)
    if args.split not in (None, *SPLITS):
        parser.error(f"a question set has the splits {', '.join(SPLITS)}")
    args.split = args.split or default_split(args.set)
    question_set = QUESTION_SETS[args.set]
    corpus = args.corpus or question_set.corpus

    documents, _ = read_corpus(corpus)  # read here: --corpus may differ, the baseline searches them
    questions = question_set.load(args.split, documents)
    if not questions:
        parser.error(f"the {args.set} set has no {args.split} questions (held out: --split test)")
    names = args.config or list(CONFIGS)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="qa-eval-") as work:
        for name in tqdm(names, desc=f"eval ({args.split}, {len(questions)} questions)"):
            scores, first, answers, ranked = run_config(
                name, questions, corpus, documents, Path(work), args.store
            )
            results[name] = {"scores": asdict(scores), "first_relevant_rank": first}
            results[name]["breakdown"] = breakdown(questions, ranked, answers)
            if answers is not None:
                results[name]["refusal_sweep"] = refusal_sweep(questions, answers)
    print(format_table(results))
    if DEFAULT_CONFIG in results:
        print(f"\n{DEFAULT_CONFIG} by kind of file, by tag and by question type:")
        print(format_table(results[DEFAULT_CONFIG]["breakdown"], counted=True))
    if DEFAULT_CONFIG in results:
        print(f"\nRefusals of {DEFAULT_CONFIG} by min_confidence (unanswerable / answerable):")
        sweep = results[DEFAULT_CONFIG]["refusal_sweep"].items()
        print(
            "  ".join(
                f"{t}: {r['refuses_unanswerable']} / {r['refuses_answerable']}" for t, r in sweep
            )
        )
    RESULTS.mkdir(exist_ok=True)
    backend = "-postgres" if args.store else ""
    out = RESULTS / f"{args.set}-{args.split}{backend}.json"
    payload = {
        "set": args.set,
        "split": args.split,
        "store": "postgresql" if args.store else "folder",
        "questions": len(questions),
        "k": K,
        "configs": merged(out, results),
    }
    out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nWrote {out}")
    questions_chart(
        payload["configs"], args.set, args.split, len(questions), out.with_suffix(".png")
    )
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
    ("answer_cited", "ans+cited"),
    ("refuses_unanswerable", "refuse(no)"),
    ("refuses_answerable", "refuse(yes)"),
]


def format_table(results: dict[str, dict], counted: bool = False) -> str:
    """A plain-text table, one row per configuration (or group, with its question count)."""
    first = "group (questions)" if counted else "configuration"
    header = f"{first:22}" + "".join(f"{title:>12}" for _, title in COLUMNS)
    lines = [header, "-" * len(header)]
    for name, result in results.items():
        if counted:
            name = f"{name} ({result['questions']})"
        cells = []
        for key, _ in COLUMNS:
            value = result["scores"][key]
            cells.append(f"{'—' if value is None else f'{value:.3f}':>12}")
        lines.append(f"{name:22}" + "".join(cells))
    return "\n".join(lines)
