"""The follow-up study (eval/quality/followups.py): its conversations rest on dev questions,
and each written follow-up is read as one."""

from __future__ import annotations

from eval.quality.followups import conversations, switches
from eval.quality.questions import DEV_SETS, QUESTION_SETS
from qa.answering.followup import standalone_query
from qa.ingest import read_corpus


def test_the_follow_ups_are_dev_questions_asked_in_a_conversation():
    dev = {}
    for name in DEV_SETS:
        documents, _ = read_corpus(QUESTION_SETS[name].corpus)
        dev[name] = QUESTION_SETS[name].load("dev", documents)
    by_id = {q.id: q for questions in dev.values() for q in questions}
    written = conversations(by_id)
    assert len(written) >= 20
    assert all(q.answerable and q.split == "dev" and q in dev[name] for name, *_, q in written)
    # Most lean on their first question; a few name something and stand alone.
    joined = [standalone_query(f, [e]).joined for _, e, f, _ in written]
    assert sum(joined) >= 0.7 * len(written)

    switched = switches("realdocs", dev["realdocs"])
    assert len(switched) >= 0.6 * len(dev["realdocs"])
    for _, earlier, follow_up, question in switched:
        assert follow_up.startswith("And ") and earlier != question.question
