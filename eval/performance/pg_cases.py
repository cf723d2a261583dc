"""The PostgreSQL cases of ``eval/performance/bench.py`` (its ``postgres`` section), each run in
a process of its own through ``bench_cases``, which registers them.

- ``pg_compare``: one corpus on the files backend and in the database (as ``vector`` and as
  ``halfvec``), the same index in each (the files index written to the database, nothing
  embedded twice): retrieval quality on an eval split or on SciFact, and ``retrieve`` latency.
- ``pg_write``: a folder index written to the database by the store's write path, with the
  seconds of its steps (rows, keys, HNSW) and the sizes of the tables and indexes.
- ``pg_retrieve``: ``retrieve`` on a synthetic index of a size as an app process runs it, on
  the files backend or in the database: p50/p95, statements per question, memory, and the
  dense side's recall@10 against exact search.
- ``pg_vectors``: synthetic vectors alone at a size (``synthetic.py``): HNSW build time, index
  size, and for each ``hnsw.ef_search`` recall@10 against exact search and p50/p95 of one
  query at a time, as the store asks it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from eval.performance.measure import K, percentiles, timed_ms

BACKENDS = ("files", "vector", "halfvec")  # the files backend, and the database's two types


def pg_compare(
    corpus: str,
    index_dir: str,
    url: str,
    questions: list[str],
    repeats: int,
    question_set: str | None = None,
    beir_folder: str | None = None,
    backends: list[str] = list(BACKENDS),  # noqa: B006  (never changed; JSON gives a list)
) -> dict[str, Any]:
    """For each backend, the quality of the default search on ``question_set``'s test split
    (Hit@5, MRR@10, nDCG@10) or on the BEIR dataset in ``beir_folder`` (nDCG@10 of each
    configuration), and warm ``retrieve`` p50/p95 over ``questions`` × ``repeats`` (none when
    that is empty)."""
    from qa.service import QA
    from qa.store.postgres import PostgresStore

    files = QA(corpus, index_dir, progress=False)
    files.index()
    result: dict[str, Any] = {"chunks": len(files.retriever.index.chunks), "backends": {}}
    for backend in backends:
        if backend == "files":
            qa = files
        else:
            store = PostgresStore(url, f"bench-{Path(corpus).name}-{backend}", vectors=backend)
            with store.writer_lock():
                store.write(files.retriever.index)
            qa = QA(corpus, store=store, progress=False)
            if (report := qa.index()).embedded:  # the same index in both, or no comparison
                raise RuntimeError(f"{report.embedded} chunks embedded again for {backend}")
        found: dict[str, Any] = {}
        if question_set is not None:
            found["quality"] = _split_quality(qa, question_set)
        if beir_folder is not None:
            found["quality"] = _beir_quality(qa, Path(beir_folder))
        for question in questions[:3]:  # warm up the model, the connection and the caches
            qa.retrieve(question, k=K)
        if asked := questions * repeats:
            found["retrieve"] = percentiles(
                [timed_ms(lambda q=q, qa=qa: qa.retrieve(q, k=K)) for q in asked]
            )
        result["backends"][backend] = found
    return result


def _split_quality(qa: Any, question_set: str) -> dict[str, float | None]:
    """Hit@5, MRR@10 and nDCG@10 of ``qa``'s default search on the set's test split, scored
    as ``qa eval`` scores them."""
    from eval.quality.questions import QUESTION_SETS
    from eval.quality.run import K as EVAL_K
    from eval.quality.run import places, score

    questions = QUESTION_SETS[question_set].load("test")
    texts = [q.question for q in questions]
    ranked = [[places(p) for p in found] for found in qa.retrieve_batch(texts, k=EVAL_K)]
    scores, _ = score(questions, ranked, None)
    return {
        "questions": len(questions),
        "hit_5": scores.hit_5,
        "mrr_10": scores.mrr_10,
        "ndcg_10": scores.ndcg_10,
    }


def _beir_quality(qa: Any, folder: Path) -> dict[str, Any]:
    """nDCG@10 and Recall@100 of each configuration on the dataset's test split."""
    from eval.quality import beir

    dataset = beir.load_dataset(folder, "test")
    return {"queries": len(dataset.queries), "configs": beir.run(dataset, qa, sweep=False)}


def pg_write(
    index_dir: str,
    url: str,
    corpus_id: str,
    vectors: str = "vector",
    m: int = 16,
    ef_construction: int = 64,
) -> dict[str, Any]:
    """The folder index in ``index_dir`` written to the database as the store writes it: the
    seconds of each step and of the whole write, and what the version takes on disk."""
    from qa.store.folder import read_index
    from qa.store.postgres import PostgresStore

    index = read_index(Path(index_dir))
    store = PostgresStore(url, corpus_id, vectors=vectors, m=m, ef_construction=ef_construction)
    index.vectors.vectors()  # read from disk before the clock starts
    started = time.perf_counter()
    with store.writer_lock():
        store.write(index)
    seconds = time.perf_counter() - started
    written = store.read()
    assert written is not None
    sizes = _sizes(url, int(written.version))
    return {
        "chunks": len(index.chunks),
        "postings": int(len(index.lexical.postings()[0])),
        "vectors": vectors,
        "m": m,
        "ef_construction": ef_construction,
        "write_seconds": round(seconds, 1),
        "steps": store.write_seconds,
        "sizes_mb": sizes,
    }


def _sizes(url: str, version: int) -> dict[str, float]:
    """MiB on disk of each table of ``version`` (its heap and TOAST) and of its indexes."""
    import psycopg

    sizes = {}
    with psycopg.connect(url) as connection:
        for part in ("documents", "chunks", "words"):  # the words hold the BM25 postings
            name = f"qa.v{version}_{part}"
            table, indexes = connection.execute(
                "SELECT pg_table_size(%s::regclass), pg_indexes_size(%s::regclass)", (name, name)
            ).fetchone()  # type: ignore[misc]
            sizes[part] = round(table / 2**20, 1)
            sizes[f"{part} indexes"] = round(indexes / 2**20, 1)
    return sizes


def pg_vectors(
    real_index_dir: str,
    url: str,
    size: int,
    questions: list[str],
    builds: list[dict[str, Any]],
    ef_searches: list[int],
    repeats: int = 1,
) -> dict[str, Any]:
    """``size`` synthetic vectors (shaped like the real ones in ``real_index_dir``) in a table
    of the database, for each of ``builds`` ({"vectors", "m", "ef_construction"}, and
    "workers" to build with other than the store's ``BUILD_WORKERS``): the HNSW
    build's seconds and size, then for each ``hnsw.ef_search`` recall@10 against exact search
    (FAISS, float32) and p50/p95 of one question at a time (embedded beforehand)."""
    import faiss
    import psycopg

    from eval.performance.synthetic import synthetic_vectors
    from qa.service import load_index_encoder
    from qa.settings import IndexSettings
    from qa.store.folder import read_index

    real = read_index(Path(real_index_dir)).vectors.vectors()
    started = time.perf_counter()
    vectors = synthetic_vectors(real, size)
    synthesis_seconds = time.perf_counter() - started
    del real
    queries = load_index_encoder(IndexSettings()).encode(questions)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(queries, 10)
    del exact
    rows = []
    with psycopg.connect(url, autocommit=True) as connection:
        loaded, copy_seconds = None, 0.0
        for build in builds:
            kind = build["vectors"]
            if loaded != kind:  # one table per vector type, its HNSW index rebuilt per build
                copy_seconds = _load_vectors(connection, vectors, kind)
                loaded = kind
            built = _build_hnsw(connection, size, vectors.shape[1], build)
            searches = [
                _search(connection, kind, queries, truth, ef, repeats) for ef in ef_searches
            ]
            rows.append({**build, "copy_seconds": copy_seconds, **built, "searches": searches})
            print(rows[-1], flush=True, file=sys.stderr)  # progress of a long run
        connection.execute("DROP TABLE IF EXISTS bench_vectors")
    return {
        "size": size,
        "dimension": int(vectors.shape[1]),
        "queries": len(queries),
        "synthesis_seconds": round(synthesis_seconds, 1),
        "builds": rows,
    }


def _load_vectors(connection: Any, vectors: Any, kind: str) -> float:
    """A new table ``bench_vectors`` (row, embedding of pgvector's ``kind``) holding
    ``vectors``, written by binary COPY as the store writes them; the seconds it took."""
    from qa.store import pg_copy

    connection.execute("DROP TABLE IF EXISTS bench_vectors")
    column = f"{kind}({vectors.shape[1]})"
    connection.execute(f"CREATE TABLE bench_vectors (row integer, embedding {column})")
    started = time.perf_counter()
    statement = "COPY bench_vectors (row, embedding) FROM STDIN (FORMAT BINARY)"
    with connection.cursor().copy(statement) as out:
        out.write(pg_copy.SIGNATURE)
        for begin in range(0, len(vectors), pg_copy.BLOCK_ROWS):
            fields = pg_copy.vectors(vectors[begin : begin + pg_copy.BLOCK_ROWS], kind)
            rows = (pg_copy.row(pg_copy.int4(begin + i), f) for i, f in enumerate(fields))
            out.write(b"".join(rows))
        out.write(pg_copy.TRAILER)
    return round(time.perf_counter() - started, 1)


def _build_hnsw(connection: Any, size: int, dimension: int, build: dict[str, Any]) -> dict:
    """The HNSW index of ``bench_vectors`` as ``build`` says, with the settings the store
    gives its builds: its seconds, settings and size, and the table's size."""
    from qa.store.pg_schema import VECTOR_OPS
    from qa.store.postgres import build_settings

    kind, m, construction = build["vectors"], int(build["m"]), int(build["ef_construction"])
    connection.execute("DROP INDEX IF EXISTS bench_vectors_hnsw")
    started = time.perf_counter()
    with connection.transaction():
        memory = connection.execute(
            "SELECT pg_size_bytes(current_setting('maintenance_work_mem'))"
        ).fetchone()[0]
        settings = build_settings(size, dimension, kind, m, memory)
        if "workers" in build:  # the store's BUILD_WORKERS, or another number to compare
            settings["max_parallel_maintenance_workers"] = str(int(build["workers"]))
        for name, value in settings.items():
            connection.execute("SELECT set_config(%s, %s, true)", (name, value))
        connection.execute(
            f"CREATE INDEX bench_vectors_hnsw ON bench_vectors USING hnsw "
            f"(embedding {VECTOR_OPS[kind]}) WITH (m = {m}, ef_construction = {construction})"
        )
    seconds = time.perf_counter() - started
    index, table = connection.execute(
        "SELECT pg_relation_size('bench_vectors_hnsw'), pg_table_size('bench_vectors')"
    ).fetchone()
    return {
        "build_seconds": round(seconds, 1),
        "build_settings": settings,
        "index_mb": round(index / 2**20, 1),
        "table_mb": round(table / 2**20, 1),
    }


def _search(
    connection: Any, kind: str, queries: Any, truth: Any, ef: int, repeats: int
) -> dict[str, Any]:
    """Recall@10 against ``truth`` and the latency of one query at a time at ``ef_search``
    ``ef``, each query sent as the store sends it (its text form)."""
    import numpy as np

    from qa.store.pg_index import vector_literal

    connection.execute("SELECT set_config('hnsw.ef_search', %s, false)", (str(ef),))
    query = f"SELECT row FROM bench_vectors ORDER BY embedding <#> %s::{kind} LIMIT 10"
    literals = [vector_literal(q) for q in queries]

    def top(literal: str) -> list[int]:
        return [row for (row,) in connection.execute(query, [literal]).fetchall()]

    found = [top(literal) for literal in literals]
    shared = [len(set(a.tolist()) & set(b)) for a, b in zip(truth, found, strict=True)]
    recall = np.mean(shared) / 10
    times = [timed_ms(lambda q=q: top(q)) for q in literals for _ in range(repeats)]
    return {"ef_search": ef, "recall_at_10": round(float(recall), 4), "search": percentiles(times)}


def pg_retrieve(
    index_dir: str,
    backend: str,
    questions: list[str],
    repeats: int,
    url: str | None = None,
    corpus_id: str | None = None,
) -> dict[str, Any]:
    """``retrieve`` on the synthetic index in ``index_dir`` as an app process runs it, on one
    backend: ``files`` (the folder read as the scale section reads it) or the database
    (``url``, ``corpus_id``: the same index written there by ``pg_write``). Warm p50/p95 of
    the default mode and of each side alone, the process's memory after opening the index and
    after the searches, the statements sent to the database per question, and the dense
    side's recall@10 against exact search (FAISS, float32, over the folder's vectors: read
    last, so that the memory figures are the serving process's alone)."""
    import faiss
    import numpy as np
    import psycopg

    from eval.performance.measure import current_rss_mb
    from qa.search.question import clean_question
    from qa.search.retriever import Retriever
    from qa.service import load_index_encoder
    from qa.settings import Settings
    from qa.store.folder import read_index
    from qa.store.pg_index import SET_EF_SEARCH
    from qa.store.postgres import PostgresStore

    defaults = Settings()
    settings = defaults.search
    started = time.perf_counter()
    if backend == "files":
        index: Any = read_index(Path(index_dir))
    else:
        assert url is not None and corpus_id is not None
        index = PostgresStore(url, corpus_id).read()
        if index is None:
            raise RuntimeError(f"no index {corpus_id!r} in the database: run pg_write first")
    open_seconds = time.perf_counter() - started
    opened_mb = current_rss_mb()
    encoder = load_index_encoder(defaults.index)
    retriever = Retriever(index, encoder, settings, batch_size=defaults.index.batch_size)

    def retrieve(question: str, mode: str = settings.mode) -> Any:
        cleaned = clean_question(question, settings.max_question_chars)
        return retriever.search_batch([cleaned], K, mode)[0]

    for question in questions:  # warm up the model, the connection and the caches
        retrieve(question)
    # A question's statements, and apart from them a connection's one-time setup (its
    # hnsw.ef_search): BM25 runs in a thread beside the dense search, so a question now and
    # then finds the pooled connection busy and opens a second one, whose setup is no cost of
    # that question.
    sent = setup = 0
    execute = psycopg.Cursor.execute

    def counted(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal sent, setup
        if query == SET_EF_SEARCH:
            setup += 1
        else:
            sent += 1
        return execute(self, query, *args, **kwargs)

    psycopg.Cursor.execute = counted  # type: ignore[method-assign]
    try:
        for question in questions:
            retrieve(question)
    finally:
        psycopg.Cursor.execute = execute  # type: ignore[method-assign]
    asked = questions * repeats
    times = {
        mode: percentiles([timed_ms(lambda q=q, m=mode: retrieve(q, m)) for q in asked])
        for mode in dict.fromkeys((settings.mode, "dense", "bm25"))
    }
    searched_mb = current_rss_mb()
    # The dense side as retrieve asks it (its candidates), against exact search.
    queries = encoder.encode(questions)
    _, rows = index.dense_search(queries, max(settings.candidates, 3 * K))
    vectors = read_index(Path(index_dir)).vectors.vectors()
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(queries, 10)
    shared = [len(set(t.tolist()) & set(r[:10].tolist())) for t, r in zip(truth, rows, strict=True)]
    return {
        "backend": backend,
        "size": int(vectors.shape[0]),
        "mode": settings.mode,
        "open_seconds": round(open_seconds, 2),
        "rss_after_open_mb": opened_mb,
        "rss_after_search_mb": searched_mb,
        "retrieve": times[settings.mode],
        "by_mode": times,
        "statements_per_question": round(sent / len(questions), 2),
        "connection_setups": setup,
        "dense_recall_at_10": round(float(np.mean(shared)) / 10, 4),
    }
