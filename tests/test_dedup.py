from qa.dedup import duplicate_groups, jaccard, normalise, shingles


def test_normalise_folds_quotes_dashes_and_case():
    assert normalise("Sadr’s “win” — it’s") == normalise("sadr's \"WIN\" - it's")


def test_jaccard():
    assert jaccard({1, 2, 3}, {2, 3, 4}) == 0.5
    assert jaccard(set(), {1}) == 0.0


def test_groups_join_near_duplicates_only():
    base = "The cease-fire that has kept the main Shiite militia mostly quiet has unraveled today."
    texts = [
        base,
        "An unrelated sentence about the weather in Basra and nothing more than that at all.",
        base.replace("'", "’") + " ",
        base.replace("today", "yesterday"),
    ]
    groups = duplicate_groups(texts, threshold=0.7)
    assert groups[0] == groups[2] == 0
    assert groups[1] == 1
    # A changed word joins the group exactly when the measured similarity reaches the threshold.
    expected = jaccard(shingles(texts[0]), shingles(texts[3])) >= 0.7
    assert (groups[3] == 0) == expected


def test_groups_are_transitive():
    a = " ".join(f"w{i}" for i in range(40))
    b = " ".join(f"w{i}" for i in range(2, 42))
    c = " ".join(f"w{i}" for i in range(4, 44))
    groups = duplicate_groups([a, b, c], threshold=0.85)
    assert jaccard(shingles(a), shingles(c)) < 0.85 <= jaccard(shingles(a), shingles(b))
    assert groups == [0, 0, 0]
