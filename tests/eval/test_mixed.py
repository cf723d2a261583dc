"""The mixed folder of ``qa bench``: cut from the real fixtures, every file readable, none a
copy of another."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.performance import mixed
from qa.ingest import read_corpus


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> mixed.MixedFolder:
    return mixed.build_mixed(tmp_path_factory.mktemp("mixed"), mixed.FIXTURES)


def test_two_hundred_files_of_all_five_kinds(folder: mixed.MixedFolder) -> None:
    assert len(folder.files) == mixed.FILES == 200
    kinds = folder.kinds()
    assert set(kinds) == set(mixed.KINDS) and all(n > 0 for n in kinds.values())
    assert sum(kinds.values()) == 200
    # The fixtures' one PDF has 17 pages with text: one PDF a page, the rest to the others.
    assert kinds[".pdf"] == 17 and min(kinds[k] for k in mixed.KINDS if k != ".pdf") >= 40


def test_every_file_is_read_and_no_two_hold_the_same_text(folder: mixed.MixedFolder) -> None:
    documents, skipped = read_corpus(folder.folder)
    assert skipped == [] and len(documents) == 200
    texts = [" ".join(d.text.split()) for d in documents]
    assert len(set(texts)) == len(texts)


def test_the_folder_is_the_same_every_time(tmp_path: Path) -> None:
    first = mixed.build_mixed(tmp_path / "a", mixed.FIXTURES, count=10)
    again = mixed.build_mixed(tmp_path / "b", mixed.FIXTURES, count=10)
    assert first.kinds() == dict.fromkeys(mixed.KINDS, 2)
    assert [p.name for p in first.files] == [p.name for p in again.files]
    one, two = read_corpus(first.folder)[0], read_corpus(again.folder)[0]
    assert [d.text for d in one] == [d.text for d in two]


def test_a_source_without_one_of_the_kinds_is_refused_with_what_is_missing(
    tmp_path: Path,
) -> None:
    (tmp_path / "only.md").write_text((mixed.FIXTURES / "nodejs-intl.md").read_text())
    with pytest.raises(ValueError, match=r"no readable \.pdf, \.docx, \.html, \.txt file"):
        mixed.build_mixed(tmp_path / "out", tmp_path)


def test_the_fixture_questions_are_asked_without_the_realdocs_corpus() -> None:
    assert mixed.questions(mixed.FIXTURES) == list(mixed.FIXTURE_QUESTIONS)
