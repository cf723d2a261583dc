"""The ``qa`` command, run in-process through its ``main``."""

import socket

import pytest

from qa.cli import main
from qa.paths import DEFAULT_CORPUS as CORPUS


def test_ask_prints_the_answer_and_numbered_citations(capsys, corpus_qa):
    code = main(
        [
            "ask",
            "Who brokered the ceasefire?",
            "--corpus",
            str(CORPUS),
            "--index-dir",
            str(corpus_qa.index_dir),
            "--quiet",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "[1] " in out and "reader comment by" in out and "chars " in out


def test_index_prints_a_report(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("The Mahdi Army held Basra.\n\nSadr called a cease-fire.")
    (folder / "b.bin.txt").write_bytes(b"\x00\x01binary")
    code = main(["index", str(folder), "--index-dir", str(tmp_path / "ix"), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "documents: 1" in out and "skipped:   1" in out and "b.bin.txt" in out


def test_index_takes_the_folder_as_ask_and_serve_do(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("The Mahdi Army held Basra.\n\nSadr called a cease-fire.")
    code = main(["index", "--corpus", str(folder), "--index-dir", str(tmp_path / "ix"), "--quiet"])
    assert code == 0 and "documents: 1" in capsys.readouterr().out
    code = main(["index", str(folder), "--corpus", str(tmp_path), "--index-dir", str(tmp_path)])
    assert code == 1 and "two folders given" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["ask", "   "], "question is empty"),
        (["ask", "hi", "--corpus", "/no/such/folder"], "does not exist"),
        (["index", "/no/such/folder"], "does not exist"),
        (["serve", "--corpus", "/no/such/folder"], "does not exist"),
        (["serve", "--port", "70000"], "--port must be between 1 and 65535"),
        (["serve", "--queue-size", "0"], "--queue-size must be 1 or more"),
        (["serve", "--conversations", "0"], "--conversations must be 1 or more"),
    ],
)
def test_bad_input_prints_one_line_and_fails(capsys, argv, message):
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_folder_without_readable_documents(tmp_path, capsys):
    (tmp_path / "junk.txt").write_bytes(b"\xff\xfe\x00garbage\x00")
    (tmp_path / "empty.md").write_text("")
    assert main(["index", str(tmp_path), "--index-dir", str(tmp_path / "ix"), "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert "no readable" in err and len(err.splitlines()) == 1


def test_serve_on_a_busy_port_prints_one_line_and_fails_before_loading(capsys, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        # A corpus that does not exist: reading it would fail, so the port is checked first.
        argv = ["serve", "--corpus", str(tmp_path / "no-such-folder"), "--port", port, "--quiet"]
        assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert f"cannot serve on 127.0.0.1:{port}" in err and "--port" in err
    assert len(err.splitlines()) == 1


def test_ask_answers_a_question_of_bytes_that_are_not_utf8(capsys, corpus_qa):
    # Python hands undecodable argv bytes over as lone surrogates (surrogateescape).
    question = b"Who brokered \xed\xa0\x80 the ceasefire?".decode("utf-8", "surrogateescape")
    argv = ["ask", question, "--corpus", str(CORPUS), "--index-dir", str(corpus_qa.index_dir)]
    code = main([*argv, "--quiet"])
    assert code == 0 and "[1] " in capsys.readouterr().out


def test_eval_help_lists_each_split_once(capsys):
    from eval.quality.run import main as eval_main

    with pytest.raises(SystemExit):
        eval_main(["--help"])
    usage = capsys.readouterr().out.split("\n\n")[0]
    assert "{dev,test,train}" in usage
