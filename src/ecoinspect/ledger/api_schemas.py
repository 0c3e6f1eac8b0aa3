"""Shapes of the ledger's JSON API: request bodies (validated with pydantic) and response builders.

Bodies are read *after* the record has been found through its selector, so a person of another unit gets
404 whatever they send; :func:`ecoinspect.core.api.read_body` accepts JSON or form fields (HTMX posts forms).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Schema

from ecoinspect.common.choices import ProblemType
from ecoinspect.orgs.models import Unit

from .choices import (
    AcceptanceMethod,
    DeadlineKind,
    EvidenceKind,
    HandlingMode,
    NoticeStatus,
    PlanStatus,
    ProblemSource,
    ProblemStatus,
    ProgressStatus,
    Severity,
    WarningLevel,
)

# --- request bodies ---------------------------------------------------------------------------------


class ProblemIn(Schema):
    title: str
    source: str
    number: str | None = None
    description: str = ""
    source_ref: str = ""
    problem_types: list[str] = []
    severity: str = Severity.GENERAL
    is_key: bool = False
    is_complex: bool = False
    handling_mode: str = HandlingMode.DEADLINE
    address: str = ""
    town: int | None = None
    lead_unit: int | None = None
    cooperating_units: list[int] = []
    supervising_unit: int | None = None
    acceptance_unit: int | None = None
    responsible_leader: str = ""
    responsible_person: str = ""
    contact_phone: str = ""
    target: str = ""
    deadline_kind: str = DeadlineKind.DATE
    deadline: dt.date | None = None
    registered_on: dt.date | None = None
    override_reason: str = ""


class ProblemPatch(Schema):
    """Only the fields sent are changed; ``version`` (from the last read) is required with any change."""

    version: int | None = None
    title: str | None = None
    description: str | None = None
    source: str | None = None
    source_ref: str | None = None
    problem_types: list[str] | None = None
    severity: str | None = None
    is_key: bool | None = None
    is_complex: bool | None = None
    handling_mode: str | None = None
    address: str | None = None
    town: int | None = None
    supervising_unit: int | None = None
    acceptance_unit: int | None = None
    responsible_leader: str | None = None
    responsible_person: str | None = None
    contact_phone: str | None = None
    target: str | None = None
    cooperating_units: list[int] | None = None


class VersionIn(Schema):
    version: int | None = None


class EmptyIn(Schema):
    pass


class AcceptIn(Schema):
    accepted_on: dt.date
    method: str
    opinion: str


class RejectIn(Schema):
    accepted_on: dt.date
    method: str
    reason: str


class PublicityIn(Schema):
    starts_on: dt.date
    period: str
    channel: str
    objection_phone: str


class ObjectionIn(Schema):
    note: str
    upheld: bool


class ReopenIn(Schema):
    reason: str
    new_deadline: dt.date | None = None


class MeasureIn(Schema):
    content: str
    owner_unit: int
    owner_person: str = ""
    deadline: dt.date | None = None


class MeasureDoneIn(Schema):
    done_on: dt.date | None = None


class ReportIn(Schema):
    text: str
    progress_status: str
    reported_on: dt.date | None = None


class MilestoneIn(Schema):
    date: str
    content: str


class PlanIn(Schema):
    goals: str
    measures: str
    milestones: list[MilestoneIn]


class PlanDecisionIn(Schema):
    approve: bool
    note: str = ""


class JointActionIn(Schema):
    acted_on: dt.date
    units: list[int]
    findings: str
    actions: str


class NoticeIn(Schema):
    unit: int
    problems: list[int]
    requirements: str
    reply_due: dt.date


class NoticeReplyIn(Schema):
    reply: str


class ReasonIn(Schema):
    reason: str


def units_by_id(ids, field: str) -> list[Unit]:
    """Active units for the ids given; an unknown id is a 400 on ``field``."""
    ids = list(dict.fromkeys(ids or []))
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids, is_active=True)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {
                field: [
                    f"未知或已停用的单位 id：{', '.join(missing)} / Unknown or inactive unit ids: {', '.join(missing)}"
                ]
            }
        )
    return [found[i] for i in ids]


def unit_by_id(pk: int | None, field: str) -> Unit | None:
    return units_by_id([pk], field)[0] if pk is not None else None


# --- responses --------------------------------------------------------------------------------------


def unit_ref(unit: Unit | None) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "short_name": unit.short_name}


def _choice(choiceset, value) -> dict:
    return {"value": value, "label": str(choiceset.label(value))}


def problem_out(problem) -> dict:
    warning = getattr(problem, "warning", None)
    return {
        "id": problem.pk,
        "number": problem.number,
        "title": problem.title,
        "description": problem.description,
        "source": _choice(ProblemSource, problem.source),
        "source_ref": problem.source_ref,
        "problem_types": [_choice(ProblemType, t) for t in problem.problem_types],
        "severity": _choice(Severity, problem.severity),
        "is_key": problem.is_key,
        "is_complex": problem.is_complex,
        "handling_mode": _choice(HandlingMode, problem.handling_mode),
        "address": problem.address,
        "town": unit_ref(problem.town),
        "lead_unit": unit_ref(problem.lead_unit),
        "cooperating_units": [unit_ref(u) for u in problem.cooperating_units.all()],
        "supervising_unit": unit_ref(problem.supervising_unit) if problem.supervising_unit_id else None,
        "acceptance_unit": unit_ref(problem.acceptance_unit),
        "responsible_leader": problem.responsible_leader,
        "responsible_person": problem.responsible_person,
        "contact_phone": problem.contact_phone,
        "target": problem.target,
        "deadline_kind": _choice(DeadlineKind, problem.deadline_kind),
        "deadline": problem.deadline,
        "paused_at": problem.paused_at,
        "status": _choice(ProblemStatus, problem.status),
        "progress_status": _choice(ProgressStatus, problem.progress_status),
        "warning": _choice(WarningLevel, warning) if warning is not None else None,
        "last_reported_on": problem.last_reported_on,
        "cycle": problem.cycle,
        "registered_on": problem.registered_on,
        "assigned_at": problem.assigned_at,
        "closed_at": problem.closed_at,
        "version": problem.version,
        "url": problem.get_absolute_url(),
    }


def evidence_out(e) -> dict:
    from django.urls import reverse

    return {
        "id": e.pk,
        "cycle": e.cycle,
        "kind": _choice(EvidenceKind, e.kind),
        "description": e.description,
        "original_name": e.original_name,
        "content_type": e.content_type,
        "size": e.size,
        "sha256": e.sha256,
        "report": e.report_id,
        "uploaded_by": str(e.uploaded_by),
        "unit": unit_ref(e.unit),
        "uploaded_at": e.uploaded_at,
        "download_url": reverse("api:evidence_download", kwargs={"evidence_id": e.pk}),
    }


def detail_out(detail: dict) -> dict:
    problem = detail["problem"]
    return {
        **problem_out(problem),
        "warning": _choice(WarningLevel, detail["warning"]),
        "routing_reason": problem.routing_reason,
        "measures": [
            {
                "id": m.pk,
                "content": m.content,
                "owner_unit": unit_ref(m.owner_unit),
                "owner_person": m.owner_person,
                "deadline": m.deadline,
                "done_on": m.done_on,
            }
            for m in detail["measures"]
        ],
        "reports": [
            {
                "id": r.pk,
                "cycle": r.cycle,
                "reported_on": r.reported_on,
                "text": r.text,
                "progress_status": _choice(ProgressStatus, r.progress_status),
                "unit": unit_ref(r.unit),
                "reporter": str(r.reporter),
                "evidence": [e.pk for e in r.evidence_files],
            }
            for r in detail["reports"]
        ],
        "evidence": [evidence_out(e) for e in detail["evidence"]],
        "plans": [
            {
                "id": p.pk,
                "goals": p.goals,
                "measures": p.measures,
                "milestones": p.milestones,
                "status": _choice(PlanStatus, p.status),
                "submitted_at": p.submitted_at,
                "decided_at": p.decided_at,
                "decision_note": p.decision_note,
            }
            for p in detail["plans"]
        ],
        "joint_actions": [
            {
                "id": j.pk,
                "acted_on": j.acted_on,
                "units": [unit_ref(u) for u in j.units.all()],
                "findings": j.findings,
                "actions": j.actions,
            }
            for j in detail["joint_actions"]
        ],
        "acceptances": [
            {
                "id": a.pk,
                "cycle": a.cycle,
                "passed": a.passed,
                "accepted_on": a.accepted_on,
                "method": _choice(AcceptanceMethod, a.method),
                "opinion": a.opinion,
                "unit": unit_ref(a.unit),
                "reviewer": str(a.reviewer),
            }
            for a in detail["acceptances"]
        ],
        "publicities": [
            {
                "id": p.pk,
                "cycle": p.cycle,
                "starts_on": p.starts_on,
                "ends_on": p.ends_on,
                "period_rule": p.period_rule,
                "channel": p.channel,
                "objection_phone": p.objection_phone,
                "objection_received": p.objection_received,
                "objection_note": p.objection_note,
            }
            for p in detail["publicities"]
        ],
        "notices": [
            {"id": n.pk, "number": n.number, "status": _choice(NoticeStatus, n.status)}
            for n in detail["notices"]
        ],
        "timeline": [
            {
                "seq": t.seq,
                "at": t.created_at,
                "actor": t.actor_name,
                "action": t.action,
                "text": t.describe(),
            }
            for t in detail["timeline"]
        ],
        "actions": [{"action": t.action, "label": str(t.label)} for t in detail["actions"]],
    }


def notice_out(notice, *, with_problems: bool = False) -> dict:
    out = {
        "id": notice.pk,
        "number": notice.number,
        "unit": unit_ref(notice.unit),
        "requirements": notice.requirements,
        "reply_due": notice.reply_due,
        "status": _choice(NoticeStatus, notice.status),
        "issued_at": notice.issued_at,
        "issued_by": str(notice.issued_by),
        "reply": notice.reply,
        "replied_at": notice.replied_at,
        "closed_at": notice.closed_at,
    }
    if with_problems:
        out["problems"] = [{"id": p.pk, "number": p.number, "title": p.title} for p in notice.problems.all()]
    return out


def picture_out(picture: dict) -> dict:
    return {
        **{k: v for k, v in picture.items() if k != "by_unit"},
        "by_unit": [
            {**{k: v for k, v in row.items() if k != "unit"}, "unit": unit_ref(row["unit"])}
            for row in picture["by_unit"]
        ],
    }
