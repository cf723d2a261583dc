"""Where things live on disk: the demo corpus and the stored state.

Environment variables are only for paths and deployment settings. ``QA_STORE`` names a database
to keep the indexes in instead (``store_url``). ``QA_HOME`` holds all stored state (indexes, and the
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


def corpus_key(corpus: Path) -> str:
    """A name for ``corpus`` made of its folder's name and a hash of its resolved path
    ("demo_corpus-1a2b3c4d5e6f"): its index folder's name, and its id in a database store."""
    resolved = corpus.resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", resolved.name) or "corpus"
    return f"{name}-{digest}"


def default_index_dir(corpus: Path) -> Path:
    """Where the index of ``corpus`` lives by default: one folder per corpus path."""
    return qa_home() / "indexes" / corpus_key(corpus)


def store_url() -> str | None:
    """``$QA_STORE``: the database that keeps the indexes (``postgresql://...``), for a
    deployment that sets it once for every process; None (the default) keeps them in folders
    under ``QA_HOME``. An explicit ``store`` argument or ``--store`` flag comes first."""
    return os.environ.get("QA_STORE") or None


def models_dir() -> Path:
    """Where the encoder, traced for OpenVINO, is kept between processes."""
    return qa_home() / "models"
