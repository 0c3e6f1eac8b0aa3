"""Notifications about a record leave the inbox of people it was routed away from (issue #10: they stayed,
and their link said "not found"). The mechanism is the kit's (``core.services.notifications_withdraw_unreachable``);
the ledger's re-routing, editing and import use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.core.services import notifications_withdraw_unreachable
from ecoinspect.ledger.choices import ProblemStatus
from ecoinspect.ledger.services import problem_assign, problem_reroute, problem_update
from ecoinspect.notifications.models import Notification
from ecoinspect.notifications.services import notification_send
from tests.conftest import fresh
from tests.factories import ProblemFactory, TicketFactory


def inbox(client) -> str:
    return client.get(reverse("notifications:inbox")).content.decode()


def badge(client) -> str | None:
    page = client.get(reverse("dashboard:home")).content.decode()
    marker = 'data-testid="unread-count">'
    if marker not in page:
        return None
    start = page.index(marker) + len(marker)
    return page[start : page.index("<", start)]


def test_a_problem_routed_from_the_water_bureau_to_housing_leaves_the_water_bureaus_inbox(
    structure, people, client, django_capture_on_commit_callbacks
):
    problem = ProblemFactory(status=ProblemStatus.REGISTERED, title="石马桥涌排水口污水直排")
    with django_capture_on_commit_callbacks(execute=True):
        problem_assign(actor=people["coordinator"], problem=problem)
    water = client
    water.force_login(people["water"])
    assert problem.title in inbox(water) and badge(water) == "1"

    with django_capture_on_commit_callbacks(execute=True):
        problem_reroute(
            actor=people["coordinator"],
            problem=fresh(problem),
            lead_unit=structure["zjj"],
            reason="污水来自在建工地",
        )

    assert problem.title not in inbox(water)
    assert badge(water) is None  # the count went with it
    assert water.get("/api/v1/notifications").json()["count"] == 0
    assert (
        water.get(reverse("ledger:problem_detail", args=[problem.pk])).status_code == 404
    )  # why it had to go

    water.force_login(people["housing"])
    assert "改派：" in inbox(water) and problem.title in inbox(water) and badge(water) == "1"
    assert water.get(reverse("ledger:problem_detail", args=[problem.pk])).status_code == 200

    entry = ActionLog.objects.for_object(problem).get(action="notifications.notification.withdrawn")
    assert entry.payload == {"recipients": [people["water"].pk], "count": 1}
    assert entry.actor == people["coordinator"]


def test_people_who_still_see_the_problem_keep_their_notifications(
    structure, people, django_capture_on_commit_callbacks
):
    """A cooperating unit that stays on the problem, and the district's leader, keep theirs."""
    problem = ProblemFactory(status=ProblemStatus.ASSIGNED, cooperating_units=[structure["sanyuanli"]])
    for person in ("water", "sanyuanli", "leader"):
        notification_send(recipients=[people[person]], title="请办理", obj=problem)

    problem_reroute(
        actor=people["coordinator"],
        problem=problem,
        lead_unit=structure["zjj"],
        reason="污水来自在建工地",
        cooperating_units=[structure["sanyuanli"]],
    )

    holders = set(Notification.objects.values_list("recipient__username", flat=True))
    assert holders == {"sanyuanli", "leader"}


def test_an_edit_that_takes_a_cooperating_unit_off_withdraws_its_notifications(structure, people):
    problem = ProblemFactory(status=ProblemStatus.ASSIGNED, cooperating_units=[structure["sanyuanli"]])
    notification_send(recipients=[structure["sanyuanli"]], title="请配合办理", obj=problem)
    assert Notification.objects.filter(recipient=people["sanyuanli"]).exists()

    problem_update(actor=people["coordinator"], problem=problem, cooperating_units=[])

    assert not Notification.objects.filter(recipient=people["sanyuanli"]).exists()


def test_an_edit_of_descriptive_fields_withdraws_nothing(structure, people):
    problem = ProblemFactory(status=ProblemStatus.ASSIGNED)
    notification_send(recipients=[structure["swj"]], title="请办理", obj=problem)
    problem_update(actor=people["coordinator"], problem=problem, title="新的标题")
    assert Notification.objects.filter(recipient=people["water"]).count() == 1


def test_the_kit_works_for_any_unit_scoped_model(structure, people):
    """The mechanism knows no app: a ticket of the test app, whose lead unit is changed directly."""
    ticket = TicketFactory(lead_unit=structure["swj"])
    other = TicketFactory(lead_unit=structure["swj"])
    notification_send(recipients=[structure["swj"]], title="工单", obj=ticket)
    notification_send(recipients=[structure["swj"]], title="另一张工单", obj=other)
    ticket.lead_unit = structure["zjj"]
    ticket.save()

    withdrawn = notifications_withdraw_unreachable(actor=people["coordinator"], objects=[ticket, other])

    assert withdrawn == 1
    assert list(Notification.objects.values_list("title", flat=True)) == ["另一张工单"]


@pytest.mark.parametrize("objects", [[], ()])
def test_nothing_to_do_costs_nothing(objects, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notifications_withdraw_unreachable(actor=None, objects=objects) == 0


def test_a_person_who_leaves_a_unit_keeps_no_notifications_about_its_problems(
    structure, people, client, django_capture_on_commit_callbacks
):
    """They were left in the inbox, titles and all, of someone moved to another unit (issue #10's review)."""
    from ecoinspect.orgs.models import Membership
    from ecoinspect.orgs.services import membership_create, membership_end
    from tests.factories import UserFactory

    mover = UserFactory(username="mover", unit=structure["swj"], role="staff")
    membership_create(actor=people["coordinator"], user=mover, unit=structure["zjj"], role="staff")
    water_problem = ProblemFactory(status=ProblemStatus.REGISTERED, title="石马桥涌排水口污水直排")
    housing_problem = ProblemFactory(
        status=ProblemStatus.REGISTERED, title="在建工地夜间施工噪声", lead_unit=structure["zjj"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        problem_assign(actor=people["coordinator"], problem=water_problem)
        problem_assign(actor=people["coordinator"], problem=housing_problem)
    client.force_login(mover)
    assert water_problem.title in inbox(client) and housing_problem.title in inbox(client)

    with django_capture_on_commit_callbacks(execute=True):
        membership_end(actor=people["coordinator"], membership=Membership.objects.get(user=mover, unit=structure["swj"]))

    page = inbox(client)
    assert water_problem.title not in page  # the water bureau's problem is no longer theirs to see
    assert housing_problem.title in page  # the housing bureau's still is
    assert ActionLog.objects.filter(action__endswith="withdrawn", object_id=str(water_problem.pk)).exists()
    assert people["water"].pk in Notification.objects.filter(object_id=str(water_problem.pk)).values_list(
        "recipient_id", flat=True
    )  # the colleagues who stay keep theirs
