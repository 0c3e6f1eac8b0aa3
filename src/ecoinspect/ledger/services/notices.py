"""督办单: supervision notices to units with overdue or lagging problems, and their replies."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.i18n import district_language
from ecoinspect.common.numbering import next_number
from ecoinspect.core.services import require
from ecoinspect.core.submissions import once
from ecoinspect.core.workflow import transition
from ecoinspect.notifications.services import notification_queue
from ecoinspect.orgs.models import Unit

from ..models import SupervisionNotice
from ..workflow import NOTICE_WORKFLOW

NUMBER_PREFIX = "DB"


@once("ledger.notice")
@transaction.atomic
def notice_issue(*, actor, unit: Unit, problems, requirements: str, reply_due: dt.date) -> SupervisionNotice:
    require(actor, "ledger.assign")
    problems = list(problems)
    errors = {}
    if not problems:
        errors["problems"] = _("请选择督办的问题。")
    foreign = [
        p.number
        for p in problems
        if p.lead_unit_id != unit.pk and unit.pk not in {u.pk for u in p.cooperating_units.all()}
    ]
    if foreign:
        errors["problems"] = _("以下问题不由 %(u)s 牵头或配合：%(n)s") % {
            "u": unit,
            "n": "、".join(foreign),
        }
    if not requirements.strip():
        errors["requirements"] = _("请填写督办要求。")
    if reply_due < timezone.localdate():
        errors["reply_due"] = _("回复期限不能早于今天。")
    if errors:
        raise ServiceError(errors)
    with acting_as(actor):
        notice = SupervisionNotice.objects.create(
            number=next_number(
                NUMBER_PREFIX,
                timezone.localdate().year,
                taken=lambda n: SupervisionNotice.objects.filter(number=n).exists(),
            ),
            unit=unit,
            requirements=requirements.strip(),
            reply_due=reply_due,
            issued_by=actor,
        )
        notice.problems.set(problems)
        action_log_append(
            action="ledger.notice.issued",
            actor=actor,
            obj=notice,
            payload={"unit": unit.pk, "problems": [p.pk for p in problems], "reply_due": reply_due},
        )
        for problem in problems:
            action_log_append(
                action="ledger.problem.supervised",
                actor=actor,
                obj=problem,
                payload={"notice": notice.number},
            )
        with district_language():
            title = _("督办单 %(n)s") % {"n": notice.number}
        notification_queue(
            recipients=[unit],
            title=title,
            obj=notice,
            event="ledger.notice.issued",
            body=requirements,
            exclude=[actor],
        )
    return notice


@transaction.atomic
def notice_reply(*, actor, notice: SupervisionNotice, reply: str) -> SupervisionNotice:
    if not reply.strip():
        raise ServiceError({"reply": _("请填写回复内容。")})
    with acting_as(actor):
        notice.reply = reply.strip()
        notice.replied_by = actor
        return transition(notice, action="reply", actor=actor)


@NOTICE_WORKFLOW.performs("close")
@transaction.atomic
def notice_close(*, actor, notice: SupervisionNotice) -> SupervisionNotice:
    with acting_as(actor):
        return transition(notice, action="close", actor=actor)


@transaction.atomic
def notice_return(*, actor, notice: SupervisionNotice, reason: str) -> SupervisionNotice:
    with acting_as(actor):
        return transition(notice, action="return", actor=actor, payload={"reason": reason})
