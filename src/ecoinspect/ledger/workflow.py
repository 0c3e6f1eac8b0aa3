"""The only place that says what may happen to a problem and to a supervision notice (DESIGN.md §7).

REGISTERED → ASSIGNED → RECTIFYING → COMPLETED (acceptance requested) → ACCEPTING → ACCEPTED
→ PUBLICITY → CLOSED. The reviewer may reject back to RECTIFYING; an upheld objection during publicity
returns the problem to RECTIFYING; a closed problem can be reopened (反弹) and starts a new cycle.
ACCEPTED (验收通过待公示) is a state DESIGN.md does not list: the issue has the reviewer accept and the
publisher start the publicity, so the problem waits between the two.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecoinspect.core.permissions import user_scope
from ecoinspect.core.workflow import T, Workflow
from ecoinspect.orgs.access import district_people

from .choices import (
    REPORTABLE_PROGRESS,
    DeadlineKind,
    DistrictDecision,
    NoticeStatus,
    PlanStatus,
    ProgressStatus,
)
from .choices import ProblemStatus as S


def _key_needs_approved_plan(problem, payload, actor):
    if problem.is_key and not problem.plans.filter(status=PlanStatus.APPROVED).exists():
        return _(
            "重点问题须先提交并经批准专项整改方案。"
        )
    return None


def _complex_needs_joint_action(problem, payload, actor):
    if problem.is_complex and not problem.joint_actions.exists():
        return _(
            "复杂问题须先录入联合执法情况。"
        )
    return None


def _not_long_term(problem, payload, actor):
    if problem.deadline_kind == DeadlineKind.LONG_TERM:
        return _(
            "长期坚持类问题保持整改状态并定期报送进展，不申请验收。"
        )
    return None


def _lead_unit_only(problem, payload, actor):
    scope = user_scope(actor, "ledger.work")
    if scope.everything or problem.lead_unit_id in scope.unit_ids:
        return None
    return _("只有牵头单位可以申请验收。")


def _measures_done(problem, payload, actor):
    open_measures = problem.measures.filter(done_on__isnull=True).count()
    if open_measures:
        return _("还有 %(n)s 项整改措施未完成。") % {"n": open_measures}
    return None


def _publicity_over_without_objection(problem, payload, actor):
    publicity = problem.publicities.filter(cycle=problem.cycle).order_by("-pk").first()
    if publicity is None:
        return _("尚未公示。")
    if publicity.objection_received:
        return _("公示期间收到异议，须先处理异议。")
    if timezone.localdate() <= publicity.ends_on:
        return _("公示期至 %(d)s 结束，期满后方可销号。") % {
            "d": publicity.ends_on
        }
    return None


def _district_decided(problem, payload, actor):
    """A problem whose place was found outside the district is not closed or published as Baiyun's until the
    inspection office has decided, with a reason, that Baiyun handles it (problem_decide_district)."""
    if not problem.district_pending:
        return None
    district = {"district": settings.ECOINSPECT_DISTRICT_NAME}
    if problem.district_decision == DistrictDecision.NOT_OURS:
        return _("已确认该问题不属本区，不能作为%(district)s问题销号或公示。") % district
    return _("该问题地点疑似不在%(district)s，须先由督察迎检办确认属地并填写理由。") % district


def _has_evidence(problem, payload) -> bool:
    return problem.evidence.filter(cycle=problem.cycle).exists()


def _has_current(relation: str):
    def check(problem, payload) -> bool:
        return getattr(problem, relation).filter(cycle=problem.cycle).exists()

    return check


PROBLEM_WORKFLOW = Workflow(
    namespace="ledger.problem",
    transitions=[
        T(
            "assign",
            S.REGISTERED,
            S.ASSIGNED,
            perm="ledger.assign",
            needs=("lead_unit", "acceptance_unit", "deadline_set"),
            label=_("交办"),
            event="assigned",
            confirm=_("确认交办？交办后开始计算整改时限。"),
            done=_("已交办，牵头单位已收到通知。"),
        ),
        T(
            "start",
            S.ASSIGNED,
            S.RECTIFYING,
            perm="ledger.work",
            guards=(_key_needs_approved_plan,),
            label=_("开始整改"),
            event="started",
            done=_("已开始整改。"),
        ),
        T(
            "request_acceptance",
            S.RECTIFYING,
            S.COMPLETED,
            perm="ledger.work",
            needs=("evidence", "final_report"),
            guards=(
                _lead_unit_only,
                _not_long_term,
                _measures_done,
                _key_needs_approved_plan,
                _complex_needs_joint_action,
            ),
            label=_("申请验收"),
            event="acceptance_requested",
            style="success",
            sets={"progress_status": ProgressStatus.COMPLETED},
            confirm=_("确认整改已完成并申请验收？"),
            done=_("已申请验收，验收销号单位已收到通知。"),
        ),
        T(
            "begin_review",
            S.COMPLETED,
            S.ACCEPTING,
            perm="ledger.review",
            label=_("开始验收"),
            event="review_started",
            done=_("已开始验收。"),
        ),
        T(
            "accept",
            (S.COMPLETED, S.ACCEPTING),
            S.ACCEPTED,
            perm="ledger.review",
            needs=("acceptance",),
            label=_("验收通过"),
            event="accepted",
            style="success",
            form="ledger:problem_accept",
        ),
        T(
            "reject",
            (S.COMPLETED, S.ACCEPTING),
            S.RECTIFYING,
            perm="ledger.review",
            needs=("reason", "acceptance"),
            label=_("验收退回"),
            event="rejected",
            style="danger",
            sets={"progress_status": ProgressStatus.BEHIND},
            form="ledger:problem_reject",
        ),
        T(
            "start_publicity",
            S.ACCEPTED,
            S.PUBLICITY,
            perm="ledger.publish",
            needs=("publicity",),
            guards=(_district_decided,),
            label=_("发布销号公示"),
            event="publicity_started",
            form="ledger:publicity_start",
        ),
        T(
            "uphold_objection",
            S.PUBLICITY,
            S.RECTIFYING,
            perm="ledger.publish",
            needs=("reason",),
            label=_("异议成立，退回整改"),
            event="objection_upheld",
            todo=False,
            style="danger",
            sets={"progress_status": ProgressStatus.BEHIND},
            form="ledger:publicity_objection",
        ),
        T(
            "close",
            S.PUBLICITY,
            S.CLOSED,
            perm="ledger.publish",
            guards=(_district_decided, _publicity_over_without_objection),
            label=_("销号"),
            event="closed",
            style="dark",
            sets={"progress_status": ProgressStatus.ACCEPTED_CLOSED},
            confirm=_("确认销号？"),
            done=_("已销号。"),
        ),
        T(
            "reopen",
            S.CLOSED,
            S.RECTIFYING,
            perm="ledger.assign",
            needs=("reason",),
            label=_("反弹重启"),
            event="reopened",
            todo=False,
            style="danger",
            sets={"progress_status": ProgressStatus.NOT_STARTED},
            form="ledger:problem_reopen",
        ),
    ],
    stage_timestamps={
        S.ASSIGNED: "assigned_at",
        S.RECTIFYING: "rectifying_at",
        S.COMPLETED: "completed_at",
        S.ACCEPTED: "accepted_at",
        S.PUBLICITY: "publicity_at",
        S.CLOSED: "closed_at",
    },
    need_checks={
        "deadline_set": lambda p, payload: (
            p.deadline_kind == DeadlineKind.LONG_TERM or p.deadline is not None
        ),
        "evidence": _has_evidence,
        "final_report": lambda p, payload: p.reports.filter(cycle=p.cycle).exists(),
        "acceptance": _has_current("acceptances"),
        "publicity": _has_current("publicities"),
        "reason": lambda p, payload: bool((payload.get("reason") or "").strip()),
    },
    need_labels={
        "deadline_set": _("整改时限"),
        "evidence": _("本轮佐证材料"),
        "final_report": _("进展报送"),
        "acceptance": _("验收记录"),
        "publicity": _("公示信息"),
        "reason": _("理由"),
    },
    notify=lambda problem, t, actor: _problem_recipients(problem, t),
    move_url="ledger:problem_move",
    object_arg="problem",
)


def _problem_recipients(problem, t):
    """Who hears of a move: whoever must act next — the units working it, the acceptance unit, the
    district's publishers once it is accepted, the inspection office once it is closed — and the lead unit,
    whose problem it is. The engine leaves out the person who made the move."""
    if t.target in (S.ASSIGNED, S.RECTIFYING):
        recipients = [problem.lead_unit, *problem.cooperating_units.all()]
    elif t.target == S.COMPLETED:
        recipients = [problem.acceptance_unit]
    elif t.target == S.ACCEPTED:
        recipients = [*district_people("ledger.publish"), problem.lead_unit]
    elif t.target == S.CLOSED:
        recipients = [*district_people("ledger.assign"), problem.lead_unit]
    else:
        recipients = [problem.lead_unit]
    return [r for r in recipients if r is not None]


NOTICE_WORKFLOW = Workflow(
    namespace="ledger.notice",
    transitions=[
        T(
            "reply",
            NoticeStatus.ISSUED,
            NoticeStatus.REPLIED,
            perm="ledger.work",
            needs=("reply",),
            label=_("回复督办"),
            event="replied",
            button=False,  # the reply form is on the notice's page
        ),
        T(
            "close",
            NoticeStatus.REPLIED,
            NoticeStatus.CLOSED,
            perm="ledger.assign",
            label=_("督办办结"),
            event="closed",
            style="success",
            done=_("督办单已办结。"),
        ),
        T(
            "return",
            NoticeStatus.REPLIED,
            NoticeStatus.ISSUED,
            perm="ledger.assign",
            needs=("reason",),
            label=_("回复不满意，退回"),
            event="returned",
            style="danger",
            form="ledger:notice_return",
        ),
    ],
    stage_timestamps={NoticeStatus.REPLIED: "replied_at", NoticeStatus.CLOSED: "closed_at"},
    need_checks={"reason": lambda n, payload: bool((payload.get("reason") or "").strip())},
    need_labels={"reason": _("理由")},
    notify=lambda notice, t, actor: [notice.unit],
    move_url="ledger:notice_move",
    object_arg="notice",
)


#: 完成进度 as the units report it. Reports move it among the reportable values; the problem's own moves set
#: the rest (已完成 on requesting acceptance, 已验收销号 on closing — see ``T.sets`` above).
PROGRESS_WORKFLOW = Workflow(
    namespace="ledger.progress",
    state_field="progress_status",
    transitions=[
        T(
            f"report_{value}",
            tuple(REPORTABLE_PROGRESS),
            value,
            perm="ledger.work",
            label=_("报送整改进展"),
            event="reported",
            todo=False,
            button=False,
        )
        for value in REPORTABLE_PROGRESS
    ],
)


def _plan_recipients(plan, t):
    return [plan.problem.lead_unit] if plan.problem.lead_unit_id else []


#: 专项整改方案: submitted by the lead unit, approved or returned for changes by the inspection office; a
#: returned plan is replaced by a new submission. Plans waiting for a decision are in the office's 我的待办.
PLAN_WORKFLOW = Workflow(
    namespace="ledger.plan",
    transitions=[
        T(
            "approve",
            PlanStatus.SUBMITTED,
            PlanStatus.APPROVED,
            perm="ledger.assign",
            label=_("批准专项整改方案"),
            event="approved",
            style="success",
            button=False,
        ),
        T(
            "return",
            PlanStatus.SUBMITTED,
            PlanStatus.REJECTED,
            perm="ledger.assign",
            needs=("note",),
            label=_("退回专项整改方案"),
            event="rejected",
            style="danger",
            button=False,
        ),
    ],
    stage_timestamps={PlanStatus.APPROVED: "decided_at", PlanStatus.REJECTED: "decided_at"},
    need_checks={"note": lambda plan, payload: bool((payload.get("reason") or "").strip())},
    need_labels={"note": _("审批意见")},
    notify=lambda plan, t, actor: _plan_recipients(plan, t),
    subject=lambda plan: plan.problem,
    object_arg="plan",
)
