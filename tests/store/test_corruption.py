"""Random damage to a stored index: never a crash, never a wrong answer (16 cases;
``python -m eval.reliability.corrupt`` runs 200)."""

from pathlib import Path

import pytest

from eval.reliability.corrupt import run

pytestmark = pytest.mark.slow  # a subprocess harness: make test runs it, make check does not


def test_a_damaged_index_comes_back_whole_and_answers_as_before(tmp_path: Path) -> None:
    report = run(cases=16, seed=1, work=tmp_path)
    assert report.failures == []
    assert report.rebuilt > 0  # the damage was real: some of it had to be detected
    assert report.rebuilt + report.unharmed == 16
