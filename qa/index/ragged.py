"""Rows of integers of different lengths, stored flat: what an index keeps per chunk so that an
update can reuse it (BM25's word ids, duplicate search's sampled shingle hashes).

Row ``i`` is ``values[offsets[i]:offsets[i + 1]]``. Two ``.npy`` files on disk, read memory-mapped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Ragged:
    values: np.ndarray
    offsets: np.ndarray

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[int] | np.ndarray], dtype: type) -> Ragged:
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        values = [np.asarray(r, dtype=dtype) for r in rows]
        return cls(np.concatenate(values) if values else np.zeros(0, dtype=dtype), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def row(self, i: int) -> np.ndarray:
        return self.values[self.offsets[i] : self.offsets[i + 1]]

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def save(self, folder: Path, name: str) -> None:
        np.save(folder / f"{name}.npy", self.values)
        np.save(folder / f"{name}-offsets.npy", self.offsets)

    @classmethod
    def load(cls, folder: Path, name: str) -> Ragged:
        """Raises ``OSError`` or ``ValueError`` when the files are missing or inconsistent."""
        values = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        offsets = np.load(folder / f"{name}-offsets.npy", allow_pickle=False)
        valid = (
            offsets.ndim == 1
            and len(offsets) >= 1
            and offsets[0] == 0
            and offsets[-1] == len(values)
            and bool(np.all(np.diff(offsets) >= 0))
        )
        if not valid:
            raise ValueError(f"{name}: offsets do not match the values")
        return cls(values, offsets)
