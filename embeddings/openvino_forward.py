"""The encoder's forward pass compiled by OpenVINO, from the loaded sentence-transformers model.

The whole sentence-transformers model (transformer, pooling, normalisation) is traced once into
OpenVINO's form, so any model that torch can trace runs here; nothing is downloaded. Measured on
this machine's CPU (``qa bench``'s encoding section): OpenVINO in bf16 embeds SciFact chunks
faster than torch in bf16, embeds one question several times faster, and agrees with torch in
fp32 more closely than torch's own bf16 does (OpenVINO keeps the softmax and the normalisations
in fp32).

In int8 the traced model is quantised once by NNCF's post-training quantisation: its matrix
products read 8-bit weights and activations, scaled by the ranges the model's activations take
on a fixed calibration text (``calibration.txt``, shipped beside this file, so every machine
quantises alike). On a CPU with 8-bit dot products (VNNI, AMX) it embeds SciFact about 1.6 times
as fast as bf16, with SciFact's nDCG@10 within 0.003 of fp32 (``qa bench``). The default
precision embeds a corpus's documents in int8 and questions in bf16
(``embeddings.encoder.choose_precision``).

Tracing takes a few seconds and quantising about half a minute, so the model is kept under
``cache_dir`` (one folder per model version, precision kind and library versions) and read back
in a fraction of a second next time. It is written to a temporary folder and renamed, so a
crash never leaves half a model behind; a cached model that cannot be read is traced again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import shutil
import tempfile
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
CALIBRATION = Path(__file__).with_name("calibration.txt")  # texts separated by form-feed lines
CALIBRATION_TEXTS = 128  # 64 to 278 texts gave the same SciFact nDCG@10 within 0.002
MODEL_FILE = "model.xml"  # OpenVINO's form: the graph here, the weights beside it (model.bin)


def available() -> bool:
    """Whether OpenVINO is installed (it is a dependency; a trimmed install may lack it)."""
    try:
        import openvino  # noqa: F401
    except ImportError:
        return False
    return True


class OpenVINOForward:
    """Embeds padded batches with a compiled OpenVINO model: inputs as int64 arrays
    (``INPUTS``), output the pooled float32 embeddings, one row per input row."""

    def __init__(self, compiled: Any) -> None:
        self._request = compiled.create_infer_request()

    def __call__(self, features: dict[str, np.ndarray]) -> np.ndarray:
        # The callers (Encoder.encode under its lock) never run two batches at once, so one
        # request is reused; its output is copied out before the next batch overwrites it.
        result = self._request.infer({name: features[name] for name in INPUTS})
        return np.array(result[0], dtype=np.float32)


def compile_forward(
    st_model: Any, source: str, precision: str, cache_dir: Path | None
) -> OpenVINOForward:
    """Trace ``st_model`` (or read its cached trace) and compile it for this CPU.

    Args:
        st_model: The loaded sentence-transformers model, in fp32.
        source: Where the model was loaded from; a folder's files key the cache.
        precision: "bf16" or "fp32": the precision OpenVINO computes in; "int8": the model
            quantised, what stays in floating point computed in bf16 where the CPU has it.
        cache_dir: Folder for traced models; None traces every time.
    """
    import openvino as ov

    from embeddings.encoder import cpu_has_native_bf16

    core = ov.Core()
    quantised = precision == "int8"
    folder = _cache_folder(cache_dir, source, quantised)
    model = _read_cached(core, folder) if folder and (folder / MODEL_FILE).is_file() else None
    if model is None:
        model = _trace(st_model)
        if quantised:
            model = _quantise(model, st_model)
        if folder:
            _write_cache(model, folder)
    floating = "bf16" if precision == "bf16" or quantised and cpu_has_native_bf16() else "f32"
    config = {
        "INFERENCE_PRECISION_HINT": floating,
        "PERFORMANCE_HINT": "LATENCY",  # one batch at a time, on all the cores
    }
    return OpenVINOForward(core.compile_model(model, "CPU", config))


def _trace(st_model: Any) -> Any:
    import openvino as ov
    import torch
    from transformers.utils import logging as transformers_logging

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.st_model = st_model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            features = dict(zip(INPUTS, (input_ids, attention_mask, token_type_ids), strict=True))
            return self.st_model(features)["sentence_embedding"]

    example = tuple(torch.ones((2, 16), dtype=torch.long) for _ in INPUTS)
    shapes = [(name, [-1, -1], ov.Type.i64) for name in INPUTS]  # any rows, any length
    # The converter sets the root logger to ERROR while it runs and leaves it so when tracing
    # fails, which would silence the application's warnings: its state is put back here. The
    # tracer's warnings are about branches that the inputs' shapes settle (a mask as long as
    # the text), not the user's business; so are transformers' remarks on the model's config.
    root = logging.getLogger()
    level, filters, handlers = root.level, list(root.filters), list(root.handlers)
    transformers_level = transformers_logging.get_verbosity()
    try:
        transformers_logging.set_verbosity_error()
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ov.convert_model(SentenceEmbedding(), example_input=example, input=shapes)
    finally:
        root.setLevel(level)
        root.filters, root.handlers = filters, handlers
        transformers_logging.set_verbosity(transformers_level)


def calibration_texts() -> list[str]:
    """The texts whose activations set the int8 model's ranges: paragraphs of the demo corpus
    and of permissively licensed manuals (pip, Node.js, zstd; MIT and BSD), alone and in runs
    of up to eight, so that short and long inputs are both seen."""
    texts = CALIBRATION.read_text(encoding="utf-8").split("\n\f\n")
    return [t.strip() for t in texts if t.strip()][:CALIBRATION_TEXTS]


def _quantise(model: Any, st_model: Any, batch: int = 32) -> Any:
    """``model`` quantised to int8 by NNCF, calibrated on ``calibration_texts``."""
    import nncf

    texts = calibration_texts()
    tokenizer, length = st_model.tokenizer, int(st_model.max_seq_length)
    batches = [
        dict(tokenizer(texts[i : i + batch], padding=True, truncation=True, max_length=length,
                       return_token_type_ids=True, return_tensors="np"))
        for i in range(0, len(texts), batch)
    ]  # fmt: skip
    log.info("quantising the encoder to int8 (once; about half a minute)")
    nncf_log = logging.getLogger("nncf")
    level = nncf_log.level
    # NNCF's notes and progress bars (on the console) are about its steps, not the user's work.
    try:
        nncf_log.setLevel(logging.ERROR)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return nncf.quantize(
                model,
                nncf.Dataset([{n: b[n].astype(np.int64) for n in INPUTS} for b in batches]),
                model_type=nncf.ModelType.TRANSFORMER,
                subset_size=len(texts),
            )
    finally:
        nncf_log.setLevel(level)


def _cache_folder(cache_dir: Path | None, source: str, quantised: bool = False) -> Path | None:
    """The cache folder for this model version, or None where there is no cache to key.

    A model named on a hub (not a folder here) is traced every time: its files are not ours to
    fingerprint."""
    root = Path(source)
    if cache_dir is None or not root.is_dir():
        return None
    digest = hashlib.sha256(str(root.resolve()).encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for package in ("openvino", "torch", "transformers", "sentence-transformers"):
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    if quantised:  # the int8 model also depends on NNCF and the calibration texts
        digest.update(f"nncf={metadata.version('nncf')}\0{CALIBRATION_TEXTS}\0".encode())
        digest.update(CALIBRATION.read_bytes())
        return cache_dir / f"{root.name}-int8-{digest.hexdigest()[:16]}"
    return cache_dir / f"{root.name}-{digest.hexdigest()[:16]}"


def _read_cached(core: Any, folder: Path) -> Any | None:
    """The model saved in ``folder``, or None (the damaged copy removed) if it cannot be read."""
    try:
        return core.read_model(str(folder / MODEL_FILE))
    except Exception as exc:  # OpenVINO raises RuntimeError with its own text on any damage
        log.warning("cached model %s cannot be read (%s); tracing it again", folder, exc)
        shutil.rmtree(folder, ignore_errors=True)
        return None


def _write_cache(model: Any, folder: Path) -> None:
    """Save ``model`` to ``folder``: a temporary folder beside it, renamed when complete."""
    import openvino as ov

    staging: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        ov.save_model(model, str(staging / MODEL_FILE), compress_to_fp16=False)
        os.replace(staging, folder)
    except (OSError, RuntimeError) as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if not (folder / MODEL_FILE).is_file():  # else another process cached it first
            # A full or read-only disk: the next start traces again, nothing else is lost.
            log.warning("cannot cache the traced model in %s: %s", folder.parent, exc)
