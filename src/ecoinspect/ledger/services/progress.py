"""The units' work on a problem: measures, progress reports, special plans and joint enforcement."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common import calendar
from ecoinspect.common.errors import ServiceError
from ecoinspect.core.services import lock, require
from ecoinspect.core.submissions import once
from ecoinspect.core.workflow import check, transition
from ecoinspect.orgs.models import Unit

from ..choices import OPEN_STATES, REPORTABLE_PROGRESS, ProblemStatus
from ..models import JointAction, Measure, Problem, ProgressReport, SpecialPlan
from ..workflow import PLAN_WORKFLOW, PROGRESS_WORKFLOW
from ._base import actor_unit


def _require_open(problem: Problem) -> None:
    if problem.status not in OPEN_STATES:
        raise ServiceError(
            _(
                "问题处于“%(s)s”状态，不能再报送或修改整改内容。"
            )
            % {"s": problem.get_status_display()}
        )


@once("ledger.measure")
@transaction.atomic
def measure_add(
    *,
    actor,
    problem: Problem,
    content: str,
    owner_unit: Unit,
    owner_person: str = "",
    deadline: dt.date | None = None,
) -> Measure:
    require(actor, "ledger.work", problem)
    _require_open(problem)
    if not content.strip():
        raise ServiceError({"content": _("请填写整改措施。")})
    calendar.check_entered_dates(deadline=deadline)
    if deadline is not None and deadline < problem.registered_on:
        raise ServiceError(
            {
                "deadline": _(
                    "措施时限早于问题登记日期。"
                )
            }
        )
    with acting_as(actor):
        measure = Measure.objects.create(
            problem=problem,
            content=content.strip(),
            owner_unit=owner_unit,
            owner_person=owner_person,
            deadline=deadline,
            sort_order=problem.measures.count() + 1,
        )
        action_log_append(
            action="ledger.measure.added",
            actor=actor,
            obj=problem,
            payload={
                "measure": measure.pk,
                "content": measure.content[:100],
                "owner_unit": owner_unit.pk,
                "deadline": deadline,
            },
        )
    return measure


@transaction.atomic
def measure_complete(*, actor, measure: Measure, done_on: dt.date | None = None) -> Measure:
    problem = measure.problem
    require(actor, "ledger.work", problem)
    _require_open(problem)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ServiceError(
            {"done_on": _("完成日期不能晚于今天。")}
        )
    with acting_as(actor):
        measure.done_on = done_on
        measure.save()
        action_log_append(
            action="ledger.measure.completed",
            actor=actor,
            obj=problem,
            payload={"measure": measure.pk, "done_on": done_on},
        )
    return measure


@once("ledger.progress_report")
@transaction.atomic
def progress_report_add(
    *, actor, problem: Problem, text: str, progress_status: str, reported_on: dt.date | None = None
) -> ProgressReport:
    """A dated progress report; its completion status becomes the problem's 完成进度."""
    require(actor, "ledger.work", problem)
    _require_open(problem)
    if progress_status not in REPORTABLE_PROGRESS:
        raise ServiceError(
            {
                "progress_status": _(
                    "完成进度只能是：尚未启动、未达时序进度、达到时序进度、已完成。"
                )
            }
        )
    if not text.strip():
        raise ServiceError({"text": _("请填写进展情况。")})
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise ServiceError(
            {"reported_on": _("报送日期不能晚于今天。")}
        )
    if reported_on < problem.registered_on:
        raise ServiceError(
            {"reported_on": _("报送日期早于问题登记日期。")}
        )
    unit = actor_unit(actor, problem)
    if unit is None:
        raise ServiceError(_("您未隶属任何单位，不能报送。"))
    lock(problem)  # before the audit chain's lock, in the order every write on a problem takes them
    with acting_as(actor):
        report = ProgressReport.objects.create(
            problem=problem,
            cycle=problem.cycle,
            reported_on=reported_on,
            text=text.strip(),
            progress_status=progress_status,
            unit=unit,
            reporter=actor,
        )
        payload = {
            "report": report.pk,
            "progress_status": progress_status,
            "reported_on": reported_on,
            "unit": unit.pk,
        }
        if problem.last_reported_on is None or reported_on >= problem.last_reported_on:
            # the newest report moves 完成进度 through its declared table (and logs the report)
            problem.last_reported_on = reported_on
            transition(
                problem,
                action=f"report_{progress_status}",
                actor=actor,
                payload=payload,
                workflow=PROGRESS_WORKFLOW,
            )
        else:  # a late report of an earlier day is kept, but the newer one still says where things stand
            action_log_append(action="ledger.progress.reported", actor=actor, obj=problem, payload=payload)
    return report


@once("ledger.special_plan")
@transaction.atomic
def special_plan_submit(
    *, actor, problem: Problem, goals: str, measures: str, milestones: list[dict]
) -> SpecialPlan:
    """专项整改方案 of a key problem, submitted by the lead unit for approval."""
    require(actor, "ledger.work", problem)
    if problem.status not in (ProblemStatus.ASSIGNED, ProblemStatus.RECTIFYING):
        raise ServiceError(
            _(
                "只有已交办或整改中的问题可以提交方案。"
            )
        )
    errors = {}
    if not goals.strip():
        errors["goals"] = _("请填写整治目标。")
    if not measures.strip():
        errors["measures"] = _("请填写主要措施。")
    clean_milestones = []
    for i, m in enumerate(milestones or [], start=1):
        try:
            when = dt.date.fromisoformat(str(m.get("date", "")))
        except ValueError:
            errors["milestones"] = _(
                "第 %(i)s 个时间节点的日期无效：%(v)s"
            ) % {"i": i, "v": m.get("date")}
            break
        if calendar.entered_date_problem(when):
            errors["milestones"] = _("第 %(i)s 个时间节点：%(why)s") % {"i": i, "why": calendar.entered_date_problem(when)}
            break
        if not str(m.get("content", "")).strip():
            errors["milestones"] = _("第 %(i)s 个时间节点缺少内容。") % {
                "i": i
            }
            break
        clean_milestones.append({"date": when.isoformat(), "content": str(m["content"]).strip()})
    if not clean_milestones and "milestones" not in errors:
        errors["milestones"] = _("至少需要一个时间节点。")
    if errors:
        raise ServiceError(errors)
    with acting_as(actor):
        plan = SpecialPlan.objects.create(
            problem=problem,
            goals=goals.strip(),
            measures=measures.strip(),
            milestones=sorted(clean_milestones, key=lambda m: m["date"]),
            submitted_by=actor,
        )
        action_log_append(action="ledger.plan.submitted", actor=actor, obj=problem, payload={"plan": plan.pk})
    return plan


@transaction.atomic
def special_plan_decide(*, actor, plan: SpecialPlan, approve: bool, note: str = "") -> SpecialPlan:
    """The inspection office approves a plan or returns it for changes (with a note)."""
    require(actor, "ledger.assign", plan.problem)
    action = "approve" if approve else "return"
    check(plan, action=action, actor=actor, payload={"reason": note}, workflow=PLAN_WORKFLOW, needs=False)
    if not approve and not note.strip():
        raise ServiceError({"note": _("退回修改须填写意见。")})
    with acting_as(actor):
        plan.decided_by, plan.decision_note = actor, note
        return transition(plan, action=action, actor=actor, payload={"reason": note}, workflow=PLAN_WORKFLOW)


@once("ledger.joint_action")
@transaction.atomic
def joint_action_record(
    *, actor, problem: Problem, acted_on: dt.date, units, findings: str, actions: str
) -> JointAction:
    """联合执法: which departments took part, when, what was found and what was done."""
    require(actor, "ledger.work", problem)
    _require_open(problem)
    units = list(units)
    errors = {}
    if len(units) < 2:
        errors["units"] = _("联合执法至少需要两个参加部门。")
    if acted_on > timezone.localdate():
        errors["acted_on"] = _("执法日期不能晚于今天。")
    if not findings.strip():
        errors["findings"] = _("请填写发现的问题。")
    if not actions.strip():
        errors["actions"] = _("请填写处理措施。")
    if errors:
        raise ServiceError(errors)
    with acting_as(actor):
        action = JointAction.objects.create(
            problem=problem,
            acted_on=acted_on,
            findings=findings.strip(),
            actions=actions.strip(),
            recorded_by=actor,
        )
        action.units.set(units)
        action_log_append(
            action="ledger.joint_action.recorded",
            actor=actor,
            obj=problem,
            payload={"joint_action": action.pk, "units": [u.pk for u in units], "acted_on": acted_on},
        )
    return action
