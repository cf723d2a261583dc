import bm25s
import numpy as np
import pytest
import Stemmer
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.errors import IndexCorruptError
from qa.index.lexical import STOPWORDS, LexicalIndex, _prepare

TEXTS = [
    "Moqtada al-Sadr ordered his Mahdi Army fighters off the streets of Basra.",
    "The cease-fire was brokered in Iran by the commander of the Quds Force.",
    "Maliki's offensive in Basra stalled; the Iraqi army needed American air support.",
    "Readers wondered who brokered the ceasefire, and who gained from it.",
    "Sadr Sadr Sadr: the name repeated, to test term frequency.",
    "",
    "Nothing here but stop-words: who, what, did, the, and, of.",
]
QUERIES = ["Who brokered the ceasefire?", "Sadr Basra", "army support", "Quds Force Iran"]


def bm25s_scores(texts: list[str], query: str) -> np.ndarray:
    """bm25s's own Lucene BM25 over the same words: the reference our numpy scoring must equal."""
    stemmer = Stemmer.Stemmer("english")
    tokens = bm25s.tokenize(
        [_prepare(t) for t in texts], stopwords=STOPWORDS, stemmer=stemmer, show_progress=False
    )
    reference = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    reference.index(tokens, show_progress=False)
    words = bm25s.tokenize(
        [_prepare(query)], stopwords=STOPWORDS, stemmer=stemmer, return_ids=False
    )[0]
    ids = [reference.vocab_dict[w] for w in words if w in reference.vocab_dict]
    return reference.get_scores_from_ids(ids) if ids else np.zeros(len(texts))


def all_scores(index: LexicalIndex, query: str) -> np.ndarray:
    scores, rows = index.search(query, len(index))
    full = np.zeros(len(index), dtype=np.float32)
    full[rows] = scores
    return full


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_bm25s_lucene(query):
    index = LexicalIndex.build(TEXTS)
    assert np.allclose(all_scores(index, query), bm25s_scores(TEXTS, query), atol=1e-5)


def test_results_are_best_first_and_leave_out_zero_scores():
    scores, rows = LexicalIndex.build(TEXTS).search("Who brokered the ceasefire?", 5)
    assert list(rows[:2]) in ([1, 3], [3, 1])
    assert all(scores > 0) and list(scores) == sorted(scores, reverse=True)


def test_a_question_of_stop_words_or_unknown_words_finds_nothing():
    index = LexicalIndex.build(TEXTS)
    assert len(index.search("who did what", 3)[1]) == 0
    assert len(index.search("zzzz", 3)[1]) == 0
    assert len(LexicalIndex.build(["", "the of"]).search("anything", 3)[1]) == 0


def test_a_one_letter_option_and_a_dot_command_are_words_of_their_own():
    texts = [
        "-k, --keep-index: all changes already added to the index are left intact.",
        "Use the .once command to send only the next query's output to a file.",
        "Each option has a long form and a short form; once set, it stays set.",
        "An x-ray of the index.md file, e.g. the one in the docs.",
    ]
    index = LexicalIndex.build(texts)
    assert list(index.search("What does -k do?", 5)[1]) == [0]
    assert list(index.search("What does the .once command do?", 5)[1])[0] == 1
    assert "dot_md" not in index.words("index.md, e.g. x-k")
    assert "dash_k" not in index.words("index.md, e.g. x-k")


def test_founding_is_not_finding():
    texts = [
        "The file was not found; it can be found in the archive.",
        "Ian Murdock, founder of the Debian project, was its first leader.",
        "Debian was founded in 1993.",
    ]
    index = LexicalIndex.build(texts)
    assert sorted(index.search("Who founded Debian?", 5)[1]) == [1, 2]
    assert index.words("founded") == index.words("founders")
    assert index.words("found") != index.words("founded")


@settings(max_examples=30, deadline=None)
@given(
    changes=st.lists(
        st.one_of(
            st.integers(0, len(TEXTS) - 1),  # keep row i of the old texts
            st.sampled_from(QUERIES + ["Basra fighters", "completely new words here"]),
        ),
        max_size=12,
    )
)
def test_an_update_equals_a_fresh_build(changes):
    """Reusing the words of kept rows gives the same scores as tokenising everything again."""
    old = LexicalIndex.build(TEXTS)
    texts = [TEXTS[c] if isinstance(c, int) else c for c in changes]
    same_as = [c if isinstance(c, int) else None for c in changes]
    updated = LexicalIndex.build(texts, previous=old, same_as=same_as)
    fresh = LexicalIndex.build(texts)
    assert len(updated) == len(texts)
    for query in QUERIES:
        assert np.allclose(all_scores(updated, query), all_scores(fresh, query), atol=1e-6)
        assert updated.idf(updated.words(query)) == pytest.approx(fresh.idf(fresh.words(query)))


def test_save_and_load_give_the_same_scores(tmp_path):
    index = LexicalIndex.build(TEXTS)
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    for query in QUERIES:
        assert np.array_equal(all_scores(loaded, query), all_scores(index, query))
    updated = LexicalIndex.build(TEXTS[:3] + ["new text"], previous=loaded, same_as=[0, 1, 2, None])
    assert len(updated) == 4


@pytest.mark.parametrize("damage", ["vocabulary.json", "column-rows.npy", "words-offsets.npy"])
def test_damaged_files_are_reported(tmp_path, damage):
    LexicalIndex.build(TEXTS).save(tmp_path)
    path = tmp_path / damage
    path.write_bytes(path.read_bytes()[:-8])
    with pytest.raises(IndexCorruptError):
        LexicalIndex.load(tmp_path)
