"""The eval metrics on cases worked out by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eval.quality.metrics import (
    Span,
    contains_answer,
    covered_fraction,
    covers,
    hit_at,
    ndcg_at,
    recall_at,
    reciprocal_rank,
    relevance,
)

QUOTE = Span("a.txt", 100, 200)  # 100 characters


@pytest.mark.parametrize(
    "passage, expected",
    [
        (Span("a.txt", 0, 1000), 1.0),
        (Span("a.txt", 140, 1000), 0.6),  # covers 140–200
        (Span("a.txt", 141, 1000), 0.59),
        (Span("a.txt", 0, 100), 0.0),  # touches, shares nothing
        (Span("b.txt", 0, 1000), 0.0),  # another document
    ],
)
def test_covered_fraction(passage, expected):
    assert covered_fraction(passage, QUOTE) == pytest.approx(expected)


def test_a_passage_covers_a_quote_through_a_copy_in_also_in():
    copy = Span("copy.txt", 10, 110)
    passage_places = [Span("a.txt", 500, 900), Span("copy.txt", 0, 300)]
    assert covers(passage_places, [QUOTE, copy])
    assert not covers(passage_places[:1], [QUOTE, copy])


def test_relevance_lists_the_quotes_each_passage_covers():
    gold = [[QUOTE], [Span("b.txt", 0, 50)]]
    ranked = [[Span("c.txt", 0, 99)], [Span("b.txt", 0, 40)], [Span("a.txt", 90, 210)]]
    assert relevance(ranked, gold) == [set(), {1}, {0}]


def test_hits_and_reciprocal_rank():
    hits = [set(), set(), {0}, set()]
    assert hit_at(hits, 1) == 0.0 and hit_at(hits, 3) == 1.0
    assert reciprocal_rank(hits) == pytest.approx(1 / 3)
    assert reciprocal_rank(hits, k=2) == 0.0
    assert reciprocal_rank([set()] * 10) == 0.0


def test_ndcg_with_one_gold_quote_at_rank_two():
    # DCG = 1/log2(3); ideal = 1/log2(2) = 1
    assert ndcg_at([set(), {0}], n_gold=1) == pytest.approx(1 / math.log2(3))


def test_ndcg_counts_each_gold_quote_once():
    # ranks 1 and 2 both cover quote 0, rank 3 covers quote 1; two gold quotes
    dcg = 1 / math.log2(2) + 1 / math.log2(4)
    ideal = 1 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at([{0}, {0}, {1}], n_gold=2) == pytest.approx(dcg / ideal)


def test_ndcg_and_recall_are_zero_without_gold():
    assert ndcg_at([{0}], n_gold=0) == 0.0 and recall_at([{0}], n_gold=0, k=5) == 0.0


def test_recall_counts_distinct_quotes_in_the_first_k():
    hits = [{0}, {0}, set(), {1}]
    assert recall_at(hits, n_gold=2, k=3) == 0.5 and recall_at(hits, n_gold=2, k=4) == 1.0


def test_contains_answer_ignores_case_and_spacing():
    assert contains_answer(
        "brokered by the commander of Iran's al-Quds\n Brigade", ["QUDS brigade"]
    )
    assert not contains_answer("brokered by Iran", ["Quds"])


@given(
    st.lists(st.sets(st.integers(0, 4), max_size=3), max_size=12),
    st.integers(1, 5),
    st.integers(1, 12),
)
def test_metrics_stay_in_zero_to_one(hits, n_gold, k):
    hits = [{g for g in h if g < n_gold} for h in hits]
    for value in (
        hit_at(hits, k),
        reciprocal_rank(hits, k),
        ndcg_at(hits, n_gold, k),
        recall_at(hits, n_gold, k),
    ):
        assert 0.0 <= value <= 1.0 + 1e-12


def test_cites_gold_needs_one_shared_document():
    from eval.quality.metrics import cites_gold

    assert cites_gold(["a.txt", "b.txt"], ["b.txt"])
    assert not cites_gold(["a.txt"], ["b.txt"])
    assert not cites_gold([], ["b.txt"])
