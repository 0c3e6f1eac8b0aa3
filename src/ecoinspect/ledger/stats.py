"""The district picture for leaders: counts and rates from a few grouped passes over the problems.

Every function takes the already-restricted queryset (``selectors.problem_queryset``), so a leader sees
the district and a unit sees its own share with the same code. The problems are grouped once by
(lead unit, status, source, key problem), and the open ones once more by (lead unit, warning colour) —
the colour only exists for open problems — each pass answered from a covering index (``Problem.Meta``);
every count, rate and ranking is summed from those few thousand groups in Python. Problem types are
counted from the distinct type combinations; the weekly trend reads two date ranges through their indexes
and buckets them with plain comparisons (no per-row SQL functions).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.fields import MultiChoiceField
from ecoinspect.orgs.models import Unit

from .choices import DONE_STATES, OPEN_STATES, ProblemSource, ProblemStatus, WarningLevel

GROUP_FIELDS = ("lead_unit", "status", "source", "is_key")
WARNED = (WarningLevel.RED, WarningLevel.YELLOW, WarningLevel.BLUE)


@dataclass(frozen=True)
class Groups:
    """``plain``: (lead unit, status, source, key, n) for every problem; ``colours``: (lead unit, colour, n)
    for the open problems (the only ones that can carry a warning)."""

    plain: list[tuple[int | None, str, str, bool, int]]
    colours: list[tuple[int | None, str, int]]


def groups(qs: QuerySet) -> Groups:
    """Two grouped passes, each answered from a covering index."""
    plain = qs.order_by().values_list(*GROUP_FIELDS).annotate(n=Count("*"))
    colours = (
        qs.filter(status__in=OPEN_STATES)
        .order_by()
        .values_list("lead_unit", "warning")
        .annotate(n=Count("*"))
    )
    return Groups(plain=list(plain), colours=list(colours))


def _rate(part: int, total: int) -> float:
    return round(100 * part / total, 1) if total else 0.0


def _series(choiceset, counts: Counter) -> list[dict]:
    return [
        {"key": c.value, "label": str(c.label), "colour": c.colour, "count": counts.get(c.value, 0)}
        for c in choiceset
    ]


def totals(gs: Groups) -> dict:
    total = sum(g[-1] for g in gs.plain)
    result = {
        "total": total,
        "open": sum(n for _u, status, _s, _k, n in gs.plain if status in OPEN_STATES),
        "done": sum(n for _u, status, _s, _k, n in gs.plain if status in DONE_STATES),
        "closed": sum(n for _u, status, _s, _k, n in gs.plain if status == ProblemStatus.CLOSED),
        "overdue": sum(n for _u, colour, n in gs.colours if colour == WarningLevel.RED),
        "key": sum(n for _u, _st, _s, is_key, n in gs.plain if is_key),
    }
    result["completion_rate"] = _rate(result["done"], total)
    result["overdue_rate"] = _rate(result["overdue"], total)
    return result


def by_status(gs: Groups) -> list[dict]:
    return _series(ProblemStatus, _count(gs.plain, 1))


def by_source(gs: Groups) -> list[dict]:
    return _series(ProblemSource, _count(gs.plain, 2))


def by_warning(gs: Groups) -> list[dict]:
    counts = _count(gs.colours, 1)
    warned = sum(counts[c] for c in WARNED)
    counts[WarningLevel.NONE] = sum(g[-1] for g in gs.plain) - warned
    return _series(WarningLevel, counts)


def _count(rows, position: int) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        counts[row[position]] += row[-1]
    return counts


def by_type(qs: QuerySet) -> list[dict]:
    """Problems per type (a problem may have several): one pass over the distinct type combinations."""
    counts: Counter = Counter()
    for stored, n in (
        qs.order_by().values_list("problem_types").annotate(n=Count("*")).values_list("problem_types", "n")
    ):
        for value in MultiChoiceField.decode(stored):
            counts[value] += n
    return _series(ProblemType, counts)


def by_unit(gs: Groups) -> list[dict]:
    """Per lead unit: total, done, overdue, completion and overdue rates; ranked by completion rate."""
    per_unit: dict[int | None, Counter] = {}
    for unit, status, _source, _key, n in gs.plain:
        c = per_unit.setdefault(unit, Counter())
        c["total"] += n
        c["done"] += n if status in DONE_STATES else 0
        c["closed"] += n if status == ProblemStatus.CLOSED else 0
        c["open"] += n if status in OPEN_STATES else 0
    for unit, colour, n in gs.colours:
        if colour in WARNED:
            per_unit.setdefault(unit, Counter())["overdue" if colour == WarningLevel.RED else colour] += n
    units = Unit.objects.in_bulk([pk for pk in per_unit if pk])
    result = []
    for pk, c in per_unit.items():
        unit = units.get(pk)
        result.append(
            {
                "unit": unit,
                "unit_name": str(unit) if unit else "（未分派）",
                **{k: c[k] for k in ("total", "done", "closed", "open", "overdue", "yellow", "blue")},
                "completion_rate": _rate(c["done"], c["total"]),
                "overdue_rate": _rate(c["overdue"], c["total"]),
            }
        )
    result.sort(key=lambda row: (-row["completion_rate"], row["overdue_rate"], row["unit_name"]))
    for rank, row in enumerate(result, start=1):
        row["rank"] = rank
    return result


def _week_bucket(field: str, starts: list) -> Case:
    """Which of the given week starts a row's ``field`` falls in (None before the first) — computed in SQL
    with plain comparisons, so the rows are read from the date index without a per-row function."""
    whens = [
        When(**{f"{field}__gte": start, f"{field}__lt": end}, then=Value(i))
        for i, (start, end) in enumerate(zip(starts, starts[1:], strict=False))
    ]
    return Case(*whens, default=Value(None), output_field=IntegerField())


def weekly_trend(qs: QuerySet, *, today: dt.date, weeks: int = 12) -> list[dict]:
    """Problems registered and closed per ISO week over the last ``weeks`` weeks (two range reads)."""
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    days = [first + dt.timedelta(weeks=i) for i in range(weeks + 1)]
    moments = [timezone.make_aware(dt.datetime.combine(d, dt.time.min)) for d in days]
    registered = dict(
        qs.order_by()
        .filter(registered_on__gte=days[0], registered_on__lt=days[-1])
        .annotate(week=_week_bucket("registered_on", days))
        .values_list("week")
        .annotate(n=Count("*"))
    )
    closed = dict(
        qs.order_by()
        .filter(closed_at__gte=moments[0], closed_at__lt=moments[-1])
        .annotate(week=_week_bucket("closed_at", moments))
        .values_list("week")
        .annotate(n=Count("*"))
    )
    return [
        {"week": days[i], "registered": registered.get(i, 0), "closed": closed.get(i, 0)}
        for i in range(weeks)
    ]


def district_picture(qs: QuerySet, *, today: dt.date) -> dict:
    """Everything the leaders' dashboard shows: six queries whatever the number of problems."""
    gs = groups(qs)
    return {
        "totals": totals(gs),
        "by_status": by_status(gs),
        "by_source": by_source(gs),
        "by_type": by_type(qs),
        "by_warning": by_warning(gs),
        "by_unit": by_unit(gs),
        "trend": weekly_trend(qs, today=today),
    }
