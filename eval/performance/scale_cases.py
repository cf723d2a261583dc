"""The scale cases of ``eval/performance/bench.py``: the vector index alone at a size, an index
of synthetic chunks built without the model, and ``retrieve`` on such an index. Each runs in a
process of its own through ``bench_cases``, which registers them."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.performance.measure import K, current_rss_mb, percentiles, timed_ms

if TYPE_CHECKING:
    from embeddings.vector_index import VectorIndex
    from qa.index.lexical import LexicalIndex
    from qa.index.stored import StoredIndex
    from qa.types import Chunk, Document, Passage


def scale_vectors(
    real_index_dir: str, size: int, questions: list[str], repeats: int, previous: bool = False
) -> dict[str, Any]:
    """The vector index at ``size`` rows, synthesised from the real vectors in
    ``real_index_dir``: build, save and load times, recall@10 of ``VectorIndex`` against exact
    search, and single-question search latency (the question embedded once, beforehand).
    ``previous``: an inverted file as the default was before float16 lists (``IndexIVFFlat``,
    float32 vectors, the same lists), for the memory it took."""
    import tempfile

    import faiss
    import numpy as np

    from embeddings.vector_index import VectorIndex, list_count, training_sample
    from eval.performance.synthetic import synthetic_vectors
    from qa.service import load_index_encoder
    from qa.settings import IndexSettings
    from qa.store.folder import read_index

    def previous_default(vectors: np.ndarray) -> VectorIndex:
        lists = list_count(len(vectors))
        index = faiss.IndexIVFFlat(
            faiss.IndexFlatIP(vectors.shape[1]), vectors.shape[1], lists, faiss.METRIC_INNER_PRODUCT
        )
        index.train(training_sample(vectors, lists))
        index.add(vectors)
        return VectorIndex(index)

    real = read_index(Path(real_index_dir)).vectors.vectors()
    started = time.perf_counter()
    vectors = synthetic_vectors(real, size)
    synthesis_seconds = time.perf_counter() - started
    del real
    queries = load_index_encoder(IndexSettings()).encode(questions)  # as QA embeds them
    started = time.perf_counter()
    index = previous_default(vectors) if previous else VectorIndex.build(vectors)
    build_seconds = time.perf_counter() - started
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(queries, 10)
    del exact, vectors
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vectors.faiss"
        index.save(path)
        file_mb = path.stat().st_size / 2**20
        del index
        started = time.perf_counter()
        index = VectorIndex.load(path)
        load_seconds = time.perf_counter() - started
        found = [index.search(q[None, :], 10)[1][0] for q in queries]
        search_ms = [
            timed_ms(lambda q=q: index.search(q[None, :], 10))
            for q in queries
            for _ in range(repeats)
        ]
        kind = index.kind
        serving_mb = current_rss_mb()
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, found, strict=True)])
    return {
        "size": size,
        "kind": kind,
        "stored_as": "float16" if kind == "ivf" else "float32",
        "previous": previous,
        "synthesis_seconds": round(synthesis_seconds, 1),
        "build_seconds": round(build_seconds, 1),
        "load_seconds": round(load_seconds, 3),
        "file_mb": round(file_mb, 1),
        "recall_at_10": round(float(recall), 4),
        "search": percentiles(search_ms),
        "rss_after_search_mb": serving_mb,
    }


def scale_index(real_index_dir: str, scifact: str, size: int, index_dir: str) -> dict[str, Any]:
    """An index of ``size`` synthetic chunks written to ``index_dir``, built without the model:
    chunk texts from SciFact's sentences cut like the real index's chunks, vectors synthesised
    from its vectors (unrelated to the texts: the searches measure speed and memory, not
    quality), BM25 and the vector index built as indexing builds them."""
    from embeddings.vector_index import VectorIndex
    from eval.performance.synthetic import (
        chunk_templates,
        scifact_texts,
        synthetic_chunked_documents,
        synthetic_vectors,
    )
    from qa.index.build import lexical_text
    from qa.index.lexical import LexicalIndex
    from qa.store.folder import read_index, write_index

    seconds: dict[str, float] = {}
    clock = _Clock(seconds)
    real = read_index(Path(real_index_dir))
    templates = chunk_templates([stored.chunk for stored in real.chunks])
    with clock("vectors"):
        vectors = VectorIndex.build(synthetic_vectors(real.vectors.vectors(), size))
    del real
    with clock("text"):
        titles, abstracts = scifact_texts(Path(scifact))
        made = list(synthetic_chunked_documents(titles, abstracts, templates, size))
    documents = [document for document, _ in made]
    chunks = [chunk for _, found in made for chunk in found]
    del made
    with clock("bm25"):
        titled = {d.doc_id: d for d in documents}
        lexical = LexicalIndex.build([lexical_text(c, titled[c.doc_id]) for c in chunks])
    with clock("write"):
        index = _stored_index(documents, chunks, vectors, lexical, real_index_dir)
        version = write_index(Path(index_dir), index)
    return {
        "size": size,
        "documents": len(documents),
        "kind": vectors.kind,
        "characters": sum(len(c.text) for c in chunks),
        "seconds": {name: round(value, 1) for name, value in seconds.items()},
        "disk_mb": round(sum(f.stat().st_size for f in version.rglob("*") if f.is_file()) / 2**20),
    }


class _Clock:
    """``with clock(name):`` adds the block's seconds to ``seconds[name]``."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def _stored_index(
    documents: list[Document],
    chunks: list[Chunk],
    vectors: VectorIndex,
    lexical: LexicalIndex,
    source: str,
) -> StoredIndex:
    """The synthetic index as ``write_index`` takes it; the manifest says what it was made from
    (it has no corpus folder, so ``QA`` would not use it: ``scale_retrieve`` searches it). No
    duplicate search: every ``also_in`` and every sample is empty."""
    import numpy as np

    from embeddings import DEFAULT_MODEL
    from qa.index.build import PIPELINE_VERSION
    from qa.index.manifest import BuildSettings, FileStat, Manifest
    from qa.index.ragged import Ragged
    from qa.index.stored import StoredChunk, StoredIndex, content_hash
    from qa.settings import IndexSettings

    defaults = IndexSettings()
    manifest = Manifest(
        settings=BuildSettings(
            pipeline=PIPELINE_VERSION,
            model=DEFAULT_MODEL,
            precision="synthetic",
            dimension=vectors.dimension,
            max_tokens=256,
            chunk_tokens=defaults.chunk_tokens,
            chunk_overlap=defaults.chunk_overlap,
            duplicate_threshold=defaults.duplicate_threshold,
        ),
        corpus=f"synthetic ({source}, {len(chunks)} chunks)",
        documents=len(documents),
        chunks=len(chunks),
        created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )
    stats = {d.doc_id: FileStat(len(d.text.encode("utf-8")), 0) for d in documents}
    stored = [StoredChunk(c, content_hash(c.text)) for c in chunks]
    samples = Ragged(np.zeros(0, np.uint32), np.zeros(len(chunks) + 1, np.int64))
    return StoredIndex(manifest, documents, stats, stored, vectors, lexical, samples)


def scale_retrieve(index_dir: str, questions: list[str], repeats: int) -> dict[str, Any]:
    """Load the index in ``index_dir`` and search it as ``QA.retrieve`` does (question cleaned
    and embedded, default settings): load time, warm p50/p95 of the default mode and of each
    side alone, memory after loading and after the searches, and checks of what came back."""
    from qa.search.question import clean_question
    from qa.search.retriever import Retriever
    from qa.service import load_index_encoder
    from qa.settings import Settings
    from qa.store.folder import read_index

    defaults = Settings()
    settings = defaults.search
    started = time.perf_counter()
    index = read_index(Path(index_dir))
    load_seconds = time.perf_counter() - started
    loaded_mb = current_rss_mb()
    encoder = load_index_encoder(defaults.index)
    retriever = Retriever(index, encoder, settings, batch_size=defaults.index.batch_size)

    def retrieve(question: str, mode: str = settings.mode) -> list[Passage]:
        cleaned = clean_question(question, settings.max_question_chars)
        return retriever.search_batch([cleaned], K, mode)[0]

    found = [retrieve(q) for q in questions]  # also warms up the model and the caches
    asked = questions * repeats
    times = {
        mode: percentiles([timed_ms(lambda q=q, m=mode: retrieve(q, m)) for q in asked])
        for mode in dict.fromkeys((settings.mode, "dense", "bm25"))
    }
    return {
        "size": len(index.chunks),
        "documents": len(index.documents),
        "kind": index.vectors.kind,
        "mode": settings.mode,
        "load_seconds": round(load_seconds, 2),
        "rss_after_load_mb": loaded_mb,
        "retrieve": times[settings.mode],
        "by_mode": times,
        "rss_after_search_mb": current_rss_mb(),
        "fewest_passages": min(len(passages) for passages in found),
        "offsets_match": all(
            index.document(p.doc_id).text[p.start : p.end] == p.text for ps in found for p in ps
        ),
    }
