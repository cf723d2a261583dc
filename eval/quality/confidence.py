"""Fit the answer's confidence model on the dev splits and choose ``min_confidence``.

    python -m eval.quality.confidence            # fit on dev, write qa/answering/confidence.json
    python -m eval.quality.confidence --report   # its refusal curves on dev and test

Every question of the Basra and real-documents dev splits is answered with no confidence
threshold; each answer's ``Evidence`` is a row, labelled by whether the question is answerable.
The features are chosen greedily: the one that raises the cross-validated area under the ROC
curve (answerable against unanswerable) most is added while it raises it by ``MIN_GAIN``
(with 25 unanswerable dev questions, a weak feature adds more noise than signal). A logistic
regression (features scaled, L2, the two classes weighing the same) is fitted on them with
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
from eval.quality.questions import DEV_SETS, QUESTION_SETS
from qa.answering.confidence import FEATURES, MODEL, ConfidenceModel, load_model, weighed
from qa.paths import qa_home
from qa.service import QA

L2 = 1.0
MIN_GAIN = 0.005
FOLDS = 5
REPEATS = 4
MAX_WRONG_REFUSALS = 0.10
THRESHOLDS = tuple(round(0.01 * i, 2) for i in range(101))


def answered(split: str) -> tuple[np.ndarray, np.ndarray]:
    """Evidence rows and answerable labels of every question of ``split`` in both sets. A
    question refused whatever its confidence (its evidence not ``weighed``) has a row of NaN:
    refused at every threshold, not fitted on."""
    rows, labels = [], []
    for name in DEV_SETS:
        question_set = QUESTION_SETS[name]
        questions = question_set.load(split)
        qa = QA(question_set.corpus, qa_home() / "confidence" / name, progress=False)
        qa.index()
        min_similarity = qa.settings.answer.min_answer_similarity
        for question in tqdm(questions, desc=f"{name} {split}", unit="question"):
            answer = qa.answer(question.question)
            evidence = answer.evidence
            kept = evidence is not None and weighed(evidence, min_similarity)
            rows.append(astuple(evidence) if kept else (np.nan,) * len(FEATURES))
            labels.append(question.answerable)
    return np.array(rows, dtype=float), np.array(labels, dtype=bool)


def fit(x: np.ndarray, answerable: np.ndarray, features: Sequence[str]) -> ConfidenceModel:
    """Logistic regression on the scaled columns of ``x`` (``features``), each class weighing
    half (rows of NaN left out)."""
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
        tuple(features),
        tuple(mean.round(6)),
        tuple(spread.round(6)),
        tuple(beta[1:].round(6)),
        round(beta[0], 6),
    )


def area_under_curve(confidence: np.ndarray, answerable: np.ndarray) -> float:
    """The chance an answerable question is more confident than an unanswerable one (ties
    count half)."""
    yes, no = confidence[answerable][:, None], confidence[~answerable][None, :]
    return float((yes > no).mean() + 0.5 * (yes == no).mean())


def cross_validated_area(x: np.ndarray, answerable: np.ndarray) -> float:
    """The mean ``area_under_curve`` of each held-out fold under the model fitted on the
    others (``FOLDS`` folds, each class dealt evenly, ``REPEATS`` seeded shuffles; a row of NaN
    is refused at every threshold, the lowest). Each area is taken under one model: leaving
    out one row at a time instead compares rows under models that each lack that row, which
    penalises a feature with many equal values (one that is 0 or 1)."""
    areas = []
    for seed in range(REPEATS):
        rng = np.random.default_rng(seed)
        fold = np.empty(len(x), dtype=int)
        for label in (True, False):
            rows = np.flatnonzero(answerable == label)
            rng.shuffle(rows)
            fold[rows] = np.arange(len(rows)) % FOLDS
        for held in range(FOLDS):
            out = fold == held
            model = fit(x[~out], answerable[~out], [str(j) for j in range(x.shape[1])])
            confidence = np.nan_to_num(model.confidences(x[out]), nan=-1.0)
            areas.append(area_under_curve(confidence, answerable[out]))
    return float(np.mean(areas))


def select(x: np.ndarray, answerable: np.ndarray, names: Sequence[str] = FEATURES) -> list[int]:
    """The columns of ``x`` (``names``, as printed) chosen greedily by
    ``cross_validated_area`` (see the module's doc)."""
    chosen: list[int] = []
    best = 0.5
    while len(chosen) < x.shape[1]:
        areas = {
            j: cross_validated_area(x[:, [*chosen, j]], answerable)
            for j in range(x.shape[1])
            if j not in chosen
        }
        j, area = max(areas.items(), key=lambda item: item[1])
        print("  " + ", ".join(f"{names[k]} {a:.3f}" for k, a in areas.items()))
        if area < best + MIN_GAIN:
            break
        chosen.append(j)
        best = area
        print(f"+ {names[j]}: cross-validated area under the ROC curve {area:.3f}")
    return chosen


def curve(model: ConfidenceModel, x: np.ndarray, answerable: np.ndarray) -> dict[str, dict]:
    """For each threshold, the shares of unanswerable and answerable questions refused."""
    columns = [FEATURES.index(name) for name in model.features]
    confidence = np.nan_to_num(model.confidences(x[:, columns]), nan=-1.0)
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
            for t, p in list(points.items())[::5]:
                print(f"  {t}  {p['refuses_unanswerable']:.3f} / {p['refuses_answerable']:.3f}")
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / "refusal-curve.json"
        out.write_text(json.dumps(curves, indent=2) + "\n")
        refusal_chart(curves, out.with_suffix(".png"))
        print(f"\nWrote {out} and {out.with_suffix('.png')}")
        return 0
    chosen = select(x, answerable)
    model = fit(x[:, chosen], answerable, [FEATURES[j] for j in chosen])
    MODEL.write_text(model.to_json(f"{', '.join(DEV_SETS)} dev splits, {len(x)} questions") + "\n")
    points = curve(model, x, answerable)
    print(json.dumps(dict(zip(model.features, model.weights, strict=True)), indent=2))
    print(f"Wrote {MODEL}")
    print(
        f"min_confidence for at most {MAX_WRONG_REFUSALS:.0%} answerable refused on dev: "
        f"{chosen_threshold(points):.2f} (refuses {points[f'{chosen_threshold(points):.2f}']})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
