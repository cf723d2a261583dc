"""Two app replicas behind nginx on one PostgreSQL index (``python -m eval.reliability.replicas``
runs 1, 2 and 4 replicas with 50 users of 20 questions): every question answered through
nginx, one replica killed mid-run with every later question answered by the other, and a
re-index seen by the survivor without a restart. No timing is asserted.
"""

import os
from pathlib import Path

import pytest

from eval.reliability.replicas import NGINX, run

pytestmark = [
    pytest.mark.slow,  # a subprocess harness: make test runs it, make check does not
    pytest.mark.skipif(
        not os.access(NGINX, os.X_OK), reason="needs Debian's nginx: make browser installs it"
    ),
]

USERS, QUESTIONS = 4, 6  # half answered before the kill, so a dozen are asked after it


def test_two_replicas_share_one_index_and_outlive_a_kill(tmp_path: Path, corpus_qa) -> None:
    # corpus_qa: the session's index, whose build leaves both encoders traced in QA_HOME for
    # the harness's indexing and the replicas to load
    report = run([2], USERS, QUESTIONS, tmp_path, kill=True, rss=False)
    steady, killed = report.runs
    assert steady.errors == [] and steady.answered == USERS * QUESTIONS
    # Each through nginx to a replica (its X-QA-Replica header names which).
    assert sum(steady.served_by.values()) == steady.answered and all(
        port.isdigit() for port in steady.served_by
    )

    kill = killed.kill
    assert kill["before"]["answered"] == kill["before"]["asked"] > 0
    # In flight on the killed one: answered or failed with an error, never hung.
    in_flight = kill["in_flight"]
    assert in_flight["answered"] + len(in_flight["failed"]) == in_flight["asked"]
    assert in_flight["slowest_ms"] < 60_000
    after = kill["after"]
    assert after["asked"] >= 1 and after["answered"] == after["asked"], after["errors"]
    assert str(kill["killed_port"]) not in after["served_by"]

    (survivor,) = report.reindex["seconds_until_cited"].values()
    assert isinstance(survivor, float)  # it cited the new file, with no restart
