"""边督边改 figures as the province publishes them: cases received (by batch, by day), by channel (来电/来信),
by unit (the units assigned; the town), by type (multi-label: a case counts once per type), verdict and
closure rates, and the enforcement counts summed from the cases — for one day and cumulative since the round
was stationed.

Every function takes an already-restricted queryset (``selectors.figures_queryset``), so the district's
people see the district and a unit sees the figures of its own cases with the same code. Everything is
counted in the database: one aggregate query gives the totals, the channels, the types, the verdicts, the
closures and the enforcement sums; units, towns, batches and days are one grouped query each. No Python loop
runs over the cases.

What counts:

* **received** — every case transferred in the period, repeats merged into an original included (the
  inspection team counts them); ``repeats`` says how many of them were merged;
* **handled** (已调查处理) — a case whose unit has reported its verdict and handling at least once (or a case
  of an earlier round's table that came with its results); repeats are handled through their original and
  are not counted again. Verdict and closure rates and the enforcement sums are over the handled cases, with
  the values as they stand now (a stage-closed case that is finished later counts as finished).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.choices import ProblemType

from .choices import SUBSTANTIATED, AssignmentRole, Channel, ClosureStatus, Origin, PetitionStatus, Verdict
from .models import Assignment, InspectionRound

#: States in which the unit has reported its handling (a case sent back or resumed keeps ``reported_at``).
REPORTED_STATES = (
    PetitionStatus.REPORTED,
    PetitionStatus.APPROVED,
    PetitionStatus.DISCLOSED,
    PetitionStatus.CLOSED_OUT,
)

#: The enforcement counts, in the order the province writes them: field, label, unit of count.
ENFORCEMENT = (
    ("rectify_orders", _("责令整改"), _("家")),
    ("penalty_cases", _("立案处罚"), _("家")),
    ("fine_amount", _("罚款"), _("万元")),
    ("fine_cases", _("罚款"), _("家")),
    ("criminal_cases", _("立案侦查"), _("件")),
    ("admin_detentions", _("行政拘留"), _("人")),
    ("criminal_detentions", _("刑事拘留"), _("人")),
    ("interviews", _("约谈"), _("人")),
    ("accountable_people", _("问责"), _("人")),
)
SUMMED = tuple(name for name, _label, _unit in ENFORCEMENT if name != "fine_cases")


def handled_q() -> Q:
    """A case whose handling has been reported (or that came with its results from an earlier round's
    table); merged repeats are handled through their original."""
    published = Q(origin=Origin.HISTORY) & (~Q(verdict="") | ~Q(closure_status=""))
    reported = Q(status__in=REPORTED_STATES) | Q(reported_at__isnull=False) | published
    return reported & ~Q(status=PetitionStatus.MERGED)


def _rate(part: int, total: int) -> float:
    return round(100 * part / total, 1) if total else 0.0


def _choice_rows(choiceset, counts: dict, total: int) -> list[dict]:
    return [
        {
            "key": c.value,
            "label": str(c.label),
            "colour": c.colour,
            "count": counts.get(c.value, 0),
            "rate": _rate(counts.get(c.value, 0), total),
        }
        for c in choiceset
    ]


@dataclass
class Figures:
    """The figures of one set of cases (a day's, or everything since stationing)."""

    received: int = 0
    repeats: int = 0
    unassigned: int = 0
    handled: int = 0
    channels: list[dict] = field(default_factory=list)
    types: list[dict] = field(default_factory=list)
    untyped: int = 0
    verdicts: list[dict] = field(default_factory=list)
    substantiated: int = 0
    substantiated_rate: float = 0.0
    closures: list[dict] = field(default_factory=list)
    enforcement: dict = field(default_factory=dict)
    units: list[dict] = field(default_factory=list)
    towns: list[dict] = field(default_factory=list)

    def count(self, rows: str, key: str) -> int:
        """``figures.count("verdicts", "true")``: one row's count of a breakdown."""
        return next((r["count"] for r in getattr(self, rows) if r["key"] == key), 0)

    @property
    def enforcement_rows(self) -> list[dict]:
        return [
            {"key": name, "label": str(label), "unit": str(unit), "value": self.enforcement.get(name, 0)}
            for name, label, unit in ENFORCEMENT
        ]


def _aggregates(qs: QuerySet) -> dict:
    """Every count and sum of the figures that is one number, in one query."""
    handled = handled_q()
    exprs = {
        "received": Count("pk"),
        "repeats": Count("pk", filter=Q(status=PetitionStatus.MERGED)),
        "unassigned": Count(
            "pk",
            filter=~Q(status=PetitionStatus.MERGED)
            & ~Q(Exists(Assignment.objects.filter(petition=OuterRef("pk")))),
        ),
        "handled": Count("pk", filter=handled),
        "untyped": Count("pk", filter=Q(problem_types="")),
        "fine_cases": Count("pk", filter=handled & Q(fine_amount__gt=0)),
    }
    for c in Channel:
        exprs[f"channel_{c.value}"] = Count("pk", filter=Q(channel=c.value))
    for t in ProblemType:
        exprs[f"type_{t.value}"] = Count("pk", filter=Q(problem_types__contains=f",{t.value},"))
    for v in Verdict:
        exprs[f"verdict_{v.value}"] = Count("pk", filter=handled & Q(verdict=v.value))
    for c in ClosureStatus:
        exprs[f"closure_{c.value}"] = Count("pk", filter=handled & Q(closure_status=c.value))
    for name in SUMMED:
        if name == "fine_amount":
            output = DecimalField(max_digits=16, decimal_places=4)
            exprs[name] = Coalesce(Sum(name, filter=handled), Value(Decimal(0)), output_field=output)
        else:
            exprs[name] = Coalesce(Sum(name, filter=handled), Value(0))
    return qs.order_by().aggregate(**exprs)


def _units(qs: QuerySet) -> list[dict]:
    """Cases per assigned unit (a case assigned to several units counts for each), with how many it leads."""
    rows = (
        Assignment.objects.filter(petition__in=qs.order_by().values("pk"))
        .order_by()
        .values("unit", "unit__short_name", "unit__kind")
        .annotate(count=Count("petition", distinct=True), lead=Count("pk", filter=Q(role=AssignmentRole.LEAD)))
        .order_by("-count", "unit__sort_order", "unit__short_name")
    )
    return [
        {"key": r["unit"], "label": r["unit__short_name"], "kind": r["unit__kind"], "count": r["count"], "lead": r["lead"]}
        for r in rows
    ]


def _towns(qs: QuerySet) -> list[dict]:
    """Cases per town or subdistrict they lie in; cases whose town is not settled last."""
    rows = (
        qs.order_by()
        .values("town", "town__short_name")
        .annotate(count=Count("pk"))
        .order_by("-count", "town__sort_order")
    )
    found = [{"key": r["town"], "label": r["town__short_name"], "count": r["count"]} for r in rows if r["town"]]
    unsettled = sum(r["count"] for r in rows if not r["town"])
    if unsettled:
        found.append({"key": None, "label": str(_("属地未确定")), "count": unsettled})
    return found


def figures(qs: QuerySet) -> Figures:
    """The figures of the cases in ``qs`` (already restricted to what the person may see)."""
    a = _aggregates(qs)
    handled = a["handled"]
    verdicts = {v.value: a[f"verdict_{v.value}"] for v in Verdict}
    substantiated = sum(verdicts[v] for v in SUBSTANTIATED)
    channels = _choice_rows(Channel, {c.value: a[f"channel_{c.value}"] for c in Channel}, a["received"])
    unnamed = a["received"] - sum(r["count"] for r in channels)
    if unnamed:
        channels.append(
            {"key": "", "label": str(_("未注明")), "colour": "light", "count": unnamed, "rate": _rate(unnamed, a["received"])}
        )
    enforcement = {name: a[name] for name in SUMMED}
    enforcement["fine_amount"] = Decimal(enforcement["fine_amount"] or 0).quantize(Decimal("0.01"))
    enforcement["fine_cases"] = a["fine_cases"]
    return Figures(
        received=a["received"],
        repeats=a["repeats"],
        unassigned=a["unassigned"],
        handled=handled,
        channels=channels,
        types=_choice_rows(ProblemType, {t.value: a[f"type_{t.value}"] for t in ProblemType}, a["received"]),
        untyped=a["untyped"],
        verdicts=_choice_rows(Verdict, verdicts, handled),
        substantiated=substantiated,
        substantiated_rate=_rate(substantiated, handled),
        closures=_choice_rows(ClosureStatus, {c.value: a[f"closure_{c.value}"] for c in ClosureStatus}, handled),
        enforcement=enforcement,
        units=_units(qs),
        towns=_towns(qs),
    )


def by_batch(qs: QuerySet) -> list[dict]:
    """Per batch (第N批): received, 来电, 来信, handled, and the handled cases' closures."""
    handled = handled_q()
    rows = (
        qs.order_by()
        .values("batch", "batch__number", "batch__received_on")
        .annotate(
            received=Count("pk"),
            phone=Count("pk", filter=Q(channel=Channel.PHONE)),
            letter=Count("pk", filter=Q(channel=Channel.LETTER)),
            handled=Count("pk", filter=handled),
            closed=Count("pk", filter=handled & Q(closure_status=ClosureStatus.CLOSED)),
            stage_closed=Count("pk", filter=handled & Q(closure_status=ClosureStatus.STAGE_CLOSED)),
            in_progress=Count("pk", filter=handled & Q(closure_status=ClosureStatus.IN_PROGRESS)),
        )
        .order_by("batch__number")
    )
    return [
        {
            "batch": r["batch"],
            "number": r["batch__number"],
            "received_on": r["batch__received_on"],
            **{k: r[k] for k in ("received", "phone", "letter", "handled", "closed", "stage_closed", "in_progress")},
        }
        for r in rows
    ]


def by_day(qs: QuerySet, start: dt.date, end: dt.date) -> list[dict]:
    """Cases received on each day from ``start`` to ``end`` (days without a case included) and the running
    total."""
    counts = dict(
        qs.filter(received_on__range=(start, end))
        .order_by()
        .values_list("received_on")
        .annotate(n=Count("pk"))
        .values_list("received_on", "n")
    )
    days, running, day = [], 0, start
    while day <= end:
        running += counts.get(day, 0)
        days.append({"day": day, "count": counts.get(day, 0), "total": running})
        day += dt.timedelta(days=1)
    return days


@dataclass
class RoundFigures:
    """A round's figures for the chosen day and cumulative since stationing."""

    round: InspectionRound
    day: dt.date
    today: Figures
    total: Figures
    batches: list[dict]
    days: list[dict]

    @property
    def day_batches(self) -> list[dict]:
        return [b for b in self.batches if b["received_on"] == self.day]

    @property
    def batch_numbers(self) -> list[int]:
        return [b["number"] for b in self.batches if b["number"] is not None]


def round_figures(qs: QuerySet, *, rnd: InspectionRound, day: dt.date) -> RoundFigures:
    """The figures of ``rnd`` for ``day`` (the cases received that day) and cumulative from the day the
    round was stationed to ``day``; ``qs`` is the restricted case queryset."""
    mine = qs.filter(round=rnd)
    since = mine.filter(received_on__range=(rnd.stationed_on, day))
    return RoundFigures(
        round=rnd,
        day=day,
        today=figures(mine.filter(received_on=day)),
        total=figures(since),
        batches=by_batch(since),
        days=by_day(mine, rnd.stationed_on, day) if day >= rnd.stationed_on else [],
    )
