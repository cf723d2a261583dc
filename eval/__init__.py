"""Measurements of the product, in three jobs: ``quality`` (retrieval and answer accuracy on
question sets and BEIR), ``performance`` (speed and memory, ``qa bench``) and ``reliability``
(crashes, damaged indexes, load, a long soak, dependency audit). Results go to ``eval/results/``."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project's folder
RESULTS = Path(__file__).resolve().parent / "results"
