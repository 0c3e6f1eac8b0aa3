"""The units' work: measures (整改措施), progress reports (进展报送), special plans and joint enforcement."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.core.workflow import WorkflowError
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import PlanStatus, ProblemStatus, ProgressStatus
from ecoinspect.ledger.models import JointAction, Measure, Problem, ProgressReport, SpecialPlan
from tests.factories import ProblemFactory, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(people, structure):
    return ProblemFactory(status=ProblemStatus.RECTIFYING, cooperating_units=[structure["xinshi"]])


# --- measures ---------------------------------------------------------------------------------------------


def test_measures_are_numbered_in_the_order_they_are_added(running, people, structure):
    a = svc.measure_add(
        actor=people["water"],
        problem=running,
        content="封堵新市涌 3 号排水口",
        owner_unit=structure["swj"],
        owner_person="黄工",
        deadline=dt.date(2026, 10, 15),
    )
    b = svc.measure_add(
        actor=people["water"], problem=running, content="排查上游排水户", owner_unit=structure["xinshi"]
    )

    assert [m.content for m in running.measures.all()] == ["封堵新市涌 3 号排水口", "排查上游排水户"]
    assert (a.sort_order, b.sort_order) == (1, 2)
    entries = ActionLog.objects.for_object(running).filter(action="ledger.measure.added").order_by("seq")
    assert [e.payload["owner_unit"] for e in entries] == [structure["swj"].pk, structure["xinshi"].pk]
    assert entries[0].payload["deadline"] == "2026-10-15"


def test_a_measure_is_completed_with_its_date(running, people, structure, clock):
    measure = svc.measure_add(
        actor=people["water"], problem=running, content="清淤", owner_unit=structure["swj"]
    )
    svc.measure_complete(actor=people["water"], measure=measure, done_on=dt.date(2026, 9, 4))
    assert Measure.objects.get(pk=measure.pk).done_on == dt.date(2026, 9, 4)


def test_a_measure_cannot_be_completed_in_the_future(running, people, structure, clock):
    measure = svc.measure_add(
        actor=people["water"], problem=running, content="清淤", owner_unit=structure["swj"]
    )
    with pytest.raises(ServiceError) as refused:
        svc.measure_complete(
            actor=people["water"], measure=measure, done_on=clock.today + dt.timedelta(days=1)
        )
    assert "done_on" in refused.value.message_dict
    assert Measure.objects.get(pk=measure.pk).done_on is None


def test_a_measure_deadline_before_registration_is_refused(running, people, structure):
    with pytest.raises(ServiceError) as refused:
        svc.measure_add(
            actor=people["water"],
            problem=running,
            content="清淤",
            owner_unit=structure["swj"],
            deadline=running.registered_on - dt.timedelta(days=1),
        )
    assert "deadline" in refused.value.message_dict
    assert not Measure.objects.exists()


def test_a_blank_measure_is_refused(running, people, structure):
    with pytest.raises(ServiceError):
        svc.measure_add(actor=people["water"], problem=running, content=" ", owner_unit=structure["swj"])


def test_the_cooperating_unit_may_add_measures(people, structure):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING, cooperating_units=[structure["sanyuanli"]])
    svc.measure_add(
        actor=people["sanyuanli"], problem=problem, content="入户排查", owner_unit=structure["sanyuanli"]
    )
    assert problem.measures.count() == 1


@pytest.mark.parametrize("who", ["housing", "reviewer", "leader", "auditor"])
def test_other_units_and_read_only_roles_cannot_add_measures(running, people, structure, who):
    with pytest.raises(NotPermitted):
        svc.measure_add(actor=people[who], problem=running, content="清淤", owner_unit=structure["swj"])
    assert not Measure.objects.exists()


def test_measures_are_frozen_once_acceptance_is_requested(people, structure):
    problem = ProblemFactory(status=ProblemStatus.COMPLETED)
    with pytest.raises(ServiceError):
        svc.measure_add(
            actor=people["water"], problem=problem, content="补充措施", owner_unit=structure["swj"]
        )


# --- progress reports -------------------------------------------------------------------------------------


def test_a_report_sets_the_problems_completion_status(running, people, clock):
    report = svc.progress_report_add(
        actor=people["water"],
        problem=running,
        text="已完成 3 个排水口封堵，剩余 2 个正在施工。",
        progress_status=ProgressStatus.ON_SCHEDULE,
    )

    saved = reload(running)
    assert saved.progress_status == ProgressStatus.ON_SCHEDULE
    assert saved.last_reported_on == clock.today
    assert report.unit.code == "swj"
    assert report.cycle == 1
    entry = ActionLog.objects.for_object(running).get(action="ledger.progress.reported")
    assert entry.payload["progress_status"] == ProgressStatus.ON_SCHEDULE


def test_the_latest_report_decides_even_when_an_older_one_is_filed_later(running, people, clock):
    clock.advance(days=10)
    svc.progress_report_add(
        actor=people["water"], problem=running, text="进度滞后", progress_status=ProgressStatus.BEHIND
    )
    svc.progress_report_add(
        actor=people["water"],
        problem=reload(running),
        text="补报上周进展",
        progress_status=ProgressStatus.ON_SCHEDULE,
        reported_on=clock.today - dt.timedelta(days=7),
    )

    saved = reload(running)
    assert saved.progress_status == ProgressStatus.BEHIND
    assert saved.last_reported_on == clock.today
    assert ProgressReport.objects.filter(problem=running).count() == 2


def test_a_report_from_the_cooperating_unit_is_recorded_under_that_unit(people, structure):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING, cooperating_units=[structure["sanyuanli"]])
    report = svc.progress_report_add(
        actor=people["sanyuanli"], problem=problem, text="入户排查完成", progress_status=ProgressStatus.BEHIND
    )
    assert report.unit == structure["sanyuanli"]
    assert reload(problem).progress_status == ProgressStatus.BEHIND


def test_a_report_by_the_office_is_recorded_under_the_office(running, people, structure):
    report = svc.progress_report_add(
        actor=people["coordinator"], problem=running, text="督导检查", progress_status=ProgressStatus.BEHIND
    )
    assert report.unit == structure["yingjianban"]


def test_a_report_dated_in_the_future_is_refused(running, people, clock):
    with pytest.raises(ServiceError) as refused:
        svc.progress_report_add(
            actor=people["water"],
            problem=running,
            text="预报",
            progress_status=ProgressStatus.ON_SCHEDULE,
            reported_on=clock.today + dt.timedelta(days=1),
        )
    assert "reported_on" in refused.value.message_dict
    assert reload(running).progress_status == ProgressStatus.NOT_STARTED
    assert not ProgressReport.objects.exists()


def test_a_report_dated_before_registration_is_refused(running, people):
    with pytest.raises(ServiceError) as refused:
        svc.progress_report_add(
            actor=people["water"],
            problem=running,
            text="补报",
            progress_status=ProgressStatus.ON_SCHEDULE,
            reported_on=running.registered_on - dt.timedelta(days=1),
        )
    assert "reported_on" in refused.value.message_dict


def test_a_unit_cannot_report_accepted_and_closed(running, people):
    with pytest.raises(ServiceError) as refused:
        svc.progress_report_add(
            actor=people["water"],
            problem=running,
            text="已销号",
            progress_status=ProgressStatus.ACCEPTED_CLOSED,
        )
    assert "progress_status" in refused.value.message_dict


def test_a_blank_report_is_refused(running, people):
    with pytest.raises(ServiceError) as refused:
        svc.progress_report_add(
            actor=people["water"], problem=running, text="", progress_status="on_schedule"
        )
    assert "text" in refused.value.message_dict


@pytest.mark.parametrize("state", [ProblemStatus.REGISTERED, ProblemStatus.ACCEPTING, ProblemStatus.CLOSED])
def test_no_reports_outside_rectification(people, state):
    problem = ProblemFactory(status=state)
    reports = ProgressReport.objects.count()
    with pytest.raises(ServiceError):
        svc.progress_report_add(
            actor=people["water"], problem=problem, text="进展", progress_status="on_schedule"
        )
    assert ProgressReport.objects.count() == reports


@pytest.mark.parametrize("who", ["housing", "taihe", "reviewer", "publisher", "nobody"])
def test_only_the_units_working_the_problem_report(running, people, who):
    with pytest.raises(NotPermitted):
        svc.progress_report_add(
            actor=people[who], problem=running, text="进展", progress_status="on_schedule"
        )
    assert not ProgressReport.objects.exists()


# --- special plans ----------------------------------------------------------------------------------------

PLAN = {
    "goals": "2026 年底前完成流溪河沿岸 12 家养殖场清退。",
    "measures": "摸排建档、依法关停、清淤复绿。",
}


def test_a_plan_is_submitted_with_its_milestones_in_date_order(running, people):
    plan = svc.special_plan_submit(
        actor=people["water"],
        problem=running,
        milestones=[
            {"date": "2026-12-31", "content": "完成清退"},
            {"date": "2026-10-31", "content": "完成摸排"},
        ],
        **PLAN,
    )
    assert plan.status == PlanStatus.SUBMITTED
    assert [m["date"] for m in plan.milestones] == ["2026-10-31", "2026-12-31"]
    assert "ledger.plan.submitted" in ActionLog.objects.for_object(running).values_list("action", flat=True)


@pytest.mark.parametrize(
    "milestones",
    [[], [{"date": "2026-13-01", "content": "完成摸排"}], [{"date": "2026-10-31", "content": " "}]],
    ids=["none", "bad-date", "no-content"],
)
def test_a_plan_needs_valid_milestones(running, people, milestones):
    with pytest.raises(ServiceError) as refused:
        svc.special_plan_submit(actor=people["water"], problem=running, milestones=milestones, **PLAN)
    assert "milestones" in refused.value.message_dict
    assert not SpecialPlan.objects.exists()


def test_a_plan_needs_goals_and_measures(running, people):
    with pytest.raises(ServiceError) as refused:
        svc.special_plan_submit(
            actor=people["water"],
            problem=running,
            goals="",
            measures="",
            milestones=[{"date": "2026-10-31", "content": "完成摸排"}],
        )
    assert {"goals", "measures"} <= set(refused.value.message_dict)


def _plan(people, problem):
    return svc.special_plan_submit(
        actor=people["water"],
        problem=problem,
        milestones=[{"date": "2026-10-31", "content": "完成摸排"}],
        **PLAN,
    )


def test_the_office_approves_a_plan(running, people):
    plan = _plan(people, running)
    svc.special_plan_decide(actor=people["coordinator"], plan=plan, approve=True)
    saved = SpecialPlan.objects.get(pk=plan.pk)
    assert saved.status == PlanStatus.APPROVED
    assert saved.decided_by == people["coordinator"]


def test_returning_a_plan_needs_a_note_which_is_kept(running, people):
    plan = _plan(people, running)
    with pytest.raises(ServiceError):
        svc.special_plan_decide(actor=people["coordinator"], plan=plan, approve=False, note="")
    assert SpecialPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED

    svc.special_plan_decide(actor=people["coordinator"], plan=plan, approve=False, note="请细化时间节点")
    saved = SpecialPlan.objects.get(pk=plan.pk)
    assert saved.status == PlanStatus.REJECTED
    assert saved.decision_note == "请细化时间节点"
    entry = ActionLog.objects.for_object(running).get(action="ledger.plan.rejected")
    assert entry.payload["reason"] == "请细化时间节点"


def test_a_plan_is_decided_once(running, people):
    plan = _plan(people, running)
    svc.special_plan_decide(actor=people["coordinator"], plan=plan, approve=True)
    with pytest.raises(WorkflowError, match="已批准"):  # the plan's table has no move out of 已批准
        svc.special_plan_decide(actor=people["coordinator"], plan=plan, approve=False, note="改主意")
    assert SpecialPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


@pytest.mark.parametrize("who", ["water", "reviewer", "leader"])
def test_the_unit_cannot_approve_its_own_plan(running, people, who):
    plan = _plan(people, running)
    with pytest.raises(NotPermitted):
        svc.special_plan_decide(actor=people[who], plan=plan, approve=True)
    assert SpecialPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_another_unit_cannot_submit_a_plan(running, people):
    with pytest.raises(NotPermitted):
        _plan({"water": people["housing"]}, running)


# --- joint enforcement ------------------------------------------------------------------------------------


def test_a_joint_action_records_the_units_the_findings_and_the_actions(running, people, structure, clock):
    action = svc.joint_action_record(
        actor=people["water"],
        problem=running,
        acted_on=clock.today - dt.timedelta(days=2),
        units=[structure["swj"], structure["sthj"], structure["gaj"]],
        findings="暗管偷排洗水废水",
        actions="查封设备，移送公安",
    )
    assert set(action.units.all()) == {structure["swj"], structure["sthj"], structure["gaj"]}
    entry = ActionLog.objects.for_object(running).get(action="ledger.joint_action.recorded")
    assert sorted(entry.payload["units"]) == sorted(u.pk for u in action.units.all())


def test_a_joint_action_needs_two_units_a_past_date_findings_and_actions(running, people, structure, clock):
    with pytest.raises(ServiceError) as refused:
        svc.joint_action_record(
            actor=people["water"],
            problem=running,
            acted_on=clock.today + dt.timedelta(days=1),
            units=[structure["swj"]],
            findings="",
            actions="",
        )
    assert {"units", "acted_on", "findings", "actions"} <= set(refused.value.message_dict)
    assert not JointAction.objects.exists()


def test_another_unit_cannot_record_a_joint_action(running, people, structure, clock):
    with pytest.raises(NotPermitted):
        svc.joint_action_record(
            actor=people["housing"],
            problem=running,
            acted_on=clock.today,
            units=[structure["swj"], structure["zjj"]],
            findings="发现",
            actions="处理",
        )


def test_a_submitted_plan_waits_in_the_offices_queue_until_it_is_decided(running, people, login):
    plan = _plan(people, running)
    office = login(people["coordinator"])
    home = office.get("/").content.decode()
    assert plan.get_absolute_url() in home and "专项整改方案" in home
    assert plan.get_absolute_url() not in login(people["water"]).get("/").content.decode()  # not the unit's to do
    svc.special_plan_decide(actor=people["coordinator"], plan=plan, approve=True)
    assert plan.get_absolute_url() not in login(people["coordinator"]).get("/").content.decode()


def test_a_plan_decision_is_a_declared_move_on_the_problems_timeline(running, people):
    plan = _plan(people, running)
    svc.special_plan_decide(actor=people["coordinator"], plan=plan, approve=False, note="补充资金安排")
    entry = ActionLog.objects.filter(action="ledger.plan.rejected").get()
    assert entry.object_id == str(running.pk)  # shown on the problem's page
    assert entry.payload["plan"] == plan.pk and entry.payload["from"] == "submitted" and entry.payload["to"] == "rejected"
    assert SpecialPlan.objects.get(pk=plan.pk).decided_at is not None


def test_a_report_moves_the_completion_status_through_its_declared_table(running, people):
    svc.progress_report_add(actor=people["water"], problem=running, text="已完成围蔽", progress_status="on_schedule")
    entry = ActionLog.objects.filter(action="ledger.progress.reported").latest("pk")
    assert (entry.payload["from"], entry.payload["to"]) == ("not_started", "on_schedule")
    assert Problem.objects.get(pk=running.pk).progress_status == "on_schedule"


def test_no_ledger_code_writes_a_status_outside_the_workflow_engine():
    """Status fields change only through declared transition tables (T.target and T.sets)."""
    import re
    from pathlib import Path

    import ecoinspect.ledger

    root = Path(ecoinspect.ledger.__file__).parent
    pattern = re.compile(r"\.(status|progress_status)\s*=[^=]")
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
