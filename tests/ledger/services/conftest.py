"""Every ledger service test runs on a pinned clock (a Monday in September 2026, see builders.START)."""

from __future__ import annotations

import pytest

from .builders import Clock, Ledger


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def ledger(people, structure, clock):
    return Ledger(people, structure, clock)
