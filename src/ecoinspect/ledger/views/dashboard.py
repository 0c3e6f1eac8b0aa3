"""整改态势: the district picture for leaders (a unit sees its own share with the same page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.core.permissions import user_scope

from .. import selectors, stats

#: Bootstrap badge colours as chart colours, so a chart and a badge of the same thing agree.
PALETTE = {
    "primary": "#0d6efd",
    "secondary": "#6c757d",
    "success": "#198754",
    "danger": "#dc3545",
    "warning": "#ffc107",
    "info": "#0dcaf0",
    "light": "#ced4da",
    "dark": "#212529",
}


def _series(rows: list[dict]) -> list[dict]:
    return [
        {
            "key": r["key"],
            "name": r["label"],
            "value": r["count"],
            "colour": PALETTE.get(r["colour"], "#6c757d"),
        }
        for r in rows
    ]


@login_required
def district_dashboard(request):
    today = timezone.localdate()
    picture = stats.district_picture(selectors.problem_queryset(user=request.user, today=today), today=today)
    charts = {
        "status": _series(picture["by_status"]),
        "source": _series(picture["by_source"]),
        "type": _series(picture["by_type"]),
        "warning": _series(picture["by_warning"]),
        "units": [
            {
                "name": row["unit_name"],
                "completion": row["completion_rate"],
                "overdue": row["overdue_rate"],
                "total": row["total"],
            }
            for row in picture["by_unit"][:20]
        ],
        "trend": {
            "weeks": [w["week"].strftime("%m-%d") for w in picture["trend"]],
            "registered": [w["registered"] for w in picture["trend"]],
            "closed": [w["closed"] for w in picture["trend"]],
        },
        "labels": {
            "completion": _("完成率 %"),
            "overdue": _("逾期率 %"),
            "registered": _("新登记"),
            "closed": _("销号"),
        },
    }
    context = {
        "title": _("整改态势"),
        "today": today,
        "district_wide": user_scope(request.user, "ledger.view").everything,
        "picture": picture,
        "charts": charts,
    }
    return render(request, "ledger/dashboard.html", context)
