"""整改态势: the district picture for leaders (a unit sees its own share with the same page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.common.charts import series as chart_series
from ecoinspect.core.permissions import user_scope

from .. import selectors


@login_required
def district_dashboard(request):
    today = timezone.localdate()
    picture = selectors.district_picture(user=request.user, today=today)
    charts = {
        "status": chart_series(picture["by_status"]),
        "source": chart_series(picture["by_source"]),
        "type": chart_series(picture["by_type"]),
        "warning": chart_series(picture["by_warning"]),
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
