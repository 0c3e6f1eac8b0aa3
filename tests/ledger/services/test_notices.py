"""Supervision notices (督办单): issued to a unit about its lagging problems, replied to, closed or returned."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.core.workflow import TransitionForbidden, TransitionIncomplete, TransitionNotDeclared
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import NoticeStatus, ProblemStatus
from ecoinspect.ledger.models import SupervisionNotice
from ecoinspect.notifications.models import Notification
from tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lagging(people, structure):
    return [
        ProblemFactory(status=ProblemStatus.RECTIFYING),
        ProblemFactory(
            status=ProblemStatus.RECTIFYING,
            lead_unit=structure["zjj"],
            title="【测试】太和镇某工地扬尘",
            override_reason="测试",
        ),
        ProblemFactory(status=ProblemStatus.RECTIFYING, cooperating_units=[structure["jingtai"]]),
    ]


def _issue(people, unit, problems, clock, **kw):
    args = {
        "requirements": "请于 5 个工作日内书面说明滞后原因并提出整改计划。",
        "reply_due": clock.today + dt.timedelta(days=7),
    }
    return svc.notice_issue(actor=people["coordinator"], unit=unit, problems=problems, **(args | kw))


def _get(notice):
    return SupervisionNotice.objects.get(pk=notice.pk)


def test_a_notice_is_numbered_names_its_problems_and_tells_the_unit(
    lagging, people, structure, clock, django_capture_on_commit_callbacks
):
    water_problems = [lagging[0], lagging[2]]
    with django_capture_on_commit_callbacks(execute=True):
        notice = _issue(people, structure["swj"], water_problems, clock)

    assert notice.number == f"DB-{clock.today.year}-0001"
    assert notice.status == NoticeStatus.ISSUED
    assert set(notice.problems.all()) == set(water_problems)
    for problem in water_problems:
        entry = ActionLog.objects.for_object(problem).get(action="ledger.problem.supervised")
        assert entry.payload["notice"] == notice.number
    assert Notification.objects.filter(recipient=people["water"], event="ledger.notice.issued").exists()
    assert not Notification.objects.filter(recipient=people["housing"], event="ledger.notice.issued").exists()


def test_a_cooperating_unit_can_be_supervised_about_a_problem_it_co_handles(
    lagging, people, structure, clock
):
    notice = _issue(people, structure["jingtai"], [lagging[2]], clock)
    assert list(notice.problems.all()) == [lagging[2]]


def test_a_notice_about_problems_the_unit_does_not_handle_is_refused(lagging, people, structure, clock):
    with pytest.raises(ServiceError) as refused:
        _issue(people, structure["swj"], lagging, clock)
    assert lagging[1].number in refused.value.message_dict["problems"][0]
    assert not SupervisionNotice.objects.exists()


def test_a_notice_needs_problems_requirements_and_a_reply_date_not_in_the_past(people, structure, clock):
    with pytest.raises(ServiceError) as refused:
        _issue(
            people,
            structure["swj"],
            [],
            clock,
            requirements=" ",
            reply_due=clock.today - dt.timedelta(days=1),
        )
    assert {"problems", "requirements", "reply_due"} <= set(refused.value.message_dict)


@pytest.mark.parametrize("who", ["water", "leader", "reviewer", "publisher"])
def test_only_the_office_issues_notices(lagging, people, structure, clock, who):
    with pytest.raises(NotPermitted):
        svc.notice_issue(
            actor=people[who],
            unit=structure["swj"],
            problems=[lagging[0]],
            requirements="督办",
            reply_due=clock.today + dt.timedelta(days=7),
        )
    assert not SupervisionNotice.objects.exists()


def test_the_unit_replies_and_the_office_closes(lagging, people, structure, clock):
    notice = _issue(people, structure["swj"], [lagging[0]], clock)
    clock.advance(days=3)

    svc.notice_reply(actor=people["water"], notice=notice, reply="已增派施工队伍，10 月底前完成封堵。")
    replied = _get(notice)
    assert replied.status == NoticeStatus.REPLIED
    assert replied.replied_by == people["water"]
    assert replied.replied_at == clock.now

    svc.notice_close(actor=people["coordinator"], notice=replied)
    assert _get(notice).status == NoticeStatus.CLOSED


def test_an_unsatisfactory_reply_is_returned_with_the_reason_and_can_be_answered_again(
    lagging, people, structure, clock
):
    notice = _issue(people, structure["swj"], [lagging[0]], clock)
    svc.notice_reply(actor=people["water"], notice=notice, reply="正在推进。")

    with pytest.raises(TransitionIncomplete):
        svc.notice_return(actor=people["coordinator"], notice=_get(notice), reason="")
    svc.notice_return(actor=people["coordinator"], notice=_get(notice), reason="回复未说明完成时限")

    assert _get(notice).status == NoticeStatus.ISSUED
    entry = ActionLog.objects.for_object(notice).get(action="ledger.notice.returned")
    assert entry.payload["reason"] == "回复未说明完成时限"
    svc.notice_reply(actor=people["water"], notice=_get(notice), reply="10 月 31 日前完成。")
    assert _get(notice).status == NoticeStatus.REPLIED


def test_another_unit_cannot_reply(lagging, people, structure, clock):
    notice = _issue(people, structure["swj"], [lagging[0]], clock)
    with pytest.raises(TransitionForbidden):
        svc.notice_reply(actor=people["housing"], notice=notice, reply="代为回复")
    assert _get(notice).status == NoticeStatus.ISSUED


def test_a_blank_reply_is_refused(lagging, people, structure, clock):
    notice = _issue(people, structure["swj"], [lagging[0]], clock)
    with pytest.raises(ServiceError):
        svc.notice_reply(actor=people["water"], notice=notice, reply=" ")
    assert _get(notice).status == NoticeStatus.ISSUED


def test_the_unit_cannot_close_its_own_notice_nor_close_it_before_replying(lagging, people, structure, clock):
    notice = _issue(people, structure["swj"], [lagging[0]], clock)
    with pytest.raises(TransitionNotDeclared):
        svc.notice_close(actor=people["coordinator"], notice=notice)
    svc.notice_reply(actor=people["water"], notice=notice, reply="已完成")
    with pytest.raises(TransitionForbidden):
        svc.notice_close(actor=people["water"], notice=_get(notice))
    assert _get(notice).status == NoticeStatus.REPLIED


def test_numbers_follow_each_other(lagging, people, structure, clock):
    first = _issue(people, structure["swj"], [lagging[0]], clock)
    second = _issue(people, structure["zjj"], [lagging[1]], clock)
    assert (first.number, second.number) == ("DB-2026-0001", "DB-2026-0002")
