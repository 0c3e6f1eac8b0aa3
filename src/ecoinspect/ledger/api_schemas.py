"""Shapes of the ledger's JSON API: request bodies (validated with pydantic) and responses.

Bodies are read *after* the record has been found through its selector, so a person of another unit gets
404 whatever they send; :func:`ecoinspect.core.api.read_body` accepts JSON or form fields (HTMX posts forms).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.text_bounds import Bound, Bounds
from ecoinspect.core.api import BodySchema, ChoiceOut, Labelled, UnitRefOut, unit_by_id, units_by_id  # noqa: F401

from . import models as m
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
#
# ``bounds`` says where each text is stored (``common.text_bounds``): ``read_body`` holds it to that
# field's length and characters, and the OpenAPI document shows the length.

OVERRIDE_REASON, MILESTONE_CONTENT = m.OVERRIDE_REASON, m.MILESTONE_CONTENT


class ProblemIn(BodySchema):
    bounds: ClassVar = Bounds(m.Problem, override_reason=OVERRIDE_REASON)

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


class ProblemPatch(BodySchema):
    """Only the fields sent are changed; ``version`` (from the last read) is required with any change."""

    bounds: ClassVar = Bounds(m.Problem)

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


class VersionIn(BodySchema):
    version: int | None = None


class EmptyIn(BodySchema):
    pass


class AcceptIn(BodySchema):
    bounds: ClassVar = Bounds(m.Acceptance)

    accepted_on: dt.date
    method: str
    opinion: str


class RejectIn(BodySchema):
    bounds: ClassVar = Bounds(m.Acceptance, reason="opinion")

    accepted_on: dt.date
    method: str
    reason: str


class PublicityIn(BodySchema):
    bounds: ClassVar = Bounds(m.Publicity, period="period_rule")

    starts_on: dt.date
    period: str
    channel: str
    objection_phone: str
    published_at: dt.datetime | None = Field(
        None, description="when the notice was really published (needed for a start before today)"
    )
    published_where: str = Field("", description="where it was published: the page, the link")


class ObjectionIn(BodySchema):
    bounds: ClassVar = Bounds(m.Publicity, note="objection_note")

    note: str
    upheld: bool


class ReopenIn(BodySchema):
    reason: str
    new_deadline: dt.date | None = None


class MeasureIn(BodySchema):
    bounds: ClassVar = Bounds(m.Measure)

    content: str
    owner_unit: int
    owner_person: str = ""
    deadline: dt.date | None = None


class MeasureDoneIn(BodySchema):
    done_on: dt.date | None = None


class EvidenceIn(BodySchema):
    """The fields beside the file of an evidence upload (multipart)."""

    bounds: ClassVar = Bounds(m.Evidence)

    kind: str = ""
    description: str = ""
    report: int | None = None


class ReportIn(BodySchema):
    bounds: ClassVar = Bounds(m.ProgressReport)

    text: str
    progress_status: str
    reported_on: dt.date | None = None


class MilestoneIn(BodySchema):
    bounds: ClassVar = Bounds(date=Bound(_("日期"), 10), content=MILESTONE_CONTENT)

    date: str
    content: str


class PlanIn(BodySchema):
    bounds: ClassVar = Bounds(m.SpecialPlan)

    goals: str
    measures: str
    milestones: list[MilestoneIn]


class PlanDecisionIn(BodySchema):
    bounds: ClassVar = Bounds(m.SpecialPlan, note="decision_note")

    approve: bool
    note: str = ""


class JointActionIn(BodySchema):
    bounds: ClassVar = Bounds(m.JointAction)

    acted_on: dt.date
    units: list[int]
    findings: str
    actions: str


class NoticeIn(BodySchema):
    bounds: ClassVar = Bounds(m.SupervisionNotice)

    unit: int
    problems: list[int]
    requirements: str
    reply_due: dt.date


class NoticeReplyIn(BodySchema):
    bounds: ClassVar = Bounds(m.SupervisionNotice)

    reply: str


class ReasonIn(BodySchema):
    reason: str


# --- responses --------------------------------------------------------------------------------------
#
# The handlers return model objects (or the selectors' dicts of them); these schemas read them once, so
# every answer has a declared shape in the OpenAPI document. ``resolve_<field>`` supplies what is not a
# plain attribute.


class ProblemOut(Schema):
    id: int
    number: str
    title: str
    description: str
    source: Labelled[ProblemSource]
    source_ref: str
    problem_types: list[Labelled[ProblemType]]
    severity: Labelled[Severity]
    is_key: bool
    is_complex: bool
    handling_mode: Labelled[HandlingMode]
    address: str
    town: UnitRefOut | None
    lead_unit: UnitRefOut | None
    cooperating_units: list[UnitRefOut]
    supervising_unit: UnitRefOut | None
    acceptance_unit: UnitRefOut | None
    responsible_leader: str
    responsible_person: str
    contact_phone: str
    target: str
    deadline_kind: Labelled[DeadlineKind]
    deadline: dt.date | None
    deadline_estimated: bool = Field(
        description="true when the deadline is counted into a year whose holiday schedule is not published"
        " yet (statutory holidays and Monday–Friday assumed): an estimate"
    )
    paused_at: dt.date | None
    status: Labelled[ProblemStatus]
    progress_status: Labelled[ProgressStatus]
    warning: Labelled[WarningLevel] | None = Field(
        description="today's warning colour; null when not computed"
    )
    last_reported_on: dt.date | None
    cycle: int
    registered_on: dt.date
    assigned_at: dt.datetime | None
    closed_at: dt.datetime | None
    version: int = Field(description="send it back with a change (optimistic concurrency)")
    url: str = Field(description="the problem's page")

    @staticmethod
    def resolve_warning(problem) -> str | None:
        return getattr(problem, "warning", None)

    @staticmethod
    def resolve_deadline_estimated(problem) -> bool:
        from .deadlines import deadline_estimated

        return deadline_estimated(problem)

    @staticmethod
    def resolve_url(problem) -> str:
        return problem.get_absolute_url()


class ProblemPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProblemOut]


class MeasureOut(Schema):
    id: int
    content: str
    owner_unit: UnitRefOut
    owner_person: str
    deadline: dt.date | None
    done_on: dt.date | None


class ReportOut(Schema):
    id: int
    cycle: int
    reported_on: dt.date
    text: str
    progress_status: Labelled[ProgressStatus]
    unit: UnitRefOut
    reporter: str
    evidence: list[int] = Field(description="ids of the evidence attached to this report")

    @staticmethod
    def resolve_reporter(report) -> str:
        return str(report.reporter)

    @staticmethod
    def resolve_evidence(report) -> list[int]:
        return [e.pk for e in report.evidence_files]


class EvidenceOut(Schema):
    id: int
    cycle: int
    kind: Labelled[EvidenceKind]
    description: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    report: int | None = Field(description="id of the progress report it belongs to")
    uploaded_by: str
    unit: UnitRefOut | None
    uploaded_at: dt.datetime
    download_url: str

    @staticmethod
    def resolve_report(evidence) -> int | None:
        return evidence.report_id

    @staticmethod
    def resolve_uploaded_by(evidence) -> str:
        return str(evidence.uploaded_by)

    @staticmethod
    def resolve_download_url(evidence) -> str:
        return reverse("api:evidence_download", kwargs={"evidence_id": evidence.pk})


class MilestoneOut(Schema):
    date: str
    content: str


class PlanOut(Schema):
    id: int
    goals: str
    measures: str
    milestones: list[MilestoneOut]
    status: Labelled[PlanStatus]
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


class JointActionOut(Schema):
    id: int
    acted_on: dt.date
    units: list[UnitRefOut]
    findings: str
    actions: str


class AcceptanceOut(Schema):
    id: int
    cycle: int
    passed: bool
    accepted_on: dt.date
    method: Labelled[AcceptanceMethod]
    opinion: str
    unit: UnitRefOut | None
    reviewer: str

    @staticmethod
    def resolve_reviewer(acceptance) -> str:
        return str(acceptance.reviewer)


class PublicityOut(Schema):
    id: int
    cycle: int
    starts_on: dt.date
    ends_on: dt.date
    period_rule: str
    channel: str
    objection_phone: str
    published_at: dt.datetime | None
    published_where: str
    objection_received: bool
    objection_note: str


class NoticeRefOut(Schema):
    id: int
    number: str
    status: Labelled[NoticeStatus]


class TimelineEntryOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    action: str
    text: str

    @staticmethod
    def resolve_at(entry) -> dt.datetime:
        return entry.created_at

    @staticmethod
    def resolve_actor(entry) -> str:
        return entry.actor_name

    @staticmethod
    def resolve_text(entry) -> str:
        return str(entry.describe())


class ActionOut(Schema):
    action: str
    label: str

    @staticmethod
    def resolve_label(t) -> str:
        return str(t.label)


class ProblemDetailOut(ProblemOut):
    warning: Labelled[WarningLevel] = Field(description="today's warning colour")
    routing_reason: str
    measures: list[MeasureOut]
    reports: list[ReportOut]
    evidence: list[EvidenceOut]
    plans: list[PlanOut]
    joint_actions: list[JointActionOut]
    acceptances: list[AcceptanceOut]
    publicities: list[PublicityOut]
    notices: list[NoticeRefOut]
    timeline: list[TimelineEntryOut]
    actions: list[ActionOut] = Field(description="the workflow moves the caller may make now")


class ProblemDetail:
    """What :class:`ProblemDetailOut` reads: the problem's attributes, with the lists and today's warning of
    ``selectors.problem_detail`` in front of them."""

    def __init__(self, detail: dict):
        self.__dict__.update(detail)

    def __getattr__(self, name: str):
        return getattr(self.__dict__["problem"], name)


class ProblemRefOut(Schema):
    id: int
    number: str
    title: str


class NoticeOut(Schema):
    id: int
    number: str
    unit: UnitRefOut
    requirements: str
    reply_due: dt.date
    status: Labelled[NoticeStatus]
    issued_at: dt.datetime
    issued_by: str
    reply: str
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_issued_by(notice) -> str:
        return str(notice.issued_by)


class NoticeDetailOut(NoticeOut):
    problems: list[ProblemRefOut]


class NoticePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[NoticeOut]


class TotalsOut(Schema):
    total: int
    open: int
    done: int
    closed: int
    overdue: int
    key: int
    completion_rate: float = Field(description="per cent, one decimal")
    overdue_rate: float = Field(description="per cent, one decimal")


class SeriesOut(Schema):
    key: str
    label: str
    colour: str
    count: int


class UnitRowOut(Schema):
    unit_name: str
    total: int
    done: int
    closed: int
    open: int
    overdue: int
    yellow: int
    blue: int
    completion_rate: float
    overdue_rate: float
    rank: int
    unit: UnitRefOut | None = Field(description="null for the problems not yet assigned")


class TrendOut(Schema):
    week: dt.date = Field(description="the Monday the week starts on")
    registered: int
    closed: int


class PictureOut(Schema):
    totals: TotalsOut
    by_status: list[SeriesOut]
    by_source: list[SeriesOut]
    by_type: list[SeriesOut]
    by_warning: list[SeriesOut]
    trend: list[TrendOut]
    by_unit: list[UnitRowOut]


class UnitCountsOut(Schema):
    unit: UnitRefOut
    lead: int
    cooperating: int
    open: int
    red: int
    yellow: int
    blue: int
    closed: int
