"""Fitting the confidence model: the signals chosen, the areas that choose them, the threshold."""

from __future__ import annotations

import numpy as np

from eval.quality.confidence import (
    area_under_curve,
    chosen_threshold,
    cross_validated_area,
    select,
)


def _rows(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """400 answers, 100 unanswerable; column 1 tells them apart, columns 0 and 2 are noise."""
    rng = np.random.default_rng(seed)
    answerable = np.arange(400) >= 100
    x = rng.normal(size=(400, 3))
    x[:, 1] += 1.5 * answerable
    return x, answerable


def test_area_under_curve_counts_ties_half():
    answerable = np.array([True, True, False, False])
    assert area_under_curve(np.array([0.9, 0.8, 0.1, 0.2]), answerable) == 1.0
    assert area_under_curve(np.array([0.1, 0.2, 0.9, 0.8]), answerable) == 0.0
    assert area_under_curve(np.array([0.5, 0.5, 0.5, 0.5]), answerable) == 0.5


def test_held_out_folds_score_a_signal_above_noise():
    x, answerable = _rows()
    assert cross_validated_area(x[:, [1]], answerable) > 0.8
    assert abs(cross_validated_area(x[:, [0]], answerable) - 0.5) < 0.1
    # A row of NaN (refused whatever its confidence) counts as the least confident.
    x[0] = np.nan
    assert cross_validated_area(x[:, [1]], answerable) > 0.8


def test_select_keeps_the_signal_and_leaves_the_noise():
    x, answerable = _rows()
    assert select(x, answerable, ["noise", "signal", "more noise"]) == [1]


def test_a_signal_with_many_equal_values_is_not_penalised():
    # Leaving one row out at a time would score this 0/1 signal below its true area (each
    # left-out row is judged by a model that lacks it); held-out folds do not.
    answerable = np.arange(120) >= 30
    flag = np.where(answerable, np.arange(120) % 4 != 0, np.arange(120) % 4 == 0).astype(float)
    true_area = area_under_curve(flag, answerable)
    assert abs(cross_validated_area(flag[:, None], answerable) - true_area) < 0.03


def test_the_threshold_is_the_highest_within_the_wrong_refusal_budget():
    points = {
        "0.30": {"refuses_unanswerable": 0.2, "refuses_answerable": 0.02},
        "0.37": {"refuses_unanswerable": 0.5, "refuses_answerable": 0.07},
        "0.40": {"refuses_unanswerable": 0.7, "refuses_answerable": 0.30},
    }
    assert chosen_threshold(points) == 0.37
