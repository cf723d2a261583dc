"""The library never changes the process's environment: no module of ``qa`` or ``embeddings``
writes ``os.environ``, and a process that indexes, answers and builds the web page ends with the
settings it started with (torch, FAISS and the Hugging Face libraries set a few of their own on
import, which is theirs to do)."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import DEMO_CORPUS, ROOT

# What the library itself once set at import time, and must not set again.
OURS = {"HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "GRADIO_ANALYTICS_ENABLED", "QA_HOME"}

SCRIPT = """
import json, os, sys
before = dict(os.environ)
from qa.service import QA
from qa.ui.app import build_app
ask = QA(sys.argv[1], sys.argv[2], progress=False)
ask.answer("Who brokered the ceasefire?", history=["What did Sadr demand?"])
build_app(ask)
print(json.dumps(sorted(k for k in before.keys() | os.environ.keys()
                        if before.get(k) != os.environ.get(k))))
"""


def writes_to_environment(tree: ast.AST) -> list[int]:
    """Lines that assign, delete or update ``os.environ`` or call ``os.putenv``/``unsetenv``."""
    lines = []
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Assign | ast.AugAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            target = next((t for t in targets if isinstance(t, ast.Subscript)), None)
            target = target.value if target is not None else None
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("putenv", "unsetenv"):
                lines.append(node.lineno)
            elif node.func.attr in ("setdefault", "update", "pop", "clear", "popitem"):
                target = node.func.value
        if isinstance(target, ast.Attribute) and target.attr == "environ":
            lines.append(node.lineno)
    return lines


def test_no_module_of_the_library_writes_the_environment() -> None:
    found = {
        str(path.relative_to(ROOT)): lines
        for package in ("qa", "embeddings")
        for path in sorted((ROOT / package).rglob("*.py"))
        if (lines := writes_to_environment(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}


def test_the_check_finds_a_write() -> None:
    code = "import os\nos.environ['A'] = '1'\nos.environ.setdefault('B', '2')\nos.putenv('C', '3')"
    assert writes_to_environment(ast.parse(code)) == [2, 3, 4]


@pytest.mark.slow  # a fresh process, so that nothing is loaded before it looks
def test_indexing_answering_and_the_web_page_leave_our_settings_alone(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QA_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(DEMO_CORPUS), str(tmp_path / "index")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    changed = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert not changed & OURS
