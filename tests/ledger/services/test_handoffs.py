"""Hand-offs: whoever must act next is told of a move, and nobody is told of their own action."""

from __future__ import annotations

import pytest

from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.notifications.models import Notification
from ecoinspect.notifications.services import notification_send
from tests.factories import MembershipFactory, ProblemFactory, advance

pytestmark = pytest.mark.django_db


def told(event: str, problem) -> set[str]:
    return set(
        Notification.objects.filter(event=event, object_id=str(problem.pk)).values_list(
            "recipient__username", flat=True
        )
    )


def test_the_publishers_are_told_when_a_problem_is_accepted(people, django_capture_on_commit_callbacks):
    problem = ProblemFactory(status=S.ACCEPTING)
    with django_capture_on_commit_callbacks(execute=True):
        advance(problem, S.ACCEPTED)
    assert "publisher" in told("ledger.problem.accepted", problem)
    assert "reviewer" not in told("ledger.problem.accepted", problem)


def test_the_office_and_the_lead_unit_are_told_when_a_problem_is_closed(
    people, django_capture_on_commit_callbacks
):
    problem = ProblemFactory(status=S.PUBLICITY, publicity_over=True)
    with django_capture_on_commit_callbacks(execute=True):
        advance(problem, S.CLOSED)
    closed = told("ledger.problem.closed", problem)
    assert {"coordinator", "water"} <= closed
    assert "publisher" not in closed  # the publisher closed it


def test_nobody_is_told_of_their_own_move_even_as_a_member_of_the_unit_told(
    people, structure, django_capture_on_commit_callbacks
):
    # the coordinator is also on the water bureau's staff: assigning tells the bureau, but not them
    MembershipFactory(user=people["coordinator"], unit=structure["swj"])
    problem = ProblemFactory()
    with django_capture_on_commit_callbacks(execute=True):
        advance(problem, S.ASSIGNED)
    assert told("ledger.problem.assigned", problem) == {"water"}


def test_the_fan_out_leaves_out_the_people_excluded(people, structure):
    notification_send(recipients=[structure["swj"], people["leader"]], title="会议通知", exclude=[people["water"]])
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"leader"}
