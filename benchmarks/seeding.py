"""Shared by our seed (ledger_seed.py) and the peer's (ledger_peer_worker.py, which runs in its own
virtualenv and imports nothing of ecoinspect): children spread over parents, written in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence


def spread_children(
    detail: Sequence,
    others: Sequence,
    *,
    total: int,
    per_detail: int,
    make: Callable[[object, int], Iterable],
    write: Callable[[list], None],
    every: int = 20_000,
) -> int:
    """``per_detail`` children for each ``detail`` parent, the rest of ``total`` spread evenly over
    ``others``; ``make(parent, n)`` builds a parent's children, ``write(batch)`` stores a batch of about
    ``every``. Returns how many were written."""
    pending: list = []
    written = 0

    def flush() -> None:
        nonlocal written
        write(pending)
        written += len(pending)
        pending.clear()

    for parent in detail:
        pending.extend(make(parent, per_detail))
    remaining = max(total - len(pending), 0)
    for idx, parent in enumerate(others):
        share = remaining // len(others) + (1 if idx < remaining % len(others) else 0)
        pending.extend(make(parent, share))
        if len(pending) >= every:
            flush()
    if pending:
        flush()
    return written
