"""每日提醒: each unit with active members hears of its overdue, warned and soon-due problems every day.

Sent even when there is nothing to report (“无逾期事项”), so a unit knows the reminder works. Once per
unit and day: the ActionLog entry ``ledger.digest.sent`` (object: the unit, payload: the date) is the
record, checked under a lock on the unit before sending, so running the digest twice — or from two
machines — sends nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from ecoinspect.audit.models import ActionLog
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.calendar import default_calendar
from ecoinspect.notifications.services import notification_send
from ecoinspect.orgs.models import Membership, Unit

from .. import deadlines
from ..choices import OPEN_STATES, DeadlineKind, WarningLevel
from ..models import Problem

#: How many problem numbers a digest names per category (the counts are always complete).
LISTED = 10
EVENT = "ledger.digest.sent"


@dataclass
class Digest:
    unit: Unit
    date: dt.date
    counts: dict[str, int]
    title: str
    body: str
    sent: bool = False
    recipients: int = 0
    lines: list[str] = field(default_factory=list)


def _unit_problems(unit: Unit, today: dt.date):
    cooperating = Problem.cooperating_units.through.objects.filter(unit=unit).values("problem_id")
    return Problem.objects.annotate(warning=deadlines.warning_expression(today)).filter(
        Q(lead_unit=unit) | Q(pk__in=cooperating)
    )


def digest_for(unit: Unit, today: dt.date) -> Digest:
    """What the unit's digest says today (reads only)."""
    horizon = default_calendar().add_workdays(today, 5)
    qs = _unit_problems(unit, today)
    overdue = Q(status__in=OPEN_STATES, deadline__lt=today) & ~Q(deadline_kind=DeadlineKind.LONG_TERM)
    soon = Q(status__in=OPEN_STATES, deadline__gte=today, deadline__lte=horizon)
    conditions = {
        "overdue": overdue,
        "red": Q(warning=WarningLevel.RED),
        "yellow": Q(warning=WarningLevel.YELLOW),
        "blue": Q(warning=WarningLevel.BLUE),
        "due_soon": soon,
    }
    counts = qs.aggregate(**{key: Count("pk", filter=q) for key, q in conditions.items()})
    labels = {
        "overdue": _("已逾期"),
        "red": _("红灯"),
        "yellow": _("黄牌"),
        "blue": _("蓝签"),
        "due_soon": _("5 个工作日内到期"),
    }
    lines = []
    for key, q in conditions.items():
        if not counts[key]:
            continue
        listed = (
            qs.filter(q).order_by("deadline", "number").values_list("number", "title", "deadline")[:LISTED]
        )
        no_deadline = _("无时限")
        names = "；".join(f"{n} {t}（{d or no_deadline}）" for n, t, d in listed)
        more = _("等 %(n)s 项") % {"n": counts[key]} if counts[key] > LISTED else ""
        lines.append(
            _("%(label)s %(n)s 项：%(names)s%(more)s")
            % {"label": labels[key], "n": counts[key], "names": names, "more": more}
        )
    head = _("逾期 %(n)s 项") % {"n": counts["overdue"]} if counts["overdue"] else _("无逾期事项")
    title = _("每日提醒 %(d)s：%(head)s；红灯 %(r)s、黄牌 %(y)s、蓝签 %(b)s；5 个工作日内到期 %(s)s 项") % {
        "d": today.isoformat(),
        "head": head,
        "r": counts["red"],
        "y": counts["yellow"],
        "b": counts["blue"],
        "s": counts["due_soon"],
    }
    body = (
        "\n".join(lines)
        if lines
        else _("无逾期事项。本单位牵头或配合的问题中，今天没有逾期、预警或 5 个工作日内到期的事项。")
    )
    return Digest(unit=unit, date=today, counts=counts, title=title, body=body, lines=lines)


def _unit_url(unit: Unit) -> str:
    try:
        return reverse("ledger:unit_problems", args=[unit.pk])
    except NoReverseMatch:
        return ""


def digest_already_sent(unit: Unit, today: dt.date) -> bool:
    return ActionLog.objects.filter(
        action=EVENT,
        object_type=unit._meta.label_lower,
        object_id=str(unit.pk),
        payload__date=today.isoformat(),
    ).exists()


def digest_send(*, today: dt.date) -> list[Digest]:
    """Send today's digest to every active unit with active members that has not had it yet."""
    units = Unit.objects.filter(
        is_active=True, pk__in=Membership.objects.active().values("unit_id")
    ).order_by("sort_order", "code")
    results = []
    for unit in units:
        with transaction.atomic():
            Unit.objects.select_for_update().filter(pk=unit.pk).first()  # one sender per unit at a time
            digest = digest_for(unit, today)
            if digest_already_sent(unit, today):
                results.append(digest)
                continue
            digest.recipients = notification_send(
                recipients=[unit], title=digest.title, body=digest.body, url=_unit_url(unit), event=EVENT
            )
            action_log_append(
                action=EVENT,
                obj=unit,
                payload={"date": today.isoformat(), "counts": digest.counts, "recipients": digest.recipients},
            )
            digest.sent = True
            results.append(digest)
    return results
