"""The demo corpus's documents by name, a sample paragraph, and the small helpers the structure
tests (test_structure.py, test_comments.py) read them with."""

from __future__ import annotations

from qa.ingest.structure import segment_text
from qa.types import Segment
from tests.helpers import DEMO_CORPUS

CORPUS = DEMO_CORPUS
CORPUS_FILES = sorted(CORPUS.glob("[!.]*.txt"))  # not the hidden .questions.txt: no document
DRUM = "000_ce3c7cd48da314e0.txt"
DRUM_ARTICLE_ONLY = "001_89a5137f6fea6e6d.txt"
WAPO = "002_000a60f2dc0f5aa1.txt"
JOYNER = "003_f0163f8d9acaa1b0.txt"
NYT = "004_82396509a673133c.txt"

PARAGRAPH = (
    "The offensive in Basra stalled after six days of fighting between the army and the "
    "militias loyal to the cleric."
)


def read(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def segmented(name: str) -> tuple[str, tuple[Segment, ...]]:
    text = read(name)
    return text, segment_text(text)


def of_kind(segments: tuple[Segment, ...], kind: str) -> list[Segment]:
    return [s for s in segments if s.kind == kind]


def kinds(text: str) -> list[tuple[str, str | None, str]]:
    return [(s.kind, s.author, text[s.start : s.end]) for s in segment_text(text)]
