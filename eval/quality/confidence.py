"""Fit the answer's confidence model on the dev splits and choose ``min_confidence``.

    python -m eval.quality.confidence            # fit on dev, write qa/answering/confidence.json
    python -m eval.quality.confidence --report   # its refusal curves on dev and test

Every question of the Basra and real-documents dev splits is answered with no confidence
threshold; each answer's ``Evidence`` is a row, labelled by whether the question is answerable.
A logistic regression (features scaled, L2, the two classes weighing the same) is fitted with
Newton's method and written as plain JSON. The threshold chosen is the highest at which at most
``MAX_WRONG_REFUSALS`` of the answerable dev questions are refused. ``--report`` prints, for
each threshold, the share of unanswerable and of answerable questions refused, per split, and
draws the curve (``eval/results/refusal-curve.png``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import astuple

import numpy as np
from tqdm import tqdm

from eval import RESULTS
from eval.chart import refusal_chart
from eval.quality.questions import QUESTION_SETS
from qa.answering.confidence import FEATURES, MODEL, ConfidenceModel, load_model
from qa.paths import qa_home
from qa.service import QA
from qa.types import Evidence

L2 = 1.0
MAX_WRONG_REFUSALS = 0.10
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(21))
SETS = ("basra", "realdocs")


def answered(split: str) -> tuple[np.ndarray, np.ndarray]:
    """Evidence rows and answerable labels of every question of ``split`` in both sets. A
    question refused whatever its confidence (no sentence within ``min_answer_similarity``)
    has a row of NaN: refused at every threshold, not fitted on."""
    rows, labels = [], []
    for name in SETS:
        question_set = QUESTION_SETS[name]
        questions = question_set.load(split)
        qa = QA(question_set.corpus, qa_home() / "confidence" / name, progress=False)
        qa.index()
        floor = qa.settings.answer.min_answer_similarity
        for question in tqdm(questions, desc=f"{name} {split}", unit="question"):
            answer = qa.answer(question.question)
            evidence = answer.evidence
            weighed = evidence is not None and evidence.similarity >= floor
            rows.append(astuple(evidence) if weighed else (np.nan,) * len(FEATURES))
            labels.append(question.answerable)
    return np.array(rows, dtype=float), np.array(labels, dtype=bool)


def fit(x: np.ndarray, answerable: np.ndarray) -> ConfidenceModel:
    """Logistic regression on scaled features, each class weighing half (rows of NaN left
    out)."""
    weighed = ~np.isnan(x).any(axis=1)
    x, answerable = x[weighed], answerable[weighed]
    mean, spread = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / spread])
    weight = np.where(answerable, 0.5 / answerable.sum(), 0.5 / (~answerable).sum())
    penalty = L2 * np.eye(z.shape[1]) / len(x)
    penalty[0, 0] = 0.0  # the intercept is not shrunk
    beta = np.zeros(z.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        gradient = z.T @ (weight * (p - answerable)) + penalty @ beta
        hessian = (z * (weight * p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return ConfidenceModel(
        tuple(mean.round(6)), tuple(spread.round(6)), tuple(beta[1:].round(6)), round(beta[0], 6)
    )


def curve(model: ConfidenceModel, x: np.ndarray, answerable: np.ndarray) -> dict[str, dict]:
    """For each threshold, the shares of unanswerable and answerable questions refused."""
    confidence = np.array(
        [-1.0 if np.isnan(row).any() else model.confidence(Evidence(*row)) for row in x]
    )
    return {
        f"{t:.2f}": {
            "refuses_unanswerable": round(float((confidence[~answerable] < t).mean()), 4),
            "refuses_answerable": round(float((confidence[answerable] < t).mean()), 4),
        }
        for t in THRESHOLDS
    }


def chosen_threshold(points: dict[str, dict]) -> float:
    """The highest threshold refusing at most ``MAX_WRONG_REFUSALS`` of the answerable."""
    allowed = [float(t) for t, p in points.items() if p["refuses_answerable"] <= MAX_WRONG_REFUSALS]
    return max(allowed, default=0.0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.quality.confidence", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--report", action="store_true", help="curves of the model as it is")
    args = parser.parse_args(argv)
    x, answerable = answered("dev")
    if args.report:
        model = load_model()
        curves = {"dev": curve(model, x, answerable)}
        curves["test"] = curve(model, *answered("test"))
        for split, points in curves.items():
            print(f"\n{split}: threshold  refused unanswerable / answerable")
            for t, p in points.items():
                print(f"  {t}  {p['refuses_unanswerable']:.3f} / {p['refuses_answerable']:.3f}")
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / "refusal-curve.json"
        out.write_text(json.dumps(curves, indent=2) + "\n")
        refusal_chart(curves, out.with_suffix(".png"))
        print(f"\nWrote {out} and {out.with_suffix('.png')}")
        return 0
    model = fit(x, answerable)
    MODEL.write_text(model.to_json(f"{', '.join(SETS)} dev splits, {len(x)} questions") + "\n")
    points = curve(model, x, answerable)
    print(json.dumps(dict(zip(FEATURES, model.weights, strict=True)), indent=2))
    print(f"Wrote {MODEL}")
    print(
        f"min_confidence for at most {MAX_WRONG_REFUSALS:.0%} answerable refused on dev: "
        f"{chosen_threshold(points):.2f} (refuses {points[f'{chosen_threshold(points):.2f}']})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
