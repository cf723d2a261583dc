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


def test_killed_indexing_into_postgresql_leaves_the_previous_version(
    tmp_path: Path, pg_url: str
) -> None:
    """The same kills with the index in PostgreSQL: a killed write is rolled back by the
    server, and the writer lock the killed process held is released with its session (else
    the next child would never update)."""
    report = run(kills=8, seed=2, work=tmp_path, store_url=pg_url)
    assert report.failures == []
    assert report.kills == 8
    assert report.generations_seen > 1
