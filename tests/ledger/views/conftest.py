"""Fixtures of the ledger's page tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores evidence in its own folder, so it can see exactly what was written."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def as_user(client):
    """as_user(person) → the test client logged in as that person."""

    def login(user):
        client.logout()
        client.force_login(user)
        return client

    return login
