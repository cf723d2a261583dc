"""Handing memory that torch has freed back to the operating system.

glibc keeps freed blocks in its heap for reuse and seldom returns them. torch's activations are
a new size for each batch shape, so in a server the heap's free space fragments and its resident
memory climbs: the answering process grew by 190 MB over 150 calls of varied shape even with the
shapes bounded (``embeddings.encoder``), and by under 10 MB once the free pages were returned
after each call (``malloc_trim``). A trim walks the whole heap (about 4 ms here), so it runs at
most once every ``TRIM_EVERY`` seconds: within that time a server touches little new memory.

A server answers on several threads, and glibc gives threads heaps of their own (arenas), each
fragmenting apart: the app grew 112 MB over 900 questions after its warm-up with glibc's default
arenas, and 10 MB with one (``eval.reliability.soak``, 1,000 questions, at the same speed: 0.343
against 0.340 s a question). ``share_one_heap`` asks for that at start-up.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time

TRIM_EVERY = 1.0  # seconds
_M_ARENA_MAX = -8  # mallopt's parameter number, from glibc's malloc.h


def share_one_heap() -> bool:
    """Make the process's threads share one glibc heap (``MALLOC_ARENA_MAX=1``); whether it
    could. Call it before starting threads: those that already have a heap keep it."""
    mallopt = _glibc("mallopt")
    return bool(mallopt and mallopt(_M_ARENA_MAX, 1))


class HeapTrimmer:
    """Calls glibc's ``malloc_trim(0)`` when asked, at most once every ``every`` seconds; does
    nothing where the C library is not glibc."""

    def __init__(self, every: float = TRIM_EVERY) -> None:
        self.every = every
        self._trim = _glibc("malloc_trim")
        self._last = float("-inf")
        self._lock = threading.Lock()

    def __call__(self) -> bool:
        """Trim if the last trim is ``every`` seconds old; whether it trimmed."""
        if self._trim is None:
            return False
        with self._lock:
            now = time.monotonic()
            if now - self._last < self.every:
                return False
            self._last = now
        self._trim(0)
        return True


def _glibc(name: str):
    """glibc's function ``name``, or None on another C library (musl, macOS)."""
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):
        return None
