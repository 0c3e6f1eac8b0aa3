"""The API package itself for the cross-unit harness: each app classifies its own endpoints beside its pages
(tests/orgs/scoping.py, tests/notifications/scoping.py, tests/dashboard/scoping.py, tests/ledger/scoping_io.py)."""

from __future__ import annotations

from tests.scoping import Case

CASES: list[Case] = []

OPEN = {
    "api:api-root": "django-ninja's root path; it serves nothing (404)",
}
