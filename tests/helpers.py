"""What several tests share that is not a fixture: paths and a check of the demo corpus's
best-known answer."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project's folder
DEMO_CORPUS = ROOT / "qa" / "demo_corpus"
APP_INDEX = "index"  # the session app's index folder, under the app_folder fixture


def names_quds_commander(text: str) -> bool:
    """Whether ``text`` names who brokered the ceasefire: the al-Quds Brigade's commander."""
    lowered = text.lower()
    return ("quds" in lowered or "qods" in lowered) and (
        "commander" in lowered or "suleimani" in lowered
    )


FIXTURES = ROOT / "tests" / "fixtures"  # real documents of each format (see SOURCES.md there)
