"""Settings: every field checked with a message naming its valid values, flat names routed to
their group, and every setting documented in the README's configuration table."""

import re
from dataclasses import fields

import pytest

from qa import AnswerSettings, IndexSettings, SearchSettings, Settings, SettingsError
from qa.settings import FIELD_GROUPS
from tests.helpers import ROOT


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"batch_size": 0}, "batch_size must be from 1 to 4096, got 0"),
        ({"candidates": -5}, "candidates must be from 1 to 10000, got -5"),
        ({"rrf_k": 0}, "rrf_k must be from 1 to 10000, got 0"),
        ({"min_answer_similarity": 7}, "min_answer_similarity must be from -1 to 1, got 7"),
        ({"dense_weight": 1.5}, "dense_weight must be from 0 to 1, got 1.5"),
        ({"dense_weight": float("nan")}, "dense_weight must be a number, got nan"),
        ({"chunk_tokens": 8}, "chunk_tokens must be from 16 to 8192, got 8"),
        ({"chunk_overlap": 192}, r"chunk_overlap must be from 0 to chunk_tokens - 1 \(191\)"),
        ({"batch_size": 2.5}, "batch_size must be a whole number, got 2.5"),
        ({"batch_size": True}, "batch_size must be a whole number, got True"),
        ({"mode": "semantic"}, "mode must be one of hybrid, dense, bm25; got 'semantic'"),
        ({"fusion": "max"}, "fusion must be one of rrf, weighted; got 'max'"),
        ({"precision": "int4"}, "precision must be one of auto, fp32, bf16, int8; got 'int4'"),
        ({"reranker": "cross"}, "reranker must be one of none; got 'cross'"),
        ({"collapse_duplicates": "yes"}, "collapse_duplicates must be True or False"),
        ({"model": " "}, "model must name a sentence-transformers model"),
        (
            {"colour": 1},
            "unknown setting.s. colour; valid: answer_name_weight, answer_own_question_weight, ",
        ),
    ],
)
def test_a_bad_setting_is_refused_with_its_valid_range(overrides, message):
    with pytest.raises(SettingsError, match=message):
        Settings().updated(**overrides)


def test_flat_names_reach_their_group_and_nothing_else_changes():
    settings = Settings().updated(mode="dense", chunk_tokens=128, min_answer_similarity=0.5)
    assert settings.search == SearchSettings(mode="dense")
    assert settings.index == IndexSettings(chunk_tokens=128)
    assert settings.answer == AnswerSettings(min_answer_similarity=0.5)
    assert settings.flat()["mode"] == "dense" and len(settings.flat()) == len(FIELD_GROUPS)


def test_the_groups_share_no_name():
    names = [
        f.name for group in (IndexSettings, SearchSettings, AnswerSettings) for f in fields(group)
    ]
    assert len(names) == len(set(names)) == len(FIELD_GROUPS)


def test_every_setting_is_in_the_readme_table_with_its_default():
    readme = (ROOT / "README.md").read_text()
    rows = re.findall(r"^\| `([a-z_]+)`[^|]*\| `?([^|`]+?)`? \|", readme, flags=re.MULTILINE)
    documented = {name: default.strip() for name, default in rows}
    defaults = Settings().flat()
    missing = sorted(set(defaults) - set(documented))
    assert not missing, f"settings missing from the README's configuration table: {missing}"
    unknown = sorted(set(documented) - set(defaults))
    assert not unknown, f"the README documents settings that do not exist: {unknown}"
    for name, value in defaults.items():
        assert documented[name] == str(value), f"{name}: README says {documented[name]}"
