"""At least 97% of the prose of real manuals, READMEs and Word files is indexed: read by its
format's reader, kept by the structure rules, and covered by the chunks. Prose is every
character of the document's text but white space, a PDF's running headers and footers and
its table of contents, and a Markdown file's comments and table of contents."""

from __future__ import annotations

import pytest

from eval.quality.questions import QUESTION_SETS
from qa.index.chunking import Chunker
from qa.index.manifest import text_kept
from qa.ingest import read_corpus
from qa.settings import IndexSettings
from qa.types import (
    FRONT_MATTER,
    LINK_REFERENCES,
    RAW_MARKUP,
    RUNNING_LINES,
    SOURCE_COMMENTS,
    TABLE_OF_CONTENTS,
)

REALDOCS = QUESTION_SETS["realdocs"].corpus


@pytest.mark.slow  # chunks 2.8 MB of text
def test_at_least_97_percent_of_each_real_document_s_prose_is_in_its_chunks(encoder) -> None:
    settings = IndexSettings()
    chunker = Chunker(
        encoder.count_tokens, encoder.token_offsets, settings.chunk_tokens, settings.chunk_overlap
    )
    documents, skipped = read_corpus(REALDOCS)
    assert not skipped and len({d.doc_id.rsplit(".", 1)[1] for d in documents}) == 5
    kept = text_kept(documents)
    short = {}
    for doc in documents:
        running = [
            s
            for s in doc.segments
            if s.kind == "boilerplate"
            and (
                doc.pages
                or s.reason
                in (SOURCE_COMMENTS, TABLE_OF_CONTENTS, LINK_REFERENCES, FRONT_MATTER, RAW_MARKUP)
            )
        ]
        prose = _visible(doc.text, [(0, len(doc.text))]) - _visible(
            doc.text, [(s.start, s.end) for s in running]
        )
        indexed = _visible(doc.text, [(c.start, c.end) for c in chunker.chunk_document(doc)])
        if indexed < 0.97 * prose:
            short[doc.doc_id] = (indexed, prose, kept[doc.doc_id].dropped)
        left_out = {
            RUNNING_LINES,
            TABLE_OF_CONTENTS,
            SOURCE_COMMENTS,
            LINK_REFERENCES,
            FRONT_MATTER,
            RAW_MARKUP,
            "navigation",
        }
        assert set(kept[doc.doc_id].dropped) <= left_out
    assert short == {}


def _visible(text: str, spans: list[tuple[int, int]]) -> int:
    """Characters other than white space inside the union of ``spans``."""
    covered = bytearray(len(text))
    for start, end in spans:
        covered[start:end] = b"\x01" * (end - start)
    return sum(1 for ch, on in zip(text, covered, strict=True) if on and not ch.isspace())
