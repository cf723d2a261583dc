"""Rows for PostgreSQL's binary COPY, made with numpy: what the PostgreSQL store writes a
version's tables with.

Binary COPY sends numbers and vectors as their bytes, where text COPY had each float32 written
as its shortest decimal (``repr``) and parsed back by the server: at 100k chunks that text was
most of the load's time. The big tables are encoded in bulk: the BM25 postings are two byte
strings made once (one ``tobytes`` each), a word's postings slices of them, and a chunk's
vector and arrays are slices of arrays encoded once. The format is PostgreSQL's ("COPY",
"Binary Format"): a signature, then per row a 16-bit field count and each field as a 32-bit
length and its bytes, then -1; an array is its dimensions and element type followed by
length-prefixed elements; pgvector's ``vector`` is a 16-bit dimension, 16 unused bits and
big-endian float32s, its ``halfvec`` the same with float16s.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator

import numpy as np

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)  # no OIDs, no header extension
TRAILER = struct.pack(">h", -1)
INT4_OID, INT8_OID = 23, 20
BLOCK_ROWS = 50_000  # rows encoded and sent at a time: bounded memory at any size
# Element types of the vector column: numpy's big-endian form of each.
VECTOR_DTYPES = {"vector": ">f4", "halfvec": ">f2"}

_INT4 = struct.Struct(">i")
_FIELDS = {n: struct.pack(">h", n) for n in range(1, 8)}


def field(data: bytes) -> bytes:
    """One field: its length, then its bytes."""
    return _INT4.pack(len(data)) + data


def int4(value: int) -> bytes:
    return b"\x00\x00\x00\x04" + _INT4.pack(value)


def text(value: str) -> bytes:
    return field(value.encode("utf-8"))


def row(*fields: bytes) -> bytes:
    """A row of encoded fields (``field``, ``int4``, ``text``)."""
    return _FIELDS[len(fields)] + b"".join(fields)


def vectors(matrix: np.ndarray, kind: str = "vector") -> list[bytes]:
    """Each row of ``matrix`` as a field of pgvector's ``kind`` (``vector`` or ``halfvec``)."""
    dtype = VECTOR_DTYPES[kind]
    count, dimension = matrix.shape
    head = _INT4.pack(4 + dimension * np.dtype(dtype).itemsize) + struct.pack(">hh", dimension, 0)
    body = np.ascontiguousarray(matrix, dtype=dtype).tobytes()
    width = dimension * np.dtype(dtype).itemsize
    return [head + body[i * width : (i + 1) * width] for i in range(count)]


def arrays(values: np.ndarray, offsets: np.ndarray, oid: int) -> list[bytes]:
    """Each ``values[offsets[i]:offsets[i + 1]]`` as a field holding a one-dimensional array of
    int4 (``INT4_OID``) or int8 (``INT8_OID``); an empty row is an empty array."""
    dtype, size = (">i4", 4) if oid == INT4_OID else (">i8", 8)
    elements = np.empty(len(values), dtype=[("length", ">i4"), ("value", dtype)])
    elements["length"] = size
    elements["value"] = values
    body = elements.tobytes()
    width = 4 + size
    empty = field(struct.pack(">iii", 0, 0, oid))
    found = []
    for begin, end in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True):
        if begin == end:
            found.append(empty)
            continue
        data = struct.pack(">iiiii", 1, 0, oid, end - begin, 1) + body[begin * width : end * width]
        found.append(field(data))
    return found


def column_bytes(rows: np.ndarray, scores: np.ndarray) -> tuple[bytes, bytes]:
    """BM25 postings as the ``words`` table's byte strings hold them (``pg_schema``): rows as
    little-endian int32, scores as little-endian float32; word ``i``'s are the slices of its
    postings (4 bytes each)."""
    return rows.astype("<i4").tobytes(), scores.astype("<f4").tobytes()


def blocks(rows: Iterable[bytes], size: int = BLOCK_ROWS) -> Iterator[bytes]:
    """``rows`` joined ``size`` at a time: few, large writes."""
    batch: list[bytes] = []
    for encoded in rows:
        batch.append(encoded)
        if len(batch) >= size:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)
