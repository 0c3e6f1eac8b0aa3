"""From the unit's request for acceptance to closing (销号), and reopening (反弹)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoinspect.audit.context import acting_as
from ecoinspect.common.calendar import default_calendar
from ecoinspect.common.errors import ServiceError
from ecoinspect.core.services import bump_version, require
from ecoinspect.core.workflow import check, transition

from .. import deadlines
from ..choices import AcceptanceMethod, DeadlineKind, ProblemStatus
from ..models import Acceptance, Problem, Publicity
from ..workflow import PROBLEM_WORKFLOW
from ._base import actor_unit

#: 公示期: "10 个工作日" or "2 周" (14 calendar days), per the closing-notice practice.
PUBLICITY_PERIODS = {"10_workdays": gettext_lazy("10 个工作日"), "2_weeks": gettext_lazy("2 周")}


def publicity_end(starts_on: dt.date, period: str) -> dt.date:
    if period == "10_workdays":
        cal = default_calendar()
        return (
            cal.add_workdays(starts_on, 9) if cal.is_workday(starts_on) else cal.add_workdays(starts_on, 10)
        )
    if period == "2_weeks":
        return starts_on + dt.timedelta(days=13)
    raise ServiceError(
        {
            "period": _(
                "公示期只能是 10 个工作日或 2 周。"
            )
        }
    )


@PROBLEM_WORKFLOW.performs("request_acceptance")
@transaction.atomic
def problem_request_acceptance(*, actor, problem: Problem, expected_version: int | None = None) -> Problem:
    """申请验收: the lead unit says the work is done (needs this cycle's evidence and a progress report)."""
    bump_version(problem, expected_version)
    with acting_as(actor):
        return transition(problem, action="request_acceptance", actor=actor)


@PROBLEM_WORKFLOW.performs("begin_review")
@transaction.atomic
def problem_begin_review(*, actor, problem: Problem) -> Problem:
    with acting_as(actor):
        return transition(problem, action="begin_review", actor=actor)


def _acceptance(*, actor, problem, passed: bool, accepted_on, method, opinion) -> Acceptance:
    require(actor, "ledger.review", problem)
    errors = {}
    if method not in AcceptanceMethod:
        errors["method"] = _("验收方式只能是现场核查或资料审核。")
    if not opinion.strip():
        errors["opinion"] = _("请填写验收意见。")
    if accepted_on > timezone.localdate():
        errors["accepted_on"] = _("验收日期不能晚于今天。")
    elif problem.completed_at and accepted_on < timezone.localdate(problem.completed_at):
        errors["accepted_on"] = _("验收日期早于申请验收日期。")
    if errors:
        raise ServiceError(errors)
    return Acceptance.objects.create(
        problem=problem,
        cycle=problem.cycle,
        passed=passed,
        accepted_on=accepted_on,
        method=method,
        opinion=opinion.strip(),
        reviewer=actor,
        unit=actor_unit(actor, problem),
    )


@transaction.atomic
def problem_accept(*, actor, problem: Problem, accepted_on: dt.date, method: str, opinion: str) -> Problem:
    """验收通过: the reviewer of the acceptance unit records the date, method and opinion."""
    require(actor, "ledger.review", problem)
    check(problem, action="accept", actor=actor, needs=False)  # the acceptance record is made below
    with acting_as(actor):
        acceptance = _acceptance(
            actor=actor, problem=problem, passed=True, accepted_on=accepted_on, method=method, opinion=opinion
        )
        return transition(
            problem,
            action="accept",
            actor=actor,
            payload={"acceptance": acceptance.pk, "method": method, "opinion": opinion},
        )


@transaction.atomic
def problem_reject(*, actor, problem: Problem, accepted_on: dt.date, method: str, reason: str) -> Problem:
    """验收不通过: back to rectifying with the reasons."""
    require(actor, "ledger.review", problem)
    check(problem, action="reject", actor=actor, payload={"reason": reason}, needs=False)
    if not reason.strip():
        raise ServiceError({"reason": _("退回须填写理由。")})
    with acting_as(actor):
        acceptance = _acceptance(
            actor=actor, problem=problem, passed=False, accepted_on=accepted_on, method=method, opinion=reason
        )
        return transition(
            problem, action="reject", actor=actor, payload={"acceptance": acceptance.pk, "reason": reason}
        )


#: How far ahead a publicity may be scheduled (the notice is usually published within days of entry).
PUBLICITY_MAX_DAYS_AHEAD = 30


def current_acceptance(problem: Problem) -> Acceptance | None:
    """The passing acceptance of the problem's current cycle (the one the publicity is about)."""
    return problem.acceptances.filter(cycle=problem.cycle, passed=True).order_by("-pk").first()


def publicity_start_range(problem: Problem, *, published: bool = False) -> tuple[dt.date, dt.date, str]:
    """(earliest, latest, what the earliest is) for a publicity's start date.

    A publicity never starts before the acceptance, nor before the day it is entered — unless the
    publisher records when and where it was really published (``published``); then it may start on any
    day from the acceptance on. It may be scheduled up to ``PUBLICITY_MAX_DAYS_AHEAD`` days ahead.
    """
    today = timezone.localdate()
    acceptance = current_acceptance(problem)
    accepted_on = acceptance.accepted_on if acceptance is not None else today
    if published or accepted_on >= today:
        earliest, label = accepted_on, _("验收日期")
    else:
        earliest, label = today, _("今天")
    return earliest, today + dt.timedelta(days=PUBLICITY_MAX_DAYS_AHEAD), label


def rest_day_warning(starts_on: dt.date) -> str | None:
    """The publicity starts on a rest day (a weekend or a holiday on the working calendar): said, not
    refused — the district website publishes on any day, and the period is counted correctly from it
    (10 working days begin with the next working day; 2 weeks are calendar days)."""
    cal = default_calendar()
    if cal.is_workday(starts_on):
        return None
    return _(
        "公示开始日期 %(d)s 为休息日（%(why)s）。公示期照常计算：10 个工作日从下一个工作日起算，2 周按日历日计算；"
        "请确认公示确于当日在公示渠道发布。"
    ) % {"d": starts_on.isoformat(), "why": cal.rest_day_reason(starts_on)}


@transaction.atomic
def publicity_start(
    *,
    actor,
    problem: Problem,
    starts_on: dt.date,
    period: str,
    channel: str,
    objection_phone: str,
    published_at: dt.datetime | None = None,
    published_where: str = "",
) -> Problem:
    """发布销号公示: the period (10 working days or 2 weeks) and the phone for objections.

    The start lies between the acceptance date (or today, when that is later) and 30 days ahead; a start
    before today needs the real publication — when (``published_at``) and where (``published_where``, the
    page or the link) the notice was published."""
    require(actor, "ledger.publish", problem)
    check(problem, action="start_publicity", actor=actor, needs=False)  # the publicity record is made below
    errors = {}
    if period not in PUBLICITY_PERIODS:
        errors["period"] = _(
            "公示期只能是 10 个工作日或 2 周。"
        )
    if not channel.strip():
        errors["channel"] = _(
            "请填写公示渠道（如区政府网站）。"
        )
    digits = [c for c in objection_phone if c.isdigit()]
    if len(digits) < 7:
        errors["objection_phone"] = _(
            "请填写有效的异议受理电话。"
        )
    published_where = (published_where or "").strip()
    if published_at is not None and not published_where:
        errors["published_where"] = _("请填写公示实际发布的位置或链接。")
    elif published_where and published_at is None:
        errors["published_at"] = _("请填写公示实际发布的时间。")
    published = published_at is not None and bool(published_where)
    earliest, latest, label = publicity_start_range(problem, published=published)
    if published:
        if timezone.is_naive(published_at):
            published_at = timezone.make_aware(published_at)
        published_on = timezone.localdate(published_at)
        if published_at > timezone.now():
            errors["published_at"] = _("实际发布时间不能晚于现在。")
        elif published_on < earliest:
            errors["published_at"] = _("实际发布时间 %(p)s 早于验收日期 %(a)s。") % {
                "p": published_on.isoformat(),
                "a": earliest.isoformat(),
            }
    if not earliest <= starts_on <= latest:
        message = _("公示开始日期须在 %(lo)s（%(what)s）至 %(hi)s 之间。") % {
            "lo": earliest.isoformat(),
            "what": label,
            "hi": latest.isoformat(),
        }
        if not published and publicity_start_range(problem, published=True)[0] <= starts_on < earliest:
            message += _("公示如已在此前实际发布，请填写实际发布时间和发布位置（链接）。")
        errors["starts_on"] = message
    elif published and "published_at" not in errors and starts_on < published_on:
        errors["starts_on"] = _("公示开始日期不能早于实际发布日期 %(p)s。") % {"p": published_on.isoformat()}
    if errors:
        raise ServiceError(errors)
    with acting_as(actor):
        Publicity.objects.create(
            problem=problem,
            cycle=problem.cycle,
            starts_on=starts_on,
            ends_on=publicity_end(starts_on, period),
            period_rule=period,
            channel=channel.strip(),
            objection_phone=objection_phone.strip(),
            published_at=published_at if published else None,
            published_where=published_where if published else "",
            published_by=actor,
        )
        payload = {"starts_on": starts_on, "period": period}
        if published:
            payload |= {"published_at": published_at, "published_where": published_where}
        return transition(problem, action="start_publicity", actor=actor, payload=payload)


@transaction.atomic
def publicity_objection(*, actor, problem: Problem, note: str, upheld: bool) -> Problem:
    """An objection during publicity: upheld → back to rectifying; dismissed → recorded, closing may go on."""
    require(actor, "ledger.publish", problem)
    if upheld:  # refused by the workflow like every other undeclared move, with its refusal entry
        check(problem, action="uphold_objection", actor=actor, payload={"reason": note}, needs=False)
    elif problem.status != ProblemStatus.PUBLICITY:  # a dismissal is no move: it only needs a publicity
        raise ServiceError(_("问题不在公示期。"))
    if not note.strip():
        raise ServiceError({"note": _("请填写异议情况。")})
    publicity = problem.publicities.filter(cycle=problem.cycle).order_by("-pk").first()
    from ecoinspect.audit.services import action_log_append

    with acting_as(actor):
        publicity.objection_note = (
            publicity.objection_note + "\n" if publicity.objection_note else ""
        ) + note.strip()
        publicity.objection_received = upheld
        publicity.save()
        if upheld:
            return transition(problem, action="uphold_objection", actor=actor, payload={"reason": note})
        action_log_append(
            action="ledger.publicity.objection_dismissed", actor=actor, obj=problem, payload={"reason": note}
        )
    return problem


@PROBLEM_WORKFLOW.performs("close")
@transaction.atomic
def problem_close(*, actor, problem: Problem) -> Problem:
    """销号: the publicity period is over without an upheld objection."""
    with acting_as(actor):
        return transition(problem, action="close", actor=actor)


@transaction.atomic
def problem_reopen(*, actor, problem: Problem, reason: str, new_deadline: dt.date | None) -> Problem:
    """反弹重启: a new cycle begins; earlier evidence, acceptance and publicity stay attached to their cycle."""
    require(actor, "ledger.assign", problem)
    check(problem, action="reopen", actor=actor, payload={"reason": reason})
    today = timezone.localdate()
    if problem.deadline_kind != DeadlineKind.LONG_TERM and (new_deadline is None or new_deadline <= today):
        raise ServiceError(
            {
                "new_deadline": _(
                    "反弹重启须给出今天之后的新整改时限。"
                )
            }
        )
    with acting_as(actor):
        previous_cycle = problem.cycle
        problem.cycle += 1
        problem.deadline = new_deadline if problem.deadline_kind != DeadlineKind.LONG_TERM else None
        if problem.deadline_kind == DeadlineKind.IMMEDIATE:
            problem.deadline_kind = DeadlineKind.DATE
        problem.blue_on, problem.yellow_on = deadlines.milestones(today, problem.deadline)
        problem.closed_at = None
        return transition(
            problem,
            action="reopen",
            actor=actor,
            payload={
                "reason": reason,
                "previous_cycle": previous_cycle,
                "cycle": problem.cycle,
                "new_deadline": problem.deadline,
            },
        )
