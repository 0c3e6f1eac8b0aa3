"""Fixtures of the ledger's tests.

``clock`` pins ``timezone.now`` (a Monday in September 2026) and ``media_root`` gives a test its own media
folder; both are opt-in here (``pytestmark = pytest.mark.usefixtures("clock", "media_root")``) and
automatic in tests/ledger/services/.
"""

from __future__ import annotations

import pytest

from tests.clock import Clock


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def units(structure):
    return structure
