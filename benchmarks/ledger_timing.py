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


def summary(samples_ms: list[float]) -> dict:
    return {
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
) -> list[float]:
    """Run ``call(i)`` ``warmup`` times untimed, then up to ``requests`` times, each timed in milliseconds.

    With ``budget_s``, stop once the budget is spent and at least ``min_requests`` were timed (for pages
    that take seconds each); the caller prints how many requests were actually made.
    """
    for i in range(warmup):
        call(i)
    samples = []
    started = time.perf_counter()
    for i in range(requests):
        t0 = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - t0) * 1000)
        if budget_s is not None and len(samples) >= min_requests and time.perf_counter() - started > budget_s:
            break
    return samples


def fmt_ms(value: float) -> str:
    if value != value:  # NaN
        return "—"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"
