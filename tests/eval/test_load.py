"""Users at once and an overload through the app's API (``python -m eval.reliability.load`` runs 50
users of 20 questions and a burst of 200 at the queue of 64).

The queue is made small here so that a burst of 40 overflows it: every request beyond it must be
refused at once as busy, every other one answered, nothing else. No timing is asserted.
"""

from pathlib import Path

import pytest

from eval.reliability.load import run

pytestmark = pytest.mark.slow  # a subprocess harness: make test runs it, make check does not

USERS, QUESTIONS, QUEUE, BURST = 5, 4, 5, 40  # the queue holds all the users, not the burst


def test_users_are_all_answered_and_an_overload_is_answered_or_refused_as_busy(
    tmp_path: Path,
) -> None:
    report = run(USERS, QUESTIONS, BURST, tmp_path, queue_size=QUEUE)
    assert report.errors == []
    assert report.answered == USERS * QUESTIONS  # each with text and citations

    burst = report.burst
    assert burst["other"] == []
    assert burst["answered"] + burst["busy"] == BURST
    assert burst["answered"] >= 1  # the queue kept working through the overload
    assert burst["busy"] >= 1  # and did overflow
    assert all(m.startswith("Queue is full.") for m in burst["busy_messages"])
