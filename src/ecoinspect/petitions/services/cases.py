"""A case's life: registered, assigned to one unit or several with both clocks, signed for, verified and
reported per claim, reviewed (approved or sent back), merged as a repeat, resumed, closed out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.calendar import check_entered_dates, default_calendar
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.i18n import district_language
from ecoinspect.core.services import bump_version, require, unique_or_refuse
from ecoinspect.core.submissions import once
from ecoinspect.core.workflow import check, transition
from ecoinspect.orgs.choices import UnitKind
from ecoinspect.orgs.gazetteer import PlaceMatcher, Status, place_match
from ecoinspect.orgs.models import Unit

from .. import numbers, repeats
from ..choices import AssignmentRole, ClosureStatus, Origin, PetitionStatus, Verdict
from ..models import Assignment, Claim, InspectionRound, Petition, TransferBatch
from ..workflow import PETITION_WORKFLOW

#: The enforcement figures a unit reports with its handling (边督边改).
COUNT_FIELDS = (
    "rectify_orders",
    "penalty_cases",
    "criminal_cases",
    "admin_detentions",
    "criminal_detentions",
    "interviews",
    "accountable_people",
)
ASSIGNABLE_KINDS = (UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.SUBDISTRICT)


def _validate_types(problem_types) -> list[str]:
    values = [t for t in (problem_types or []) if t]
    unknown = [t for t in values if t not in ProblemType]
    if unknown:
        raise ServiceError({"problem_types": _("未知问题类型：%(t)s") % {"t": "、".join(unknown)}})
    return list(dict.fromkeys(values))


def resolve_town(
    *, region_text: str, complaint_text: str, matcher: PlaceMatcher | None = None
) -> tuple[Unit | None, str, bool]:
    """The town a case is in, from the published region and the complaint text, with the reason; the last
    item says whether the place looks outside the district."""
    match = place_match(address=region_text, text=complaint_text, matcher=matcher)
    with district_language():
        if match.status == Status.MATCHED:
            return match.town, match.reason, False
        if match.status == Status.OUTSIDE:
            return None, match.reason or _("疑似不在本区"), True
        if match.status == Status.AMBIGUOUS:
            names = "、".join(str(u) for u in match.candidates)
            return None, _("多个镇街都有可能：%(names)s，请人工确认。") % {"names": names}, False
        return None, _("行政区域和问题描述中未找到本区的地名，请人工确认。"), False


def _number_taken(round: InspectionRound, key: str, acceptance_no: str) -> ServiceError | None:
    if Petition.objects.filter(round=round, acceptance_key=key).exists():
        return ServiceError(
            {"acceptance_no": _("受理编号“%(n)s”在%(round)s中已存在。") % {"n": acceptance_no, "round": round}}
        )
    return None


@transaction.atomic
def petition_register(
    *,
    actor,
    round: InspectionRound,
    acceptance_no: str,
    complaint_text: str,
    received_on: dt.date,
    batch: TransferBatch | None = None,
    seq: int | None = None,
    region_text: str = "",
    type_text: str = "",
    problem_types: Sequence[str] = (),
    town: Unit | None = None,
    town_reason: str = "",
    outside_district: bool = False,
    origin: str = Origin.MANUAL,
    flags: Sequence[dict] = (),
    raw: dict | None = None,
    matcher: PlaceMatcher | None = None,
    **published,
) -> Petition:
    """Register one case (typed in, or one row of a batch). The number is kept raw and must be new within
    its round; the town is proposed from the region and the text when not given. ``published`` carries the
    handling results of a table that already has them (an earlier round's publication). An import gives
    the town it suggested with its reason (``town_reason``, ``outside_district``): then nothing is guessed
    here, and no town stays no town."""
    require(actor, "petitions.assign")
    check_entered_dates(received_on=received_on)
    acceptance_no = (acceptance_no or "").strip()
    if not acceptance_no:
        raise ServiceError({"acceptance_no": _("请填写受理编号。")})
    if not (complaint_text or "").strip():
        raise ServiceError({"complaint_text": _("请填写交办问题基本情况。")})
    key = numbers.normalise(acceptance_no)
    if taken := _number_taken(round, key, acceptance_no):
        raise taken
    parsed = numbers.parse(acceptance_no)
    published_channel = published.pop("channel", "")
    outside = outside_district
    matcher = matcher or PlaceMatcher()  # one gazetteer read for the town and the repeat signature
    if town is None and not town_reason:
        town, town_reason, outside = resolve_town(
            region_text=region_text, complaint_text=complaint_text, matcher=matcher
        )
    elif not town_reason:
        town_reason = _("登记时指定")
    signature = repeats.signature_for(complaint_text, region_text, type_text, anchors=repeats.CaseAnchors(matcher))
    with acting_as(actor), unique_or_refuse(lambda: _number_taken(round, key, acceptance_no)):
        petition = Petition.objects.create(
            round=round,
            batch=batch,
            seq=seq,
            acceptance_no=acceptance_no,
            acceptance_key=key,
            channel=parsed.channel or published_channel,
            no_round=parsed.round,
            no_province=parsed.province,
            no_date=parsed.date,
            no_seq=parsed.seq,
            complaint_text=complaint_text.strip(),
            region_text=region_text,
            town=town,
            town_reason=town_reason,
            outside_district=outside,
            type_text=type_text,
            problem_types=_validate_types(problem_types),
            received_on=received_on,
            origin=origin,
            flags=list(flags),
            raw=raw or {},
            repeat_signature=signature,
            **published,
        )
        action_log_append(
            action="petitions.petition.registered",
            actor=actor,
            obj=petition,
            payload={"acceptance_no": acceptance_no, "batch": batch.pk if batch else None},
        )
    return petition


def due_dates(petition: Petition, start: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Both clocks of an assignment made on ``start``: the district's internal due date and the one owed
    to the inspection team, in working days of the round."""
    start = start or timezone.localdate()
    calendar = default_calendar()
    rnd = petition.round
    return calendar.add_workdays(start, rnd.internal_days), calendar.add_workdays(start, rnd.external_days)


def _assignable(units: Sequence[Unit]) -> list[Unit]:
    wrong = [u for u in units if u.kind not in ASSIGNABLE_KINDS]
    if wrong:
        raise ServiceError(
            {"units": _("只能交办给区直部门或镇街：%(names)s") % {"names": "、".join(str(u) for u in wrong)}}
        )
    return list(dict.fromkeys(units))


@PETITION_WORKFLOW.performs("assign")
@transaction.atomic
def petition_assign(
    *,
    actor,
    petition: Petition,
    lead: Unit | None = None,
    cooperating: Sequence[Unit] = (),
    note: str = "",
    internal_due: dt.date | None = None,
    external_due: dt.date | None = None,
    expected_version: int | None = None,
) -> Petition:
    """交办 to a lead unit and cooperating units (一件多派: several units each with their share). A case
    already assigned and still being worked takes further units without changing its state."""
    units = _assignable([u for u in (lead, *cooperating) if u is not None])
    if not units:
        raise ServiceError({"units": _("请至少选择一个承办单位。")})
    first = petition.status == PetitionStatus.RECEIVED
    if first:
        check(petition, action="assign", actor=actor, payload={"assignments": units})
    else:
        require(actor, "petitions.assign", petition)
        if petition.status not in (PetitionStatus.ASSIGNED, PetitionStatus.VERIFYING):
            raise ServiceError({"units": _("只有未反馈的信访件可以增派承办单位。")})
    check_entered_dates(internal_due=internal_due, external_due=external_due)
    default_internal, default_external = due_dates(petition)
    internal_due = internal_due or default_internal
    external_due = external_due or default_external
    if internal_due > external_due:
        raise ServiceError({"internal_due": _("区内反馈时限不能晚于督察组反馈时限。")})
    bump_version(petition, expected_version)
    have = set(petition.assignments.values_list("unit_id", flat=True))
    new = [u for u in units if u.pk not in have]
    with acting_as(actor):
        for unit in new:
            role = AssignmentRole.LEAD if (unit == lead and not petition.assignments.filter(role=AssignmentRole.LEAD).exists()) else AssignmentRole.COOPERATING
            Assignment.objects.create(
                petition=petition,
                unit=unit,
                role=role,
                internal_due=internal_due,
                external_due=external_due,
                note=note,
                assigned_by=actor,
            )
        payload = {"units": [u.pk for u in new], "internal_due": internal_due, "external_due": external_due}
        if first:
            return transition(petition, action="assign", actor=actor, payload=payload | {"assignments": True})
        petition.save()
        action_log_append(action="petitions.petition.units_added", actor=actor, obj=petition, payload=payload)
    return petition


@PETITION_WORKFLOW.performs("sign")
@transaction.atomic
def petition_sign(*, actor, petition: Petition, expected_version: int | None = None) -> Petition:
    """签收: the unit has the case; its assignment records when."""
    check(petition, action="sign", actor=actor)
    bump_version(petition, expected_version)
    from ecoinspect.core.permissions import user_scope

    mine = user_scope(actor, "petitions.handle")
    rows = petition.assignments.filter(signed_at__isnull=True)
    if not mine.everything:
        rows = rows.filter(unit__in=mine.unit_ids)
    with acting_as(actor):
        rows.update(signed_at=timezone.now())
        return transition(petition, action="sign", actor=actor)


def _verdict_of_claims(claims: Sequence[dict]) -> str:
    """The case's verdict from its claims': all true → 属实, none → 不属实, otherwise 部分属实."""
    verdicts = [c.get("verdict") for c in claims if c.get("verdict")]
    if not verdicts:
        return ""
    true = {Verdict.TRUE, Verdict.BASICALLY_TRUE}
    if all(v in true for v in verdicts):
        return Verdict.TRUE if all(v == Verdict.TRUE for v in verdicts) else Verdict.BASICALLY_TRUE
    if all(v == Verdict.FALSE for v in verdicts):
        return Verdict.FALSE
    return Verdict.PARTLY_TRUE


def _validated_report(values: dict) -> dict:
    errors = {}
    if values.get("verdict") and values["verdict"] not in Verdict:
        errors["verdict"] = _("未知的核查结论。")
    if values.get("closure_status") and values["closure_status"] not in ClosureStatus:
        errors["closure_status"] = _("未知的办结情况。")
    for name in COUNT_FIELDS:
        value = values.get(name, 0) or 0
        if not isinstance(value, int) or value < 0 or value > 100000:
            errors[name] = _("请填写 0 到 100000 之间的整数。")
    fine = values.get("fine_amount") or Decimal(0)
    if Decimal(fine) < 0 or Decimal(fine) > Decimal("10000000"):
        errors["fine_amount"] = _("罚款金额（万元）应在 0 到 10000000 之间。")
    if errors:
        raise ServiceError(errors)
    return values


@once("petitions.handling")
@transaction.atomic
def petition_save_handling(
    *,
    actor,
    petition: Petition,
    claims: Sequence[dict] | None = None,
    expected_version: int | None = None,
    **values,
) -> Petition:
    """Save the unit's verification and handling (a draft, kept while the case is being worked): each claim
    with its finding and verdict, and the case's investigation, verdict, closure target, handling, closure
    status, accountability and enforcement figures."""
    require(actor, "petitions.handle", petition)
    if petition.status != PetitionStatus.VERIFYING:
        raise ServiceError({"__all__": _("签收后、反馈前才能填写办理情况。")})
    allowed = {
        "investigation", "verdict", "closure_target", "handling", "closure_status", "accountability",
        "fine_amount", *COUNT_FIELDS,
    }
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    values = _validated_report(values)
    if claims is not None:
        claims = [c for c in claims if (c.get("text") or "").strip()]
        for c in claims:
            if c.get("verdict") and c["verdict"] not in Verdict:
                raise ServiceError({"claims": _("未知的核查结论。")})
        if not values.get("verdict"):
            values["verdict"] = _verdict_of_claims(claims)
    bump_version(petition, expected_version)
    with acting_as(actor):
        for name, value in values.items():
            setattr(petition, name, value)
        petition.save()
        if claims is not None:
            petition.claims.all().delete()
            Claim.objects.bulk_create(
                Claim(petition=petition, seq=i, text=c["text"].strip(), finding=c.get("finding", ""), verdict=c.get("verdict", ""))
                for i, c in enumerate(claims, start=1)
            )
        action_log_append(action="petitions.petition.handling_saved", actor=actor, obj=petition, payload=values)
    return petition


@PETITION_WORKFLOW.performs("report")
@transaction.atomic
def petition_report(*, actor, petition: Petition, expected_version: int | None = None) -> Petition:
    """反馈: the saved handling goes to the inspection office for review."""
    bump_version(petition, expected_version)
    with acting_as(actor):
        return transition(petition, action="report", actor=actor, payload={"verdict": petition.verdict})


@transaction.atomic
def petition_send_back(*, actor, petition: Petition, reason: str, expected_version: int | None = None) -> Petition:
    """退回补充办理: the office wants more; the reason goes to the units."""
    reason = (reason or "").strip()
    check(petition, action="send_back", actor=actor, payload={"reason": reason})
    bump_version(petition, expected_version)
    with acting_as(actor):
        return transition(petition, action="send_back", actor=actor, payload={"reason": reason})


@PETITION_WORKFLOW.performs("approve")
@transaction.atomic
def petition_approve(*, actor, petition: Petition, expected_version: int | None = None) -> Petition:
    bump_version(petition, expected_version)
    with acting_as(actor):
        return transition(petition, action="approve", actor=actor)


@transaction.atomic
def petition_resume(*, actor, petition: Petition, reason: str, expected_version: int | None = None) -> Petition:
    """继续办理: a stage-closed case, or one whose complainant was not satisfied, is worked again and will
    be disclosed again when done."""
    reason = (reason or "").strip()
    check(petition, action="resume", actor=actor, payload={"reason": reason})
    bump_version(petition, expected_version)
    with acting_as(actor):
        return transition(petition, action="resume", actor=actor, payload={"reason": reason})


@PETITION_WORKFLOW.performs("close_out")
@transaction.atomic
def petition_close_out(*, actor, petition: Petition, expected_version: int | None = None) -> Petition:
    bump_version(petition, expected_version)
    with acting_as(actor):
        return transition(petition, action="close_out", actor=actor)


@transaction.atomic
def petition_merge(
    *, actor, petition: Petition, original: Petition, reason: str = "", expected_version: int | None = None
) -> Petition:
    """重复件: the case is the same complaint as ``original``; it is handled once, through the original,
    and disclosed pointing to it."""
    if original.pk == petition.pk:
        raise ServiceError({"duplicate_of": _("不能把信访件合并到它自己。")})
    while original.duplicate_of_id:  # always point at the case that is handled
        original = original.duplicate_of
    if original.pk == petition.pk:
        raise ServiceError({"duplicate_of": _("两件互为重复件，请选择原件。")})
    check(petition, action="merge", actor=actor, payload={"duplicate_of": original.pk})
    require(actor, "petitions.view", original)
    bump_version(petition, expected_version)
    with acting_as(actor):
        petition.duplicate_of = original
        petition.repeats.update(duplicate_of=original)
        return transition(
            petition,
            action="merge",
            actor=actor,
            payload={"duplicate_of": original.pk, "original": original.acceptance_no, "reason": reason},
        )


@transaction.atomic
def petition_mark(
    *, actor, petition: Petition, is_key: bool | None = None, is_supervised: bool | None = None
) -> Petition:
    """重点件 / 督办: marks the office sets or lifts."""
    require(actor, "petitions.assign", petition)
    changes = {}
    if is_key is not None and is_key != petition.is_key:
        changes["is_key"] = is_key
    if is_supervised is not None and is_supervised != petition.is_supervised:
        changes["is_supervised"] = is_supervised
    if not changes:
        return petition
    bump_version(petition)
    with acting_as(actor):
        for name, value in changes.items():
            setattr(petition, name, value)
        petition.save()
        action_log_append(action="petitions.petition.marked", actor=actor, obj=petition, payload=changes)
    return petition
