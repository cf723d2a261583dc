import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa.search.fusion import min_max, ranked, rrf, weighted


def test_rrf_hand_computed():
    fused = rrf([[1, 2, 3], [3, 1]], k=60)
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[2] == pytest.approx(1 / 62)
    assert fused[3] == pytest.approx(1 / 63 + 1 / 61)
    assert [row for row, _ in ranked(fused)] == [1, 3, 2]


def test_weighted_hand_computed():
    fused = weighted({1: 0.9, 2: 0.5}, {2: 10.0, 3: 4.0}, dense_weight=0.25)
    # dense normalised: 1 → 1.0, 2 → 0.0; lexical normalised: 2 → 1.0, 3 → 0.0
    assert fused == pytest.approx({1: 0.25, 2: 0.75, 3: 0.0})


def test_min_max_constant_scores():
    assert min_max({4: 2.0, 5: 2.0}) == {4: 1.0, 5: 1.0}
    assert min_max({}) == {}


def test_ranked_breaks_ties_by_id():
    assert ranked({7: 1.0, 3: 1.0, 5: 2.0}) == [(5, 2.0), (3, 1.0), (7, 1.0)]


rankings = st.lists(st.lists(st.integers(0, 50), unique=True, max_size=20), max_size=3)
score_maps = st.dictionaries(st.integers(0, 50), st.floats(-5, 5, allow_nan=False), max_size=20)


@given(rankings)
def test_rrf_keeps_every_candidate(lists):
    fused = rrf(lists)
    assert set(fused) == {row for ranking in lists for row in ranking}
    assert all(score > 0 for score in fused.values())


@given(score_maps, score_maps, st.floats(0, 1))
def test_weighted_keeps_every_candidate_in_unit_range(dense, lexical, w):
    fused = weighted(dense, lexical, w)
    assert set(fused) == set(dense) | set(lexical)
    assert all(-1e-9 <= s <= 1 + 1e-9 for s in fused.values())
