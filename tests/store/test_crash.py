"""Indexing killed at random moments leaves a whole index (20 kills;
``python -m eval.reliability.crash`` runs 200)."""

from pathlib import Path

import pytest

from eval.reliability.crash import run

pytestmark = pytest.mark.slow  # a subprocess harness: make test runs it, make check does not


def test_killed_indexing_never_leaves_a_broken_or_mixed_index(tmp_path: Path) -> None:
    report = run(kills=20, seed=1, work=tmp_path)
    assert report.failures == []
    assert report.kills == 20
    assert report.generations_seen > 1  # the children did finish updates between kills
