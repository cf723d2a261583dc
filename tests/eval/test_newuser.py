"""The new user's folder (eval/quality/newuser): a held-out set, every question in the test
split, each file with its source, every quote found."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from eval.quality.metrics import contains_answer
from eval.quality.questions import QUESTION_SETS, load_questions
from eval.quality.run import default_split, main
from qa.ingest import read_corpus

NEWUSER = QUESTION_SETS["newuser"]


def test_a_held_out_folder_of_real_files_each_with_its_source_and_every_quote_found():
    docs, skipped = read_corpus(NEWUSER.corpus)
    assert skipped == []
    documents = {doc.doc_id: doc for doc in docs}
    sources = (NEWUSER.corpus.parent / "SOURCES.md").read_text()
    assert all(f"`{doc_id}`" in sources for doc_id in documents)
    assert {"pdf", "docx", "html", "md"} <= {d.rsplit(".", 1)[-1] for d in documents}

    records = [json.loads(line) for line in NEWUSER.questions.read_text().splitlines()]
    assert {r["split"] for r in records} == {"test"}  # measured on, never tuned on
    assert len({r["id"] for r in records}) == len(records) >= 30
    tags = Counter(t for r in records for t in r["tags"])
    assert tags["unanswerable"] == sum(not r["gold"] for r in records) >= 5
    questions = load_questions(documents, path=NEWUSER.questions)
    assert all(q.answerable == bool(q.answers) for q in questions)
    for question in [q for q in questions if q.answerable]:  # its answer is in its document
        text = documents[question.gold[0][0].doc_id].text
        assert contains_answer(text, question.answers), question.id


def test_qa_eval_scores_the_held_out_set_on_test_and_says_it_has_no_dev(capsys):
    assert default_split("newuser") == "test" and default_split("realdocs") == "dev"
    with pytest.raises(SystemExit):
        main(["--set", "newuser", "--split", "dev", "--config", "bm25"])
    assert (
        "the newuser set has no dev questions (held out: --split test)" in capsys.readouterr().err
    )
