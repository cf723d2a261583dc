"""Measure the citation checker on labelled pairs, and choose its weight and threshold on dev.

    python -m eval.quality.citation_pairs            # choose on dev, report dev and test

For every answerable question of the Basra and real-documents sets, two sentences stand for
what a language model would write: the gold quote itself ("quote"), and the question turned
into a claim with its gold answer ("claim": "Which ... statement: Erica Goode."). Each is paired
with its *gold passage* (the indexed chunk holding the most of the gold quote): labelled
supported; and with a *swapped passage* (the best-retrieved passage of another document, the
citation a model most plausibly gets wrong): labelled unsupported. A harder negative is
reported too but never tuned on: a passage of the same document that holds none of the quote
("same-doc").

The encoder's similarity and the coverage of each pair are computed once; the similarity weight
``w`` and ``min_support`` are the pair (on a grid of 0.05) with the best F1 of "supported" on
the dev pairs (cross-document negatives), ties to the higher precision. Precision and recall
are then reported per split, sentence kind and negative kind. The result goes to
``eval/results/citation-check.json``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from eval import RESULTS
from eval.quality.questions import DEV_SETS, QUESTION_SETS
from qa.answering.citation_check import CitationChecker
from qa.paths import qa_home
from qa.service import QA
from qa.types import Chunk, Passage

GRID = tuple(round(0.05 * i, 2) for i in range(21))
THRESHOLDS = tuple(round(0.01 * i, 2) for i in range(101))


@dataclass(frozen=True)
class Pair:
    """A sentence and a passage, whether the passage supports it, and what was measured."""

    split: str
    question: str
    kind: str  # "quote" or "claim"
    negative: str | None  # None (a supported pair), "other-doc" or "same-doc"
    similarity: float
    coverage: float

    @property
    def supported(self) -> bool:
        return self.negative is None


def claim(question: str, answer: str) -> str:
    """The question made a statement of its answer, as a model might write it."""
    return f"{question.strip().rstrip('?').strip()}: {answer}."


def passage_of(
    qa: QA, chunks: Sequence[Chunk], start: int, end: int, exclude: bool = False
) -> Passage | None:
    """The chunk of ``chunks`` (one document's) overlapping ``start:end`` the most, as a
    passage; with ``exclude``, the one nearest to it that does not overlap it at all."""
    best, best_key = None, None
    for chunk in chunks:
        overlap = min(chunk.end, end) - max(chunk.start, start)
        if exclude:
            key = None if overlap > 0 else -min(abs(chunk.start - end), abs(start - chunk.end))
        else:
            key = overlap if overlap > 0 else None
        if key is not None and (best_key is None or key > best_key):
            best, best_key = chunk, key
    if best is None:
        return None
    return Passage.of(best, qa.document(best.doc_id), 0.0)


def measured_pairs() -> list[Pair]:
    """Every labelled pair of both sets and both splits, measured."""
    pairs: list[Pair] = []
    for name in DEV_SETS:
        question_set = QUESTION_SETS[name]
        questions = question_set.load()
        qa = QA(question_set.corpus, qa_home() / "citation-check" / name, progress=False)
        qa.index()
        index = qa.retriever.index
        checker = CitationChecker(qa.encoder, index.word_weights, 0.5, 0.5)
        chunks: dict[str, list[Chunk]] = {}
        for row in range(len(index)):
            chunk = index.chunk(row).chunk
            chunks.setdefault(chunk.doc_id, []).append(chunk)
        for q in tqdm(questions, desc=name, unit="question"):
            if not q.answerable:
                continue
            gold = q.gold[0][0]
            gold_docs = {place.doc_id for places in q.gold for place in places}
            own = chunks.get(gold.doc_id, [])
            supported = passage_of(qa, own, gold.start, gold.end)
            if supported is None:
                continue
            swapped = next(
                (p for p in qa.retrieve(q.question, k=10) if p.doc_id not in gold_docs), None
            )
            same_doc = passage_of(qa, own, gold.start, gold.end, exclude=True)
            quote = qa.document(gold.doc_id).text[gold.start : gold.end]
            sentences = {"quote": quote, "claim": claim(q.question, q.answers[0])}
            labelled = [(None, supported), ("other-doc", swapped), ("same-doc", same_doc)]
            jobs = [
                (kind, negative, sentence, passage)
                for kind, sentence in sentences.items()
                for negative, passage in labelled
                if passage is not None
            ]
            results = checker.measure([(s, p) for _, _, s, p in jobs])
            for (kind, negative, _, _), support in zip(jobs, results, strict=True):
                pairs.append(
                    Pair(q.split, q.id, kind, negative, support.similarity, support.coverage)
                )
    return pairs


def scores(pairs: Sequence[Pair], weight: float) -> np.ndarray:
    similarity = np.array([max(p.similarity, 0.0) for p in pairs])
    coverage = np.array([p.coverage for p in pairs])
    return weight * similarity + (1 - weight) * coverage


def precision_recall(pairs: Sequence[Pair], weight: float, threshold: float) -> dict:
    """Precision and recall of "supported", with the counts they come from."""
    accepted = scores(pairs, weight) >= threshold
    truth = np.array([p.supported for p in pairs])
    tp = int((accepted & truth).sum())
    fp = int((accepted & ~truth).sum())
    fn = int((~accepted & truth).sum())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "supported_pairs": int(truth.sum()),
        "unsupported_pairs": int((~truth).sum()),
        "false_accepts": fp,
        "false_rejects": fn,
    }


def choose(pairs: Sequence[Pair]) -> tuple[float, float]:
    """The (weight, threshold) with the best F1 on ``pairs``, ties to the higher precision,
    then the lower weight and threshold."""
    best, best_key = (0.5, 0.5), None
    for weight in GRID:
        for threshold in THRESHOLDS:
            result = precision_recall(pairs, weight, threshold)
            key = (result["f1"], result["precision"])
            if best_key is None or key > best_key:
                best, best_key = (weight, threshold), key
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.quality.citation_pairs", description=__doc__.split("\n")[0]
    )
    parser.parse_args(argv)
    pairs = measured_pairs()
    tuning = [p for p in pairs if p.split == "dev" and p.negative != "same-doc"]
    weight, threshold = choose(tuning)
    report: dict = {"support_similarity_weight": weight, "min_support": threshold}
    print(f"chosen on dev (cross-document negatives): w={weight}, min_support={threshold}")
    print(f"{'split':6} {'sentences':9} {'negatives':10} {'P':>6} {'R':>6} {'F1':>6}  pairs +/-")
    for split in ("dev", "test"):
        for kind in ("quote", "claim", "both"):
            for negative in ("other-doc", "same-doc"):
                chosen = [
                    p
                    for p in pairs
                    if p.split == split
                    and (kind == "both" or p.kind == kind)
                    and p.negative in (None, negative)
                ]
                result = precision_recall(chosen, weight, threshold)
                report[f"{split}/{kind}/{negative}"] = result
                print(
                    f"{split:6} {kind:9} {negative:10} {result['precision']:6.3f} "
                    f"{result['recall']:6.3f} {result['f1']:6.3f}  "
                    f"{result['supported_pairs']}/{result['unsupported_pairs']}"
                )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "citation-check.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
