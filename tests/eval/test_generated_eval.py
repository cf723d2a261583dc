"""``qa eval --llm``: the model's checked answers beside the extractive ones, against a local
server replaying a stream in llama.cpp's format (the same reply to every question)."""

from __future__ import annotations

import json
import shutil

import pytest

from eval.quality import generated
from qa.cli import main
from qa.paths import qa_home
from tests.answering.test_generated import sse
from tests.llm.replay import Reply, replaying

# Said by the Basra corpus (the first dev question's answer), and a sentence no passage says.
REPLY = sse(
    "Erica Goode", " supplied the backstory on the statement [1].", " Bananas are blue [2]."
)


def test_qa_eval_llm_puts_the_generated_answers_beside_the_extractive_ones(
    corpus_qa, tmp_path, monkeypatch, capsys
):
    # The demo corpus's index, already built for the session, where the comparison keeps it.
    shutil.copytree(corpus_qa.index_dir, qa_home() / "generated-eval" / "basra", dirs_exist_ok=True)
    monkeypatch.setattr(generated, "RESULTS", tmp_path)
    with replaying(Reply(REPLY)) as llm:
        code = main(["eval", "--llm", llm.url, "--llm-model", "m", "--limit", "3"])
    assert code == 0 and len(llm.requests) == 3 and llm.requests[0]["model"] == "m"
    out = capsys.readouterr().out
    report = json.loads((tmp_path / "generated-basra-dev.json").read_text())
    assert report["questions"] == 3 and report["llm_model"] == "m"
    made = report["generated"]
    assert set(report["extractive"]) <= set(made)
    assert made["kept"] >= 1  # the first question's: Erica Goode, supported by its passage
    assert made["kept"] + sum(made["fell_back"].values()) == 3
    assert made["sentences_checked"] == 2 * 3 - 2 * sum(
        n for why, n in made["fell_back"].items() if "cited no passage" in why
    )
    assert 0 < made["support_rate"] < 1  # the bananas never supported
    assert "answerer" in out and "extractive" in out and "generated" in out


@pytest.mark.parametrize(
    "extra", [["--config", "bm25"], ["--beir", "x"], ["--store", "postgresql://x"]]
)
def test_qa_eval_llm_refuses_what_does_not_apply(extra, capsys):
    with pytest.raises(SystemExit):
        main(["eval", "--llm", "http://127.0.0.1:9/v1", *extra])
    assert "does not apply" in capsys.readouterr().err


def test_limit_goes_with_llm(capsys):
    with pytest.raises(SystemExit):
        main(["eval", "--limit", "3"])
    assert "--limit goes with --llm" in capsys.readouterr().err
