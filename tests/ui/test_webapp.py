"""The app's API endpoint through ``gradio_client``, and what the server refuses to serve.

The app runs as a user starts it (``python app.py``) in a separate process; see conftest.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from gradio_client import Client

from tests.helpers import APP_INDEX, ROOT, names_quds_commander

pytestmark = pytest.mark.slow  # a subprocess harness: make test runs it, make check does not


@pytest.fixture(scope="module")
def client(app_url: str) -> Client:
    return Client(app_url, verbose=False)


def test_ask_returns_the_answer_and_its_citations_as_data(client):
    result = client.predict("Who brokered the ceasefire?", api_name="/ask")
    assert result["confident"] is True
    assert names_quds_commander(result["text"]), result["text"]
    first = result["citations"][0]
    assert first["doc_id"].startswith("000_")
    assert first["part"] == "comment" and first["author"] == "John Emerson"
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


def test_ask_stream_gives_the_extractive_answer_as_its_one_item(client):
    job = client.submit("Who brokered the ceasefire?", api_name="/ask_stream")
    job.result(timeout=120)
    [only] = job.outputs()
    assert only == {"answer": client.predict("Who brokered the ceasefire?", api_name="/ask")}


def test_only_the_ask_endpoints_are_public(client):
    assert list(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == [
        "/ask",
        "/ask_stream",
    ]


SECRET = "QA_TEST_SECRET=hunter2"
# Files an attacker would want: sources and settings of the app, the system's, the index, and a
# secrets file beside the index ("{app}" is the app's folder, where its index and log live).
TARGETS = [
    "app.py",
    str(ROOT / "app.py"),
    "qa/settings.py",
    "pyproject.toml",
    ".env",
    "../../../../etc/passwd",
    "/etc/passwd",
    "/proc/self/environ",
    "corpus/000_ce3c7cd48da314e0.txt",
    "{app}/.env",
    "{app}/" + APP_INDEX + "/CURRENT",
    "{app}/" + APP_INDEX + "/../app.log",
]
# Where a file might be asked for: Gradio 6's file route, its older spellings, the static and
# asset folders.
ROUTES = [
    "gradio_api/file=",
    "file=",
    "gradio_api/file/",
    "static/",
    "assets/",
    "gradio_api/static/",
]


def spellings(path: str) -> set[str]:
    """``path`` as an attacker would vary it: case, percent-encoding (once, twice, upper-case
    hex), encoded dots, backslashes, doubled slashes and ``./`` steps, a file: URL."""
    quoted = urllib.parse.quote(path, safe="")
    return {
        path,
        path.upper(),
        quoted,
        quoted.replace("%2F", "%2f"),
        urllib.parse.quote(quoted, safe=""),
        path.replace(".", "%2e").replace("/", "%2F"),
        path.replace("/", "\\"),
        path.replace("/", "//"),
        path.replace("/", "/./"),
        "file://" + path,
    }


@pytest.fixture(scope="module")
def secret_beside_the_index(app_url, app_folder) -> Path:
    env = app_folder / ".env"
    env.write_text(SECRET + "\n")
    return env


@pytest.mark.parametrize("target", TARGETS)
def test_files_outside_the_app_are_not_served(app_url, app_folder, secret_beside_the_index, target):
    path = target.format(app=app_folder)
    if str(app_folder) in path:
        assert Path(path).exists(), path  # refused because it is blocked, not because it is gone
    for route in ROUTES:
        for spelling in spellings(path):
            url = f"{app_url}{route}{spelling}"
            with pytest.raises(urllib.error.HTTPError) as refused:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = response.read()
                    assert SECRET.encode() not in body, url
            assert refused.value.code in (400, 403, 404), url


def test_uploads_are_refused(app_url):
    boundary = "qa-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="x.html"\r\n'
        f"Content-Type: text/html\r\n\r\n<script>alert(1)</script>\r\n--{boundary}--\r\n"
    ).encode()
    request = urllib.request.Request(
        f"{app_url}gradio_api/upload",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 413


def this_machines_address() -> str | None:
    """An address of this machine other than loopback (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_the_app_listens_on_loopback_only(app_url):
    address = this_machines_address()
    if address is None:
        pytest.skip("this machine has no address but loopback to try")
    port = urllib.parse.urlsplit(app_url).port
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((address, port), timeout=5).close()
    socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_ask_answers_a_question_holding_a_lone_surrogate(app_url):
    # Valid JSON that no Python client sends as is: "\ud800" is a lone surrogate once parsed.
    body = b'{"data": ["Who brokered \\ud800 the ceasefire?", 5, "hybrid", []]}'
    request = urllib.request.Request(
        app_url + "gradio_api/call/ask", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        event_id = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{app_url}gradio_api/call/ask/{event_id}", timeout=60) as response:
        stream = response.read().decode()
    assert "event: complete" in stream, stream
    result = json.loads(stream.split("event: complete\ndata: ", 1)[1].splitlines()[0])[0]
    assert result["question"] == "Who brokered \ufffd the ceasefire?"
    assert result["text"] and result["citations"]
