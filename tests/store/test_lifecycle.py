"""Persistence, corruption handling and incremental updates, with the real model and FAISS."""

import json
import logging
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa.errors import IndexCorruptError, IndexWriteError
from qa.service import QA
from qa.store.folder import read_index
from qa.store.versions import current_version


def make_qa(corpus: Path, index_dir: Path, **overrides) -> QA:
    return QA(corpus, index_dir, progress=False, **overrides)


@pytest.fixture
def built(corpus_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    make_qa(corpus_copy, tmp_path / "index").index()
    return corpus_copy, tmp_path / "index"


def test_persistence_round_trip(built):
    corpus, index_dir = built
    first = read_index(index_dir)
    qa = make_qa(corpus, index_dir)
    report = qa.index()
    assert report.up_to_date and report.embedded == 0
    again = read_index(index_dir)
    assert [c.chunk for c in again.chunks] == [c.chunk for c in first.chunks]
    assert (again.vectors.vectors() == first.vectors.vectors()).all()
    assert qa.retrieve("Who brokered the ceasefire?", k=3)


def test_an_up_to_date_index_is_served_without_loading_the_documents_encoder(built, monkeypatch):
    corpus, index_dir = built
    loads = []
    monkeypatch.setattr(QA, "document_encoder", property(lambda qa: loads.append(qa) or qa.encoder))
    qa = make_qa(corpus, index_dir)
    assert qa.index().up_to_date
    assert qa.retrieve("Who brokered the ceasefire?", k=3)
    assert loads == []  # a server started on an up-to-date index never loads that model
    (corpus / "new.md").write_text("# Added\n\nA note on the ceasefire brokered in Basra.\n")
    report = make_qa(corpus, index_dir).index()
    assert report.embedded > 0 and len(loads) == 1


def test_a_served_update_is_the_live_version_and_its_report_stays(built):
    """After an update, the QA serves the version it wrote, as read from the store: a check for
    news finds nothing newer, and the report of what changed is not replaced by "up to date"."""
    corpus, index_dir = built
    qa = make_qa(corpus, index_dir, refresh_seconds=0)  # every question checks first
    assert qa.index().up_to_date
    (corpus / "new.md").write_text("# Added\n\nA note on the ceasefire brokered in Basra.\n")
    report = qa.index()
    assert report.documents_read == 1 and not report.up_to_date
    served = qa._loaded
    assert served is not None and qa.store.is_current(served.retriever.index)
    assert qa.retrieve("Who brokered the ceasefire?", k=3)
    assert qa._loaded is served and qa.last_report is report


def test_index_folder_holds_plain_files_only(built):
    _, index_dir = built
    version = current_version(index_dir)
    names = {p.relative_to(version).as_posix() for p in version.rglob("*") if p.is_file()}
    assert {"manifest.json", "documents.jsonl", "chunks.jsonl", "vectors.faiss"} <= names
    assert not any(n.endswith((".pkl", ".pickle")) for n in names)
    manifest = json.loads((version / "manifest.json").read_text())
    assert manifest["settings"]["model"] == "all-MiniLM-L6-v2"
    assert manifest["settings"]["dimension"] == 384
    assert manifest["counts"]["chunks"] == sum(1 for _ in open(version / "chunks.jsonl"))
    assert "faiss-cpu" in manifest["versions"]


@pytest.mark.parametrize(
    "damage",
    ["truncate_vectors", "garble_chunks", "delete_bm25", "garble_manifest", "bad_current"],
)
def test_corruption_is_detected_moved_aside_and_rebuilt(built, damage, caplog):
    corpus, index_dir = built
    version = current_version(index_dir)
    if damage == "truncate_vectors":
        path = version / "vectors.faiss"
        path.write_bytes(path.read_bytes()[:1000])
    elif damage == "garble_chunks":
        path = version / "chunks.jsonl"
        path.write_text(path.read_text().replace('"start": ', '"start": 1', 1))
    elif damage == "delete_bm25":
        for file in (version / "bm25").iterdir():
            file.unlink()
    elif damage == "garble_manifest":
        (version / "manifest.json").write_text("{not json")
    else:
        (index_dir / "CURRENT").write_text("../../etc")
    with caplog.at_level(logging.WARNING, logger="qa"):
        qa = make_qa(corpus, index_dir)
        report = qa.index()
    assert "damaged" in caplog.text and "rebuilding" in caplog.text
    assert not report.up_to_date and report.embedded > 0
    read_index(index_dir)  # the new index is whole
    assert qa.retrieve("ceasefire", k=1)


def test_incremental_update_embeds_only_new_chunks(built, encoder):
    corpus, index_dir = built
    before = read_index(index_dir)
    old_hashes = {c.content_hash for c in before.chunks}

    added = "A new note.\n\nThe cease-fire was brokered in Qom by the Quds Force commander.\n"
    (corpus / "new_note.txt").write_text(added)
    changed = corpus / "002_000a60f2dc0f5aa1.txt"
    changed.write_text(changed.read_text() + "\nOne more line about the Basra offensive.\n")
    (corpus / "004_82396509a673133c.txt").unlink()

    report = make_qa(corpus, index_dir).index()
    after = read_index(index_dir)
    new_hashes = {c.content_hash for c in after.chunks} - old_hashes
    assert report.embedded == len(new_hashes) > 0
    assert report.documents_read == 2  # the added and the changed file; the rest reused
    assert report.reused == len(after.chunks) - sum(
        1 for c in after.chunks if c.content_hash in new_hashes
    )
    doc_ids = {d.doc_id for d in after.documents}
    assert "new_note.txt" in doc_ids and "004_82396509a673133c.txt" not in doc_ids
    assert all(c.chunk.doc_id != "004_82396509a673133c.txt" for c in after.chunks)
    # the reused vectors are exactly the ones computed before
    old_vectors = dict(
        zip([c.content_hash for c in before.chunks], before.vectors.vectors(), strict=True)
    )
    for stored, vector in zip(after.chunks, after.vectors.vectors(), strict=True):
        if stored.content_hash in old_vectors:
            assert (vector == old_vectors[stored.content_hash]).all()


def test_an_update_gives_the_index_a_rebuild_gives(built, tmp_path):
    """Reused words, duplicate places and vectors make the same index as starting over."""
    corpus, index_dir = built
    source = (corpus / "000_ce3c7cd48da314e0.txt").read_text()
    copied = source[len(source) // 3 : len(source) // 3 + 1500]  # a repost of a passage
    (corpus / "repost.txt").write_text(f"Seen elsewhere.\n\n{copied}\n")
    changed = corpus / "001_89a5137f6fea6e6d.txt"
    changed.write_text(changed.read_text().replace("Sadr", "al-Sadr", 3))
    (corpus / "003_f0163f8d9acaa1b0.txt").unlink()

    make_qa(corpus, index_dir).index()
    updated = read_index(index_dir)
    make_qa(corpus, tmp_path / "scratch").index()
    scratch = read_index(tmp_path / "scratch")

    assert [c.chunk for c in updated.chunks] == [c.chunk for c in scratch.chunks]
    assert [c.also_in for c in updated.chunks] == [c.also_in for c in scratch.chunks]
    assert any(c.also_in and c.chunk.doc_id == "repost.txt" for c in updated.chunks)
    # equal up to batching: bf16 results depend slightly on what else is in the batch
    cosines = (updated.vectors.vectors() * scratch.vectors.vectors()).sum(axis=1)
    assert cosines.min() > 0.999
    for question in ("Who brokered the ceasefire?", "al-Sadr Basra offensive", "Maliki"):
        scores, rows = updated.lexical.search(question, 20)
        expected_scores, expected_rows = scratch.lexical.search(question, 20)
        assert list(rows) == list(expected_rows)
        assert scores == pytest.approx(expected_scores, rel=1e-6)


def test_changed_settings_rebuild_the_index(built, caplog):
    corpus, index_dir = built
    with caplog.at_level(logging.WARNING, logger="qa"):
        report = make_qa(corpus, index_dir, chunk_tokens=96).index()
    assert "chunk_tokens 192 → 96" in caplog.text
    assert not report.up_to_date and report.documents_read == report.documents
    manifest = read_index(index_dir).manifest
    assert manifest.settings.chunk_tokens == 96


def test_a_crash_before_the_switch_keeps_the_old_index(built, monkeypatch):
    corpus, index_dir = built
    before = current_version(index_dir)
    (corpus / "extra.txt").write_text("Another document about Basra and Sadr and the Mahdi Army.")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("qa.store.versions._fsync_tree", crash)
    with pytest.raises(IndexWriteError, match="the previous index is kept"):
        make_qa(corpus, index_dir).index()
    assert current_version(index_dir) == before
    assert not [p for p in os.listdir(index_dir) if p.startswith(".tmp-")]
    read_index(index_dir)


def test_a_version_replaced_while_reading_is_not_taken_for_damage(built, monkeypatch):
    corpus, index_dir = built
    live = current_version(index_dir)
    real_read = read_index
    calls = []

    def read_during_a_switch(folder):
        calls.append(folder)
        if len(calls) == 1:  # as if another process deleted the old version mid-read
            from qa.errors import IndexCorruptError

            raise IndexCorruptError("chunks.jsonl is missing")
        return real_read(folder)

    monkeypatch.setattr("qa.store.folder.read_index", read_during_a_switch)
    report = make_qa(corpus, index_dir).index()
    assert report.up_to_date and len(calls) == 2
    assert current_version(index_dir) == live
    assert not any(p.name.startswith("broken-") for p in index_dir.iterdir())


def with_float32_inverted_file(index_dir: Path) -> np.ndarray:
    """Rewrite the index as versions before float16 wrote it: its vectors in a float32 inverted
    file (``IndexIVFFlat``). Returns the vectors."""
    import faiss

    from embeddings.vector_index import VectorIndex
    from qa.store.folder import write_index

    stored = read_index(index_dir)
    vectors = stored.vectors.vectors()
    old = faiss.IndexIVFFlat(faiss.IndexFlatIP(384), 384, 4, faiss.METRIC_INNER_PRODUCT)
    old.train(vectors)
    old.add(vectors)
    write_index(index_dir, replace(stored, vectors=VectorIndex(old)))
    assert read_index(index_dir).vectors.outdated
    return vectors


def test_an_index_of_float32_inverted_lists_is_rewritten_once_reusing_all(built, caplog):
    corpus, index_dir = built
    vectors = with_float32_inverted_file(index_dir)
    with caplog.at_level(logging.WARNING, logger="qa"):
        report = make_qa(corpus, index_dir).index()
    assert "older layout" in caplog.text
    assert report.embedded == 0 and report.documents_read == 0
    after = read_index(index_dir)
    assert not after.vectors.outdated and np.array_equal(after.vectors.vectors(), vectors)
    assert make_qa(corpus, index_dir).index().up_to_date


def test_an_old_layout_that_cannot_be_rewritten_is_used_as_it_is(built, monkeypatch, caplog):
    corpus, index_dir = built
    with_float32_inverted_file(index_dir)
    live = current_version(index_dir)

    def full_disk(*args, **kwargs):
        raise IndexWriteError("no space left on device while writing the index")

    monkeypatch.setattr("qa.store.folder.FolderStore.write", full_disk)
    with caplog.at_level(logging.WARNING, logger="qa"):
        qa = make_qa(corpus, index_dir)
        assert qa.index().up_to_date
    assert "no space left" in caplog.text and "using it as it is" in caplog.text
    assert current_version(index_dir) == live
    assert qa.retrieve("Who brokered the ceasefire?", k=3)


def test_records_are_read_lazily_and_checked(tmp_path):
    from qa.errors import IndexCorruptError
    from qa.store.records import JsonLines, _write_jsonl

    _write_jsonl(tmp_path / "r", iter([{"n": 1}, {"n": 2}, {"n": "three"}]))
    offsets = np.load(tmp_path / "r.offsets.npy")
    records = JsonLines(tmp_path / "r.jsonl", offsets, lambda r: int(r["n"]), cache=2)
    assert len(records) == 3 and records[0] == 1 and records[-2] == 2
    assert records[:2] == [1, 2]
    with pytest.raises(IndexError):
        records[3]
    with pytest.raises(IndexCorruptError, match="line 3"):
        records[2]
    with pytest.raises(IndexCorruptError, match="offsets"):
        JsonLines(tmp_path / "r.jsonl", offsets[:-1], int, cache=0)


def test_an_index_of_another_format_is_rebuilt_with_its_own_message(built, caplog):
    corpus, index_dir = built
    manifest = current_version(index_dir) / "manifest.json"
    manifest.write_text(json.dumps(dict(json.loads(manifest.read_text()), format=1)))
    with caplog.at_level(logging.WARNING, logger="qa"):
        report = make_qa(corpus, index_dir).index()
    assert "is from another version" in caplog.text and "index format 1" in caplog.text
    assert "damaged" not in caplog.text
    assert not report.up_to_date and read_index(index_dir)


@pytest.mark.slow  # two indexing processes
def test_two_processes_indexing_one_folder_at_once_leave_one_whole_index(corpus_copy, tmp_path):
    """The writer lock: both finish, one builds and the other finds the index up to date."""
    import subprocess
    import sys

    index_dir = tmp_path / "index"
    command = [sys.executable, "-m", "qa.cli", "index", str(corpus_copy), "--quiet"]
    command += ["--index-dir", str(index_dir)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert sum("up to date" in out for out in outputs) == 1, outputs
    assert len(read_index(index_dir).chunks) > 0
    assert len([p for p in index_dir.iterdir() if p.name.startswith("v-")]) == 1


def test_a_manifest_of_the_wrong_shape_is_damage_not_a_crash(built, caplog):
    corpus, index_dir = built
    manifest_path = current_version(index_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps(dict(manifest, files=["vectors.faiss"])))
    with pytest.raises(IndexCorruptError, match="wrong shape"):
        read_index(index_dir)
    manifest_path.write_text(json.dumps(dict(manifest, texts=[])))
    with pytest.raises(IndexCorruptError):
        read_index(index_dir)
