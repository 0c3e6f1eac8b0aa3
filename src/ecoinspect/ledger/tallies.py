"""The maintained counts of problems (``core.tallies``): what the dashboard and a unit's list show at a
glance, read from a few hundred counts instead of grouping a million problems.

Each problem counts, for its lead unit (role ``lead``; scope 0 when it has none) and for each cooperating
unit that does not lead it (role ``coop``), in these buckets:

* ``status`` — key ``status|source|is_key``: the dashboard's totals, states, sources, key problems and unit
  ranking, and a unit's open / closed counts;
* ``types`` (lead only) — key: the stored type list (``,air,water,``), for the problems by type;
* ``registered`` / ``closed`` (lead only) — on: the day registered / the local day closed, for the weekly
  trend;
* ``blue`` / ``yellow`` / ``red`` — the days from which the problem shows at least that colour
  (``deadlines.warning_schedule``): once with on = :data:`TOTAL` (the last day of the calendar) and once
  on that day, unless it is shown whatever the day. The problems showing at least a colour on day ``t``
  are the total minus those whose day is after ``t``: one range of the index (``on > t``) holds both — the
  days still to come and the totals — so the problems are never read, and the colours need no nightly
  job.

Kept right by every save of a problem (``Problem.save``) and by the services that change cooperating units
or write in bulk (``PROBLEM_TALLY.tracking``); checked and repaired by ``ecoinspect ledger recount``.
Changing ``LEDGER_WARNING_RULE["long_term_report_days"]`` changes the days: run the recount with
``--repair`` after it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, Sum, When
from django.utils import timezone

from ecoinspect.common.fields import MultiChoiceField
from ecoinspect.core.tallies import EVER, Bucket, Tally

from .choices import OPEN_STATES, ProblemStatus, WarningLevel
from .deadlines import ALWAYS, warning_schedule
from .models import Problem, ProblemTally

LEAD, COOPERATING = "lead", "coop"
STATUS, TYPES, REGISTERED, CLOSED = "status", "types", "registered", "closed"
LEVELS = (WarningLevel.BLUE, WarningLevel.YELLOW, WarningLevel.RED)
#: ``on`` of a colour's total (after every day a colour can start on).
TOTAL = dt.date.max

FIELDS = (
    "lead_unit_id",
    "status",
    "source",
    "is_key",
    "problem_types",
    "deadline_kind",
    "deadline",
    "blue_on",
    "yellow_on",
    "paused_at",
    "progress_status",
    "last_reported_on",
    "registered_on",
    "closed_at",
)
SCHEDULE_FIELDS = (
    "status",
    "paused_at",
    "deadline_kind",
    "deadline",
    "blue_on",
    "yellow_on",
    "progress_status",
    "last_reported_on",
)


def status_key(status: str, source: str, is_key: bool) -> str:
    return f"{status}|{source}|{int(bool(is_key))}"


def _local_day(moment: dt.datetime) -> dt.date:
    """The day in the district's time zone (settings.TIME_ZONE), as the dashboard's weeks are cut."""
    if timezone.is_naive(moment):
        return moment.date()
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def problem_buckets(values: dict) -> Iterator[Bucket]:
    """The buckets one problem counts in (``values``: the columns of :data:`FIELDS` and its cooperating
    units' keys)."""
    lead = values["lead_unit_id"] or 0
    status = status_key(values["status"], values["source"], values["is_key"])
    schedule = warning_schedule(**{name: values[name] for name in SCHEDULE_FIELDS})
    warnings = []
    for level, since in zip(LEVELS, schedule, strict=True):
        if since is not None and since < TOTAL:
            warnings.append((level, "", TOTAL))
            if since != ALWAYS:
                warnings.append((level, "", since))
    types = MultiChoiceField.encode(MultiChoiceField.decode(values["problem_types"]))
    yield lead, LEAD, STATUS, status, EVER
    yield lead, LEAD, TYPES, types, EVER
    yield lead, LEAD, REGISTERED, "", values["registered_on"]
    if values["closed_at"] is not None:
        yield lead, LEAD, CLOSED, "", _local_day(values["closed_at"])
    for kind, key, on in warnings:
        yield lead, LEAD, kind, key, on
    for unit in values["cooperating_units"]:
        if unit != lead:
            yield unit, COOPERATING, STATUS, status, EVER
            for kind, key, on in warnings:
                yield unit, COOPERATING, kind, key, on


PROBLEM_TALLY = Tally(
    name="ledger.problem",
    model=Problem,
    counts=ProblemTally,
    fields=FIELDS,
    relations=("cooperating_units",),
    buckets=problem_buckets,
)


# --- reading them -------------------------------------------------------------------------------------------


def _warnings_on(today: dt.date) -> Q:
    """The warning buckets that say how many problems show a colour on ``today``: the days still to come
    and, after them, the totals."""
    return Q(kind__in=LEVELS, on__gt=today)


def _signed_n() -> Sum:
    """A colour's day still to come is taken off its total; every other count counts."""
    return Sum(
        Case(When(kind__in=LEVELS, on__lt=TOTAL, then=-F("n")), default=F("n"), output_field=IntegerField())
    )


def _colours(at_least: dict) -> dict:
    """Problems showing exactly each colour, from those showing at least it (red ⊂ yellow ⊂ blue)."""
    red = at_least.get(WarningLevel.RED, 0)
    yellow = at_least.get(WarningLevel.YELLOW, 0)
    return {
        WarningLevel.RED: red,
        WarningLevel.YELLOW: yellow - red,
        WarningLevel.BLUE: at_least.get(WarningLevel.BLUE, 0) - yellow,
    }


@dataclass(frozen=True)
class DistrictCounts:
    """What ``stats.district_picture`` reads, from the counts: ``plain`` (lead unit, status, source, key, n),
    ``colours`` (lead unit, colour, n) of the warned problems, ``types`` (stored type list → n) and the
    ``registered`` / ``closed`` problems per day of the trend's weeks."""

    plain: list[tuple[int | None, str, str, bool, int]]
    colours: list[tuple[int | None, str, int]]
    types: dict[str, int]
    registered: dict[dt.date, int]
    closed: dict[dt.date, int]


def district_counts(*, today: dt.date, since: dt.date, until: dt.date) -> DistrictCounts:
    """The district's counts on ``today``, with the trend's days in [``since``, ``until``): three reads of
    the counts table, whatever the number of problems."""
    rows = ProblemTally.objects.filter(role=LEAD).exclude(n=0)
    plain, types = [], {}
    for unit, kind, key, n in rows.filter(kind__in=(STATUS, TYPES)).values_list("scope", "kind", "key", "n"):
        if kind == TYPES:
            types[key] = types.get(key, 0) + n
        else:
            status, source, is_key = key.split("|")
            plain.append((unit or None, status, source, is_key == "1", n))
    at_least: dict = {}
    warned = (
        rows.filter(_warnings_on(today)).values_list("scope", "kind").annotate(total=_signed_n()).order_by()
    )
    for unit, level, n in warned:
        at_least.setdefault(unit or None, {})[level] = n
    colours = [
        (unit, level, n) for unit, levels in at_least.items() for level, n in _colours(levels).items() if n
    ]
    days = {REGISTERED: Counter(), CLOSED: Counter()}
    trend = rows.filter(kind__in=(REGISTERED, CLOSED), on__gte=since, on__lt=until)
    for kind, on, n in trend.values_list("kind", "on").annotate(total=Sum("n")).order_by():
        days[kind][on] += n
    return DistrictCounts(plain, colours, types, dict(days[REGISTERED]), dict(days[CLOSED]))


def cooperating_totals() -> dict[int, int]:
    """Per unit, the problems it co-handles and does not lead: one read."""
    rows = (
        ProblemTally.objects.filter(role=COOPERATING, kind=STATUS)
        .values_list("scope")
        .annotate(total=Sum("n"))
    )
    return {unit: n for unit, n in rows.order_by() if n}


def unit_counts(unit, *, today: dt.date) -> dict:
    """A unit's list at a glance (``selectors.unit_queue_counts``) from the counts: one read."""
    counts = dict.fromkeys(("lead", "cooperating", "open", "red", "yellow", "blue", "closed"), 0)
    rows = (
        ProblemTally.objects.filter(scope=unit.pk)
        .filter(Q(kind=STATUS) | _warnings_on(today))
        .values_list("role", "kind", "key")
        .annotate(total=_signed_n())
        .order_by()
    )
    at_least: dict = {}
    for role, kind, key, n in rows:
        if kind != STATUS:
            at_least[kind] = at_least.get(kind, 0) + n
            continue
        status = key.split("|", 1)[0]
        counts["lead" if role == LEAD else "cooperating"] += n
        if status in OPEN_STATES:
            counts["open"] += n
        if status == ProblemStatus.CLOSED:
            counts["closed"] += n
    for level, n in _colours(at_least).items():
        counts[level] += n
    return counts


def describe_bucket(bucket) -> str:
    """A bucket in words, for ``ecoinspect ledger recount``."""
    from django.utils.translation import gettext as _

    from ecoinspect.common.choices import ProblemType
    from ecoinspect.orgs.models import Unit

    from .choices import ProblemSource

    scope, role, kind, key, on = bucket
    unit = Unit.objects.filter(pk=scope).first() if scope else None
    name = str(unit) if unit else _("未分派")
    how = _("牵头") if role == LEAD else _("配合")
    who = f"{name}（{how}）"
    if kind == STATUS:
        status, source, is_key = key.split("|")
        what = _("状态“%(status)s”、来源“%(source)s”%(key)s") % {
            "status": ProblemStatus.label(status),
            "source": ProblemSource.label(source),
            "key": _("、重点问题") if is_key == "1" else "",
        }
    elif kind == TYPES:
        labels = "、".join(ProblemType.text(t) for t in MultiChoiceField.decode(key))
        what = _("问题类型“%(types)s”") % {"types": labels or _("未填")}
    elif kind == REGISTERED:
        what = _("%(day)s 登记") % {"day": on}
    elif kind == CLOSED:
        what = _("%(day)s 销号") % {"day": on}
    elif on == TOTAL:
        what = _("%(level)s（合计）") % {"level": WarningLevel.label(kind)}
    else:
        what = _("%(day)s 起%(level)s") % {"day": on, "level": WarningLevel.label(kind)}
    return f"{who} {what}"
