"""The measurements of ``eval/bench.py``, each run in a process of its own.

    python -m eval.performance.bench_cases CASE '{"argument": value, ...}'

A fresh process pays what a user's process pays (imports, loading the model, reading the index)
and its peak memory is that measurement's alone. The case prints one JSON line: its results,
with ``peak_rss_mb`` (the process's high-water resident memory) and ``process_seconds`` (from
the first line of this module to the result).
"""

from __future__ import annotations

import time

PROCESS_STARTED = time.perf_counter()

import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

if TYPE_CHECKING:
    from embeddings.vector_index import VectorIndex
    from qa.index.lexical import LexicalIndex
    from qa.index.stored import StoredIndex
    from qa.types import Chunk, Document, Passage

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

K = 5  # passages per question, as the chat asks for


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    """p50, p95 and max of a list of milliseconds, rounded to 0.1 ms."""
    ordered = sorted(samples_ms)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
        "n": len(ordered),
    }


def timed_ms(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def peak_rss_mb() -> float:
    """The process's peak resident memory (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1)


def current_rss_mb() -> float:
    """Resident memory now (VmRSS), in MiB; 0 where /proc is missing."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), "VmRSS: 0 kB")
    return round(int(line.split()[1]) / 1024, 1)


# -- our pipeline ----------------------------------------------------------------------------


def index_ours(corpus: str, index_dir: str, **settings: Any) -> dict[str, Any]:
    """A full build of ``corpus`` (nothing reused), then written to ``index_dir``."""
    from qa.service import QA

    qa = QA(corpus, index_dir, progress=False, **settings)
    started = time.perf_counter()
    encoder = qa.encoder
    model_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = qa.index(rebuild=True)
    seconds = time.perf_counter() - started
    chunks = qa.retriever.index.chunks
    return {
        "precision": encoder.precision,
        "batch_size": qa.settings.index.batch_size,
        "documents": report.documents,
        "chunks": report.chunks,
        "characters_embedded": sum(len(c.chunk.text) for c in chunks),
        "model_seconds": round(model_seconds, 2),
        "index_seconds": round(seconds, 2),
        "embedding_seconds": round(report.embedding_seconds, 2),
    }


def reindex_ours(corpus: str, index_dir: str) -> dict[str, Any]:
    """Bring an existing index up to date (the caller changed some files)."""
    from qa.service import QA

    qa = QA(corpus, index_dir, progress=False)
    qa.encoder  # noqa: B018  (the model load is not part of re-indexing)
    started = time.perf_counter()
    report = qa.index()
    return {
        "index_seconds": round(time.perf_counter() - started, 3),
        "documents_read": report.documents_read,
        "embedded": report.embedded,
        "reused": report.reused,
    }


def latency_ours(corpus: str, index_dir: str, questions: list[str], repeats: int) -> dict:
    """Warm ``retrieve`` and ``answer`` times over ``questions`` (an index exists)."""
    from qa.service import QA

    qa = QA(corpus, index_dir, progress=False)
    qa.index()
    for question in questions[:3]:  # warm up the model and the caches
        qa.answer(question, k=K)
    asked = questions * repeats
    retrieve_ms = [timed_ms(lambda q=q: qa.retrieve(q, k=K)) for q in asked]
    answer_ms = [timed_ms(lambda q=q: qa.answer(q, k=K)) for q in asked]
    return {"retrieve": percentiles(retrieve_ms), "answer": percentiles(answer_ms)}


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
    corpus: str, sample: int, precisions: list[str], batch_sizes: list[int]
) -> dict[str, Any]:
    """Embedding throughput of ``sample`` chunks of ``corpus`` (chunked as indexing does) for
    each precision and batch size, with and without length sorting, and each precision's
    agreement with fp32 (cosine per text)."""
    import numpy as np

    from embeddings import DEFAULT_MODEL
    from embeddings.encoder import load_encoder
    from qa.index.chunking import Chunker
    from qa.ingest import SkipFile, list_corpus_files, load_document
    from qa.settings import IndexSettings

    reference = load_encoder(DEFAULT_MODEL, "fp32")
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
    for precision in precisions:
        encoder = load_encoder(DEFAULT_MODEL, precision)
        encoder.encode(texts[:16])  # warm up
        for batch_size in batch_sizes:
            for sort in (True, False):
                started = time.perf_counter()
                vectors[precision] = encoder.encode(
                    texts, batch_size=batch_size, sort_by_length=sort
                )
                seconds = time.perf_counter() - started
                rows.append(
                    {
                        "precision": encoder.precision,
                        "batch_size": batch_size,
                        "sorted": sort,
                        "texts_per_s": round(len(texts) / seconds, 1),
                    }
                )
        question[encoder.precision] = _question_latency(encoder)
    agreement = {}
    if "fp32" in vectors:
        for precision, found in vectors.items():
            cosine = np.sum(found * vectors["fp32"], axis=1)
            agreement[precision] = {
                "mean_cosine": round(float(cosine.mean()), 6),
                "min_cosine": round(float(cosine.min()), 6),
            }
    return {
        "texts": len(texts),
        "rows": rows,
        "question": question,
        "agreement_with_fp32": agreement,
    }


def _question_latency(encoder: Any, times: int = 30) -> dict[str, float]:
    """Milliseconds to embed one short question, as a search does."""
    encoder.encode(["warm up"])
    return percentiles([timed_ms(lambda: encoder.encode(["Who brokered the ceasefire?"]))
                        for _ in range(times)])  # fmt: skip


def beir_quality(folder: str, precision: str, index_dir: str | None) -> dict[str, Any]:
    """SciFact test nDCG@10 and Recall@100 with the encoder in ``precision``."""
    from eval.quality import beir
    from qa.paths import qa_home
    from qa.service import QA

    dataset = beir.load_dataset(Path(folder), "test")
    corpus = qa_home() / "beir" / dataset.name / "corpus"
    beir.write_corpus(dataset, corpus)
    qa = QA(corpus, index_dir, progress=False, precision=precision)
    report = qa.index()
    return {
        "precision": qa.encoder.precision,
        "chunks": report.chunks,
        "configs": beir.run(dataset, qa, sweep=False),
    }


def scale_vectors(
    real_index_dir: str, size: int, questions: list[str], repeats: int
) -> dict[str, Any]:
    """The vector index at ``size`` rows, synthesised from the real vectors in
    ``real_index_dir``: build, save and load times, recall@10 of ``VectorIndex`` against exact
    search, and single-question search latency (the question embedded once, beforehand)."""
    import tempfile

    import faiss
    import numpy as np

    from embeddings import DEFAULT_MODEL
    from embeddings.encoder import load_encoder
    from embeddings.vector_index import VectorIndex
    from eval.performance.synthetic import synthetic_vectors
    from qa.store.folder import read_index

    real = read_index(Path(real_index_dir)).vectors.vectors()
    started = time.perf_counter()
    vectors = synthetic_vectors(real, size)
    synthesis_seconds = time.perf_counter() - started
    del real
    queries = load_encoder(DEFAULT_MODEL).encode(questions)
    started = time.perf_counter()
    index = VectorIndex.build(vectors)
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
    from embeddings.encoder import load_encoder
    from qa.search.question import clean_question
    from qa.search.retriever import Retriever
    from qa.settings import Settings
    from qa.store.folder import read_index

    defaults = Settings()
    settings = defaults.search
    started = time.perf_counter()
    index = read_index(Path(index_dir))
    load_seconds = time.perf_counter() - started
    loaded_mb = current_rss_mb()
    encoder = load_encoder(defaults.index.model, defaults.index.precision)
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
    "scale_vectors": scale_vectors,
    "scale_index": scale_index,
    "scale_retrieve": scale_retrieve,
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
