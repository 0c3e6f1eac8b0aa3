"""The test-only Ticket page: lead, cooperating and acceptance units see it; other units do not."""

from __future__ import annotations

from tests.factories import TicketFactory
from tests.scoping import Case
from tests.testapp.models import Ticket


def _ticket(marker: str, lead: str | None = None, coop: tuple[str, ...] = (), acceptance: str | None = None):
    def build(ctx):
        units = ctx["structure"]
        ticket = TicketFactory(
            title=marker,
            status=Ticket.WORKING,
            lead_unit=units[lead] if lead else None,
            acceptance_unit=units[acceptance] if acceptance else None,
            cooperating=[units[c] for c in coop],
        )
        return {"pk": ticket.pk}, marker

    return build


CASES = [
    Case(
        "testapp:ticket_detail",
        _ticket("TICKET-MARK-1", lead="sanyuanli"),
        owner="sanyuanli",
        outsider="jingtai",
    ),
    Case(
        "testapp:ticket_detail",
        _ticket("TICKET-MARK-2", lead="sanyuanli", coop=("taihe",)),
        owner="taihe",
        outsider="water",
    ),
    Case(
        "testapp:ticket_detail",
        _ticket("TICKET-MARK-3", lead="swj", acceptance="sthj"),
        owner="reviewer",
        outsider="housing",
    ),
    Case("testapp:ticket_detail", _ticket("TICKET-MARK-4", lead="swj"), owner="leader", outsider="sanyuanli"),
    Case("testapp:ticket_detail", _ticket("TICKET-MARK-5", lead="zjj"), owner="housing", outsider="nobody"),
    # a POST whose success redirects to the record's own page
    Case(
        "testapp:ticket_remind",
        _ticket("TICKET-MARK-6", lead="sanyuanli"),
        owner="sanyuanli",
        outsider="jingtai",
        method="post",
    ),
]

OPEN: dict[str, str] = {}
