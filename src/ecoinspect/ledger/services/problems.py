"""Registering, routing, assigning and scheduling problems."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common import calendar
from ecoinspect.common.calendar import default_calendar
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.i18n import district_language
from ecoinspect.common.numbering import next_number
from ecoinspect.core.permissions import has_perm, user_scope
from ecoinspect.core.services import (
    bump_version,
    notifications_withdraw_unreachable,
    require,
    unique_or_refuse,
)
from ecoinspect.core.submissions import once
from ecoinspect.core.workflow import transition
from ecoinspect.notifications.services import notification_queue
from ecoinspect.orgs.models import Unit

from .. import deadlines
from ..choices import DeadlineKind, DistrictDecision, HandlingMode, ProblemSource, Severity
from ..models import Problem
from ..tallies import PROBLEM_TALLY
from ..workflow import PROBLEM_WORKFLOW
from . import rules
from .problem_checks import (
    routing_reasons,
    validate_choices,
    validate_schedule,
    validate_source_for,
    validate_types,
    validate_units,
)
from .rules import problem_check_editable, refuse_unless_allowed

NUMBER_PREFIX = "ZG"

#: The fields naming units that give people sight of a problem (besides the lead unit, which only
#: ``problem_reroute`` changes): when one changes, notifications of people who lost sight are withdrawn.
SCOPE_FIELDS = frozenset({"town", "supervising_unit", "acceptance_unit", "cooperating_units"})

#: Fields the inspection office may edit after registration (status and dates have their own services).
EDITABLE_FIELDS = (
    "title",
    "description",
    "source",
    "source_ref",
    "source_round",
    "problem_types",
    "severity",
    "is_key",
    "is_complex",
    "handling_mode",
    "address",
    "town",
    "supervising_unit",
    "acceptance_unit",
    "responsible_leader",
    "responsible_person",
    "contact_phone",
    "target",
)


def _number_exists(number: str) -> ServiceError | None:
    if Problem.objects.filter(number=number).exists():
        return ServiceError({"number": _("问题编号“%(n)s”已存在。") % {"n": number}})
    return None


def _create_numbered(number: str | None, **fields) -> Problem:
    """Create the problem under ``number``, or under the next free number of its registration year. Safe
    when others register at the same moment: the year's counter is locked (``next_number``); a given
    number written by someone else a moment ago is refused in words; a counted number that an import has
    just written is skipped for the next one."""
    if number:
        with unique_or_refuse(lambda: _number_exists(number)):
            return Problem.objects.create(number=number, **fields)
    for _attempt in range(5):
        counted = next_number(
            NUMBER_PREFIX, fields["registered_on"].year, taken=lambda n: _number_exists(n) is not None
        )
        try:
            with unique_or_refuse(lambda n=counted: _number_exists(n)):
                return Problem.objects.create(number=counted, **fields)
        except ServiceError:
            continue
    raise ServiceError(_("暂时无法分配问题编号，请稍后再登记。"))


@once("ledger.problem")
@transaction.atomic
def problem_register(
    *,
    actor,
    title: str,
    source: str,
    description: str = "",
    source_ref: str = "",
    source_round: str = "",
    problem_types=(),
    severity: str = Severity.GENERAL,
    is_key: bool = False,
    is_complex: bool = False,
    handling_mode: str = HandlingMode.DEADLINE,
    address: str = "",
    town: Unit | None = None,
    lead_unit: Unit | None = None,
    cooperating_units=(),
    supervising_unit: Unit | None = None,
    acceptance_unit: Unit | None = None,
    responsible_leader: str = "",
    responsible_person: str = "",
    contact_phone: str = "",
    target: str = "",
    deadline_kind: str = DeadlineKind.DATE,
    deadline: dt.date | None = None,
    registered_on: dt.date | None = None,
    number: str | None = None,
    override_reason: str = "",
) -> Problem:
    """Register a problem. The lead department and the town are proposed when not given; choosing another
    lead department than the proposal needs ``override_reason``. Unit staff may register only self-inspection
    (自查自纠) problems their own unit leads; anything else needs the inspection office. A registered
    problem waits in the office's 我的待办 to be assigned."""
    if not (has_perm(actor, "ledger.assign") or has_perm(actor, "ledger.work")):
        require(actor, "ledger.assign")
    if source not in ProblemSource:
        raise ServiceError({"source": _("未知问题来源“%(s)s”。") % {"s": source}})
    validate_source_for(actor, source, office=has_perm(actor, "ledger.assign"))
    validate_choices(severity=severity, handling_mode=handling_mode)
    if not title.strip():
        raise ServiceError({"title": _("请填写整改任务。")})
    registered_on = registered_on or timezone.localdate()
    deadline = validate_schedule(registered_on=registered_on, deadline_kind=deadline_kind, deadline=deadline)
    problem_types = validate_types(problem_types)
    cooperating_units = list(cooperating_units)

    with district_language():  # the routing reason is stored with the problem
        lead_unit, town, reasons, outside = routing_reasons(
            title=title,
            description=description,
            address=address,
            problem_types=problem_types,
            lead_unit=lead_unit,
            town=town,
            override_reason=override_reason,
        )
    validate_units(
        town=town,
        lead_unit=lead_unit,
        acceptance_unit=acceptance_unit,
        supervising_unit=supervising_unit,
        cooperating_units=cooperating_units,
    )
    if number and (taken := _number_exists(number)):
        raise taken

    # Unit staff register only what their own unit leads (naming themselves cooperating is not enough).
    if not has_perm(actor, "ledger.assign") and (
        lead_unit is None or lead_unit.pk not in user_scope(actor, "ledger.work").unit_ids
    ):
        raise ServiceError(
            {"lead_unit": _("单位只能登记本单位牵头的问题。")}
        )

    with acting_as(actor), PROBLEM_TALLY.tracking() as tally:
        problem = _create_numbered(
            number,
            title=title.strip(),
            description=description,
            source=source,
            source_ref=source_ref,
            source_round=source_round,
            problem_types=problem_types,
            severity=severity,
            is_key=is_key,
            is_complex=is_complex,
            handling_mode=handling_mode,
            address=address,
            town=town,
            lead_unit=lead_unit,
            supervising_unit=supervising_unit,
            acceptance_unit=acceptance_unit,
            routing_reason="；".join(reasons),
            outside_district=outside,
            responsible_leader=responsible_leader,
            responsible_person=responsible_person,
            contact_phone=contact_phone,
            target=target,
            deadline_kind=deadline_kind,
            deadline=deadline,
            registered_on=registered_on,
            registered_by=actor,
        )
        if cooperating_units:
            problem.cooperating_units.set(cooperating_units)
        tally.include([problem])
        action_log_append(
            action="ledger.problem.registered",
            actor=actor,
            obj=problem,
            payload={
                "source": source,
                "lead_unit": lead_unit.pk if lead_unit else None,
                "routing": problem.routing_reason,
                "outside_district": outside,
            },
        )
    return problem


@transaction.atomic
def problem_decide_district(*, actor, problem: Problem, keep: bool, reason: str) -> Problem:
    """The inspection office's decision on a problem flagged as outside the district: keep it as Baiyun's
    (it may then be closed and published) or record that it is not Baiyun's (it is then never closed or
    published as Baiyun's). The reason is required; the decision is logged."""
    require(actor, "ledger.assign", problem)
    if not reason.strip():
        raise ServiceError({"reason": _("请填写属地确认理由。")})
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    decision = DistrictDecision.KEEP if keep else DistrictDecision.NOT_OURS
    with acting_as(actor):
        problem.district_decision = decision
        problem.district_decision_reason = reason.strip()
        problem.district_decided_by = actor
        problem.district_decided_at = timezone.now()
        problem.save(
            update_fields=[
                "district_decision",
                "district_decision_reason",
                "district_decided_by",
                "district_decided_at",
                "updated_at",
            ]
        )
        action_log_append(
            action="ledger.problem.district_decided",
            actor=actor,
            obj=problem,
            payload={"decision": decision, "reason": problem.district_decision_reason,
                     "outside_district": problem.outside_district},
        )
    return problem


@transaction.atomic
def problem_update(*, actor, problem: Problem, expected_version: int | None = None, **changes) -> Problem:
    """Edit descriptive fields (the inspection office). A stale ``expected_version`` raises ConcurrentEdit."""
    require(actor, "ledger.assign", problem)
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"cooperating_units"}
    if unknown:
        raise TypeError(f"problem_update got fields it may not change: {sorted(unknown)}")
    problem_check_editable(problem)
    if "problem_types" in changes:
        changes["problem_types"] = validate_types(changes["problem_types"])
    validate_choices(**{k: v for k, v in changes.items() if k in ("source", "severity", "handling_mode")})
    cooperating = changes.pop("cooperating_units", None)
    validate_units(
        town=changes.get("town", problem.town),
        lead_unit=problem.lead_unit,
        acceptance_unit=changes.get("acceptance_unit", problem.acceptance_unit),
        supervising_unit=changes.get("supervising_unit", problem.supervising_unit),
        cooperating_units=cooperating if cooperating is not None else [],
    )
    bump_version(problem, expected_version)
    with acting_as(actor), PROBLEM_TALLY.tracking([problem]):
        changed = sorted(k for k, v in changes.items() if getattr(problem, k) != v)
        for key, value in changes.items():
            setattr(problem, key, value)
        problem.save()
        if cooperating is not None and set(problem.cooperating_units.values_list("pk", flat=True)) != {
            u.pk for u in cooperating
        }:
            problem.cooperating_units.set(cooperating)
            changed.append("cooperating_units")
        action_log_append(
            action="ledger.problem.updated", actor=actor, obj=problem, payload={"fields": changed}
        )
        if set(changed) & SCOPE_FIELDS:
            notifications_withdraw_unreachable(actor=actor, objects=[problem])
    return problem


def _set_milestones(problem: Problem, start: dt.date) -> None:
    problem.blue_on, problem.yellow_on = deadlines.milestones(start, problem.deadline)


@PROBLEM_WORKFLOW.performs("assign")
@transaction.atomic
def problem_assign(*, actor, problem: Problem, expected_version: int | None = None) -> Problem:
    """交办: the lead unit, acceptance unit and a deadline must be set; the warning clock starts today."""
    bump_version(problem, expected_version)
    with acting_as(actor):
        _set_milestones(problem, timezone.localdate())
        return transition(
            problem,
            action="assign",
            actor=actor,
            payload={"lead_unit": problem.lead_unit_id, "deadline": problem.deadline},
        )


@transaction.atomic
def problem_reroute(
    *,
    actor,
    problem: Problem,
    lead_unit: Unit,
    reason: str,
    cooperating_units=None,
    expected_version: int | None = None,
) -> Problem:
    """改派: another lead unit (and optionally other cooperating units). The old routing stays in the log."""
    require(actor, "ledger.assign", problem)
    refuse_unless_allowed(rules.reroute_refusal(problem))
    if not reason.strip():
        raise ServiceError({"reason": _("改派须填写理由。")})
    cooperating = (
        list(cooperating_units)
        if cooperating_units is not None
        else [u for u in problem.cooperating_units.all() if u.pk != lead_unit.pk]
    )
    validate_units(
        town=problem.town,
        lead_unit=lead_unit,
        acceptance_unit=problem.acceptance_unit,
        supervising_unit=problem.supervising_unit,
        cooperating_units=cooperating,
    )
    bump_version(problem, expected_version)
    old_lead = problem.lead_unit
    old_cooperating = sorted(problem.cooperating_units.values_list("pk", flat=True))
    with acting_as(actor), PROBLEM_TALLY.tracking([problem]):
        problem.lead_unit = lead_unit
        with district_language():
            note = _("%(when)s 由 %(old)s 改派至 %(new)s：%(why)s") % {
                "when": timezone.localdate(),
                "old": old_lead,
                "new": lead_unit,
                "why": reason,
            }
            title = _("改派：%(p)s") % {"p": problem}
        problem.routing_reason = (problem.routing_reason + "；" if problem.routing_reason else "") + note
        problem.save()
        problem.cooperating_units.set(cooperating)
        action_log_append(
            action="ledger.problem.rerouted",
            actor=actor,
            obj=problem,
            payload={
                "from_lead": old_lead.pk if old_lead else None,
                "to_lead": lead_unit.pk,
                "from_cooperating": old_cooperating,
                "to_cooperating": sorted(u.pk for u in cooperating),
                "reason": reason,
            },
        )
        # the old lead and cooperating units' people no longer see the problem: their links would say
        # "not found" — their notifications about it are taken back
        notifications_withdraw_unreachable(actor=actor, objects=[problem])
        notification_queue(
            recipients=[lead_unit, *cooperating],
            title=title,
            obj=problem,
            event="ledger.problem.rerouted",
            body=reason,
            exclude=[actor],
        )
    return problem


@PROBLEM_WORKFLOW.performs("start")
@transaction.atomic
def problem_start(*, actor, problem: Problem) -> Problem:
    with acting_as(actor):
        return transition(problem, action="start", actor=actor)


@transaction.atomic
def problem_extend_deadline(
    *, actor, problem: Problem, new_deadline: dt.date, reason: str, expected_version: int | None = None
) -> Problem:
    """Approve a later deadline (延期). The warning milestones are recomputed from the assignment date."""
    require(actor, "ledger.assign", problem)
    refuse_unless_allowed(rules.extend_refusal(problem))
    if not reason.strip():
        raise ServiceError({"reason": _("调整时限须填写理由。")})
    calendar.check_entered_dates(new_deadline=new_deadline)
    if new_deadline < problem.registered_on or (problem.deadline and new_deadline <= problem.deadline):
        raise ServiceError(
            {
                "new_deadline": _("新时限须晚于原时限 %(d)s。")
                % {"d": problem.deadline}
            }
        )
    bump_version(problem, expected_version)
    with acting_as(actor):
        old = problem.deadline
        problem.deadline = new_deadline
        problem.deadline_kind = DeadlineKind.DATE
        start = timezone.localdate(problem.assigned_at) if problem.assigned_at else problem.registered_on
        _set_milestones(problem, start)
        problem.save()
        action_log_append(
            action="ledger.problem.deadline_extended",
            actor=actor,
            obj=problem,
            payload={"from": old, "to": new_deadline, "reason": reason},
        )
    return problem


@transaction.atomic
def problem_pause(*, actor, problem: Problem, reason: str) -> Problem:
    """暂停计时: e.g. waiting for a court ruling. No warnings while paused."""
    require(actor, "ledger.assign", problem)
    refuse_unless_allowed(rules.pause_refusal(problem))
    if not reason.strip():
        raise ServiceError({"reason": _("暂停计时须填写理由。")})
    with acting_as(actor):
        problem.paused_at = timezone.localdate()
        problem.pause_reason = reason
        problem.save()
        action_log_append(
            action="ledger.problem.paused", actor=actor, obj=problem, payload={"reason": reason}
        )
    return problem


@transaction.atomic
def problem_resume(*, actor, problem: Problem) -> Problem:
    """Restart the clock; the deadline and milestones move by the working days spent paused."""
    require(actor, "ledger.assign", problem)
    refuse_unless_allowed(rules.resume_refusal(problem))
    cal = default_calendar()
    today = timezone.localdate()
    lost = cal.workdays_between(problem.paused_at, today)
    with acting_as(actor):
        if problem.deadline is not None:
            problem.deadline = cal.add_workdays(problem.deadline, lost)
        for name in ("blue_on", "yellow_on"):
            if getattr(problem, name) is not None:
                setattr(problem, name, cal.add_workdays(getattr(problem, name), lost))
        paused_from, problem.paused_at, problem.pause_reason = problem.paused_at, None, ""
        problem.save()
        action_log_append(
            action="ledger.problem.resumed",
            actor=actor,
            obj=problem,
            payload={"paused_from": paused_from, "workdays_added": lost, "deadline": problem.deadline},
        )
    return problem

