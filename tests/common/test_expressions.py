"""AnyOf: ``column IN (…)`` bound as one list, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db.models import Q

from ecoinspect.common.expressions import AnyOf
from tests.factories import TicketFactory
from tests.testapp.models import Ticket

pytestmark = pytest.mark.django_db


def test_any_of_selects_exactly_the_listed_keys_alone_and_in_an_or(structure):
    tickets = [TicketFactory(lead_unit=structure["swj"] if i < 2 else structure["zjj"]) for i in range(6)]
    listed = [tickets[3].pk, tickets[5].pk, 10**9]  # a key that does not exist changes nothing

    assert set(Ticket.objects.filter(AnyOf("pk", listed))) == {tickets[3], tickets[5]}
    either = Ticket.objects.filter(Q(lead_unit=structure["swj"]) | Q(AnyOf("pk", listed)))
    assert set(either) == {tickets[0], tickets[1], tickets[3], tickets[5]}
    assert set(Ticket.objects.exclude(AnyOf("pk", listed))) == set(tickets) - {tickets[3], tickets[5]}


def test_an_empty_list_selects_nothing_and_leaves_the_other_branch_alone(structure):
    mine = TicketFactory(lead_unit=structure["swj"])
    TicketFactory(lead_unit=structure["zjj"])

    assert not Ticket.objects.filter(AnyOf("pk", [])).exists()
    assert list(Ticket.objects.filter(Q(lead_unit=structure["swj"]) | Q(AnyOf("pk", [])))) == [mine]


def test_a_long_list_is_bound_as_one_parameter(structure):
    ticket = TicketFactory(lead_unit=structure["swj"])
    qs = Ticket.objects.filter(AnyOf("pk", range(ticket.pk - 19_999, ticket.pk + 1)))

    sql, params = qs.query.get_compiler(using="default").as_sql()
    assert len(params) == 1  # ``pk__in=`` would bind 20,000
    assert list(qs) == [ticket]
