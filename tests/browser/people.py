"""Signing in as one of the test people (tests/conftest.py make_user), as a person does: the log-in form."""

from __future__ import annotations

PASSWORD = "pw-Baiyun-2026"  # tests/conftest.py make_user


def log_in(page, username: str) -> None:
    """Sign in through the form (after signing out of any earlier session) and wait for the first page."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-success")
    page.wait_for_selector('[data-testid="current-user"]')
