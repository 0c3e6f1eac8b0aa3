"""The district picture for leaders: counts and rates computed in a handful of grouped queries.

Every function takes the already-restricted queryset (``selectors.problem_queryset``), so a leader sees
the district and a unit sees its own share with the same code.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek

from ecoinspect.common.choices import ProblemType
from ecoinspect.orgs.models import Unit

from .choices import DONE_STATES, OPEN_STATES, ProblemSource, ProblemStatus, WarningLevel


def _counts(qs: QuerySet, field: str) -> dict[str, int]:
    return dict(qs.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def by_status(qs: QuerySet) -> list[dict]:
    counts = _counts(qs, "status")
    return [
        {"key": c.value, "label": str(c.label), "colour": c.colour, "count": counts.get(c.value, 0)}
        for c in ProblemStatus
    ]


def by_source(qs: QuerySet) -> list[dict]:
    counts = _counts(qs, "source")
    return [
        {"key": c.value, "label": str(c.label), "colour": c.colour, "count": counts.get(c.value, 0)}
        for c in ProblemSource
    ]


def by_warning(qs: QuerySet) -> list[dict]:
    counts = _counts(qs, "warning")
    return [
        {"key": c.value, "label": str(c.label), "colour": c.colour, "count": counts.get(c.value, 0)}
        for c in WarningLevel
    ]


def by_type(qs: QuerySet) -> list[dict]:
    """One query: a conditional count per problem type (a problem may have several types)."""
    aggregates = {c.value: Count("pk", filter=Q(problem_types__contains=f",{c.value},")) for c in ProblemType}
    counts = qs.order_by().aggregate(**aggregates)
    return [
        {"key": c.value, "label": str(c.label), "colour": c.colour, "count": counts[c.value]}
        for c in ProblemType
    ]


def by_unit(qs: QuerySet, *, today: dt.date) -> list[dict]:
    """Per lead unit: total, done, overdue, completion and overdue rates; ranked by completion rate."""
    rows = (
        qs.order_by()
        .values("lead_unit")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status__in=DONE_STATES)),
            closed=Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
            open=Count("pk", filter=Q(status__in=OPEN_STATES)),
            overdue=Count("pk", filter=Q(warning=WarningLevel.RED)),
            yellow=Count("pk", filter=Q(warning=WarningLevel.YELLOW)),
            blue=Count("pk", filter=Q(warning=WarningLevel.BLUE)),
        )
    )
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["lead_unit"] for r in rows if r["lead_unit"]])}
    result = []
    for r in rows:
        unit = units.get(r["lead_unit"])
        total = r["total"]
        result.append(
            {
                "unit": unit,
                "unit_name": str(unit) if unit else "（未分派）",
                "total": total,
                "done": r["done"],
                "closed": r["closed"],
                "open": r["open"],
                "overdue": r["overdue"],
                "yellow": r["yellow"],
                "blue": r["blue"],
                "completion_rate": round(100 * r["done"] / total, 1) if total else 0.0,
                "overdue_rate": round(100 * r["overdue"] / total, 1) if total else 0.0,
            }
        )
    result.sort(key=lambda row: (-row["completion_rate"], row["overdue_rate"], row["unit_name"]))
    for rank, row in enumerate(result, start=1):
        row["rank"] = rank
    return result


def weekly_trend(qs: QuerySet, *, today: dt.date, weeks: int = 12) -> list[dict]:
    """Problems registered and closed per ISO week over the last ``weeks`` weeks (two queries)."""
    start = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    registered = dict(
        qs.order_by()
        .filter(registered_on__gte=start)
        .annotate(week=TruncWeek("registered_on"))
        .values_list("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )
    closed = dict(
        qs.order_by()
        .filter(closed_at__date__gte=start)
        .annotate(week=TruncWeek("closed_at"))
        .values_list("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )

    def as_date(value):
        return value.date() if isinstance(value, dt.datetime) else value

    registered = {as_date(k): v for k, v in registered.items()}
    closed = {as_date(k): v for k, v in closed.items()}
    return [
        {
            "week": start + dt.timedelta(weeks=i),
            "registered": registered.get(start + dt.timedelta(weeks=i), 0),
            "closed": closed.get(start + dt.timedelta(weeks=i), 0),
        }
        for i in range(weeks)
    ]


def district_picture(qs: QuerySet, *, today: dt.date) -> dict:
    """Everything the leaders' dashboard shows (9 queries whatever the number of problems)."""
    totals = qs.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATES)),
        done=Count("pk", filter=Q(status__in=DONE_STATES)),
        closed=Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
        overdue=Count("pk", filter=Q(warning=WarningLevel.RED)),
        key=Count("pk", filter=Q(is_key=True)),
    )
    total = totals["total"]
    totals["completion_rate"] = round(100 * totals["done"] / total, 1) if total else 0.0
    totals["overdue_rate"] = round(100 * totals["overdue"] / total, 1) if total else 0.0
    return {
        "totals": totals,
        "by_status": by_status(qs),
        "by_source": by_source(qs),
        "by_type": by_type(qs),
        "by_warning": by_warning(qs),
        "by_unit": by_unit(qs, today=today),
        "trend": weekly_trend(qs, today=today),
    }
