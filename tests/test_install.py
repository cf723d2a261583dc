"""A non-editable install works on its own: the package data (the demo corpus, the question set)
is in it, and ``qa ask`` answers from another folder than the source tree."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow  # builds and installs the project in a subprocess


def test_an_installed_copy_answers_from_another_folder(tmp_path: Path) -> None:
    # Built from a clean copy of the tree: a build/ folder left in the checkout may hold stale
    # modules that setuptools would package too.
    source, site = tmp_path / "source", tmp_path / "site"
    ignored = shutil.ignore_patterns(".git", ".venv*", "build", "*.egg-info", "__pycache__")
    shutil.copytree(ROOT, source, ignore=ignored)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
        + ["--no-build-isolation", "--target", str(site), str(source)],
        check=True,
        capture_output=True,
    )
    assert (site / "qa" / "demo_corpus" / "000_ce3c7cd48da314e0.txt").is_file()
    assert (site / "qa" / "demo_corpus" / ".questions.txt").is_file()  # the chat's examples
    assert (site / "eval" / "quality" / "basra.jsonl").is_file()
    # The installed copy first on the path, run from a folder with no source tree in it.
    env = dict(os.environ, PYTHONPATH=str(site), QA_HOME=str(tmp_path / "home"))
    question = "Who brokered the ceasefire?"
    done = subprocess.run(
        [sys.executable, "-m", "qa.cli", "ask", question, "--quiet", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert '"confident": true' in done.stdout and "al-Quds" in done.stdout
    where = subprocess.run(
        [sys.executable, "-c", "import qa; print(qa.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(site))
