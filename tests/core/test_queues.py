"""我的待办: exactly the records a person's units must act on now, from every registered workflow."""

from __future__ import annotations

import pytest

from ecoinspect.core import queues
from ecoinspect.core.queues import queue_for, queue_summary
from tests.conftest import fresh
from tests.factories import TicketFactory
from tests.testapp.models import Ticket


@pytest.fixture
def tickets(structure):
    u = structure
    return {
        "assigned_to_sanyuanli": TicketFactory(status=Ticket.ASSIGNED, lead_unit=u["sanyuanli"]),
        "working_jingtai_with_sanyuanli": TicketFactory(
            status=Ticket.WORKING, lead_unit=u["jingtai"], cooperating=[u["sanyuanli"]]
        ),
        "working_jingtai_alone": TicketFactory(status=Ticket.WORKING, lead_unit=u["jingtai"]),
        "done_by_sanyuanli_for_sthj": TicketFactory(
            status=Ticket.DONE, lead_unit=u["sanyuanli"], acceptance_unit=u["sthj"]
        ),
        "done_by_taihe_for_swj": TicketFactory(
            status=Ticket.DONE, lead_unit=u["taihe"], acceptance_unit=u["swj"]
        ),
        "new_unassigned": TicketFactory(status=Ticket.NEW),
        "accepted": TicketFactory(
            status=Ticket.ACCEPTED, lead_unit=u["sanyuanli"], acceptance_unit=u["sthj"]
        ),
        "closed": TicketFactory(status=Ticket.CLOSED, lead_unit=u["sanyuanli"]),
    }


def queue_of(user, source_model=Ticket) -> set[str]:
    source = next(s for s in queues.sources() if s.model is source_model)
    return {t.title for t in queue_for(fresh(user), source)}


def titles(tickets, *keys) -> set[str]:
    return {tickets[k].title for k in keys}


def test_subdistrict_staff_see_exactly_what_their_unit_leads_or_cooperates_on_now(
    ticket_queue, tickets, people
):
    assert queue_of(people["sanyuanli"]) == titles(
        tickets, "assigned_to_sanyuanli", "working_jingtai_with_sanyuanli"
    )


def test_the_lead_of_a_shared_ticket_has_it_too_and_an_unrelated_town_has_nothing(
    ticket_queue, tickets, people
):
    assert queue_of(people["jingtai"]) == titles(
        tickets, "working_jingtai_with_sanyuanli", "working_jingtai_alone"
    )
    assert (
        queue_of(people["taihe"]) == set()
    )  # its only ticket is done: waiting for acceptance, not for taihe


def test_the_reviewer_sees_done_tickets_their_unit_accepts(ticket_queue, tickets, people):
    assert queue_of(people["reviewer"]) == titles(tickets, "done_by_sanyuanli_for_sthj")


def test_the_publisher_sees_accepted_tickets_waiting_to_be_closed(ticket_queue, tickets, people):
    assert queue_of(people["publisher"]) == titles(tickets, "accepted")


@pytest.mark.parametrize("person", ["leader", "auditor", "water", "nobody"])
def test_people_who_act_on_none_of_them_have_an_empty_queue(ticket_queue, tickets, people, person):
    assert queue_of(people[person]) == set()


def test_the_coordinator_is_waited_on_only_for_assignment_not_for_everything_they_may_do(
    ticket_queue, tickets, people
):
    # The coordinator may work, accept and close any ticket, but only assigning is expected of them;
    # reopening a closed ticket is an optional move (todo=False) and never fills a queue.
    assert queue_of(people["coordinator"]) == titles(tickets, "new_unassigned")


def test_a_closed_ticket_is_in_nobodys_queue_although_it_can_be_reopened(ticket_queue, tickets, people):
    for person in people.values():
        assert tickets["closed"].title not in queue_of(person)


def test_the_summary_counts_per_registered_model(ticket_queue, tickets, people):
    summary = [e for e in queue_summary(fresh(people["sanyuanli"])) if e["model"] is Ticket]
    assert [(entry["label"], entry["count"]) for entry in summary] == [("测试工单", 2)]
    assert {t.title for t in summary[0]["items"]} == titles(
        tickets, "assigned_to_sanyuanli", "working_jingtai_with_sanyuanli"
    )


def test_a_model_that_is_not_registered_contributes_nothing(tickets, people):
    assert all(s.model is not Ticket for s in queues.sources())
    assert all(e["model"] is not Ticket for e in queue_summary(fresh(people["coordinator"])))


def test_registering_twice_keeps_one_source_and_unregistering_removes_it(db):
    queues.register(Ticket, label="测试工单")
    queues.register(Ticket, label="又一次")
    assert [s.label for s in queues.sources() if s.model is Ticket] == ["测试工单"]
    queues.unregister(Ticket)
    assert all(s.model is not Ticket for s in queues.sources())
