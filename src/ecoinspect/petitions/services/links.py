"""A true or partly true case opens a ledger problem in one click; the two are linked both ways
(``Petition.problem`` and ``Problem.petitions``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.calendar import check_entered_dates
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.i18n import district_language
from ecoinspect.core.services import require
from ecoinspect.ledger.public import DeadlineKind, ProblemSource, problem_register

from ..choices import REPORTED_AND_AFTER, AssignmentRole
from ..models import Petition

_TITLE_LENGTH = 60


def _title(petition: Petition) -> str:
    text = " ".join(petition.complaint_text.split())
    return text if len(text) <= _TITLE_LENGTH else text[: _TITLE_LENGTH - 1] + "…"


def open_problem_refusal(petition: Petition) -> str:
    """Why a ledger problem cannot be opened for this case now ("" when it can): the unit must have reported
    a substantiated verdict, and the case have no problem yet. The page asks this to show the button."""
    if petition.problem_id:
        return _("该信访件已关联整改问题 %(n)s。") % {"n": petition.problem.number}
    if petition.status not in REPORTED_AND_AFTER:
        return _("单位反馈核查结论后才能建立整改问题。")
    if not petition.substantiated:
        return _("只有核查属实、基本属实或部分属实的信访件才需要建立整改问题。")
    return ""


@transaction.atomic
def petition_open_problem(*, actor, petition: Petition, deadline: dt.date | None = None) -> Petition:
    """整改问题 from a substantiated case: the ledger problem names the case as its source, takes its text,
    place, types and lead unit; the case points at the problem."""
    require(actor, "petitions.assign", petition)
    require(actor, "ledger.assign")
    check_entered_dates(deadline=deadline)
    refusal = open_problem_refusal(petition)
    if refusal:
        raise ServiceError({"__all__": refusal})
    lead = petition.assignments.filter(role=AssignmentRole.LEAD).select_related("unit").first()
    cooperating = [a.unit for a in petition.assignments.exclude(role=AssignmentRole.LEAD).select_related("unit")]
    with district_language():
        description = _("交办信访件 %(no)s：%(text)s\n\n调查核实情况：%(inv)s") % {
            "no": petition.acceptance_no,
            "text": petition.complaint_text,
            "inv": petition.investigation or "—",
        }
    problem = problem_register(
        actor=actor,
        title=_title(petition),
        source=ProblemSource.PETITION,
        description=description,
        source_ref=petition.acceptance_no,
        source_round=str(petition.round),
        problem_types=petition.problem_types,
        is_key=petition.is_key,
        address=petition.region_text,
        town=petition.town,
        lead_unit=lead.unit if lead else None,
        cooperating_units=cooperating,
        target=petition.closure_target,
        deadline_kind=DeadlineKind.DATE if deadline else DeadlineKind.LONG_TERM,
        deadline=deadline,
        registered_on=timezone.localdate(),
        override_reason=_("按信访件交办的牵头单位"),
    )
    with acting_as(actor):
        petition.problem = problem
        petition.save(update_fields=["problem", "updated_at"])
        action_log_append(
            action="petitions.petition.problem_opened",
            actor=actor,
            obj=petition,
            payload={"problem": problem.pk, "number": problem.number},
        )
    return petition
