"""The question's rarest word, and whether an answer speaks to it (qa.answering.focus)."""

from __future__ import annotations

import pytest

from qa.answering.focus import (
    beside_contrast,
    missing,
    rarest_word,
    reliance,
    unknown_name,
    unwritten_acronym,
    unwritten_figure,
    with_specifics_written,
)
from qa.errors import StoreUnavailableError
from qa.types import Answer, Document, Passage


@pytest.fixture(scope="module")
def weights(corpus_qa):
    return corpus_qa.retriever.index.word_weights


def _idf(weights, question: str) -> dict[str, float]:
    return weights.idf(set(weights.words(question)))


def _rarest(weights, question: str) -> str | None:
    span = rarest_word(question, _idf(weights, question), weights)
    return None if span is None else question[span[0] : span[1]]


def test_the_rarest_word_is_the_one_the_corpus_uses_least(weights):
    # The demo corpus is about Basra: "airport" is in none of its passages.
    assert _rarest(weights, "Was the Basra airport closed?") == "airport"
    # Two words it never uses: the first of them.
    assert _rarest(weights, "Did the ambassador visit the airport?") == "ambassador"
    assert _rarest(weights, "Who is it?") is None  # stop-words only


def test_missing_is_the_rarest_lacking_word_over_the_rarest_of_all(weights):
    question = "Was the Basra airport closed?"
    idf = _idf(weights, question)
    assert missing(idf, set(weights.words("The Basra airport was closed on Tuesday."))) == 0.0
    assert missing(idf, set(weights.words("Basra was calm on Tuesday."))) == 1.0  # lacks "airport"
    lacks_basra = missing(idf, set(weights.words("The airport was closed.")))
    assert 0.0 < lacks_basra < 1.0  # "Basra" is common here: it weighs less


def test_what_a_question_sets_aside_is_not_missing_from_the_answer(weights):
    question = "Was the Basra airport closed instead of the port, for the fighting?"
    asked = beside_contrast(question, _idf(weights, question), weights)
    assert "port" not in asked and "instead" not in asked  # set aside, to the clause's end
    assert {"basra", "airport", "fight"} <= set(asked)
    answer = set(weights.words("The Basra airport was closed for the fighting."))
    assert missing(_idf(weights, question), answer) == 1.0  # lacks "port", rarest of all
    assert missing(asked, answer) == 0.0
    idf = _idf(weights, "Was the Basra airport closed?")
    assert beside_contrast("Was the Basra airport closed?", idf, weights) == idf


def test_an_answer_about_the_rarest_word_relies_on_it(encoder, weights):
    question = "Was the Basra airport closed during the fighting?"
    span = rarest_word(question, _idf(weights, question), weights)  # "airport"
    vector = encoder.encode([question])[0]

    def relied(text: str) -> float:
        return reliance(question, vector, span, encoder.encode([text]), encoder.encode)

    speaks = relied("The airport in Basra was closed to all flights while the fighting went on.")
    topic_only = relied("Basra was under curfew while the fighting went on.")
    assert speaks > 0.05 and speaks > topic_only + 0.05
    assert reliance(question, vector, None, encoder.encode(["any text"]), encoder.encode) == 0.0


def test_a_name_the_corpus_never_uses_is_unknown(weights):
    # The demo corpus names Kevin Drum and Moqtada al-Sadr, never Ryan Crocker nor al-Sistani.
    assert unknown_name("What did ambassador Ryan Crocker say?", weights) == "Ryan Crocker"
    assert unknown_name("Ryan Crocker said what about Basra?", weights) == "Ryan Crocker"
    asked = "What did Grand Ayatollah Ali al-Sistani say about the fighting?"
    assert unknown_name(asked, weights) == "Grand Ayatollah Ali al-Sistani"
    assert unknown_name("What did Kevin Drum's readers say?", weights) is None  # known
    assert unknown_name("What did Ryan Drum say?", weights) is None  # its last word is known
    assert unknown_name("Did Crocker visit Basra?", weights) is None  # one word: no name
    assert unknown_name("Is Sadr Tehran's ally?", weights) is None  # half known: two names
    # Title case is no name, nor is the capital of a question's first word.
    assert unknown_name("What Did Ryan Crocker Say About Basra?", weights) is None
    assert unknown_name("Where Crocker went?", weights) is None
    for odd in ("De Da is what, in these documents at all?", "Van De Von", "", "   ", "?"):
        assert unknown_name(odd, weights) is None


def test_a_figure_that_qualifies_a_thing_must_be_written():
    texts = ["Debian 11 ships PostgreSQL 13; Git 2.39.0 and zstd -18 ..., in 2012 or 12.5 s."]
    assert unwritten_figure("Which PostgreSQL is the default on Debian 12?", texts) == "Debian 12"
    assert unwritten_figure("Which PostgreSQL is the default on Debian 11?", texts) is None
    assert unwritten_figure("What memory does zstd use at level 19?", texts) == "level 19"
    assert unwritten_figure("What does zstd do at level 18?", texts) is None  # "-18"
    assert unwritten_figure("Is fsmonitor on in Git 2.39?", texts) is None  # "2.39.0"
    assert unwritten_figure("What changed in Git 2.3?", texts) == "Git 2.3"  # not "2.39"
    assert unwritten_figure("What happened in March 2008?", texts) == "March 2008"
    # Counts after a small word and figures inside words are not qualifiers.
    assert unwritten_figure("How do I print pi to 10 decimal places?", texts) is None
    assert unwritten_figure("Can bzip2 files be built with -O3?", texts) is None
    assert unwritten_figure("Who wrote it?", texts) is None


def test_an_acronym_asked_about_must_be_written():
    texts = ["Valgrind runs on x86 and PPC, for the U.S. army; ASN.1 names; PIP_CONFIG_FILE."]
    assert unwritten_acronym("How much slower is Memcheck on ARM than on x86?", texts) == "ARM"
    assert unwritten_acronym("Does libtasn1 support the packed encoding rules (PER)?", texts) == (
        "PER"
    )
    assert unwritten_acronym("Does it run on PPC?", texts) is None
    assert unwritten_acronym("What should the US have done?", texts) is None  # "U.S."
    assert unwritten_acronym("Which ASN.1 types are there?", texts) is None
    assert unwritten_acronym("Does it run on arm?", texts) is None  # a word, no acronym
    # Code writes an acronym in lower case: an option, a file name's extension, a path.
    code = ["Run it with --json, or save out.pdf under /html; it costs per run."]
    for question in ("Can it print JSON?", "Can it save a PDF?", "Where is the HTML?"):
        assert unwritten_acronym(question, code) is None
    assert unwritten_acronym("Does it support PER?", code) == "PER"
    # Part of a longer name, the question's first word, or a question in capitals throughout.
    for question in ("What is PIP_CONFIG_FILE?", "Is SHA-256 used?", "ARM: does it run?"):
        assert unwritten_acronym(question, texts) is None
    assert unwritten_acronym("HOW DO I RUN IT ON ARM?", texts) is None


def test_an_answer_is_refused_when_its_documents_never_write_the_figure_asked_about():
    cited = Passage("PostgreSQL 15 is the default.", 1.0, "pg.md", "PostgreSQL", 0, 29, "article")
    answer = Answer("q", "PostgreSQL 15 is the default. [1]", [cited], confidence=0.7)
    documents = {
        "pg.md": Document("pg.md", "PostgreSQL", "On Debian 11, PostgreSQL 15 is the default.")
    }

    asked = "Which PostgreSQL is the default on Debian 12?"
    checked = with_specifics_written(answer, asked, documents.__getitem__)
    assert not checked.confident and checked.confidence == 0.0
    assert "The documents it quotes never mention Debian 12." in checked.text
    assert checked.text.endswith("The closest it comes: PostgreSQL 15 is the default. [1]")
    same = (
        "Which PostgreSQL is the default on Debian 11?"  # written in the document, not the passage
    )
    assert with_specifics_written(answer, same, documents.__getitem__) is answer
    arm = with_specifics_written(answer, "Which PostgreSQL is the default on ARM?", documents.get)
    assert "The documents it quotes never mention ARM." in arm.text and not arm.confident

    def gone(doc_id):
        raise StoreUnavailableError("the database went away")

    assert with_specifics_written(answer, asked, gone) is answer  # unchecked, not lost
