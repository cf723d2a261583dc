"""The public API contract: names, fields, offsets, duplicates, answers, errors."""

import pytest

import qa
from qa import QA, Answer, Passage, QuestionError, Turn
from qa.paths import DEFAULT_CORPUS as CORPUS
from tests.helpers import names_quds_commander

QUESTION = "Who brokered the ceasefire?"


def test_public_names():
    for name in ("retrieve", "answer", "QA", "Passage", "Answer", "QAError"):
        assert name in qa.__all__ and hasattr(qa, name)


def test_retrieve_returns_passages_best_first(corpus_qa):
    passages = corpus_qa.retrieve(QUESTION, k=5)
    assert 1 <= len(passages) <= 5
    assert all(isinstance(p, Passage) for p in passages)
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)
    for p in passages:
        doc = corpus_qa.document(p.doc_id)
        assert doc.text[p.start : p.end] == p.text
        assert p.part in ("article", "comment") and p.title


def test_who_brokered_the_ceasefire_finds_the_quds_commander(corpus_qa):
    passages = corpus_qa.retrieve(QUESTION, k=3)
    hits = [p for p in passages if names_quds_commander(p.text)]
    assert hits, [p.text[:80] for p in passages]
    assert any(p.part == "comment" and p.doc_id.startswith("000_") for p in hits)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_answers(corpus_qa, mode):
    passages = corpus_qa.retrieve("Mahdi Army Basra offensive", k=4, mode=mode)
    assert len(passages) == 4


def test_duplicated_article_collapses_with_also_in(corpus_qa):
    # 001 is 000's article with other quote characters: its passages must show once.
    passages = corpus_qa.retrieve(
        "Maliki went to Sadr to ask for terms; Sadr laid down the conditions", k=10
    )
    article = [
        p for p in passages if p.doc_id in ("000_ce3c7cd48da314e0.txt", "001_89a5137f6fea6e6d.txt")
    ]
    assert article
    top = article[0]
    other = (
        "001_89a5137f6fea6e6d.txt" if top.doc_id.startswith("000") else "000_ce3c7cd48da314e0.txt"
    )
    assert other in {place.doc_id for place in top.also_in}
    seen = [p.text for p in passages]
    assert len(seen) == len(set(seen))
    for place in top.also_in:
        text = corpus_qa.document(place.doc_id).text[place.start : place.end]
        assert "Sadr" in text


def test_without_collapse_both_copies_show(corpus_qa):
    loose = QA(CORPUS, corpus_qa.index_dir, progress=False, collapse_duplicates=False)
    passages = loose.retrieve("Maliki went to Sadr to ask for terms", k=10)
    assert {"000_ce3c7cd48da314e0.txt", "001_89a5137f6fea6e6d.txt"} <= {p.doc_id for p in passages}
    assert all(not p.also_in for p in passages)


def test_answer_cites_the_quds_commander_comment(corpus_qa):
    ans = corpus_qa.answer(QUESTION)
    assert isinstance(ans, Answer) and ans.confident
    assert names_quds_commander(ans.text), ans.text
    assert "[1]" in ans.text and len(ans.citations) >= 1
    cited = [ans.citations[int(n) - 1] for n in __import__("re").findall(r"\[(\d+)\]", ans.text)]
    assert any(p.part == "comment" and p.doc_id.startswith("000_") for p in cited)


def test_answer_quotes_locate_each_sentence_in_its_document(corpus_qa):
    ans = corpus_qa.answer(QUESTION)
    assert ans.quotes
    for quote in ans.quotes:
        cited = ans.citations[quote.citation - 1]
        assert quote.doc_id == cited.doc_id
        assert cited.start <= quote.start < quote.end <= cited.end
        sentence = corpus_qa.document(quote.doc_id).text[quote.start : quote.end]
        assert f"{sentence} [{quote.citation}]" in ans.text


@pytest.mark.parametrize(
    "question", ["What is the recipe for a sourdough bread starter?", "Who won the 1998 World Cup?"]
)
def test_answer_is_not_confident_off_topic(corpus_qa, question):
    ans = corpus_qa.answer(question)
    assert not ans.confident
    assert "does not seem to answer" in ans.text
    assert ans.citations  # the nearest passages, or the closest it comes, are still offered
    if ans.similarity is not None and ans.similarity < 0.30:  # min_quote_similarity
        assert not ans.quotes
    else:
        assert "The closest it comes:" in ans.text


@pytest.mark.parametrize(
    "question, k, mode",
    [
        ("", 5, None),
        ("   \n\t", 5, None),
        ("x" * 20_000, 5, None),
        (QUESTION, 0, None),
        (QUESTION, 5, "semantic"),
        (None, 5, None),
    ],
)
def test_bad_input_raises_a_clear_error(corpus_qa, question, k, mode):
    with pytest.raises(QuestionError) as info:
        corpus_qa.retrieve(question, k=k, mode=mode)
    assert "\n" not in str(info.value)


def test_control_characters_and_odd_text_are_answered(corpus_qa):
    for question in ["Sadr\x00 cease\x07fire?", "🔥 Basra?", "مقتدى الصدر", "the of and"]:
        corpus_qa.retrieve(question, k=3)
        corpus_qa.answer(question)


def test_module_level_functions_use_the_default_corpus():
    passages = qa.retrieve(QUESTION, k=3)
    assert any(names_quds_commander(p.text) for p in passages)
    assert qa.default_qa().corpus == CORPUS
    assert isinstance(qa.answer(QUESTION), Answer)


def test_bad_settings_name_the_valid_values():
    with pytest.raises(qa.SettingsError, match="hybrid, dense, bm25"):
        QA(CORPUS, mode="semantic")
    with pytest.raises(qa.SettingsError, match="valid: "):
        QA(CORPUS, chunk_size=100)


def test_retrieve_and_answer_are_safe_from_several_threads(corpus_qa):
    from concurrent.futures import ThreadPoolExecutor

    questions = [QUESTION, "What did Sadr demand?", "Basra offensive", "Maliki", "Quds Force"]

    def ask(question):
        passages = corpus_qa.retrieve(question, k=5)
        return question, [(p.doc_id, p.start, p.end) for p in passages], corpus_qa.answer(question)

    alone = {q: ask(q) for q in questions}
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(ask, questions * 8))
    for question, places, answer in together:
        assert places == alone[question][1]
        assert answer.text == alone[question][2].text


def test_history_must_be_a_list_of_questions(corpus_qa):
    assert corpus_qa.answer(QUESTION, history=None).query == QUESTION
    for bad in (5, "What did Sadr demand?", [3], [Turn("What did Sadr demand?", 5)]):
        with pytest.raises(QuestionError, match="history must be a list"):
            corpus_qa.answer(QUESTION, history=bad)


def test_an_overlap_beyond_the_models_limit_is_capped(encoder):
    from qa.index.build import build_settings
    from qa.settings import IndexSettings

    built = build_settings(IndexSettings(chunk_tokens=1024, chunk_overlap=300), encoder)
    assert built.chunk_tokens == encoder.content_tokens
    assert built.chunk_overlap == encoder.content_tokens - 1


def test_the_corpus_is_embedded_by_the_document_encoder_and_questions_by_the_other(corpus_qa):
    """With the default precision OpenVINO embeds documents in int8 (in bf16 on a CPU with
    AMX, whose int8 kernels stray) and questions in bf16 or fp32; the index records the
    documents' precision, so reopening it embeds nothing again."""
    from embeddings.encoder import cpu_has_amx_int8

    documents, questions = corpus_qa.document_encoder, corpus_qa.encoder
    assert corpus_qa.retriever.index.manifest.settings.precision == documents.precision
    assert corpus_qa.retriever.encoder.precision == questions.precision
    if documents.runtime == "openvino" and cpu_has_amx_int8():
        assert (documents.precision, questions.precision) == ("bf16", "bf16")
    elif documents.runtime == "openvino":
        assert (documents.precision, questions.precision) in (("int8", "bf16"), ("int8", "fp32"))
    assert corpus_qa.index().embedded == 0


def test_an_answer_quotes_the_whole_example_its_chunk_cut(tmp_path):
    """The chunk that introduces the example ends inside its code; the answer and its citation
    carry on to the code's end (``qa.answering.code_ends``)."""
    steps = "\n".join(f"archive.add(files[{n}], compress=True)" for n in range(25))
    code = f"```python\narchive = Archive('backup.tar')\n{steps}\narchive.close()\n```"
    text = (
        "# Backups\n\n## Making an archive\n\n"
        f"To make a compressed archive of your files, run this script:\n\n{code}\n\n"
        "## Restoring\n\nRestoring reads the archive back.\n"
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "backups.md").write_text(text)
    service = QA(tmp_path / "docs", tmp_path / "index", progress=False, chunk_tokens=96)
    service.index()
    chunks = service.retrieve("How do I make a compressed archive of my files?", k=5)
    assert not any("archive.close()" in p.text and "run this script" in p.text for p in chunks)
    answer = service.answer("How do I make a compressed archive of my files?")
    assert answer.text.startswith("To make a compressed archive of your files, run this script:")
    assert "archive.add(files[24], compress=True)\narchive.close()" in answer.text
    cited = answer.citations[0]
    assert (
        cited.text.endswith("archive.close()\n```") and text[cited.start : cited.end] == cited.text
    )


def test_what_a_function_does_is_answered_from_its_own_section(tmp_path):
    # Its examples call it by name a dozen times and rank above its description.
    examples = "\n".join(f"util.inspect(value{n}, {{ depth: {n} }});" for n in range(12))
    text = (
        "# Util\n\n## `util.inspect(object[, options])`\n\n"
        "* `object` {any} Any JavaScript primitive or `Object`.\n\n"
        "Returns a string representation of `object` that is intended for debugging.\n\n"
        "## Examples\n\n"
        + "".join(
            f"### Inspecting with util.inspect, case {n}\n\n```js\n{examples}\n```\n\n"
            for n in range(6)
        )
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "util.md").write_text(text)
    service = QA(tmp_path / "docs", tmp_path / "index", progress=False)
    service.index()
    question = "What does util.inspect do?"
    assert not any("intended for debugging" in p.text for p in service.retrieve(question, k=5))
    answer = service.answer(question)
    assert answer.text.startswith("Returns a string representation of `object`")
    assert answer.citations[-1].section == "Util › `util.inspect(object[, options])`"


GROUPS = """# Users and groups

## Groups

- adm: Group adm is used for system monitoring tasks. Members of this group can read many log
  files in /var/log, and can use xconsole.
- dialout: Full and direct access to serial ports. Members of this group can reconfigure the
  modem, dial anywhere, etc.
- cdrom: This group can be used locally to give a set of users access to a CD-ROM drive.
"""
BUILD_FARM = """# The build farm

The build farm runs on Linux and macOS machines. Every pull request is built on each of them,
and the results are reported back to the pull request within an hour.
"""


@pytest.mark.parametrize(
    "earlier",
    [
        "How many Windows 95 machines does the build farm run?",  # "how many", a figure
        "What did Ryan Crocker say about the ceasefire?",  # a name the folder never uses
        "Which machines does the build farm run for Debian 12?",  # a figure it never writes
    ],
)
def test_a_follow_up_is_not_refused_for_what_an_earlier_question_asked(tmp_path, earlier):
    """The refusals that say why read the question as asked, not the query it was searched
    with: that joins the earlier question, whose "how many", name or figure was checked when
    it was asked (found in Chromium: the right answer refused with "gives no number")."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "groups.md").write_text(GROUPS)
    (tmp_path / "docs" / "build-farm.md").write_text(BUILD_FARM)
    service = QA(tmp_path / "docs", tmp_path / "index", progress=False)
    service.index()
    question = "What about the group that can read the log files in /var/log?"  # a follow-up
    answer = service.answer(question, history=[earlier])
    assert answer.query.startswith(earlier)  # read as a follow-up
    assert answer.confident and "Members of this group can read many log" in answer.text
    assert not service.answer(earlier).confident  # asked alone, it is refused


ACCOUNTS_PAGE = """# Service accounts

## Accounts

builder

: The builder account runs the compile jobs that the scheduler hands out. It owns the work
  trees under /srv/build. It has uid 2001.

cacher

: The cacher account serves the artifact cache over HTTP. Members of the cacher group can read
  every artifact.

reporter

: The reporter account posts test results to the dashboard. It has uid 2007.
"""


def test_its_in_a_follow_up_is_the_thing_the_earlier_answer_named(tmp_path):
    """ "What is its uid?" after "Which account serves the artifact cache?" asks the cacher's uid
    (the thing the answer named), which its entry does not give: answered before with the
    builder's, whose entry mentions the artifact cache too."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "accounts.md").write_text(ACCOUNTS_PAGE)
    service = QA(tmp_path / "docs", tmp_path / "index", progress=False)
    service.index()
    which = "Which account serves the artifact cache?"
    first = service.answer(which)
    assert first.confident and "The cacher account serves" in first.text
    answer = service.answer("What is its uid?", history=[Turn.of(which, first)])
    assert answer.query == "What is the cacher account's uid?" and answer.query_joined
    assert not answer.confident and "not of cacher." in answer.text
    which = "Which account runs the compile jobs?"
    builder = service.answer("What is its uid?", history=[Turn.of(which, service.answer(which))])
    assert builder.confident and "uid 2001" in builder.text
    # Without the earlier answer, the earlier question is joined as before.
    unread = service.answer("What is its uid?", history=[which])
    assert unread.query == f"{which} What is its uid?"
