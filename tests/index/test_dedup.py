import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.index import dedup
from qa.index.dedup import (
    Known,
    covered,
    duplicate_places,
    fold,
    folded,
    jaccard,
    normalise,
    shingles,
)
from qa.types import Chunk


def test_fold_maps_every_character_back():
    text = "Sadr’s  “win”…\n— it’s"
    folded, origin = fold(text)
    assert folded == "sadr's \"win\"... - it's"
    assert len(origin) == len(folded)
    assert text[origin[folded.index("win")] : origin[folded.index("win")] + 3] == "win"


def test_normalise_folds_quotes_dashes_and_case():
    assert normalise("Sadr’s “win” — it’s") == normalise("sadr's \"WIN\" - it's")


def test_jaccard():
    assert jaccard({1, 2, 3}, {2, 3, 4}) == 0.5
    assert jaccard(set(), {1}) == 0.0


def chunk(doc_id: str, text: str, start: int = 0) -> Chunk:
    return Chunk(doc_id, start, start + len(text), text, "article")


def test_a_copy_is_found_at_exact_offsets_despite_other_quotes_and_boundaries():
    original = (
        "Intro line.\n\nIt was Sadr who laid down the conditions for an end to the violence, "
        "not Maliki. That's where we stand. Both sides have taken casualties today."
    )
    copy = original.replace("'", "’").replace("Intro line.", "Another intro, longer.")
    passage = original[original.index("It was") : original.index(" Both")]
    texts = {"a.txt": original, "b.txt": copy}
    chunks = [
        chunk("a.txt", passage, original.index(passage)),
        chunk("b.txt", copy[copy.index("It was") :], copy.index("It was")),
    ]
    places = duplicate_places(chunks, texts, threshold=0.7).places
    ((doc_id, start, end),) = places[0]
    assert doc_id == "b.txt"
    assert copy[start:end] == passage.replace("'", "’")


def test_unrelated_chunks_have_no_places():
    texts = {"a.txt": "The Mahdi Army held Basra for six days.", "b.txt": "Bread needs flour."}
    chunks = [chunk("a.txt", texts["a.txt"]), chunk("b.txt", texts["b.txt"])]
    assert duplicate_places(chunks, texts, threshold=0.7).places == [[], []]


def test_a_near_copy_counts_from_the_threshold():
    base = " ".join(f"w{i}" for i in range(40))
    edited = base.replace("w20", "changed")
    texts = {"a.txt": base, "b.txt": edited}
    chunks = [chunk("a.txt", base), chunk("b.txt", edited)]
    similarity = jaccard(shingles(base), shingles(edited))
    assert duplicate_places(chunks, texts, threshold=similarity).places[0] == [
        ("b.txt", 0, len(edited))
    ]
    assert duplicate_places(chunks, texts, threshold=similarity + 0.01).places[0] == []


def test_covered_share():
    shown = {"a.txt": [(0, 50), (40, 100), (200, 210)]}
    assert covered(("a.txt", 50, 150), shown) == 0.5
    assert covered(("a.txt", 0, 100), shown) == 1.0
    assert covered(("b.txt", 0, 100), shown) == 0.0


def _fold_one_by_one(text: str) -> tuple[str, list[int]]:
    """The definition of ``fold``, character by character (what its fast path must equal)."""
    from qa.index.lexical import fold_variants

    chars, origin, after_space = [], [], True
    for i, ch in enumerate(text):
        for c in fold_variants(ch).lower():
            if c.isspace():
                if after_space:
                    continue
                c, after_space = " ", True
            else:
                after_space = False
            chars.append(c)
            origin.append(i)
    return "".join(chars), origin


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ9 .,'\t\n\x0b\x1c\x85\u00a0’“—…ﬁİ¨é\u3000x")))
def test_fold_fast_path_equals_the_character_by_character_definition(text):
    assert fold(text) == _fold_one_by_one(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ9 .,'\t\n\x0b\x1c\x85\u00a0’“—…ﬁİ¨é\u3000xΣς")))
def test_folded_equals_the_folded_text_of_fold(text):
    assert folded(text) == fold(text)[0]


WORDS = "sadr maliki basra army cease fire iran quds force militia offensive police city".split()


def random_corpus(rng: random.Random, names: list[str]) -> dict[str, str]:
    """Documents that copy and edit each other's sentences, so that copies and near copies
    exist, from a few shared sentences."""
    sentences = [" ".join(rng.choices(WORDS, k=rng.randint(3, 12))) + "." for _ in range(8)]
    return {name: " ".join(rng.choices(sentences, k=rng.randint(1, 6))) for name in names}


def chunked(texts: dict[str, str]) -> list:
    """Each sentence a chunk, at its offsets."""
    chunks = []
    for doc_id, text in sorted(texts.items()):
        start = 0
        for piece in text.split(". "):
            end = start + len(piece)
            if piece.strip():
                chunks.append(chunk(doc_id, text[start:end], start))
            start = end + 2
    return chunks


@pytest.mark.parametrize("max_bucket", [256, 3])  # 3: buckets cross the limit on updates
@pytest.mark.parametrize("seed", range(40))
def test_an_update_finds_what_a_search_from_scratch_finds(seed, max_bucket, monkeypatch):
    monkeypatch.setattr(dedup, "MAX_BUCKET", max_bucket)
    rng = random.Random(seed)
    names = [f"d{i}.txt" for i in range(8)]
    before = random_corpus(rng, names)
    after = dict(before)
    for name in rng.sample(names, 3):  # changed, removed, added
        after[name] = random_corpus(rng, [name])[name]
    del after[rng.choice(names)]
    after.update(random_corpus(rng, ["new.txt"]))
    old_chunks, new_chunks = chunked(before), chunked(after)
    old = duplicate_places(old_chunks, before, threshold=0.5)
    changed = {d for d in after if before.get(d) != after[d]}
    row_of = {(c.doc_id, c.start): r for r, c in enumerate(old_chunks)}
    rows = [None if c.doc_id in changed else row_of[(c.doc_id, c.start)] for c in new_chunks]
    update = duplicate_places(new_chunks, after, 0.5, Known(rows, old.samples, old.places))
    scratch = duplicate_places(new_chunks, after, threshold=0.5)
    assert update.places == scratch.places
    assert update.samples.values.tolist() == scratch.samples.values.tolist()
