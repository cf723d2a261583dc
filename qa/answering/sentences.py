"""Sentences of passages, with exact offsets: what an extractive answer is made of."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.types import Passage

# A sentence ends at . ! or ? (plus closing quotes or brackets) before white space, or at a line
# break. A period after a known abbreviation or a single capital ("Gen.", "M.") ends nothing.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n+")
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "brig",
    "col",
    "lt",
    "maj",
    "sgt",
    "adm",
    "capt",
    "gov",
    "sen",
    "rep",
    "st",
    "jr",
    "sr",
    "vs",
    "no",
    "inc",
    "co",
    "corp",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
    "etc",
    "approx",
    "fig",
}
MIN_SENTENCE_WORDS = 4  # shorter sentences are not offered as answers


@dataclass(frozen=True)
class Sentence:
    text: str
    passage: int  # index into the passages given
    start: int  # document offsets
    end: int


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, stripped of surrounding space."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for match in _END.finditer(text):
        if match.group().startswith((".",)) and _is_abbreviation(text, match.start()):
            continue
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, len(text)))
    stripped = []
    for start, end in spans:
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            stripped.append((start + lead, start + len(piece.rstrip())))
    return stripped


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[:dot])
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and text[dot - 1].isupper())


def candidate_sentences(passages: Sequence[Passage]) -> list[Sentence]:
    sentences = []
    for i, passage in enumerate(passages):
        for start, end in split_sentences(passage.text):
            text = passage.text[start:end]
            if len(text.split()) >= MIN_SENTENCE_WORDS:
                sentences.append(Sentence(text, i, passage.start + start, passage.start + end))
    return sentences
