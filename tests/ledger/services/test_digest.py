"""每日提醒: every unit with active members hears of its overdue, warned and soon-due problems, once a day."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from ecoinspect.audit.models import ActionLog
from ecoinspect.ledger import deadlines
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.tasks import ledger_digest
from ecoinspect.notifications.models import Notification
from tests.factories import ProblemFactory

#: A Monday, then a Wednesday a month later: no public holiday in between.
ASSIGNED = dt.date(2026, 11, 2)
TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def scene(people, units, clock):
    """Water bureau: one overdue (red), one yellow and due within 5 working days, one blue, one fine;
    and, as a cooperating unit, one overdue problem led by 三元里街道."""
    clock.set(ASSIGNED)

    def assigned(number, deadline, **extra):
        return ProblemFactory(minimal=True, status=S.ASSIGNED, number=number, deadline=deadline, **extra)

    problems = {
        "red": assigned("DG-RED", dt.date(2026, 11, 12)),
        "yellow": assigned("DG-YELLOW", TODAY + dt.timedelta(days=2)),
        "blue": assigned("DG-BLUE", TODAY + dt.timedelta(days=21)),
        "fine": assigned("DG-FINE", dt.date(2027, 6, 30)),
        "cooperating": assigned(
            "DG-COOP", dt.date(2026, 11, 20), lead_unit=units["sanyuanli"], cooperating_units=[units["swj"]]
        ),
    }
    clock.set(TODAY, hour=8)
    for problem in problems.values():
        problem.refresh_from_db()
    return problems


def notes(user):
    return list(Notification.objects.filter(recipient=user, event="ledger.digest.sent"))


def test_the_counts_of_each_unit(people, scene):
    assert {k: deadlines.warning_for(p, TODAY) for k, p in scene.items()} == {
        "red": "red",
        "yellow": "yellow",
        "blue": "blue",
        "fine": "none",
        "cooperating": "red",
    }
    results = {r["unit"]: r for r in ledger_digest.call(TODAY.isoformat())}
    assert results["swj"]["counts"] == {"overdue": 2, "red": 2, "yellow": 1, "blue": 1, "due_soon": 1}
    assert results["sanyuanli"]["counts"] == {"overdue": 1, "red": 1, "yellow": 0, "blue": 0, "due_soon": 0}
    (note,) = notes(people["water"])
    assert note.title == "每日提醒 2026-12-02：逾期 2 项；红灯 2、黄牌 1、蓝签 1；5 个工作日内到期 1 项"
    assert "已逾期 2 项：DG-RED" in note.body
    assert "5 个工作日内到期 1 项：DG-YELLOW" in note.body
    assert note.url.endswith(f"/ledger/units/{scene['red'].lead_unit_id}/")


def test_a_unit_with_nothing_due_still_hears_from_it(people, scene):
    ledger_digest.call(TODAY.isoformat())
    (note,) = notes(people["jingtai"])
    assert note.title.startswith("每日提醒 2026-12-02：无逾期事项；红灯 0、黄牌 0、蓝签 0")
    assert note.body.startswith("无逾期事项。")


def test_every_unit_with_active_members_and_only_those(people, units, scene):
    from ecoinspect.orgs.models import Membership

    Membership.objects.filter(user=people["jingtai"]).update(is_active=False)
    results = ledger_digest.call(TODAY.isoformat())
    sent_to = {r["unit"] for r in results}
    assert sent_to == {"yingjianban", "baiyun", "swj", "zjj", "sanyuanli", "taihe", "sthj"}
    assert notes(people["jingtai"]) == []
    # both members of the office hear of it
    assert len(notes(people["coordinator"])) == len(notes(people["publisher"])) == 1


def test_running_twice_a_day_sends_once(people, scene):
    first = ledger_digest.call(TODAY.isoformat())
    second = ledger_digest.call(TODAY.isoformat())
    assert all(r["sent"] for r in first) and not any(r["sent"] for r in second)
    assert len(notes(people["water"])) == 1
    logged = ActionLog.objects.filter(action="ledger.digest.sent")
    assert logged.count() == len(first)
    assert logged.filter(object_type="orgs.unit").first().payload["date"] == TODAY.isoformat()
    ledger_digest.call((TODAY + dt.timedelta(days=1)).isoformat())
    assert len(notes(people["water"])) == 2


def test_the_task_runs_on_the_immediate_backend(people, scene):
    result = ledger_digest.enqueue(TODAY.isoformat())
    assert result.status == "SUCCESSFUL"
    assert {r["unit"] for r in result.return_value} >= {"swj", "sanyuanli"}


def test_the_command_prints_what_it_sent(people, scene):
    out = io.StringIO()
    call_command("ledger", "digest", "--date", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert "白云区水务局：已发送 1 人 — 每日提醒 2026-12-02：逾期 2 项" in text
    assert "白云区景泰街道：已发送 1 人 — 每日提醒 2026-12-02：无逾期事项" in text
    again = io.StringIO()
    call_command("ledger", "digest", "--date", TODAY.isoformat(), stdout=again)
    assert "今日已发送过，跳过" in again.getvalue() and "发送 0 个单位" in again.getvalue()


def test_the_command_can_skip_days_off(people, scene):
    out = io.StringIO()
    call_command("ledger", "digest", "--date", "2026-12-05", "--workdays-only", stdout=out)  # a Saturday
    assert "不是工作日" in out.getvalue()
    assert not Notification.objects.filter(event="ledger.digest.sent").exists()


@pytest.mark.django_db(transaction=True)
def test_cron_queues_the_digest_and_the_worker_sends_it(people, scene, task_queue, run_worker):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    out = io.StringIO()
    call_command("ledger", "digest", "--date", TODAY.isoformat(), "--workdays-only", stdout=out)
    assert "每日提醒已交给后台任务进程发送" in out.getvalue()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "ecoinspect.ledger.tasks.ledger_digest" and queued.status == TaskResultStatus.READY
    assert not notes(people["water"])  # cron answered at once; nothing is sent yet

    run_worker()
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert [n.title for n in notes(people["water"])] == ["每日提醒 2026-12-02：逾期 2 项；红灯 2、黄牌 1、蓝签 1；5 个工作日内到期 1 项"]
    assert {r["unit"] for r in queued.return_value if r["sent"]} >= {"swj", "sanyuanli"}


def test_the_command_can_still_send_at_once(people, scene, task_queue):
    out = io.StringIO()
    call_command("ledger", "digest", "--date", TODAY.isoformat(), "--now", stdout=out)
    assert "白云区水务局：已发送 1 人" in out.getvalue()
    assert len(notes(people["water"])) == 1
