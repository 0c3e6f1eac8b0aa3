"""The import/export tests run on a pinned clock (a Monday in September 2026) with their own media root."""

from __future__ import annotations

import pytest

from .helpers import Clock


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def units(structure):
    return structure
