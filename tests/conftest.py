"""Shared fixtures: the real bundled model and real indexes, built once per test session.

All stored state goes to a temporary QA_HOME so that tests never touch the user's cache.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["QA_HOME"] = tempfile.mkdtemp(prefix="qa-test-home-")

from embeddings.encoder import Encoder, load_encoder  # noqa: E402
from eval.reliability.app_process import running_app  # noqa: E402
from qa.paths import DEFAULT_CORPUS  # noqa: E402
from qa.service import QA  # noqa: E402
from qa.settings import Settings  # noqa: E402

CORPUS = DEFAULT_CORPUS
ROOT = Path(__file__).resolve().parent.parent


def names_quds_commander(text: str) -> bool:
    lowered = text.lower()
    return ("quds" in lowered or "qods" in lowered) and (
        "commander" in lowered or "suleimani" in lowered
    )


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    settings = Settings()
    return load_encoder(settings.index.model, settings.index.precision)


@pytest.fixture(scope="session")
def corpus_qa(tmp_path_factory: pytest.TempPathFactory) -> QA:
    """A QA over the bundled corpus, indexed once for the whole session."""
    qa = QA(CORPUS, tmp_path_factory.mktemp("index"), progress=False)
    qa.index()
    return qa


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled corpus that a test may change."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


APP_INDEX = "index"


@pytest.fixture(scope="session")
def app_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the session's app keeps its index (``APP_INDEX``) and its log."""
    return tmp_path_factory.mktemp("app")


@pytest.fixture(scope="session")
def app_url(app_folder: Path) -> Iterator[str]:
    """The app over the bundled corpus, started once for the session."""
    with running_app(CORPUS, app_folder / APP_INDEX, app_folder / "app.log") as url:
        yield url
