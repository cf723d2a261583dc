"""The traced model is cached between processes, and a damaged or unwritable cache costs a
trace, never an error."""

import logging

import numpy as np
import pytest

from embeddings.encoder import Encoder, _openvino_forward, resolve_model
from embeddings.openvino_forward import MODEL_FILE, _write_cache, compile_forward

TEXTS = ["Who brokered the ceasefire?", "a", "the port " * 200]


@pytest.fixture(scope="module")
def st_model():
    """The sentence-transformers model in fp32 (an encoder keeps only its tokenizer)."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(
        resolve_model("all-MiniLM-L6-v2"), device="cpu", local_files_only=True
    ).eval()


def embed(forward, encoder: Encoder) -> np.ndarray:
    pieces = encoder._tokenizer(TEXTS, truncation=True, max_length=256)["input_ids"]
    return np.vstack([forward(encoder._padded_batch([p])) for p in pieces])


def test_a_trace_is_cached_and_read_back_the_same(encoder, st_model, tmp_path):
    source = resolve_model("all-MiniLM-L6-v2")
    first = compile_forward(st_model, source, "fp32", tmp_path)
    [folder] = tmp_path.iterdir()
    assert (folder / MODEL_FILE).is_file()
    written = (folder / MODEL_FILE).stat().st_mtime_ns
    again = compile_forward(st_model, source, "fp32", tmp_path)
    assert (folder / MODEL_FILE).stat().st_mtime_ns == written  # read, not traced again
    np.testing.assert_allclose(embed(first, encoder), embed(again, encoder), atol=1e-6)


def test_a_process_that_cached_second_keeps_the_first_copy_quietly(
    encoder, st_model, tmp_path, caplog
):
    import openvino

    compile_forward(st_model, resolve_model("all-MiniLM-L6-v2"), "fp32", tmp_path)
    [folder] = tmp_path.iterdir()
    written = (folder / MODEL_FILE).stat().st_mtime_ns
    with caplog.at_level(logging.WARNING):
        _write_cache(openvino.Core().read_model(str(folder / MODEL_FILE)), folder)
    assert caplog.text == ""
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]  # no staging folder left
    assert (folder / MODEL_FILE).stat().st_mtime_ns == written


def test_a_damaged_cache_is_traced_again(encoder, st_model, tmp_path, caplog):
    source = resolve_model("all-MiniLM-L6-v2")
    compile_forward(st_model, source, "fp32", tmp_path)
    [folder] = tmp_path.iterdir()
    (folder / MODEL_FILE).write_text("<net>not a model")
    with caplog.at_level(logging.WARNING):
        forward = compile_forward(st_model, source, "fp32", tmp_path)
    assert "tracing it again" in caplog.text
    assert embed(forward, encoder).shape == (len(TEXTS), encoder.dimension)
    assert (folder / MODEL_FILE).read_text().startswith("<?xml")  # the damaged copy replaced


def test_an_unwritable_cache_still_gives_a_model(encoder, st_model, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    source = resolve_model("all-MiniLM-L6-v2")
    with caplog.at_level(logging.WARNING):
        forward = compile_forward(st_model, source, "fp32", blocker)
    assert "cannot cache" in caplog.text
    assert embed(forward, encoder).shape == (len(TEXTS), encoder.dimension)


def test_a_model_openvino_cannot_trace_falls_back_to_torch(caplog):
    with caplog.at_level(logging.WARNING):
        assert _openvino_forward(object(), "no-such-model", "fp32", None) is None
    assert "using torch" in caplog.text


def test_the_int8_model_is_quantised_once_and_cached_apart(encoder, st_model, monkeypatch):
    """The session's encoder quantised the model into QA_HOME's cache (where the CPU has 8-bit
    dot products); compiling it again reads that copy, and the float model is cached apart."""
    from embeddings import openvino_forward
    from qa.paths import models_dir

    source = resolve_model("all-MiniLM-L6-v2")
    compile_forward(st_model, source, "int8", models_dir())  # quantised here if not yet

    def no_quantising(*args):
        raise AssertionError("quantised again")

    monkeypatch.setattr(openvino_forward, "_quantise", no_quantising)
    forward = compile_forward(st_model, source, "int8", models_dir())
    assert embed(forward, encoder).shape == (len(TEXTS), encoder.dimension)
    compile_forward(st_model, source, "fp32", models_dir())
    names = [p.name for p in models_dir().iterdir()]
    assert any("-int8-" in n for n in names) and any("-int8-" not in n for n in names)


def test_the_calibration_texts_ship_with_the_package():
    from embeddings.openvino_forward import CALIBRATION_TEXTS, calibration_texts

    texts = calibration_texts()
    assert len(texts) == CALIBRATION_TEXTS
    assert all(len(t.split()) >= 4 for t in texts)
