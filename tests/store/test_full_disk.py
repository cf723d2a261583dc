"""A full disk while indexing, on a real tmpfs: one clear error, the old index kept whole and
answering as before, nothing of the failed version left behind, and indexing works again once
there is room.

Mounting needs root; elsewhere these tests skip and say so. Every mount is undone in the
fixture's teardown, whatever the test did.
"""

from __future__ import annotations

import errno
import gc
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qa.errors import IndexWriteError, QAError
from qa.paths import DEFAULT_CORPUS as CORPUS
from qa.service import QA
from qa.store.folder import read_index
from qa.store.versions import CURRENT, current_version
from tests.helpers import ROOT  # noqa: E402

pytestmark = pytest.mark.slow  # a subprocess harness: make test runs it, make check does not

SMALL_DOC = "004_82396509a673133c.txt"  # 5 KB, 9 chunks: its index takes 84 KiB on a tmpfs
# Two corpus documents in one file: 47 KB, 58 chunks, an index of 276 KiB, so that the second
# version cannot be written next to the first on a disk of ``SMALL_DISK``.
BIG_DOCS = ("000_ce3c7cd48da314e0.txt", "003_f0163f8d9acaa1b0.txt")
SMALL_DISK = "256k"
QUESTIONS = ("Who brokered the ceasefire?", "What did Sadr demand?", "Basra offensive")

Mount = Callable[..., Path]


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Mount]:
    """``mount(name, size, inodes=None)``: a fresh tmpfs at ``tmp_path / name``, unmounted at
    teardown. Skips the test when mounting is not allowed (not root)."""
    mounted: list[Path] = []

    def mount_tmpfs(name: str, size: str, inodes: int | None = None) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        options = f"size={size}" + (f",nr_inodes={inodes}" if inodes else "")
        try:
            done = run_mount("-t", "tmpfs", "-o", options, "tmpfs", str(folder))
        except OSError as exc:  # no mount command at all
            pytest.skip(f"cannot mount a tmpfs: {exc}")
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs (needs root): {done.stderr.strip()}")
        mounted.append(folder)
        return folder

    try:
        yield mount_tmpfs
    finally:
        gc.collect()  # drop the test's memory maps of index files, which keep a mount busy
        for folder in reversed(mounted):
            if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
                # Still busy: detach it now, the kernel frees it when the last user goes.
                subprocess.run(["umount", "--lazy", str(folder)], check=True)


def run_mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


def used_bytes(folder: Path) -> int:
    stat = os.statvfs(folder)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


def fill(folder: Path) -> Path:
    """Fill the file system holding ``folder`` to the last byte with one ballast file."""
    ballast = folder / "ballast"
    with open(ballast, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return ballast


def small_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(CORPUS / SMALL_DOC, corpus / SMALL_DOC)
    return corpus


def add_big_document(corpus: Path) -> Path:
    big = corpus / "big.txt"
    big.write_text("".join((CORPUS / name).read_text(encoding="utf-8") for name in BIG_DOCS))
    return big


def answers(qa: QA) -> list[list[tuple[str, int, int, float]]]:
    return [
        [(p.doc_id, p.start, p.end, round(p.score, 5)) for p in qa.retrieve(q, k=5)]
        for q in QUESTIONS
    ]


def run_qa(*args: str) -> subprocess.CompletedProcess[str]:
    """The ``qa`` command in a process of its own, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_a_full_disk_keeps_the_old_index_and_says_so_in_one_line(
    mount: Mount, tmp_path: Path
) -> None:
    disk = mount("disk", SMALL_DISK)
    index_dir = disk / "index"
    corpus = small_corpus(tmp_path)
    qa = QA(corpus, index_dir, progress=False)
    first = qa.index()
    version, before = current_version(index_dir), answers(qa)
    assert version is not None and first.chunks == 9
    used = used_bytes(disk)

    big = add_big_document(corpus)
    done = run_qa("index", str(corpus), "--index-dir", str(index_dir))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"qa: error: no space left on device while writing the index to {index_dir}; the "
        "previous index is kept: free some space there or choose another index folder "
        "(--index-dir or QA_HOME), then index again"
    ]
    assert done.stdout == ""
    # Nothing of the failed version stays: not a temporary folder, not a byte of space.
    assert sorted(os.listdir(index_dir)) == sorted([".lock", CURRENT, version.name])
    assert used_bytes(disk) == used

    # The library raises its own error, and the QA that holds the old index still answers.
    with pytest.raises(IndexWriteError, match="no space left on device") as caught:
        qa.index()
    assert isinstance(caught.value, QAError)
    assert isinstance(caught.value.__cause__, OSError)
    assert caught.value.__cause__.errno == errno.ENOSPC
    assert answers(qa) == before
    assert sorted(os.listdir(index_dir)) == sorted([".lock", CURRENT, version.name])
    assert used_bytes(disk) == used

    # Read afresh from disk (the big file moved away, so that the index is up to date), the
    # old index is whole and answers exactly as before.
    aside = big.rename(tmp_path / big.name)
    reread = QA(corpus, index_dir, progress=False)
    report = reread.index()
    assert report.up_to_date and report.chunks == first.chunks
    assert len(read_index(index_dir).chunks) == first.chunks
    assert answers(reread) == before
    assert current_version(index_dir) == version

    # With room again, the same update goes through and the old version goes.
    aside.rename(big)
    assert run_mount("-o", "remount,size=4m", str(disk)).returncode == 0
    updated = qa.index()
    assert updated.documents == 2 and updated.chunks > first.chunks
    assert updated.reused == first.chunks  # the old index's vectors were still usable
    live = current_version(index_dir)
    assert live is not None and live != version
    assert sorted(os.listdir(index_dir)) == sorted([".lock", CURRENT, live.name])
    assert qa.retrieve("Who brokered the ceasefire?", k=1)[0].doc_id == "big.txt"


def test_a_disk_full_at_the_switch_keeps_the_old_pointer(
    mount: Mount, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The disk fills up in the last moment: the new version is complete, CURRENT is not.
    disk = mount("disk", "1m")
    index_dir = disk / "index"
    corpus = small_corpus(tmp_path)
    qa = QA(corpus, index_dir, progress=False)
    qa.index()
    version, before = current_version(index_dir), answers(qa)
    (corpus / "extra.txt").write_text("The Mahdi Army kept its weapons after the cease-fire.\n")

    import qa.store.versions as store

    real_write_text = store._write_text
    ballast: list[Path] = []

    def fill_then_write(path: Path, text: str) -> None:
        if path.name == CURRENT:
            ballast.append(fill(disk))
        real_write_text(path, text)

    monkeypatch.setattr(store, "_write_text", fill_then_write)
    with pytest.raises(IndexWriteError, match="the previous index is kept"):
        qa.index()
    assert ballast, "the disk was not filled at the switch"
    assert current_version(index_dir) == version
    assert sorted(os.listdir(index_dir)) == sorted([".lock", CURRENT, version.name])
    assert answers(qa) == before
    kept = read_index(index_dir)  # read afresh from disk and checked: whole
    assert kept.version == version.name and len(kept.chunks) == 9

    monkeypatch.undo()
    ballast[0].unlink()
    report = qa.index()
    assert report.documents == 2 and current_version(index_dir) != version


def test_no_room_for_the_lock_file_is_one_error_and_changes_nothing(
    mount: Mount, tmp_path: Path
) -> None:
    # A tmpfs with room for two inodes (its root and the index folder) and no more: the lock
    # file, the first thing written, cannot be created.
    disk = mount("disk", "1m", inodes=2)
    index_dir = disk / "index"
    index_dir.mkdir()
    with pytest.raises(IndexWriteError) as caught:
        QA(small_corpus(tmp_path), index_dir, progress=False).index()
    assert str(caught.value).startswith(
        f"no space left on device while writing the index to {index_dir}; no index was written"
    )
    assert os.listdir(index_dir) == []


def test_the_app_on_a_full_disk_prints_one_line_and_exits(mount: Mount, tmp_path: Path) -> None:
    # Too small for even the first index: the app must not start, and say why in one line.
    disk = mount("disk", "32k")
    corpus = small_corpus(tmp_path)
    index_dir = disk / "index"
    app = subprocess.run(
        [sys.executable, "app.py", "--corpus", str(corpus), "--index-dir", str(index_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert app.returncode == 1
    assert app.stderr.splitlines() == [
        f"qa: error: no space left on device while writing the index to {index_dir}; no index "
        "was written: free some space there or choose another index folder (--index-dir or "
        "QA_HOME), then index again"
    ]
    assert os.listdir(index_dir) == [".lock"]
