"""Handing freed memory back: the trim's rate limit, and the shared heap on glibc."""

import platform
import subprocess
import sys

import pytest

from embeddings.heap import HeapTrimmer

GLIBC = platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not GLIBC, reason="malloc_trim and mallopt are glibc's")
def test_a_trim_runs_at_most_once_a_period():
    trim = HeapTrimmer(every=60.0)
    assert trim() is True
    assert trim() is False  # within the period
    assert HeapTrimmer(every=0.0)() is True


@pytest.mark.skipif(not GLIBC, reason="malloc_trim and mallopt are glibc's")
def test_threads_can_be_made_to_share_one_heap():
    # In a process of its own: the setting lasts for the process.
    code = "from embeddings.heap import share_one_heap; print(share_one_heap())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
