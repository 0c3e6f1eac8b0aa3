"""Shapes of the petitions API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.text_bounds import Bound, Bounds
from ecoinspect.core.api import BodySchema, Labelled, UnitRefOut

from . import models as m
from .choices import (
    AssignmentRole,
    Channel,
    ClosureStatus,
    Origin,
    PetitionStatus,
    SuggestionDecision,
    SuggestionKind,
    Verdict,
    VisitMethod,
)


class AssignmentOut(Schema):
    unit: UnitRefOut
    role: Labelled[AssignmentRole]
    internal_due: dt.date
    external_due: dt.date
    signed_at: dt.datetime | None


class PetitionOut(Schema):
    id: int
    round: str
    batch: int | None
    seq: int | None
    acceptance_no: str
    channel: Labelled[Channel] | None
    complaint_text: str
    region_text: str
    town: UnitRefOut | None
    town_reason: str
    outside_district: bool
    type_text: str
    problem_types: list[Labelled[ProblemType]]
    sub_tags: list[str]
    received_on: dt.date
    origin: Labelled[Origin]
    status: Labelled[PetitionStatus]
    is_key: bool
    is_supervised: bool
    duplicate_of: int | None
    investigation: str
    verdict: Labelled[Verdict] | None
    closure_target: str
    handling: str
    closure_status: Labelled[ClosureStatus] | None
    accountability: str
    flags: list[dict]
    problem: int | None
    assignments: list[AssignmentOut]
    due: dt.date | None = Field(description="the nearest internal due date (区内反馈时限)")
    due_external: dt.date | None = Field(description="the nearest due date owed to the inspection team")
    version: int = Field(description="send it back with a write (optimistic concurrency)")
    url: str = Field(description="the case's page")

    @staticmethod
    def resolve_due(obj):
        if hasattr(obj, "due"):
            return obj.due
        return min((a.internal_due for a in obj.assignments.all()), default=None)

    @staticmethod
    def resolve_due_external(obj):
        if hasattr(obj, "due_external"):
            return obj.due_external
        return min((a.external_due for a in obj.assignments.all()), default=None)

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_round(obj) -> str:
        return str(obj.round)

    @staticmethod
    def resolve_batch(obj) -> int | None:
        return obj.batch_id

    @staticmethod
    def resolve_duplicate_of(obj) -> int | None:
        return obj.duplicate_of_id

    @staticmethod
    def resolve_problem(obj) -> int | None:
        return obj.problem_id

    @staticmethod
    def resolve_channel(obj):
        return obj.channel or None

    @staticmethod
    def resolve_verdict(obj):
        return obj.verdict or None

    @staticmethod
    def resolve_closure_status(obj):
        return obj.closure_status or None

    @staticmethod
    def resolve_assignments(obj):
        return list(obj.assignments.all())


class PetitionPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[PetitionOut]


# --- the writes' bodies -------------------------------------------------------------------------------
#
# Each write finds the case through its selector first (404 outside one's scope), then reads the body
# (``core.api.read_body``: JSON or form fields; 400 naming each field), then calls one service. ``bounds``
# says where each text is stored (``common.text_bounds``: length and characters, as on the pages).

#: The reason of a send-back or a resumption (kept in the log); the page's form takes the same.
REASON = Bound(_("理由"), 1000, multiline=True)
#: The note of a merge (kept in the log); the page's form takes the same.
MERGE_NOTE = Bound(_("说明"), 500, multiline=True)


class VersionIn(BodySchema):
    version: int | None = Field(None, description="the version read; a stale one is 409 conflict")


class AssignIn(VersionIn):
    bounds: ClassVar = Bounds(m.Assignment)

    lead: int | None = Field(None, description="unit id of the lead unit")
    cooperating: list[int] = Field([], description="unit ids of cooperating units (一件多派)")
    note: str = ""
    internal_due: dt.date | None = Field(None, description="default: the round's internal working days")
    external_due: dt.date | None = Field(None, description="default: the round's external working days")


class ClaimIn(BodySchema):
    bounds: ClassVar = Bounds(m.Claim)

    text: str
    finding: str = ""
    verdict: str = ""


class HandlingIn(VersionIn):
    """Omitted fields keep their saved value; ``claims`` (when given) replaces the claims."""

    bounds: ClassVar = Bounds(m.Petition)

    investigation: str | None = None
    verdict: str | None = None
    closure_target: str | None = None
    handling: str | None = None
    closure_status: str | None = None
    accountability: str | None = None
    rectify_orders: int | None = None
    penalty_cases: int | None = None
    fine_amount: Decimal | None = Field(None, description="万元")
    criminal_cases: int | None = None
    admin_detentions: int | None = None
    criminal_detentions: int | None = None
    interviews: int | None = None
    accountable_people: int | None = None
    claims: list[ClaimIn] | None = None
    report: bool = Field(False, description="also report the saved handling to the office (both or neither)")


class ReasonIn(VersionIn):
    bounds: ClassVar = Bounds(reason=REASON)

    reason: str


class MergeIn(VersionIn):
    bounds: ClassVar = Bounds(reason=MERGE_NOTE)

    original: int = Field(description="id of the case this one repeats")
    reason: str = ""


class MarkIn(BodySchema):
    is_key: bool | None = None
    is_supervised: bool | None = None


class VisitIn(BodySchema):
    bounds: ClassVar = Bounds(m.ReturnVisit)

    visited_on: dt.date
    satisfied: bool
    method: str = VisitMethod.PHONE
    note: str = ""


class OpenProblemIn(BodySchema):
    deadline: dt.date | None = Field(None, description="the problem's deadline; none: 长期坚持 until set")


class CorrectIn(BodySchema):
    value: dict = Field(
        description='the right value: {"unit": id} for a town or department ({"outside": true}: not in the '
        'district), {"problem_types": [...], "sub_tags": [...]} for types, {"petition": id} for an original'
    )


# --- detail -------------------------------------------------------------------------------------------


class ClaimOut(Schema):
    seq: int
    text: str
    finding: str
    verdict: Labelled[Verdict] | None

    @staticmethod
    def resolve_verdict(obj):
        return obj.verdict or None


class SuggestionOut(Schema):
    id: int
    kind: Labelled[SuggestionKind]
    value: dict
    score: float | None
    reasons: list[str]
    decision: Labelled[SuggestionDecision]
    corrected_value: dict | None
    decided_by: str | None
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return str(obj.decided_by) if obj.decided_by_id else None

    @staticmethod
    def resolve_reasons(obj) -> list[str]:
        return [str(r) for r in obj.reasons or []]


class VisitOut(Schema):
    id: int
    visited_on: dt.date
    method: Labelled[VisitMethod]
    satisfied: bool
    note: str


class FiguresOut(Schema):
    """边督边改 figures of the case."""

    rectify_orders: int
    penalty_cases: int
    fine_amount: Decimal
    criminal_cases: int
    admin_detentions: int
    criminal_detentions: int
    interviews: int
    accountable_people: int


class PetitionDetailOut(PetitionOut):
    figures: FiguresOut
    claims: list[ClaimOut]
    suggestions: list[SuggestionOut]
    visits: list[VisitOut]
    repeats: list[int] = Field(description="ids of the cases merged into this one")

    @staticmethod
    def resolve_figures(obj):
        return obj

    @staticmethod
    def resolve_claims(obj):
        return list(obj.claims.all())

    @staticmethod
    def resolve_suggestions(obj):
        return list(obj.suggestions.select_related("decided_by"))

    @staticmethod
    def resolve_visits(obj):
        return list(obj.visits.all())

    @staticmethod
    def resolve_repeats(obj) -> list[int]:
        return list(obj.repeats.values_list("pk", flat=True))
