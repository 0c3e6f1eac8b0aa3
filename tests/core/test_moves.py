"""One move view and one button template for every workflow: the test app's ticket page, clicked as a
person would — the buttons come from the transition table, the form posts where the page says."""

from __future__ import annotations

import re

import pytest

from ecoinspect.audit.models import ActionLog
from ecoinspect.core.workflow import TransitionForbidden, TransitionNotDeclared, check
from tests.factories import TicketFactory
from tests.testapp.models import Ticket
from tests.testapp.workflow import TICKET_WORKFLOW


def buttons(html: str) -> dict[str, dict]:
    """The move buttons on a page: action → {"post": form action or None, "link": href or None, "confirm"}."""
    found = {}
    for form_action, body in re.findall(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html, re.S):
        for action in re.findall(r'data-action="([^"]+)"', body):
            confirm = re.search(r'data-confirm="([^"]+)"', body)
            found[action] = {"post": form_action, "link": None, "confirm": confirm and confirm.group(1)}
    for href, action in re.findall(r'<a class="btn[^"]*" href="([^"]+)" data-action="([^"]+)"', html):
        found[action] = {"post": None, "link": href, "confirm": None}
    return found


@pytest.fixture
def assigned(structure):
    return TicketFactory(status=Ticket.ASSIGNED, lead_unit=structure["sanyuanli"])


def test_the_page_shows_the_moves_the_person_may_make_and_the_button_makes_it(login, people, assigned):
    client = login(people["sanyuanli"])
    shown = buttons(client.get(assigned.get_absolute_url()).content.decode())
    assert set(shown) == {"start"}  # only what the table allows from 已交办 to a unit's staff
    response = client.post(shown["start"]["post"], follow=True)
    assigned.refresh_from_db()
    assert assigned.status == Ticket.WORKING
    assert "已开始办理。" in response.content.decode()  # the move's declared done message
    assert ActionLog.objects.filter(action="testapp.ticket.started", object_id=str(assigned.pk)).exists()
    assert buttons(response.content.decode()) == {}  # 办理中: nothing a button alone can do


def test_a_plain_button_carries_its_declared_confirmation(login, people, structure):
    ticket = TicketFactory(status=Ticket.ACCEPTED, lead_unit=structure["sanyuanli"])
    shown = buttons(login(people["publisher"]).get(ticket.get_absolute_url()).content.decode())
    assert shown["close"]["confirm"] == "确认销号？"


def test_a_person_of_another_unit_sees_no_buttons_and_cannot_post_the_move(login, people, assigned):
    owner_page = login(people["sanyuanli"]).get(assigned.get_absolute_url()).content.decode()
    url = buttons(owner_page)["start"]["post"]
    outsider = login(people["jingtai"])
    assert outsider.post(url).status_code == 404  # the record is not theirs: not found
    assigned.refresh_from_db()
    assert assigned.status == Ticket.ASSIGNED


def test_a_role_that_may_see_but_not_move_gets_the_reason_and_the_refusal_is_logged(login, people, assigned):
    url = buttons(login(people["sanyuanli"]).get(assigned.get_absolute_url()).content.decode())["start"]["post"]
    response = login(people["leader"]).post(url)
    assert response.status_code == 403
    assert "开始办理" in response.content.decode()
    assert ActionLog.objects.filter(action="testapp.ticket.refused", object_id=str(assigned.pk)).exists()


def test_a_move_out_of_order_is_refused_on_the_page(login, people, structure):
    ticket = TicketFactory(status=Ticket.WORKING, lead_unit=structure["sanyuanli"])
    client = login(people["sanyuanli"])
    response = client.post(f"/test/tickets/{ticket.pk}/move/start/", follow=True)
    assert "不能执行“开始办理”" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.WORKING


def test_an_action_without_a_performer_is_not_found(login, people, assigned):
    # "finish" is declared, but no service makes it by button (it needs evidence): no URL serves it
    assert login(people["sanyuanli"]).post(f"/test/tickets/{assigned.pk}/move/finish/").status_code == 404


def test_check_validates_without_writing(people, assigned):
    t = check(assigned, action="start", actor=people["sanyuanli"])
    assert t.target == Ticket.WORKING
    with pytest.raises(TransitionForbidden):
        check(assigned, action="start", actor=people["leader"])
    with pytest.raises(TransitionNotDeclared):
        check(assigned, action="close", actor=people["publisher"])
    assigned.refresh_from_db()
    assert assigned.status == Ticket.ASSIGNED
    assert not ActionLog.objects.filter(action__startswith="testapp.ticket.", object_id=str(assigned.pk)).exclude(
        action="testapp.ticket.refused"
    ).exists()


def test_a_performer_must_name_a_declared_action():
    with pytest.raises(ValueError, match="not a declared action"):
        TICKET_WORKFLOW.performs("teleport")
