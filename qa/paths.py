"""Where things live on disk: the demo corpus and the stored state.

Environment variables are only for paths. ``QA_HOME`` holds all stored state (indexes, and the
encoder as OpenVINO traced it) and is looked up in this order: ``$QA_HOME``, then
``$XDG_CACHE_HOME/qa``, then ``~/.cache/qa``.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

# Package data, so that a non-editable install finds it too.
DEFAULT_CORPUS = Path(__file__).resolve().parent / "demo_corpus"


def qa_home() -> Path:
    """The folder that holds all stored state (see the module docstring for the lookup order)."""
    if home := os.environ.get("QA_HOME"):
        return Path(home).expanduser()
    if xdg := os.environ.get("XDG_CACHE_HOME"):
        return Path(xdg).expanduser() / "qa"
    return Path.home() / ".cache" / "qa"


def default_index_dir(corpus: Path) -> Path:
    """Where the index of ``corpus`` lives by default: one folder per corpus path."""
    resolved = corpus.resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", resolved.name) or "corpus"
    return qa_home() / "indexes" / f"{name}-{digest}"


def models_dir() -> Path:
    """Where the encoder, traced for OpenVINO, is kept between processes."""
    return qa_home() / "models"
