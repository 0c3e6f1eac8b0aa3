"""Deadlines after assignment: pausing the clock (暂停计时), resuming it, approved extensions (延期)."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import DeadlineKind, ProblemStatus, WarningLevel
from ecoinspect.ledger.deadlines import warning_for
from ecoinspect.ledger.selectors import problem_list
from tests.factories import ProblemFactory, reload

pytestmark = pytest.mark.django_db

# Assigned Mon 2026-09-07 (the clock's start) with this deadline: blue on 8 Oct, yellow on 21 Oct.
DEADLINE = dt.date(2026, 10, 30)


@pytest.fixture
def running(people):
    return ProblemFactory(status=ProblemStatus.RECTIFYING, deadline=DEADLINE)


# --- pause and resume -------------------------------------------------------------------------------------


def test_resuming_moves_the_deadline_by_the_working_days_spent_paused(running, people, clock):
    clock.set(dt.date(2026, 9, 14))
    svc.problem_pause(actor=people["coordinator"], problem=running, reason="等待法院裁定")
    clock.set(dt.date(2026, 9, 21))

    svc.problem_resume(actor=people["coordinator"], problem=reload(running))

    saved = reload(running)
    # (14 Sep, 21 Sep] holds 6 working days: 15–18 Sep, Sunday 20 Sep (make-up day) and 21 Sep.
    assert saved.deadline == dt.date(2026, 11, 9)  # 30 Oct + 6 working days
    assert saved.blue_on == dt.date(2026, 10, 15)  # 8 Oct + 6, through Saturday 10 Oct (make-up day)
    assert saved.yellow_on == dt.date(2026, 10, 29)
    assert saved.paused_at is None and saved.pause_reason == ""
    resumed = ActionLog.objects.for_object(running).get(action="ledger.problem.resumed")
    assert resumed.payload["workdays_added"] == 6
    assert resumed.payload["paused_from"] == "2026-09-14"


def test_a_pause_over_a_holiday_adds_only_working_days(running, people, clock):
    clock.set(dt.date(2026, 9, 30))
    svc.problem_pause(actor=people["coordinator"], problem=running, reason="国庆期间停工")
    clock.set(dt.date(2026, 10, 8))

    svc.problem_resume(actor=people["coordinator"], problem=reload(running))

    assert reload(running).deadline == dt.date(2026, 11, 2)  # one working day (8 Oct) lost


def test_pausing_and_resuming_the_same_day_changes_nothing(running, people):
    svc.problem_pause(actor=people["coordinator"], problem=running, reason="误操作")
    svc.problem_resume(actor=people["coordinator"], problem=reload(running))
    assert reload(running).deadline == DEADLINE


def test_a_paused_problem_shows_no_warning_even_after_its_deadline(running, people, clock):
    svc.problem_pause(actor=people["coordinator"], problem=running, reason="等待法院裁定")
    late = dt.date(2026, 11, 16)

    listed = problem_list(user=people["coordinator"], today=late).get(pk=running.pk)

    assert listed.warning == WarningLevel.NONE
    assert warning_for(reload(running), late) == WarningLevel.NONE


def test_pausing_needs_a_reason(running, people):
    with pytest.raises(ServiceError) as refused:
        svc.problem_pause(actor=people["coordinator"], problem=running, reason="")
    assert "reason" in refused.value.message_dict
    assert reload(running).paused_at is None


def test_a_paused_problem_cannot_be_paused_again(running, people):
    svc.problem_pause(actor=people["coordinator"], problem=running, reason="等待法院裁定")
    with pytest.raises(ServiceError):
        svc.problem_pause(actor=people["coordinator"], problem=reload(running), reason="再次暂停")


def test_a_running_problem_cannot_be_resumed(running, people):
    with pytest.raises(ServiceError):
        svc.problem_resume(actor=people["coordinator"], problem=running)


@pytest.mark.parametrize("state", [ProblemStatus.REGISTERED, ProblemStatus.COMPLETED])
def test_only_a_problem_under_rectification_can_be_paused(people, state):
    problem = ProblemFactory(status=state)
    with pytest.raises(ServiceError):
        svc.problem_pause(actor=people["coordinator"], problem=problem, reason="暂停")
    assert reload(problem).paused_at is None


@pytest.mark.parametrize("who", ["water", "leader", "reviewer"])
def test_only_the_office_pauses_the_clock(running, people, who):
    with pytest.raises(NotPermitted):
        svc.problem_pause(actor=people[who], problem=running, reason="暂停")
    assert reload(running).paused_at is None


# --- extension --------------------------------------------------------------------------------------------


def test_an_extension_moves_the_deadline_and_recomputes_the_warnings_from_assignment(running, people, clock):
    clock.set(dt.date(2026, 10, 20))
    version = running.version

    svc.problem_extend_deadline(
        actor=people["coordinator"],
        problem=running,
        new_deadline=dt.date(2026, 11, 30),
        reason="管网改造需协调地铁施工",
    )

    saved = reload(running)
    # 7 Sep → 30 Nov is 56 working days: blue on the 28th, yellow on the 45th.
    assert saved.deadline == dt.date(2026, 11, 30)
    assert saved.blue_on == dt.date(2026, 10, 21)
    assert saved.yellow_on == dt.date(2026, 11, 13)
    entry = ActionLog.objects.for_object(running).get(action="ledger.problem.deadline_extended")
    assert entry.payload == {"from": "2026-10-30", "to": "2026-11-30", "reason": "管网改造需协调地铁施工"}
    assert saved.version == version + 1


def test_an_extension_turns_an_immediate_item_into_a_dated_one(people):
    problem = ProblemFactory(
        status=ProblemStatus.RECTIFYING, deadline_kind=DeadlineKind.IMMEDIATE, deadline=None
    )
    svc.problem_extend_deadline(
        actor=people["coordinator"], problem=problem, new_deadline=dt.date(2026, 10, 30), reason="需采购设备"
    )
    saved = reload(problem)
    assert saved.deadline_kind == DeadlineKind.DATE
    assert saved.deadline == dt.date(2026, 10, 30)


@pytest.mark.parametrize("new_deadline", [dt.date(2026, 10, 30), dt.date(2026, 10, 15)])
def test_an_extension_must_be_later_than_the_current_deadline(running, people, new_deadline):
    with pytest.raises(ServiceError) as refused:
        svc.problem_extend_deadline(
            actor=people["coordinator"], problem=running, new_deadline=new_deadline, reason="延期"
        )
    assert "new_deadline" in refused.value.message_dict
    assert reload(running).deadline == DEADLINE


def test_an_extension_needs_a_reason(running, people):
    with pytest.raises(ServiceError) as refused:
        svc.problem_extend_deadline(
            actor=people["coordinator"], problem=running, new_deadline=dt.date(2026, 12, 31), reason=" "
        )
    assert "reason" in refused.value.message_dict
    assert reload(running).deadline == DEADLINE


def test_a_long_term_item_has_no_deadline_to_extend(people):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING, deadline_kind=DeadlineKind.LONG_TERM)
    with pytest.raises(ServiceError):
        svc.problem_extend_deadline(
            actor=people["coordinator"], problem=problem, new_deadline=dt.date(2026, 12, 31), reason="延期"
        )
    assert reload(problem).deadline is None


def test_a_finished_problem_keeps_its_deadline(people):
    problem = ProblemFactory(status=ProblemStatus.COMPLETED, deadline=DEADLINE)
    with pytest.raises(ServiceError):
        svc.problem_extend_deadline(
            actor=people["coordinator"], problem=problem, new_deadline=dt.date(2026, 12, 31), reason="延期"
        )
    assert reload(problem).deadline == DEADLINE


@pytest.mark.parametrize("who", ["water", "reviewer", "publisher"])
def test_only_the_office_approves_an_extension(running, people, who):
    with pytest.raises(NotPermitted):
        svc.problem_extend_deadline(
            actor=people[who], problem=running, new_deadline=dt.date(2026, 12, 31), reason="延期"
        )
    assert reload(running).deadline == DEADLINE
