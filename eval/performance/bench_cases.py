"""The measurements of ``eval/performance/bench.py``, each run in a process of its own.

    python -m eval.performance.bench_cases CASE '{"argument": value, ...}'

A fresh process pays what a user's process pays (imports, loading the model, reading the index)
and its peak memory is that measurement's alone. The case prints one JSON line: its results,
with ``peak_rss_mb`` (the process's own high-water resident memory, VmHWM) and
``process_seconds`` (from the first line of this module to the result). The scale section's
cases are in ``scale_cases``; ``CASES`` here names them all.
"""

from __future__ import annotations

import time

PROCESS_STARTED = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

# percentiles is re-exported: the app and load benchmarks import it from here.
from eval.performance.measure import (  # noqa: E402
    K,
    encoder_name,
    peak_rss_mb,
    percentiles,
    timed_ms,
)
from eval.performance.pg_cases import (  # noqa: E402
    pg_compare,
    pg_retrieve,
    pg_vectors,
    pg_write,
)
from eval.performance.scale_cases import scale_index, scale_retrieve, scale_vectors  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


# -- our pipeline ----------------------------------------------------------------------------


def index_ours(corpus: str, index_dir: str, **settings: Any) -> dict[str, Any]:
    """A full build of ``corpus`` (nothing reused), then written to ``index_dir``."""
    from qa.service import QA

    qa = QA(corpus, index_dir, progress=False, **settings)
    started = time.perf_counter()
    encoder = qa.document_encoder
    qa.encoder  # noqa: B018  (the questions' encoder, which loading the index also loads)
    model_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = qa.index(rebuild=True)
    seconds = time.perf_counter() - started
    chunks = qa.retriever.index.chunks
    return {
        "precision": encoder.precision,
        "question_precision": qa.encoder.precision,
        "runtime": encoder.runtime,
        "batch_size": qa.settings.index.batch_size,
        "documents": report.documents,
        "chunks": report.chunks,
        "embedded": report.embedded,  # distinct chunk texts: the same text is embedded once
        "characters_embedded": sum(len(c.chunk.text) for c in chunks),
        "model_seconds": round(model_seconds, 2),
        "index_seconds": round(seconds, 2),
        "embedding_seconds": round(report.embedding_seconds, 2),
    }


def reindex_ours(corpus: str, index_dir: str) -> dict[str, Any]:
    """Bring an existing index up to date (the caller changed some files)."""
    from qa.service import QA

    qa = QA(corpus, index_dir, progress=False)
    qa.document_encoder  # noqa: B018  (the model load is not part of re-indexing)
    started = time.perf_counter()
    report = qa.index()
    return {
        "index_seconds": round(time.perf_counter() - started, 3),
        "documents_read": report.documents_read,
        "embedded": report.embedded,
        "reused": report.reused,
    }


def latency_ours(corpus: str, index_dir: str, questions: list[str], repeats: int) -> dict:
    """Warm ``retrieve`` and ``answer`` times over ``questions`` (an index exists). ``answer``
    asks each question once, so its sentence cache holds only what earlier, other questions
    brought (as in a server); ``answer_uncached`` is the same with the cache off."""
    from qa.service import QA
    from qa.settings import AnswerSettings

    timings: dict[str, Any] = {}
    for name, cache in (("answer_uncached", 0), ("answer", AnswerSettings().sentence_cache)):
        qa = QA(corpus, index_dir, progress=False, sentence_cache=cache)
        qa.index()
        for question in questions[:3]:  # warm up the model and the caches
            qa.answer(question, k=K)
        timings[name] = percentiles(
            [timed_ms(lambda q=q, a=qa: a.answer(q, k=K)) for q in questions]
        )
    asked = questions * repeats
    timings["retrieve"] = percentiles([timed_ms(lambda q=q: qa.retrieve(q, k=K)) for q in asked])
    return timings


def first_answer_ours(corpus: str, index_dir: str, question: str) -> dict[str, Any]:
    """From process start to the first answer; the index may or may not exist yet."""
    from qa.service import QA

    imported = time.perf_counter()
    qa = QA(corpus, index_dir, progress=False)
    answer = qa.answer(question, k=K)
    return {
        "import_seconds": round(imported - PROCESS_STARTED, 2),
        "first_answer_seconds": round(time.perf_counter() - PROCESS_STARTED, 2),
        "cited": len(answer.citations),
    }


def encoding(
    corpus: str, sample: int, encoders: list[str], batch_sizes: list[int]
) -> dict[str, Any]:
    """Embedding throughput of ``sample`` chunks of ``corpus`` (chunked as indexing does) for
    each encoder ("runtime/precision") and batch size, with and without length sorting, and
    each encoder's agreement with torch in fp32 (cosine per text)."""
    import numpy as np

    from embeddings import DEFAULT_MODEL
    from embeddings.encoder import load_encoder
    from qa.index.chunking import Chunker
    from qa.ingest import SkipFile, list_corpus_files, load_document
    from qa.paths import models_dir
    from qa.settings import IndexSettings

    reference = load_encoder(DEFAULT_MODEL, "fp32", "torch")
    settings = IndexSettings()
    chunker = Chunker(
        reference.count_tokens,
        reference.token_offsets,
        min(settings.chunk_tokens, reference.content_tokens),
        settings.chunk_overlap,
    )
    files = list_corpus_files(Path(corpus))
    texts: list[str] = []
    for i in np.random.default_rng(0).permutation(len(files)):
        try:
            texts += [c.text for c in chunker.chunk_document(load_document(files[i]))]
        except SkipFile:
            continue
        if len(texts) >= sample:
            break
    texts = texts[:sample]
    rows, vectors, question = [], {}, {}
    for name in encoders:
        runtime, precision = name.split("/")
        encoder = load_encoder(DEFAULT_MODEL, precision, runtime, models_dir())
        encoder.encode(texts[:16])  # warm up
        for batch_size in batch_sizes:
            for sort in (True, False):
                started = time.perf_counter()
                vectors[name] = encoder.encode(texts, batch_size=batch_size, sort_by_length=sort)
                seconds = time.perf_counter() - started
                rows.append(
                    {
                        "encoder": f"{encoder.runtime}/{encoder.precision}",
                        "batch_size": batch_size,
                        "sorted": sort,
                        "texts_per_s": round(len(texts) / seconds, 1),
                    }
                )
        question[name] = _question_latency(encoder)
    reference_vectors = reference.encode(texts)
    agreement = {}
    for name, found in vectors.items():
        cosine = np.sum(found * reference_vectors, axis=1)
        agreement[name] = {
            "mean_cosine": round(float(cosine.mean()), 6),
            "min_cosine": round(float(cosine.min()), 6),
        }
    return {
        "texts": len(texts),
        "rows": rows,
        "question": question,
        "agreement_with_torch_fp32": agreement,
    }


def _question_latency(encoder: Any, times: int = 30) -> dict[str, float]:
    """Milliseconds to embed one short question, as a search does."""
    encoder.encode(["warm up"])
    return percentiles([timed_ms(lambda: encoder.encode(["Who brokered the ceasefire?"]))
                        for _ in range(times)])  # fmt: skip


def beir_quality(folder: str, encoder: str, index_dir: str) -> dict[str, Any]:
    """SciFact test nDCG@10 and Recall@100 with ``encoder`` ("runtime/precision" settings, such
    as "auto/auto"), indexed
    afresh (an index does not record its runtime, so one built by another would be kept)."""
    from eval.quality import beir
    from qa.paths import qa_home
    from qa.service import QA

    dataset = beir.load_dataset(Path(folder), "test")
    corpus = qa_home() / "beir" / dataset.name / "corpus"
    beir.write_corpus(dataset, corpus)
    runtime, precision = encoder.split("/")
    qa = QA(corpus, index_dir, progress=False, precision=precision, runtime=runtime)
    report = qa.index(rebuild=True)
    return {
        "encoder": encoder_name(
            qa.encoder.runtime, qa.document_encoder.precision, qa.encoder.precision
        ),
        "chunks": report.chunks,
        "configs": beir.run(dataset, qa, sweep=False),
    }


def pdf_read(paths: list[str], repeats: int) -> dict[str, Any]:
    """Each PDF read with our reader (``qa.ingest.load_document``, as indexing reads it),
    ``repeats`` times; the median time of each, and pages per second over them all."""
    import statistics

    import pypdfium2  # noqa: F401  (imported before the clock starts: an indexer has it loaded)

    from eval.performance.measure import current_rss_mb
    from qa.ingest import CorpusFile, SkipFile, isolated, load_document

    rss_before = current_rss_mb()
    rows, skipped = [], {}
    for name in paths:
        path = Path(name)
        stat = path.stat()
        file = CorpusFile(path.name, path, stat.st_size, stat.st_mtime_ns)
        seconds = []
        try:
            for _ in range(repeats):
                started = time.perf_counter()
                document = load_document(file)
                seconds.append(time.perf_counter() - started)
        except SkipFile as skip:  # a scan or an encrypted file: no pages read, said so
            skipped[path.name] = skip.reason
            continue
        median = statistics.median(seconds)
        rows.append({
            "file": path.name,
            "megabytes": round(stat.st_size / 2**20, 2),
            "pages": len(document.pages),
            "characters": len(document.text),
            "seconds": round(median, 4),
            "pages_per_s": round(len(document.pages) / median, 1),
        })  # fmt: skip
    pages, seconds = sum(r["pages"] for r in rows), sum(r["seconds"] for r in rows)
    return {
        "files": rows,
        "pages": pages,
        "seconds": round(seconds, 3),
        "pages_per_s": round(pages / seconds, 1) if seconds else 0.0,
        "skipped": skipped,
        "repeats": repeats,
        # PDFium parses in a child process (qa.ingest.isolated): its peak, beside this one's
        "parser_peak_rss_mb": isolated.child_peak_mib(),
        "rss_before_mb": rss_before,
    }


# -- the tutorial recipe ---------------------------------------------------------------------


def index_tutorial(corpus: str, save_dir: str) -> dict[str, Any]:
    """The tutorial recipe over the same document text, saved to ``save_dir``."""
    from eval.quality.baseline import TutorialRecipe
    from qa.ingest import read_corpus

    started = time.perf_counter()
    documents, _ = read_corpus(Path(corpus))
    read_seconds = time.perf_counter() - started
    recipe = TutorialRecipe(documents)
    recipe.save(Path(save_dir))
    seconds = recipe.seconds
    return {
        "precision": "fp32",
        "batch_size": 32,
        "documents": len(documents),
        "chunks": len(recipe.texts),
        "characters_embedded": sum(len(t) for t in recipe.texts),
        "model_seconds": round(seconds["model"], 2),
        "index_seconds": round(
            read_seconds + seconds["split"] + seconds["embedding"] + seconds["index"], 2
        ),
        "embedding_seconds": round(seconds["embedding"], 2),
    }


def latency_tutorial(save_dir: str, questions: list[str], repeats: int) -> dict[str, Any]:
    """Warm retrieval of the saved tutorial index (it has no answer step)."""
    from eval.quality.baseline import TutorialRecipe

    recipe = TutorialRecipe.load(Path(save_dir))
    for question in questions[:3]:
        recipe.search_batch([question], K)
    asked = questions * repeats
    retrieve_ms = [timed_ms(lambda q=q: recipe.search_batch([q], K)) for q in asked]
    return {"retrieve": percentiles(retrieve_ms)}


def first_answer_tutorial(corpus: str, save_dir: str | None, question: str) -> dict[str, Any]:
    """Process start to the first retrieval: from the saved index, or building it first."""
    from eval.quality.baseline import TutorialRecipe
    from qa.ingest import read_corpus

    imported = time.perf_counter()
    if save_dir:
        recipe = TutorialRecipe.load(Path(save_dir))
    else:
        recipe = TutorialRecipe(read_corpus(Path(corpus))[0])
    found = recipe.search_batch([question], K)[0]
    return {
        "import_seconds": round(imported - PROCESS_STARTED, 2),
        "first_answer_seconds": round(time.perf_counter() - PROCESS_STARTED, 2),
        "cited": len(found),
    }


CASES: dict[str, Callable[..., dict[str, Any]]] = {
    "index_ours": index_ours,
    "reindex_ours": reindex_ours,
    "latency_ours": latency_ours,
    "first_answer_ours": first_answer_ours,
    "encoding": encoding,
    "beir_quality": beir_quality,
    "pdf_read": pdf_read,
    "scale_vectors": scale_vectors,
    "scale_index": scale_index,
    "scale_retrieve": scale_retrieve,
    "pg_compare": pg_compare,
    "pg_write": pg_write,
    "pg_vectors": pg_vectors,
    "pg_retrieve": pg_retrieve,
    "index_tutorial": index_tutorial,
    "latency_tutorial": latency_tutorial,
    "first_answer_tutorial": first_answer_tutorial,
}


def main(argv: list[str]) -> int:
    name, arguments = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    result = CASES[name](**arguments)
    result["peak_rss_mb"] = peak_rss_mb()
    result["process_seconds"] = round(time.perf_counter() - PROCESS_STARTED, 2)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
