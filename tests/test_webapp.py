"""The app's API endpoint through ``gradio_client``, and what the server refuses to serve.

The app runs as a user starts it (``python app.py``) in a separate process; see conftest.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import APP_INDEX, ROOT, names_quds_commander
from gradio_client import Client


@pytest.fixture(scope="module")
def client(app_url: str) -> Client:
    return Client(app_url, verbose=False)


def test_ask_returns_the_answer_and_its_citations_as_data(client):
    result = client.predict("Who brokered the ceasefire?", api_name="/ask")
    assert result["confident"] is True
    assert names_quds_commander(result["text"]), result["text"]
    first = result["citations"][0]
    assert first["doc_id"].startswith("000_")
    assert first["section"] == "comment" and first["author"] == "John Emerson"
    assert first["start"] < first["end"]
    quote = result["quotes"][0]
    assert quote["citation"] == 1 and first["start"] <= quote["start"] < quote["end"]


def test_ask_reads_a_follow_up_with_the_question_before_it(client):
    result = client.predict(
        "Did the government accept them?", 5, "hybrid", ["What did Sadr demand?"], api_name="/ask"
    )
    assert result["query"] == "What did Sadr demand? Did the government accept them?"
    assert result["question"] == "Did the government accept them?"
    assert "accept" in result["text"]


def test_ask_says_plainly_when_the_corpus_has_no_answer(client):
    result = client.predict("Who won the 1998 World Cup?", api_name="/ask")
    assert result["confident"] is False
    assert "does not seem to answer" in result["text"] and result["citations"]


@pytest.mark.parametrize(
    "question, k, mode, message",
    [
        ("   ", 5, "hybrid", "the question is empty"),
        ("x" * 20_000, 5, "hybrid", "too long"),
        ("Who brokered the ceasefire?", 0, "hybrid", "k must be"),
        ("Who brokered the ceasefire?", 5, "fuzzy", "mode must be one of"),
        (["a", "list"], 5, "hybrid", "question must be text"),
    ],
)
def test_ask_rejects_bad_input_with_a_clear_message(client, question, k, mode, message):
    with pytest.raises(Exception, match=message):
        client.predict(question, k, mode, api_name="/ask")


def test_only_the_ask_endpoint_is_public(client):
    assert list(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == [
        "/ask"
    ]


@pytest.mark.parametrize(
    "path",
    [
        "app.py",
        str(ROOT / "app.py"),
        "qa/config.py",
        "pyproject.toml",
        "../../../../etc/passwd",
        "/etc/passwd",
        "corpus/000_ce3c7cd48da314e0.txt",
        "{index}/CURRENT",
        "{index}/../app.log",
    ],
)
def test_files_outside_the_app_are_not_served(app_url, app_folder, path):
    path = path.format(index=app_folder / APP_INDEX)
    if str(app_folder) in path:
        assert Path(path).exists(), path  # refused because it is blocked, not because it is gone
    for quoted in (path, urllib.parse.quote(path, safe="")):
        url = f"{app_url}gradio_api/file={quoted}"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)
        assert refused.value.code in (403, 404), url
