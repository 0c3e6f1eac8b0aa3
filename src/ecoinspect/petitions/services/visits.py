"""回访: the complainant is asked whether they are satisfied; an unsatisfied answer on a disclosed case
sends it back for handling (继续办理)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.calendar import check_entered_dates
from ecoinspect.common.errors import ServiceError
from ecoinspect.core.services import require
from ecoinspect.core.submissions import once

from ..choices import REPORTED_AND_AFTER, PetitionStatus, VisitMethod
from ..models import Petition, ReturnVisit
from .cases import petition_resume


@once("petitions.return_visit")
@transaction.atomic
def return_visit_record(
    *,
    actor,
    petition: Petition,
    visited_on: dt.date,
    satisfied: bool,
    method: str = VisitMethod.PHONE,
    note: str = "",
) -> ReturnVisit:
    require(actor, "petitions.assign", petition)
    if method not in VisitMethod:
        raise ServiceError({"method": _("未知的回访方式。")})
    if visited_on > timezone.localdate():
        raise ServiceError({"visited_on": _("回访日期不能晚于今天。")})
    if visited_on < petition.received_on:
        raise ServiceError({"visited_on": _("回访日期不能早于交办日期（%(d)s）。") % {"d": petition.received_on}})
    check_entered_dates(visited_on=visited_on)
    if petition.status not in REPORTED_AND_AFTER:
        raise ServiceError({"__all__": _("单位反馈办理情况后才能回访。")})
    if not satisfied and not note.strip():
        raise ServiceError({"note": _("不满意的回访请写明群众的意见。")})
    with acting_as(actor):
        visit = ReturnVisit.objects.create(
            petition=petition, visited_on=visited_on, method=method, satisfied=satisfied, note=note, recorded_by=actor
        )
        action_log_append(
            action="petitions.petition.visited",
            actor=actor,
            obj=petition,
            payload={"satisfied": satisfied, "visited_on": visited_on, "note": note},
        )
    if not satisfied and petition.status == PetitionStatus.DISCLOSED:
        petition_resume(actor=actor, petition=petition, reason=_("回访不满意：%(note)s") % {"note": note})
    return visit
