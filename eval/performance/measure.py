"""What the benchmark's cases measure with: timing one call, percentiles of timings, the
process's memory, and the name of the encoders measured, shared by ``bench_cases`` and
``scale_cases`` (and the app and load benchmarks, through ``bench_cases``) and the tables."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

K = 5  # passages per question, as the chat asks for


def encoder_name(runtime: str, documents: str, questions: str) -> str:
    """ "runtime/precision", or "runtime/documents+questions" where documents and questions are
    embedded in two precisions ("openvino/int8+bf16", the default on OpenVINO)."""
    return f"{runtime}/{documents}" + (f"+{questions}" if questions != documents else "")


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    """p50, p95 and max of a list of milliseconds, rounded to 0.1 ms."""
    ordered = sorted(samples_ms)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
        "n": len(ordered),
    }


def timed_ms(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def peak_rss_mb() -> float:
    """The process's own peak resident memory, in MiB: VmHWM where there is /proc, else
    ru_maxrss (KiB on Linux, bytes on macOS).

    Linux carries the parent's high-water mark over to a child across fork and exec, so a
    case's ru_maxrss is at least what the bench process itself peaked at (a 10 MB child of a
    400 MB parent reports 411 MB); VmHWM belongs to the process's own address space.
    """
    if own := _status_mb("VmHWM"):
        return own
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1)


def current_rss_mb() -> float:
    """Resident memory now (VmRSS), in MiB; 0 where /proc is missing."""
    return _status_mb("VmRSS")


def _status_mb(field: str) -> float:
    """A memory figure of /proc/self/status in MiB; 0 where /proc is missing."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    line = next((x for x in status.splitlines() if x.startswith(f"{field}:")), f"{field}: 0 kB")
    return round(int(line.split()[1]) / 1024, 1)
