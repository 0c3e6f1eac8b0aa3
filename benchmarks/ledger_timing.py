"""Timing helpers shared by ledger_bench.py and the peer's worker (pure Python: imported by both venvs)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (the value below which p % of the samples fall), as load testers report it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(samples_ms: list[float], cpu_ms: list[float] | None = None) -> dict:
    """Percentiles of the wall times; with ``cpu_ms``, the raw samples and the CPU median go along (so
    that runs in several rounds can be merged)."""
    extra = {"samples": samples_ms, "cpu": cpu_ms, "cpu_p50": percentile(cpu_ms, 50)} if cpu_ms else {}
    return {
        **extra,
        "n": len(samples_ms),
        "p50": percentile(samples_ms, 50),
        "p95": percentile(samples_ms, 95),
        "max": max(samples_ms) if samples_ms else float("nan"),
        "mean": sum(samples_ms) / len(samples_ms) if samples_ms else float("nan"),
    }


def time_calls(
    call: Callable[[int], object],
    *,
    requests: int,
    warmup: int = 5,
    budget_s: float | None = None,
    min_requests: int = 20,
    cpu_out: list | None = None,
) -> list[float]:
    """Run ``call(i)`` ``warmup`` times untimed, then up to ``requests`` times, each timed in milliseconds.

    With ``budget_s``, stop once the budget is spent and at least ``min_requests`` were timed (for pages
    that take seconds each); the caller prints how many requests were actually made. ``cpu_out`` receives
    each call's CPU time in this process (ms): on a shared machine it moves much less than the wall time.
    """
    for i in range(warmup):
        call(i)
    samples = []
    started = time.perf_counter()
    for i in range(requests):
        c0, t0 = time.process_time(), time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - t0) * 1000)
        if cpu_out is not None:
            cpu_out.append((time.process_time() - c0) * 1000)
        if budget_s is not None and len(samples) >= min_requests and time.perf_counter() - started > budget_s:
            break
    return samples


def fmt_ms(value: float) -> str:
    if value != value:  # NaN
        return "—"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"
