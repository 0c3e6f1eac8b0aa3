"""The home page: one's own units, one's own queue (我的待办) and one's own notifications."""

from __future__ import annotations

from ecoinspect.core import queues
from tests.factories import NotificationFactory, TicketFactory
from tests.scoping import Case
from tests.testapp.models import Ticket


def _queued_ticket(lead: str, marker: str, **extra):
    # The autouse fixture in tests/conftest.py undoes the registration after the test.
    def build(ctx):
        queues.register(Ticket, label="测试工单")
        units = ctx["structure"]
        TicketFactory(
            title=marker,
            status=Ticket.ASSIGNED,
            lead_unit=units[lead],
            **{k: units[v] for k, v in extra.items()},
        )
        return {}, marker

    return build


def _note(person: str, marker: str):
    def build(ctx):
        NotificationFactory(recipient=ctx["people"][person], title=marker)
        return {}, marker

    return build


def _own_unit(code: str):
    def build(ctx):
        return {}, ctx["structure"][code].name

    return build


CASES = [
    Case(
        "dashboard:home",
        _queued_ticket("sanyuanli", "QUEUE-MARK-1"),
        owner="sanyuanli",
        outsider="jingtai",
        kind="list",
    ),
    Case(
        "dashboard:home",
        _queued_ticket("sanyuanli", "QUEUE-MARK-2"),
        owner="sanyuanli",
        outsider="reviewer",
        kind="list",
    ),
    Case(
        "dashboard:home",
        _queued_ticket("swj", "QUEUE-MARK-3"),
        owner="water",
        outsider="housing",
        kind="list",
    ),
    Case(
        "dashboard:home",
        _note("sanyuanli", "HOME-NOTE-1"),
        owner="sanyuanli",
        outsider="coordinator",
        kind="list",
    ),
    Case("dashboard:home", _own_unit("sanyuanli"), owner="sanyuanli", outsider="jingtai", kind="list"),
    # the API's queue (markers are ASCII: the API escapes non-ASCII JSON)
    Case(
        "api:queue",
        _queued_ticket("sanyuanli", "API-QUEUE-1"),
        owner="sanyuanli",
        outsider="taihe",
        kind="list",
    ),
    Case(
        "api:queue",
        _queued_ticket("taihe", "API-QUEUE-2", acceptance_unit="sthj"),
        owner="taihe",
        outsider="water",
        kind="list",
    ),
]

OPEN: dict[str, str] = {}
