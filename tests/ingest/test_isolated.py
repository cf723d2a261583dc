"""The child process that parsers run in: answers, errors, time limits and crashes."""

from __future__ import annotations

import binascii
import os
import time

import pytest

from qa.ingest import SkipFile, isolated


def test_a_call_returns_what_the_function_returns_in_another_process() -> None:
    assert isolated.call(os.getpid, seconds=30) != os.getpid()
    assert isolated.call(divmod, 17, 5, seconds=30) == [3, 2]  # plain data: tuples are lists


def test_bytes_pass_as_they_are_and_no_pickle_is_read() -> None:
    data = bytes(range(256)) * 1000
    assert isolated.call(binascii.hexlify, data, seconds=30) == data.hex().encode()
    assert isolated.call(binascii.unhexlify, "00ff10", seconds=30) == b"\x00\xff\x10"


def test_the_function_s_error_is_raised_here() -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        isolated.call(int, "not a number", seconds=30)


def test_a_call_past_its_time_limit_is_stopped_and_the_next_call_works() -> None:
    started = time.monotonic()
    with pytest.raises(SkipFile, match="took over 0.5 s"):
        isolated.call(time.sleep, 60, seconds=0.5)
    assert time.monotonic() - started < 10
    assert isolated.call(divmod, 7, 2, seconds=30) == [3, 1]


def test_a_parser_that_crashes_the_process_costs_one_file() -> None:
    with pytest.raises(SkipFile, match="crashed"):
        isolated.call(os._exit, 3, seconds=30)
    assert isolated.call(divmod, 9, 4, seconds=30) == [2, 1]


def test_the_child_s_memory_is_known() -> None:
    isolated.call(os.getpid, seconds=30)
    peak = isolated.child_peak_mib()
    assert peak is not None and 1 < peak < 1000
