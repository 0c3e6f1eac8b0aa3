"""The district picture for leaders: counts and rates from a few grouped passes over the problems.

Whoever sees the whole district is answered from the maintained counts (``tallies.district_counts``):
nothing is scanned, whatever the number of problems. Everyone else is answered from the already-restricted
queryset (``selectors.problem_queryset``), so a unit sees its own share with the same code: the problems
are grouped once by
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


def type_counts(qs: QuerySet) -> dict[str, int]:
    """Problems per stored type combination (``,air,water,``): one grouped pass."""
    grouped = (
        qs.order_by().values_list("problem_types").annotate(n=Count("*")).values_list("problem_types", "n")
    )
    return {MultiChoiceField.encode(types): n for types, n in grouped}


def by_type(combinations: dict) -> list[dict]:
    """Problems per type (a problem may have several), from the problems per type combination."""
    counts: Counter = Counter()
    for stored, n in combinations.items():
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


def week_starts(today: dt.date, weeks: int = 12) -> list[dt.date]:
    """The Mondays starting the last ``weeks`` ISO weeks, and the Monday after them."""
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    return [first + dt.timedelta(weeks=i) for i in range(weeks + 1)]


def weekly_trend(qs: QuerySet, *, today: dt.date, weeks: int = 12) -> list[dict]:
    """Problems registered and closed per ISO week over the last ``weeks`` weeks (two range reads)."""
    days = week_starts(today, weeks)
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


def _trend_from_days(days: list[dt.date], registered: dict, closed: dict) -> list[dict]:
    def week_total(per_day: dict, i: int) -> int:
        return sum(n for day, n in per_day.items() if days[i] <= day < days[i + 1])

    return [
        {"week": days[i], "registered": week_total(registered, i), "closed": week_total(closed, i)}
        for i in range(len(days) - 1)
    ]


def district_picture(qs: QuerySet | None, *, today: dt.date) -> dict:
    """Everything the leaders' dashboard shows. ``qs`` None: the whole district, from the maintained counts
    (three small reads); otherwise from the restricted problems (five grouped passes). Either way the
    number of queries does not depend on the number of problems."""
    if qs is None:
        from .tallies import district_counts

        days = week_starts(today)
        counts = district_counts(today=today, since=days[0], until=days[-1])
        gs, types = Groups(plain=counts.plain, colours=counts.colours), counts.types
        trend = _trend_from_days(days, counts.registered, counts.closed)
    else:
        gs, types, trend = groups(qs), type_counts(qs), weekly_trend(qs, today=today)
    return {
        "totals": totals(gs),
        "by_status": by_status(gs),
        "by_source": by_source(gs),
        "by_type": by_type(types),
        "by_warning": by_warning(gs),
        "by_unit": by_unit(gs),
        "trend": trend,
    }
