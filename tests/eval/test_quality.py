"""The Basra question set is sound, and the default configuration stays above its floors."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from eval.chart import beir_chart, questions_chart
from eval.quality.metrics import Span
from eval.quality.questions import QUESTION_SETS, QUESTIONS, SPLITS, Question, load_questions
from eval.quality.run import breakdown, merged, places, refusal_sweep, score
from qa.ingest import read_corpus
from qa.paths import DEFAULT_CORPUS
from qa.types import Answer, Passage, Place, Quote

# Measured with `qa eval --split dev --config hybrid-weighted` (Hit@5 0.758, MRR@10 0.615),
# less a margin of about two questions: a drop below these is a regression, not noise.
DEV_FLOOR_HIT_5 = 0.69
DEV_FLOOR_MRR_10 = 0.56
# Answers on the Basra dev split, measured 0.667 answer accuracy and 9% of answerable
# questions refused (qa eval --split dev --config hybrid-weighted, 2026-12-06).
DEV_FLOOR_ANSWER = 0.60
DEV_CEILING_WRONG_REFUSALS = 0.20


@pytest.fixture(scope="module")
def documents():
    docs, _ = read_corpus(DEFAULT_CORPUS)
    return {doc.doc_id: doc for doc in docs}


def test_the_set_has_the_mix_the_eval_needs(documents):
    records = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]
    assert len(records) >= 60
    assert len({r["id"] for r in records}) == len(records)
    tags = Counter(t for r in records for t in r["tags"])
    assert tags["unanswerable"] >= 5 and tags["comment"] >= 10 and tags["multi-doc"] >= 5
    assert tags["paraphrase"] >= 20
    for split in SPLITS:
        split_tags = {t for r in records if r["split"] == split for t in r["tags"]}
        assert split_tags == {t for r in records for t in r["tags"]}, split  # every tag in each


def test_every_quote_is_found_in_its_document(documents):
    questions = load_questions(documents)  # raises on a quote that is not in its document
    for q in questions:
        assert q.answerable == bool(q.answers)
        for quote_places in q.gold:
            first = quote_places[0]
            assert documents[first.doc_id].text[first.start : first.end]


def test_a_question_set_loads_its_questions_from_its_own_corpus(documents):
    basra = QUESTION_SETS["basra"]
    assert basra.load("dev") == load_questions(documents, "dev")
    assert basra.load(documents=list(documents.values())) == load_questions(documents)


def test_article_quotes_also_locate_their_copy_in_001(documents):
    questions = load_questions(documents)
    copies = [p for q in questions for g in q.gold for p in g[1:]]
    assert any(p.doc_id.startswith("001_") for p in copies)


def test_default_configuration_stays_above_its_dev_floors(corpus_qa, documents):
    questions = load_questions(documents, "dev")
    found = corpus_qa.retrieve_batch([q.question for q in questions], k=10)
    scores, _ = score(questions, [[places(p) for p in ps] for ps in found], None)
    assert scores.hit_5 >= DEV_FLOOR_HIT_5, scores
    assert scores.mrr_10 >= DEV_FLOOR_MRR_10, scores


def test_default_answers_stay_above_their_dev_floors(corpus_qa, documents):
    questions = load_questions(documents, "dev")
    texts = [q.question for q in questions]
    found = corpus_qa.retrieve_batch(texts, k=10)
    answers = [corpus_qa.answer(text) for text in texts]
    scores, _ = score(questions, [[places(p) for p in ps] for ps in found], answers)
    assert scores.answer_accuracy is not None and scores.answer_accuracy >= DEV_FLOOR_ANSWER
    assert scores.answer_cited == scores.answer_accuracy, scores  # right text, right document
    assert scores.refuses_answerable is not None
    assert scores.refuses_answerable <= DEV_CEILING_WRONG_REFUSALS, scores


def _question(id: str, answerable: bool) -> Question:
    gold = ((Span("a.txt", 0, 10),),) if answerable else ()
    return Question(id, "q?", gold, ("x",) if answerable else (), (), "dev")


def test_refusal_sweep_counts_questions_below_each_threshold():
    questions = [_question("u1", False), _question("u2", False), _question("a1", True)]
    answers = [
        Answer("q?", "t", confidence=0.33),
        Answer("q?", "t", confidence=None),  # no sentence at all: refused at every threshold
        Answer("q?", "t", confidence=0.52),
    ]
    sweep = refusal_sweep(questions, answers)
    assert sweep["0.30"] == {"refuses_unanswerable": 0.5, "refuses_answerable": 0.0}
    assert sweep["0.35"] == {"refuses_unanswerable": 1.0, "refuses_answerable": 0.0}
    assert sweep["0.55"] == {"refuses_unanswerable": 1.0, "refuses_answerable": 1.0}


def test_the_breakdown_scores_each_kind_of_file_and_each_tag():
    pdf = Question("p", "q?", ((Span("a.pdf", 0, 10),),), ("x",), ("paraphrase",), "dev")
    word = Question("w", "q?", ((Span("b.docx", 0, 10),),), ("x",), ("code",), "dev")
    none = Question("u", "q?", (), (), ("unanswerable",), "dev")
    ranked = [[[Span("a.pdf", 2, 8)]], [[Span("a.pdf", 0, 10)]], [[Span("a.pdf", 0, 10)]]]
    answers = [Answer("q?", "x"), Answer("q?", "y"), Answer("q?", "z", confident=False)]
    groups = breakdown([pdf, word, none], ranked, answers)
    assert list(groups) == [
        "kind:docx",
        "kind:pdf",
        "tag:code",
        "tag:paraphrase",
        "tag:unanswerable",
        "type:other",
    ]
    assert groups["kind:pdf"]["scores"]["hit_1"] == 1.0
    assert groups["kind:pdf"]["scores"]["answer_accuracy"] == 1.0
    assert groups["kind:docx"]["scores"]["hit_10"] == 0.0
    assert groups["tag:unanswerable"]["questions"] == 1
    assert groups["tag:unanswerable"]["scores"]["hit_5"] is None
    assert groups["tag:unanswerable"]["scores"]["refuses_unanswerable"] == 1.0
    assert groups["type:other"]["questions"] == 3


def test_answer_cited_needs_the_expected_string_and_a_quote_from_a_gold_document():
    gold = Question(
        "g", "Who?", ((Span("a.txt", 0, 10), Span("copy.txt", 5, 15)),), ("x",), (), "dev"
    )
    passage = Passage("x", 1.0, "b.txt", "B", 0, 1, "article")
    copied = Passage(
        "x", 1.0, "b.txt", "B", 0, 1, "article", also_in=(Place("copy.txt", "C", 5, 15, "article"),)
    )
    right = Passage("x", 1.0, "a.txt", "A", 0, 10, "article")
    answers = [
        Answer("Who?", "x [1]", [right], quotes=[Quote(1, "a.txt", 0, 1)]),  # right, cited
        Answer("Who?", "x [1]", [passage], quotes=[Quote(1, "b.txt", 0, 1)]),  # another document
        Answer("Who?", "x [1]", [copied], quotes=[Quote(1, "b.txt", 0, 1)]),  # a gold copy
        Answer("Who?", "y [1]", [right], quotes=[Quote(1, "a.txt", 0, 1)]),  # wrong words
    ]
    ranked = [[[Span("a.txt", 0, 10)]]] * 4
    scores, _ = score([gold] * 4, ranked, answers)
    assert scores.answer_accuracy == 0.75
    assert scores.answer_cited == 0.5


def test_one_configuration_updates_its_row_and_keeps_the_others(tmp_path):
    out = tmp_path / "basra-dev.json"
    assert merged(out, {"bm25": {"v": 1}}) == {"bm25": {"v": 1}}  # no file yet
    out.write_text(json.dumps({"configs": {"dense": {"v": 2}, "bm25": {"v": 0}}}))
    assert merged(out, {"bm25": {"v": 1}}) == {"bm25": {"v": 1}, "dense": {"v": 2}}


def test_the_charts_are_written_as_png(tmp_path):
    pytest.importorskip("matplotlib")
    scores = {"hit_1": 0.5, "hit_5": 0.75, "mrr_10": 0.6}
    assert questions_chart({"a": {"scores": scores}}, "basra", "dev", 3, tmp_path / "basra.png")
    results = {"bm25": {"ndcg_10": 0.7, "recall_100": 0.9}}
    assert beir_chart("set", "test", results, {"paper": (0.6, 0.8)}, tmp_path / "beir.png")
    for name in ("basra.png", "beir.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
