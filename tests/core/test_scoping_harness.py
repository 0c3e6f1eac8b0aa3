"""No one sees what is not theirs: every URL, as a person of another unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import TicketFactory
from tests.scoping import Case, all_cases, all_open, body, owner_verdict, scoping_modules, url_names
from tests.testapp.models import Ticket

# Django's own admin and i18n plumbing are not unit-scoped (the admin is for superusers only).
FRAMEWORK_PREFIXES = ("admin:", "set_language", "login", "logout", "api:openapi-json", "api:openapi-view")


def test_every_url_is_classified():
    classified = {c.url_name for c in all_cases()} | set(all_open())
    unclassified = sorted(
        n for n in url_names() if n not in classified and not n.startswith(FRAMEWORK_PREFIXES)
    )
    assert unclassified == [], (
        "These URLs are neither a scoped Case nor OPEN with a reason in tests/<app>/scoping.py: "
        + ", ".join(unclassified)
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
    verdict = owner_verdict(client, case, url, owner_response, marker)
    assert verdict.ok, f"positive control failed: {verdict.seen}"
    client.logout()

    # Rebuild for a mutating case: the owner's request may have changed or consumed the record.
    if case.method == "post":
        kwargs, marker = case.build(ctx)
        url = reverse(case.url_name, kwargs=kwargs) + (f"?{case.query}" if case.query else "")
    client.force_login(people[case.outsider])
    response = send(url, case.data) if case.method == "post" else send(url)
    if case.kind == "list":
        assert response.status_code in (200, 403, 404)
        assert marker not in body(response), f"{people[case.outsider]} sees {marker!r} at {url}"
    else:
        assert response.status_code in (403, 404), (
            f"{people[case.outsider]} got {response.status_code} at {url}"
        )
        assert marker not in body(response)


# ---- the harness's own test: a redirect is no proof that the owner got through --------------------------------


def _sanyuanli_ticket(ctx):
    ticket = TicketFactory(
        title="HARNESS-MARK", status=Ticket.WORKING, lead_unit=ctx["structure"]["sanyuanli"]
    )
    return {"pk": ticket.pk}, "HARNESS-MARK"


REFUSING = [
    ("harness:bounce_to_login", "", "redirected to the log-in page"),
    ("harness:refuse_with_message", "", "with the message '无权执行此操作。 / Not permitted.'"),
    ("harness:forward_to_missing", "", "led to a page answering 404"),
    ("harness:forward_home", "", "led to dashboard:home, which does not show 'HARNESS-MARK'"),
    ("harness:forward_home", "testapp:ticket_detail", "not to the declared testapp:ticket_detail"),
]


@pytest.mark.urls("tests.testapp.urls_harness")
@pytest.mark.parametrize(("url_name", "success", "why"), REFUSING, ids=[f"{r[0]}|{r[1]}" for r in REFUSING])
def test_an_owner_redirected_away_from_the_record_fails_the_positive_control(
    url_name, success, why, client, structure, people, make_user
):
    case = Case(url_name, _sanyuanli_ticket, owner="sanyuanli", outsider="jingtai", success=success)
    with pytest.raises(AssertionError) as failure:
        test_outsider_sees_nothing(case, client, structure, people, make_user)
    assert "positive control failed: sanyuanli GET /harness/" in str(failure.value)
    assert why in str(failure.value)


@pytest.mark.urls("tests.testapp.urls_harness")
@pytest.mark.parametrize(
    ("url_name", "method", "success"),
    [
        ("testapp:ticket_remind", "post", ""),  # back to the record's own page, which shows the marker
        ("harness:forward_home", "get", "dashboard:home"),  # the declared target
    ],
)
def test_a_redirect_to_the_record_or_the_declared_target_is_access(
    url_name, method, success, client, structure, people, make_user
):
    case = Case(
        url_name, _sanyuanli_ticket, owner="sanyuanli", outsider="jingtai", method=method, success=success
    )
    kwargs, marker = case.build({"structure": structure})
    url = reverse(url_name, kwargs=kwargs)
    client.force_login(people["sanyuanli"])
    verdict = owner_verdict(client, case, url, getattr(client, method)(url), marker)
    assert verdict.ok, verdict.seen
    assert " → 302 " in verdict.seen and verdict.seen.endswith("→ 200" if not success else f"({success})")
