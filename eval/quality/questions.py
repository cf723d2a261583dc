"""The question sets: questions with gold quotes, located in their corpus.

Three sets, in ``QUESTION_SETS``: "basra" (``basra.jsonl`` over the five demo blog posts),
"realdocs" (``realdocs/questions.jsonl`` over the real manuals, READMEs and Word files of
``realdocs/corpus``, their sources in ``realdocs/SOURCES.md``) and "newuser" (a new user's
folder of seven files, ``newuser/``, held out: every question in the test split). A file holds
one question per line: ``id``, ``question``, ``gold`` (quotes, each an exact substring of a
named corpus document), ``answers`` (strings a right answer contains), ``tags`` and ``split``
("dev" to choose and tune on, "test" to report). Quotes are stored as text, not offsets, so the
set does not depend on how the corpus is chunked; loading finds each quote in its document and
in every other document holding the same text (after folding quotes, dashes, case and spaces),
since a passage shown from a copy answers just as well. A gold quote may list ``alternatives``
(``doc_id`` and ``quote`` each): other passages that answer the question as fully on their own,
found by reading the documents; finding any of them counts as finding the quote.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from eval.quality.metrics import Span
from qa.index.dedup import fold
from qa.ingest import read_corpus
from qa.paths import DEFAULT_CORPUS
from qa.types import Document

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "basra.jsonl"
SPLITS = ("dev", "test")
TAGS = ("lexical", "paraphrase", "comment", "multi-doc", "unanswerable", "code", "table", "how-to")


@dataclass(frozen=True)
class QuestionSet:
    """A question file and the corpus folder its quotes are in."""

    name: str
    corpus: Path
    questions: Path

    def load(
        self, split: str | None = None, documents: Sequence[Document] | None = None
    ) -> list[Question]:
        """The questions of ``split`` (all when None), their quotes located in ``documents``
        (by default the set's corpus, read now), in file order.

        Raises:
            ValueError: A line is malformed, or a quote is not in its document.
        """
        if documents is None:
            documents, _ = read_corpus(self.corpus)
        return load_questions({d.doc_id: d for d in documents}, split, self.questions)


QUESTION_SETS = {
    "basra": QuestionSet("basra", DEFAULT_CORPUS, QUESTIONS),
    "realdocs": QuestionSet(
        "realdocs", HERE / "realdocs" / "corpus", HERE / "realdocs" / "questions.jsonl"
    ),
    "newuser": QuestionSet(
        "newuser", HERE / "newuser" / "corpus", HERE / "newuser" / "questions.jsonl"
    ),
}
# The sets with a dev split, which defaults are chosen on ("newuser" is held out: test only).
DEV_SETS = ("basra", "realdocs")
# The kind of a question is the format of the file its first gold quote is in.
KINDS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".md": "md"}
KINDS |= {".markdown": "md", ".txt": "txt", ".rst": "rst"}


@dataclass(frozen=True)
class Question:
    """One question; ``gold[i]`` lists the places (the quote and its copies) of gold quote i."""

    id: str
    question: str
    gold: tuple[tuple[Span, ...], ...]
    answers: tuple[str, ...]
    tags: tuple[str, ...]
    split: str

    @property
    def answerable(self) -> bool:
        return bool(self.gold)

    @property
    def kind(self) -> str | None:
        """ "pdf", "docx", "html", "md", "txt" …: the format of the first gold quote's file;
        None for an unanswerable question."""
        if not self.gold:
            return None
        suffix = Path(self.gold[0][0].doc_id).suffix.lower()
        return KINDS.get(suffix, suffix.lstrip(".") or "other")


def load_questions(
    documents: Mapping[str, Document], split: str | None = None, path: Path = QUESTIONS
) -> list[Question]:
    """The questions of ``path`` (all, or one ``split``), their quotes located in ``documents``.

    Raises:
        ValueError: A line is malformed, or a quote is not in its document.
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    folded = {doc_id: fold(doc.text) for doc_id, doc in documents.items()}
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        where = f"{path.name}:{number} ({record.get('id')})"
        if record["split"] not in SPLITS or not set(record["tags"]) <= set(TAGS):
            raise ValueError(f"{where}: bad split or tags")
        gold = tuple(
            tuple(
                place
                for quote in (g, *g.get("alternatives", ()))
                for place in _places(quote["quote"], quote["doc_id"], documents, folded, where)
            )
            for g in record["gold"]
        )
        if split is None or record["split"] == split:
            questions.append(
                Question(
                    record["id"],
                    record["question"],
                    gold,
                    tuple(record["answers"]),
                    tuple(record["tags"]),
                    record["split"],
                )
            )
    return questions


def _places(
    quote: str,
    doc_id: str,
    documents: Mapping[str, Document],
    folded: Mapping[str, tuple[str, list[int]]],
    where: str,
) -> tuple[Span, ...]:
    if doc_id not in documents or quote not in documents[doc_id].text:
        raise ValueError(f"{where}: quote not found in {doc_id}: {quote[:60]!r}")
    start = documents[doc_id].text.index(quote)
    places = [Span(doc_id, start, start + len(quote))]
    needle = fold(quote)[0]
    for other, (text, origin) in folded.items():
        at = text.find(needle)
        while at != -1 and needle:
            span = Span(other, origin[at], origin[at + len(needle) - 1] + 1)
            if span not in places:
                places.append(span)
            at = text.find(needle, at + 1)
    return tuple(places)
