"""Shapes of the petitions API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from ecoinspect.common.choices import ProblemType
from ecoinspect.core.api import Labelled, UnitRefOut

from .choices import AssignmentRole, Channel, ClosureStatus, Origin, PetitionStatus, Verdict


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
