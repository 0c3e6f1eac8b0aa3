"""Read-only figures for the home page."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from ecoinspect.common import calendar
from ecoinspect.core.permissions import active_memberships, user_scope
from ecoinspect.core.queues import queue_summary, urgent_summary
from ecoinspect.notifications.selectors import notification_list
from ecoinspect.orgs.choices import UnitKind
from ecoinspect.orgs.models import Unit
from ecoinspect.orgs.roles import ROLE_SPECS


def home_context(*, user) -> dict:
    today = timezone.localdate()
    cal = calendar.default_calendar()
    memberships = active_memberships(user)
    units = sorted({m.unit for m in memberships}, key=lambda u: (u.sort_order, u.code))
    district_wide = user_scope(user, "dashboard.view").everything
    kinds = dict(Unit.objects.active().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    queue = queue_summary(user)
    # Those who watch the whole district without a queue (leaders, discipline inspection) see its red and
    # overdue items instead of an empty 我的待办.
    alerts = urgent_summary(user)
    return {
        "today": today,
        "today_is_workday": cal.is_workday(today),
        "next_workday": cal.next_workday(today + dt.timedelta(days=1)),
        "today_estimated": cal.is_estimated(today),
        "memberships": memberships,
        "units": units,
        "role_specs": ROLE_SPECS,
        "district_wide": district_wide,
        "queue": queue,
        "queue_total": sum(entry["count"] for entry in queue),
        "alerts": alerts,
        "alerts_total": sum(entry["count"] for entry in alerts),
        "notifications": list(notification_list(user=user)[:6]),
        "unit_counts": [
            (UnitKind.label(k), kinds.get(k, 0))
            for k in (UnitKind.DEPARTMENT, UnitKind.SUBDISTRICT, UnitKind.TOWN, UnitKind.VILLAGE)
        ],
    }
