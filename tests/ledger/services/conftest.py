"""Every ledger service test runs on a pinned clock (a Monday in September 2026, tests/clock.py) and stores
its evidence files in its own folder."""

from __future__ import annotations

import pytest

from tests.clock import Clock


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its evidence files in its own folder (and can see exactly what was written)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
