"""How the reliability scripts hand over their results: a dataclass as JSON, printed and kept."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any


def print_report(report: Any, out: Path | None) -> None:
    """Print ``report`` (a dataclass instance) as indented JSON, and write it to ``out`` too."""
    text = json.dumps(asdict(report), indent=2)
    print(text)
    if out:
        out.write_text(text + "\n")
