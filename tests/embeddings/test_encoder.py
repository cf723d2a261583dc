"""The encoder gives every batch one of a few shapes, the padding changes no embedding, and the
two runtimes agree."""

import random

import numpy as np
import pytest

from embeddings.encoder import (
    BATCH_WORD_PIECES,
    LENGTH_BUCKETS,
    ROW_BUCKETS,
    Encoder,
    batch_rows,
    batch_sizes,
    choose_precision,
    cpu_has_amx_int8,
    load_encoder,
    resolve_model,
)

WORDS = (
    "the ceasefire was brokered in Qom by Iranian officials after six days of fighting in "
    "Basra where militias held the port and the oil terminals while the army advanced"
).split()


def varied_texts(count: int, seed: int = 0) -> list[str]:
    """Texts of 1 to 300 words (the longest are cut to the model's 256 word pieces)."""
    rng = random.Random(seed)
    return [" ".join(rng.choices(WORDS, k=rng.randint(1, 300))) for _ in range(count)]


def test_every_batch_takes_one_of_the_allowed_shapes(encoder: Encoder, monkeypatch):
    shapes = []
    padded_batch = Encoder._padded_batch

    def recording(self, pieces):
        features = padded_batch(self, pieces)
        shapes.append(tuple(features["input_ids"].shape))
        return features

    monkeypatch.setattr(Encoder, "_padded_batch", recording)
    rng = random.Random(1)
    for _ in range(30):
        encoder.encode(varied_texts(rng.randint(1, 100), seed=rng.random()), batch_size=64)
    assert shapes
    assert {rows for rows, _ in shapes} <= set(ROW_BUCKETS)
    assert {length for _, length in shapes} <= set(LENGTH_BUCKETS)


@pytest.mark.parametrize(
    ("count", "batch_size", "rows"),
    [
        (20, 64, [16, 4]),
        (37, 64, [32, 4, 1]),
        (150, 64, [64, 64, 16, 4, 2]),
        (70, 100, [64, 4, 2]),  # 100 is not a row bucket: it is used only when full
        (250, 100, [100, 100, 48, 2]),
        (5, 3, [3, 2]),
    ],
)
def test_a_batch_is_split_into_allowed_sizes_with_no_padded_row(count, batch_size, rows):
    assert batch_rows(count, batch_size) == rows


def test_a_batch_size_or_model_limit_outside_the_buckets_is_its_own_bucket(encoder: Encoder):
    vectors = encoder.encode(varied_texts(250), batch_size=100)
    assert vectors.shape == (250, encoder.dimension)


@pytest.mark.parametrize("sort", [True, False])
def test_a_batch_of_long_texts_has_fewer_rows(sort: bool):
    rng = random.Random(5)
    lengths = [rng.randint(3, 256) for _ in range(500)]
    if sort:
        lengths.sort(reverse=True)
    sizes = batch_sizes(lengths, 64, 256)
    assert sum(sizes) == len(lengths)
    assert set(sizes) <= set(ROW_BUCKETS)
    begin = 0
    for rows in sizes:
        longest = max(lengths[begin : begin + rows])
        padded = min(b for b in LENGTH_BUCKETS if b >= longest)
        assert rows * padded <= BATCH_WORD_PIECES
        begin += rows
    # Short texts still go 64 at a time; 256 word pieces go 16 at a time.
    assert batch_sizes([20] * 128, 64, 256) == [64, 64]
    assert batch_sizes([256] * 32, 64, 256) == [16, 16]
    assert batch_sizes([20] * 20, 64, 256) == batch_rows(20, 64)


@pytest.fixture(scope="module")
def fp32_encoder() -> Encoder:
    return load_encoder("all-MiniLM-L6-v2", "fp32")


def test_padding_changes_no_embedding(fp32_encoder: Encoder):
    """In fp32 the padded batches give what sentence-transformers gives each text alone."""
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(
        resolve_model("all-MiniLM-L6-v2"), device="cpu", local_files_only=True
    )
    texts = varied_texts(40, seed=2)
    ours = fp32_encoder.encode(texts, batch_size=16)
    alone = np.vstack(
        [reference.encode([t], convert_to_numpy=True, normalize_embeddings=True) for t in texts]
    )
    assert (ours * alone).sum(axis=1).min() > 0.99999


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_openvino_agrees_with_torch_in_fp32(fp32_encoder: Encoder, precision: str, tmp_path):
    """What made OpenVINO the default: its embeddings are torch's (fp32) to 0.9999 or better."""
    compiled = load_encoder("all-MiniLM-L6-v2", precision, "openvino", tmp_path)
    torch_fp32 = load_encoder("all-MiniLM-L6-v2", "fp32", "torch")
    assert (compiled.runtime, torch_fp32.runtime) == ("openvino", "torch")
    texts = varied_texts(60, seed=4)
    cosine = (compiled.encode(texts) * torch_fp32.encode(texts)).sum(axis=1)
    assert cosine.min() >= (0.99999 if precision == "fp32" else 0.9999)


def test_an_embedding_does_not_depend_on_its_batch(encoder: Encoder):
    texts = varied_texts(20, seed=3)
    together = encoder.encode(texts)
    one_by_one = np.vstack([encoder.encode([t]) for t in texts])
    # bf16 rounds differently in matrices of different shapes; fp32 agrees to 1e-6.
    assert (together * one_by_one).sum(axis=1).min() > 0.9998


def test_int8_agrees_with_torch_in_fp32_closely(fp32_encoder: Encoder):
    """The int8 model's embeddings are fp32's to a cosine of 0.99 on average; SciFact's nDCG@10
    is within 0.005 of fp32 (qa bench, quality section)."""
    from qa.paths import models_dir

    int8 = load_encoder("all-MiniLM-L6-v2", "int8", "openvino", models_dir())
    assert (int8.runtime, int8.precision) == ("openvino", "int8")
    texts = varied_texts(60, seed=5)
    cosine = (int8.encode(texts) * fp32_encoder.encode(texts)).sum(axis=1)
    assert cosine.mean() >= 0.99
    if cpu_has_amx_int8():  # one text at 0.88 there: never what "auto" embeds documents in
        assert choose_precision("auto", "openvino", "documents") != "int8"
    else:
        assert cosine.min() >= 0.97


def test_auto_embeds_documents_in_int8_and_questions_in_floating_point_on_openvino_only():
    floating = choose_precision("auto", "torch")
    assert floating in ("bf16", "fp32")
    documents = floating if cpu_has_amx_int8() else "int8"  # AMX's int8 kernels stray
    assert choose_precision("auto", "openvino", "documents") == documents
    assert choose_precision("auto", "openvino", "questions") == floating
    assert choose_precision("auto", "torch", "documents") == floating  # torch runs no int8
    assert choose_precision("int8", "openvino", "questions") == "int8"  # asked for by name
    assert choose_precision("int8", "torch") == floating
    assert choose_precision("fp32", "openvino", "documents") == "fp32"


def test_documents_and_questions_share_one_encoder_where_they_resolve_alike(tmp_path):
    documents = load_encoder("all-MiniLM-L6-v2", "fp32", "torch", role="documents")
    assert load_encoder("all-MiniLM-L6-v2", "fp32", "torch", role="questions") is documents
