"""The answer's confidence: the shipped model, its evidence, and what a threshold does."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from qa.answering.confidence import FEATURES, MODEL, load_model
from qa.answering.extractive import NO_ANSWER, ExtractiveAnswerer
from qa.errors import QAError
from qa.settings import AnswerSettings
from qa.types import Evidence, Passage

TEXT = (
    "The ceasefire was brokered by Iranian officials in Qom on 30 March. "
    "Sadr then ordered his fighters off the streets."
)


def _answer(encoder, corpus_qa, settings: AnswerSettings, question: str):
    answerer = ExtractiveAnswerer(encoder, corpus_qa.retriever.index.word_weights, settings)
    found = Passage(TEXT, 1.0, "report.md", "Report", 0, len(TEXT), "article")
    return answerer.answer(question, [found], encoder.encode([question])[0])


def test_the_shipped_model_reads_and_names_evidence_fields():
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    assert data["features"] and set(data["features"]) <= set(FEATURES)
    assert "dev" in data["trained_on"]
    model = load_model()
    low, high = Evidence(0.2, 0.1, 0.0, 0.0, 0.0, -0.1, 1.0), Evidence(*[1.0] * 6, 0.0)
    for evidence in (low, high):
        assert 0.0 <= model.confidence(evidence) <= 1.0
    assert model.confidence(high) > model.confidence(low)


def test_an_answer_that_speaks_to_the_rarest_word_is_more_confident():
    # The fitted model weighs both signals of qa.answering.focus, each the way it should.
    model = load_model()
    assert {"rarest_word_reliance", "rarest_word_missing"} <= set(model.features)
    mid = Evidence(0.5, 0.5, 0.5, 0.5, 0.5, 0.03, 0.8)
    assert model.confidence(replace(mid, rarest_word_reliance=0.2)) > model.confidence(mid)
    assert model.confidence(replace(mid, rarest_word_missing=0.0)) > model.confidence(mid)


def test_every_answer_carries_its_confidence_and_evidence(encoder, corpus_qa):
    answer = _answer(encoder, corpus_qa, AnswerSettings(), "Who brokered the ceasefire?")
    assert answer.confident and answer.evidence is not None
    assert answer.confidence == round(load_model().confidence(answer.evidence), 4)
    assert answer.evidence.answer_type in (0.0, 1.0)  # "who" asks for a name


def test_below_min_confidence_the_answer_says_so_then_quotes_the_closest(encoder, corpus_qa):
    strict = AnswerSettings(min_confidence=1.0)
    answer = _answer(encoder, corpus_qa, strict, "Who brokered the ceasefire?")
    assert not answer.confident
    assert answer.text.startswith(f"{NO_ANSWER} The closest it comes: ")
    assert "brokered by Iranian officials" in answer.text and answer.quotes


def test_a_damaged_model_file_says_how_to_refit_it(tmp_path: Path):
    broken = tmp_path / "confidence.json"
    broken.write_text('{"features": ["similarity"]}')
    with pytest.raises(QAError, match="python -m eval.quality.confidence"):
        load_model(broken)


def test_a_model_weighing_a_feature_evidence_lacks_is_refused(tmp_path: Path):
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    data["features"][0] = "retired_signal"
    other = tmp_path / "confidence.json"
    other.write_text(json.dumps(data))
    with pytest.raises(QAError, match="retired_signal"):
        load_model(other)
