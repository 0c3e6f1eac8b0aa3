"""No one sees what is not theirs: every URL, as a person of another unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.scoping import all_cases, all_open, scoping_modules, url_names

# Django's own admin and i18n plumbing are not unit-scoped (the admin is for superusers only).
FRAMEWORK_PREFIXES = ("admin:", "set_language", "login", "logout", "api:openapi-json", "api:openapi-view")


def test_every_url_is_classified():
    classified = {c.url_name for c in all_cases()} | set(all_open())
    unclassified = sorted(
        n for n in url_names() if n not in classified and not n.startswith(FRAMEWORK_PREFIXES)
    )
    assert unclassified == [], (
        "These URLs are neither a scoped Case nor OPEN with a reason in tests/<app>/scoping.py: " + ", ".join(unclassified)
    )


def test_every_scoping_module_is_collected_wherever_the_app_keeps_it():
    """The harness finds tests/<app>/scoping.py and an app's further scoping_<part>.py modules."""
    assert {
        "tests.api.scoping",
        "tests.audit.scoping",
        "tests.dashboard.scoping",
        "tests.ledger.scoping",
        "tests.ledger.scoping_io",
        "tests.notifications.scoping",
        "tests.orgs.scoping",
        "tests.testapp.scoping",
    } <= set(scoping_modules())
    assert "tests.scoping" not in scoping_modules()


def test_open_urls_give_reasons():
    assert all(reason.strip() for reason in all_open().values())


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.id)
def test_outsider_sees_nothing(case, client, structure, people, make_user):
    ctx = {"structure": structure, "people": people, "make_user": make_user}
    kwargs, marker = case.build(ctx)
    url = reverse(case.url_name, kwargs=kwargs) + (f"?{case.query}" if case.query else "")
    send = getattr(client, case.method)

    client.force_login(people[case.owner])
    owner_response = send(url, case.data) if case.method == "post" else send(url)
    assert owner_response.status_code in (200, 302), f"positive control failed: owner got {owner_response.status_code}"
    if case.kind == "list" or case.method == "get":
        # A page that forwards the owner (opening a notification) shows the record through its redirect target.
        seen = owner_response.content.decode() + owner_response.get("Location", "")
        assert marker in seen, "positive control failed: the owner does not see the record"
    client.logout()

    # Rebuild for a mutating case: the owner's request may have changed or consumed the record.
    if case.method == "post":
        kwargs, marker = case.build(ctx)
        url = reverse(case.url_name, kwargs=kwargs) + (f"?{case.query}" if case.query else "")
    client.force_login(people[case.outsider])
    response = send(url, case.data) if case.method == "post" else send(url)
    if case.kind == "list":
        assert response.status_code in (200, 403, 404)
        assert marker not in response.content.decode(), f"{people[case.outsider]} sees {marker!r} at {url}"
    else:
        assert response.status_code in (403, 404), f"{people[case.outsider]} got {response.status_code} at {url}"
        assert marker not in response.content.decode()
