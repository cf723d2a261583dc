"""Shared fixtures: the real bundled model and real indexes, built once per test session.

All stored state goes to a temporary QA_HOME so that tests never touch the user's cache.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["QA_HOME"] = tempfile.mkdtemp(prefix="qa-test-home-")

from embeddings.encoder import Encoder, load_encoder  # noqa: E402
from qa.config import DEFAULT_CORPUS, Settings  # noqa: E402
from qa.service import QA  # noqa: E402

CORPUS = DEFAULT_CORPUS


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    settings = Settings()
    return load_encoder(settings.model, settings.precision)


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
