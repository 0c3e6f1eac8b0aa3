"""Factories of the petitions app.

Records are made through the app's services, as the person who does each step: the office's coordinator
registers, assigns, reviews; the lead unit's staff signs for and reports; the publisher discloses.
``PetitionFactory(status=S.REPORTED)`` registers a case and walks it along ``PATH`` to that state.
"""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from ecoinspect.orgs.roles import Role
from ecoinspect.petitions import services as svc
from ecoinspect.petitions.choices import ClosureStatus, SuggestionKind, Verdict, VisitMethod
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import (
    Assignment,
    Claim,
    Disclosure,
    InspectionRound,
    Petition,
    ReturnVisit,
    Suggestion,
    TransferBatch,
)

from .orgs import person, unit

#: The happy path, in order; ``advance_petition`` stops at the requested state.
PETITION_PATH = (S.RECEIVED, S.ASSIGNED, S.VERIFYING, S.REPORTED, S.APPROVED, S.DISCLOSED, S.CLOSED_OUT)

_numbers = itertools.count(1)


def coordinator():
    return person(Role.COORDINATOR)


class RoundFactory(factory.Factory):
    """An inspection round made by the coordinator (the current one unless told otherwise)."""

    class Meta:
        model = InspectionRound

    name = factory.Sequence(lambda n: f"第三轮中央生态环境保护督察（测试{n}）")
    number = 3
    stationed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    is_current = True

    @classmethod
    def _create(cls, model_class, *args, actor=None, **kwargs):
        return svc.round_create(actor=actor or coordinator(), **kwargs)


def _round():
    return InspectionRound.objects.filter(is_current=True).first() or RoundFactory()


class BatchFactory(factory.Factory):
    """第N批 of the current round (made when there is none)."""

    class Meta:
        model = TransferBatch

    round = factory.LazyFunction(_round)
    number = factory.LazyAttribute(lambda o: TransferBatch.objects.filter(round=o.round).count() + 1)
    received_on = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _create(cls, model_class, *args, actor=None, **kwargs):
        return svc.batch_create(actor=actor or coordinator(), **kwargs)


def _number(_o=None) -> str:
    day = timezone.localdate().strftime("%Y%m%d")
    return f"D3GD{day}{next(_numbers):04d}"


class PetitionFactory(factory.Factory):
    """A case registered by the coordinator and walked to ``status``; ``lead`` (a unit or its code) is who it
    is assigned to (the water bureau by default), ``cooperating`` further units."""

    class Meta:
        model = Petition

    round = factory.LazyFunction(_round)
    acceptance_no = factory.LazyFunction(_number)
    complaint_text = "新市街道某小区旁河涌发黑发臭，夜间有污水直排。"
    region_text = "广州市白云区"
    received_on = factory.LazyFunction(timezone.localdate)
    problem_types = ("water",)

    @classmethod
    def _create(cls, model_class, *args, actor=None, status=S.RECEIVED, lead="swj", cooperating=(), **kwargs):
        actor = actor or coordinator()
        petition = svc.petition_register(actor=actor, **kwargs)
        return advance_petition(petition, status, lead=lead, cooperating=cooperating)


def _unit(value):
    return unit(value) if isinstance(value, str) else value


HANDLING = {
    "investigation": "经现场核查，该河涌存在生活污水直排。",
    "verdict": Verdict.TRUE,
    "closure_target": "2个月内完成截污。",
    "handling": "责令整改，已封堵排口。",
    "closure_status": ClosureStatus.CLOSED,
    "accountability": "无",
}


def advance_petition(petition: Petition, status: str, *, lead="swj", cooperating=(), handling=None) -> Petition:
    """Walk ``petition`` along the happy path to ``status`` (MERGED is not on it: use petition_merge)."""
    office = coordinator()
    target = PETITION_PATH.index(status)
    lead_unit = _unit(lead)
    while PETITION_PATH.index(petition.status) < target:
        state = petition.status
        if state == S.RECEIVED:
            svc.petition_assign(
                actor=office, petition=petition, lead=lead_unit, cooperating=[_unit(c) for c in cooperating]
            )
        elif state == S.ASSIGNED:
            svc.petition_sign(actor=person(Role.STAFF, lead_unit), petition=petition)
        elif state == S.VERIFYING:
            staff = person(Role.STAFF, lead_unit)
            svc.petition_save_handling(actor=staff, petition=petition, **(handling or HANDLING))
            svc.petition_report(actor=staff, petition=petition)
        elif state == S.REPORTED:
            svc.petition_approve(actor=office, petition=petition)
        elif state == S.APPROVED:
            from ecoinspect.core.workflow import transition

            transition(petition, action="disclose", actor=person(Role.PUBLISHER))
        elif state == S.DISCLOSED:
            svc.petition_close_out(actor=office, petition=petition)
        petition = Petition.objects.get(pk=petition.pk)
    return petition


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    petition = factory.SubFactory(PetitionFactory)
    unit = factory.LazyFunction(lambda: unit("cgzf"))
    internal_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    external_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    assigned_by = factory.LazyFunction(coordinator)


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = Claim

    petition = factory.SubFactory(PetitionFactory)
    seq = factory.Sequence(lambda n: n + 1)
    text = "河涌发黑发臭"


class SuggestionFactory(DjangoModelFactory):
    class Meta:
        model = Suggestion

    petition = factory.SubFactory(PetitionFactory)
    kind = SuggestionKind.TOWN
    value = factory.LazyFunction(lambda: {"unit": unit("xinshi").pk, "name": str(unit("xinshi"))})
    reasons = factory.LazyFunction(lambda: ["问题描述中含“新市街道”"])


class ReturnVisitFactory(factory.Factory):
    class Meta:
        model = ReturnVisit

    petition = factory.LazyFunction(lambda: PetitionFactory(status=S.DISCLOSED))
    visited_on = factory.LazyFunction(timezone.localdate)
    method = VisitMethod.PHONE
    satisfied = True

    @classmethod
    def _create(cls, model_class, *args, actor=None, **kwargs):
        return svc.return_visit_record(actor=actor or coordinator(), **kwargs)


class DisclosureFactory(DjangoModelFactory):
    """A bare disclosure row (the batch's next number, no rows); a real one comes from ``disclose_batch``."""

    class Meta:
        model = Disclosure
        skip_postgeneration_save = True

    batch = factory.SubFactory(BatchFactory)
    number = factory.LazyAttribute(lambda o: o.batch.disclosures.count() + 1)
    issued_on = factory.LazyFunction(timezone.localdate)
    issued_by = factory.LazyFunction(lambda: person(Role.PUBLISHER))


def disclose_batch(batch: TransferBatch, **kwargs) -> Disclosure:
    """Disclose the batch's approved cases as the publisher does (``batch_disclose``)."""
    return svc.batch_disclose(actor=person(Role.PUBLISHER), batch=batch, **kwargs)
