from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.index.build import embedded_text, lexical_text
from qa.index.chunking import Chunker
from qa.ingest import read_corpus
from qa.paths import DEFAULT_CORPUS as CORPUS
from qa.types import RUNNING_LINES, Document, Segment


def make_chunker(encoder, size=64, overlap=8):
    return Chunker(encoder.count_tokens, encoder.token_offsets, size, overlap)


def corpus_chunks(encoder, size=192, overlap=32):
    docs, _ = read_corpus(CORPUS)
    return docs, [
        c for doc in docs for c in make_chunker(encoder, size, overlap).chunk_document(doc)
    ]


def test_offsets_round_trip_on_every_corpus_chunk(encoder):
    docs, chunks = corpus_chunks(encoder)
    texts = {d.doc_id: d.text for d in docs}
    assert len(chunks) > 50
    for chunk in chunks:
        assert texts[chunk.doc_id][chunk.start : chunk.end] == chunk.text
        assert chunk.text == chunk.text.strip() and chunk.text


def test_no_chunk_exceeds_the_model_input_limit(encoder):
    for size in (64, 192, 10_000):  # an oversized setting is capped at the model limit
        _, chunks = corpus_chunks(encoder, min(size, encoder.content_tokens), 16)
        longest = max(len(encoder._tokenizer(c.text)["input_ids"]) for c in chunks)
        assert longest <= encoder.max_tokens  # special tokens included


def test_chunks_stay_inside_one_indexed_segment(encoder):
    docs, chunks = corpus_chunks(encoder, 64, 8)
    segments = {d.doc_id: [s for s in d.segments if s.kind != "boilerplate"] for d in docs}
    for chunk in chunks:
        inside = [s for s in segments[chunk.doc_id] if s.start <= chunk.start < chunk.end <= s.end]
        assert len(inside) == 1
        assert inside[0].kind == chunk.part


def _two_pages(between: Segment | None = None) -> Document:
    """A paragraph that goes on over a page break, the page's footer and the next page's
    running header between its halves."""
    first = "Each bit of the FC_DEBUG value turns on one kind of debugging message, as"
    furniture = "3\n\nfonts-conf"
    second = "the table below lists: CONFIG 1024 shows which config files are loaded."
    text = f"{first}\n{furniture}\n{second}"
    cut = len(first) + 1 + len(furniture)
    between = between or Segment("boilerplate", len(first) + 1, cut, reason=RUNNING_LINES)
    segments = (Segment("article", 0, len(first)), between, Segment("article", cut + 1, len(text)))
    return Document("m.pdf", "Manual", text, segments=segments, pages=(0, len(first) + 4))


def test_a_paragraph_over_a_page_break_is_one_chunk_without_its_running_lines(encoder):
    doc = _two_pages()
    (chunk,) = make_chunker(encoder, 64, 8).chunk_document(doc)
    assert chunk.text == doc.text and chunk.pages == (1, 2)
    for indexed in (embedded_text(chunk, doc), lexical_text(chunk, doc)):
        assert "FC_DEBUG" in indexed and "1024" in indexed
        assert "fonts-conf" not in indexed and " 3 " not in f" {indexed} "
    assert len(embedded_text(chunk, doc)) == len(chunk.text)  # offsets stay the text's


def test_the_running_lines_inside_a_chunk_are_known_by_their_offsets(encoder):
    doc = _two_pages()
    (chunk,) = make_chunker(encoder, 64, 8).chunk_document(doc)
    running = doc.segments[1]
    assert doc.unindexed_spans(chunk.start, chunk.end) == ((running.start, running.end),)
    assert doc.unindexed_spans(0, running.start) == ()
    assert doc.unindexed_spans(running.start + 2, len(doc.text)) == (
        (running.start + 2, running.end),
    )


def test_only_running_lines_join_two_parts_of_a_text(encoder):
    doc = _two_pages()
    menu = Segment("boilerplate", doc.segments[1].start, doc.segments[1].end, reason="navigation")
    doc = _two_pages(between=menu)
    chunks = make_chunker(encoder, 64, 8).chunk_document(doc)
    assert [c.text for c in chunks] == [doc.text[s.start : s.end] for s in doc.segments[::2]]


def test_comment_chunks_carry_the_commenter(encoder):
    _, chunks = corpus_chunks(encoder)
    quds = [c for c in chunks if "Qassem Suleimani" in c.text]
    assert quds and all(c.part == "comment" and c.author == "barrisj" for c in quds)


def test_an_unbreakable_run_is_cut_at_word_pieces(encoder):
    text = "x" * 3000  # no separator at all: only the token-level cut can split it
    doc = Document("d.txt", "d", text, segments=(Segment("article", 0, len(text)),))
    chunks = make_chunker(encoder, 32, 4).chunk_document(doc)
    assert len(chunks) > 1
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        assert encoder.count_tokens(chunk.text) <= 32


def test_a_manuals_option_is_not_cut_from_its_description(encoder):
    # A PDF's list of options has no blank line between items: the cut falls before an
    # option's line, so that "The maximum value for this is 500." stays under its option.
    items = [
        "--suppressions=<filename> [default: $PREFIX/lib/valgrind/default.supp]\n"
        "Specifies an extra file from which to read descriptions of errors to suppress. "
        "You may use up to 100 extra suppression files.",
        "--num-callers=<number> [default: 12]\n"
        "Specifies the maximum number of entries shown in stack traces that identify "
        "program locations.\nThe maximum value for this is 500.",
        "--error-limit=<yes|no> [default: yes]\n"
        "When enabled, Valgrind stops reporting errors after 10,000,000 in total.",
    ]
    text = "\n".join(items)
    doc = Document("m.pdf", "m", text, segments=(Segment("article", 0, len(text)),))
    chunks = make_chunker(encoder, 56, 8).chunk_document(doc)  # one item each
    assert len(chunks) > 1
    for item in items:
        assert any(item in chunk.text for chunk in chunks), item
    # A sentence wrapped before an option's name goes on: no cut there.
    wrapped = (
        "Bash's set builtin, as its manual has it, wrapped at the width of a PDF's page.\n\n"
        "None of the commands executed within it are affected by the\n"
        "-e setting, even if -e is set and a command returns a failure status.\n"
        + "If a compound command sets -e while executing in such a context, it has no effect.\n"
        * 3
    )
    doc = Document("bash.pdf", "b", wrapped, segments=(Segment("article", 0, len(wrapped)),))
    for chunk in make_chunker(encoder, 56, 8).chunk_document(doc):
        assert not chunk.text.startswith("-e setting")


def test_a_definition_lists_term_is_not_cut_from_its_description(encoder):
    # The HTML reader writes a <dd> under its <dt> as ": ...": no cut falls between them, so
    # that "This initializes cif ..." is not left in a chunk under no name, however much text
    # comes before the term.
    entry = (
        "Function: ffi_status ffi_prep_cif (ffi_cif *cif, ffi_abi abi, unsigned int nargs)"
        "\n\n: This initializes cif according to the given parameters, for a call."
    )
    chunker = make_chunker(encoder, 64, 8)
    for n in range(10, 50, 3):
        text = " ".join(["The first thing you must do is create an object."] * (n // 10 + 1))
        text = f"{text[: n * 5]}.\n\n{entry}"
        doc = Document("libffi.html", "libffi", text, segments=(Segment("article", 0, len(text)),))
        chunks = chunker.chunk_document(doc)
        assert any(entry in chunk.text for chunk in chunks), n
        assert not any(chunk.text.startswith(": ") for chunk in chunks), n


words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=words)
def test_any_text_round_trips_within_the_limit(encoder, text):
    doc = Document("d.txt", "d", text, segments=(Segment("article", 0, len(text)),))
    for chunk in make_chunker(encoder, 24, 6).chunk_document(doc):
        assert text[chunk.start : chunk.end] == chunk.text
        assert encoder.count_tokens(chunk.text) <= 24
