"""The workflow engine: only declared moves happen, by permitted people, with what they need, logged."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import transaction

from ecoinspect.audit.models import ActionLog
from ecoinspect.audit.selectors import verify_chain
from ecoinspect.core.workflow import (
    StaleState,
    T,
    TransitionForbidden,
    TransitionIncomplete,
    TransitionNotDeclared,
    Workflow,
    log_refusal,
    transition,
    workflow_for,
)
from ecoinspect.notifications.models import Notification
from tests.factories import TicketFactory
from tests.testapp.models import Ticket

DEADLINE = dt.date(2026, 3, 6)


@pytest.fixture
def ticket(structure):
    return TicketFactory(
        title="白云湖周边餐饮油烟扰民",
        lead_unit=structure["sanyuanli"],
        acceptance_unit=structure["sthj"],
        deadline=DEADLINE,
        cooperating=[structure["taihe"]],
    )


def reload(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def row(ticket) -> dict:
    return Ticket.objects.filter(pk=ticket.pk).values().get()


def entries(action_prefix: str = "testapp.ticket") -> list[ActionLog]:
    return list(ActionLog.objects.filter(action__startswith=action_prefix).order_by("seq"))


def test_a_ticket_goes_from_registration_to_closing_with_every_step_logged(ticket, people):
    steps = [
        ("assign", "coordinator", {}, Ticket.ASSIGNED),
        ("start", "sanyuanli", {}, Ticket.WORKING),
        ("finish", "taihe", {"evidence": ["整改照片.jpg"]}, Ticket.DONE),
        ("reject", "reviewer", {"reason": "油烟净化器未安装"}, Ticket.WORKING),
        ("finish", "sanyuanli", {"evidence": ["安装验收单.pdf"]}, Ticket.DONE),
        ("accept", "reviewer", {"opinion": "现场核查已整改"}, Ticket.ACCEPTED),
        ("close", "publisher", {}, Ticket.CLOSED),
        ("reopen", "coordinator", {"reason": "群众再次投诉"}, Ticket.WORKING),
    ]
    state = Ticket.NEW
    for action, person, payload, target in steps:
        result = transition(reload(ticket), action=action, actor=people[person], payload=payload)
        assert result.status == target
        assert reload(ticket).status == target
        last = ActionLog.objects.order_by("-seq").first()
        assert last.action.startswith("testapp.ticket.") and not last.action.endswith(".refused")
        assert last.payload == {"from": state, "to": target, **payload}
        assert last.actor == people[person]
        assert (last.object_type, last.object_id) == ("testapp.ticket", str(ticket.pk))
        state = target
    assert [e.action for e in entries()] == [
        "testapp.ticket.assigned",
        "testapp.ticket.started",
        "testapp.ticket.finished",
        "testapp.ticket.rejected",
        "testapp.ticket.finished",
        "testapp.ticket.accepted",
        "testapp.ticket.closed",
        "testapp.ticket.reopened",
    ]
    assert verify_chain().ok


def test_entering_a_stage_stamps_its_time_and_other_moves_do_not(ticket, people):
    assert reload(ticket).assigned_at is None
    transition(reload(ticket), action="assign", actor=people["coordinator"])
    assigned_at = reload(ticket).assigned_at
    assert assigned_at is not None
    transition(reload(ticket), action="start", actor=people["sanyuanli"])
    current = reload(ticket)
    assert current.assigned_at == assigned_at and current.done_at is None
    transition(current, action="finish", actor=people["sanyuanli"], payload={"evidence": ["x"]})
    assert reload(ticket).done_at is not None and reload(ticket).closed_at is None


def test_an_undeclared_move_is_refused_with_a_clear_message_and_nothing_changes(ticket, people):
    before = row(ticket)
    with pytest.raises(TransitionNotDeclared) as refused:
        transition(reload(ticket), action="close", actor=people["coordinator"])
    message = str(refused.value)
    assert "新登记" in message and "销号" in message  # the state's and the move's names
    assert row(ticket) == before
    assert entries() == []  # inside the test's transaction the refusal waits for the boundary
    log_refusal(refused.value)
    refusal = ActionLog.objects.get(action="testapp.ticket.refused")
    assert refusal.payload["action"] == "close" and refusal.payload["state"] == Ticket.NEW
    assert refusal.payload["code"] == "transition_not_declared"
    assert refusal.payload["reason"] == message
    assert refusal.actor == people["coordinator"]


def test_an_unknown_action_name_is_refused_like_any_undeclared_move(ticket, people):
    with pytest.raises(TransitionNotDeclared):
        transition(reload(ticket), action="approve_everything", actor=people["coordinator"])
    assert reload(ticket).status == Ticket.NEW


def test_a_refusal_is_logged_once_however_often_the_boundary_reports_it(ticket, people):
    with pytest.raises(TransitionForbidden) as refused:
        transition(reload(ticket), action="assign", actor=people["sanyuanli"])
    log_refusal(refused.value)
    log_refusal(refused.value)
    assert ActionLog.objects.filter(action="testapp.ticket.refused").count() == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_refused_move_is_logged_immediately(structure, people):
    ticket = TicketFactory(lead_unit=structure["sanyuanli"], deadline=DEADLINE)
    with pytest.raises(TransitionForbidden):
        transition(reload(ticket), action="assign", actor=people["jingtai"])
    refusal = ActionLog.objects.get(action="testapp.ticket.refused")
    assert refusal.payload["code"] == "transition_forbidden"
    assert refusal.actor == people["jingtai"]
    assert reload(ticket).status == Ticket.NEW
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("person", "state", "action", "payload"),
    [
        ("jingtai", Ticket.ASSIGNED, "start", {}),  # staff of another subdistrict
        ("water", Ticket.WORKING, "finish", {"evidence": ["x"]}),  # a department not named on it
        ("sanyuanli", Ticket.NEW, "assign", {}),  # the lead unit may not assign itself
        ("sanyuanli", Ticket.DONE, "accept", {"opinion": "好"}),  # nor accept its own work
        ("reviewer", Ticket.WORKING, "finish", {"evidence": ["x"]}),  # the acceptance unit does not work it
        ("leader", Ticket.ASSIGNED, "start", {}),  # leaders read only
        ("auditor", Ticket.DONE, "accept", {"opinion": "好"}),  # the auditor changes nothing
        ("auditor", Ticket.ACCEPTED, "close", {}),
        ("publisher", Ticket.DONE, "accept", {"opinion": "好"}),
        ("nobody", Ticket.ASSIGNED, "start", {}),
    ],
)
def test_a_role_without_the_permission_on_the_record_is_refused_and_nothing_is_written(
    ticket, people, person, state, action, payload
):
    Ticket.objects.filter(pk=ticket.pk).update(status=state)
    before, log_count = row(ticket), ActionLog.objects.count()
    with pytest.raises(TransitionForbidden) as refused:
        transition(reload(ticket), action=action, actor=people[person], payload=payload)
    assert "没有权限" in str(refused.value)
    assert row(ticket) == before
    assert ActionLog.objects.count() == log_count


def test_a_move_without_what_it_needs_is_refused_naming_the_missing_things(structure, people):
    bare = TicketFactory(title="无牵头单位")
    with pytest.raises(TransitionIncomplete) as refused:
        transition(reload(bare), action="assign", actor=people["coordinator"])
    assert refused.value.missing == ["lead_unit", "deadline"]
    assert "执行“交办”前需要" in str(refused.value)
    assert reload(bare).status == Ticket.NEW


def test_finishing_needs_evidence_and_says_so_in_chinese(ticket, people):
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.WORKING)
    with pytest.raises(TransitionIncomplete) as refused:
        transition(reload(ticket), action="finish", actor=people["sanyuanli"], payload={"evidence": []})
    assert "佐证材料" in str(refused.value)
    assert refused.value.missing == ["evidence"]
    assert reload(ticket).status == Ticket.WORKING and reload(ticket).done_at is None


def test_a_need_may_be_supplied_by_the_payload(structure, people):
    ticket = TicketFactory(lead_unit=structure["sanyuanli"])
    transition(
        reload(ticket), action="assign", actor=people["coordinator"], payload={"deadline": "2026-03-06"}
    )
    assert reload(ticket).status == Ticket.ASSIGNED


def test_a_stale_copy_cannot_move_a_record_someone_else_already_moved(ticket, people):
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.DONE)
    reviewer_copy, coordinator_copy = reload(ticket), reload(ticket)
    transition(reviewer_copy, action="accept", actor=people["reviewer"], payload={"opinion": "合格"})
    log_count = ActionLog.objects.count()
    with pytest.raises(StaleState) as refused:
        transition(
            coordinator_copy, action="reject", actor=people["coordinator"], payload={"reason": "不合格"}
        )
    assert "已被他人处理" in str(refused.value)
    assert reload(ticket).status == Ticket.ACCEPTED
    assert ActionLog.objects.count() == log_count
    log_refusal(refused.value)
    assert ActionLog.objects.order_by("-seq").first().payload["code"] == "stale_state"


def test_the_lead_unit_is_notified_after_commit_and_not_before(
    ticket, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transition(reload(ticket), action="assign", actor=people["coordinator"])
    assert len(callbacks) == 1
    assert not Notification.objects.exists()  # nothing is sent before the commit
    callbacks[0]()
    note = Notification.objects.get()
    assert note.recipient == people["sanyuanli"]
    assert note.unit == ticket.lead_unit
    assert note.event == "testapp.ticket.assigned"
    assert note.title == f"交办：{ticket.title}"
    assert note.url == ticket.get_absolute_url()


def test_a_rolled_back_move_leaves_no_log_entry_and_sends_nothing(
    ticket, people, django_capture_on_commit_callbacks
):
    log_count = ActionLog.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        transition(reload(ticket), action="assign", actor=people["coordinator"])
        raise RuntimeError("the service failed after the move")
    assert callbacks == []
    assert reload(ticket).status == Ticket.NEW
    assert ActionLog.objects.count() == log_count
    assert not Notification.objects.exists()


def test_available_moves_depend_on_state_and_on_who_asks(ticket, people):
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.DONE)
    current = reload(ticket)
    wf = workflow_for(Ticket)
    assert {t.action for t in wf.available(current, people["reviewer"])} == {"accept", "reject"}
    assert {t.action for t in wf.available(current, people["coordinator"])} == {"accept", "reject"}
    assert wf.available(current, people["sanyuanli"]) == []
    assert wf.available(current, people["auditor"]) == []


def test_declaring_the_same_move_twice_is_a_programming_error():
    with pytest.raises(ValueError, match="declared twice"):
        Workflow(
            namespace="testapp.broken",
            transitions=[
                T("go", "a", "b", perm="testapp.work"),
                T("go", ("c", "a"), "d", perm="testapp.work"),
            ],
        )


def test_a_workflow_is_registered_for_its_model_not_attached_to_the_class():
    from ecoinspect.ledger.models import Problem, SupervisionNotice
    from ecoinspect.ledger.workflow import NOTICE_WORKFLOW, PROBLEM_WORKFLOW
    from tests.testapp.workflow import TICKET_WORKFLOW

    assert workflow_for(Ticket) is TICKET_WORKFLOW
    assert workflow_for(Problem) is PROBLEM_WORKFLOW
    assert workflow_for(SupervisionNotice) is NOTICE_WORKFLOW
    assert not any(hasattr(model, "WORKFLOW") for model in (Ticket, Problem, SupervisionNotice))


def test_a_model_gets_one_workflow_and_an_unregistered_model_none():
    from ecoinspect.core.workflow import register
    from ecoinspect.orgs.models import Unit

    register(Ticket, workflow_for(Ticket))  # the same pair again is harmless
    with pytest.raises(ValueError, match="already has the workflow"):
        register(Ticket, Workflow(namespace="testapp.other", transitions=[]))
    with pytest.raises(LookupError, match="orgs.Unit"):
        workflow_for(Unit)


def test_the_ticket_workflow_declares_exactly_its_six_states():
    assert workflow_for(Ticket).states == {s for s, _label in Ticket.STATUSES}


def test_a_page_refusing_a_move_shows_why_and_logs_it(ticket, people, rf):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from ecoinspect.common.views import service_refused

    request = rf.post("/")
    request.session, request.user = {}, people["jingtai"]
    request._messages = FallbackStorage(request)
    with pytest.raises(TransitionForbidden) as refused:
        transition(reload(ticket), action="assign", actor=people["jingtai"])
    service_refused(request, refused.value)
    assert [str(m) for m in get_messages(request)] == [str(refused.value)]
    assert ActionLog.objects.get(action="testapp.ticket.refused").payload["code"] == "transition_forbidden"


def test_the_api_answers_a_refused_move_with_409_and_logs_it(ticket, people, rf):
    from ecoinspect.api.router import api

    with pytest.raises(TransitionNotDeclared) as refused:
        transition(reload(ticket), action="close", actor=people["coordinator"])
    response = api.on_exception(rf.post("/api/v1/"), refused.value)
    assert response.status_code == 409
    assert json.loads(response.content) == {"detail": str(refused.value), "code": "transition_not_declared"}
    assert ActionLog.objects.filter(action="testapp.ticket.refused").count() == 1
