"""Fixtures of the petitions app's tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def as_user(client):
    """as_user(person) → the test client logged in as that person (logged out of anyone before)."""

    def login(user):
        client.logout()
        client.force_login(user)
        return client

    return login
