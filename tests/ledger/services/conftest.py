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


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its evidence files in its own folder (and can see exactly what was written)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
