"""Deadlines in working days and the blue / yellow / red warnings (贴蓝签、挂黄牌、亮红灯), DESIGN.md §4.6.

The rule (fractions configurable in settings ``LEDGER_WARNING_RULE``):

* the clock runs in working days from assignment to the deadline;
* **蓝签 blue** — half of that time has gone and the unit still reports 尚未启动 or 未达时序进度,
  or it reports 未达时序进度 at any time; for 长期坚持 items: no progress report for
  ``long_term_report_days`` calendar days;
* **黄牌 yellow** — 80 % of the time has gone and progress is still 尚未启动 / 未达时序进度;
* **红灯 red** — the deadline has passed and the unit has not finished (not yet requested acceptance);
* a paused clock (暂停计时) shows no warning.

The two milestone dates are computed once with the Chinese working-day calendar when the deadline is set
(they cannot be computed in SQL) and stored; the colour itself is computed in SQL against today's date, so
lists can filter and count by colour without touching Python per row.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db.models import Case, CharField, Q, Value, When

from ecoinspect.common.calendar import WorkCalendar, default_calendar

from .choices import OPEN_STATES, DeadlineKind, ProgressStatus, WarningLevel

DEFAULT_RULE = {"blue": 0.5, "yellow": 0.8, "long_term_report_days": 31, "immediate_workdays": 5}
LAGGING = (ProgressStatus.NOT_STARTED, ProgressStatus.BEHIND)


def rule() -> dict:
    return {**DEFAULT_RULE, **getattr(settings, "LEDGER_WARNING_RULE", {})}


def milestones(
    start: dt.date, deadline: dt.date | None, calendar: WorkCalendar | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """(blue_on, yellow_on): the working days on which half and 80 % of the time from ``start`` have gone."""
    if deadline is None:
        return None, None
    cal = calendar or default_calendar()
    total = max(cal.workdays_between(start, deadline), 0)
    r = rule()
    return cal.add_workdays(start, math.ceil(total * r["blue"])), cal.add_workdays(
        start, math.ceil(total * r["yellow"])
    )


def immediate_deadline(start: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
    """立行立改: done within a few working days (``immediate_workdays``, default 5)."""
    return (calendar or default_calendar()).add_workdays(start, rule()["immediate_workdays"])


def deadline_estimated(problem, calendar: WorkCalendar | None = None) -> bool:
    """True when the problem's deadline is counted into days whose holiday schedule is not published yet
    (the calendar estimates them: statutory holidays and Monday–Friday) — the deadline, its blue and
    yellow days and the working days left are then an estimate. Works on a Problem or any row with
    ``deadline_kind`` and ``deadline``."""
    if problem.deadline_kind == DeadlineKind.LONG_TERM or problem.deadline is None:
        return False
    return (calendar or default_calendar()).estimated_until(problem.deadline)


def estimate_note() -> str:
    """The explanation that goes with the 预估 marker."""
    from django.utils.translation import gettext as _

    return _("所涉年份的放假安排尚未公布，按法定节假日和周一至周五推算，公布后可能调整")


def warning_expression(today: dt.date) -> Case:
    """The warning colour as an SQL expression, for ``annotate(warning=...)``, filters and counts."""
    running = Q(status__in=OPEN_STATES, paused_at__isnull=True)
    dated = running & ~Q(deadline_kind=DeadlineKind.LONG_TERM)
    long_term = running & Q(deadline_kind=DeadlineKind.LONG_TERM)
    stale_since = today - dt.timedelta(days=rule()["long_term_report_days"])
    return Case(
        When(dated & Q(deadline__lt=today), then=Value(WarningLevel.RED)),
        When(dated & Q(yellow_on__lte=today, progress_status__in=LAGGING), then=Value(WarningLevel.YELLOW)),
        When(
            dated
            & (Q(blue_on__lte=today, progress_status__in=LAGGING) | Q(progress_status=ProgressStatus.BEHIND)),
            then=Value(WarningLevel.BLUE),
        ),
        When(
            long_term & (Q(last_reported_on__isnull=True) | Q(last_reported_on__lt=stale_since)),
            then=Value(WarningLevel.BLUE),
        ),
        default=Value(WarningLevel.NONE),
        output_field=CharField(),
    )


def warning_for(problem, today: dt.date) -> str:
    """The same rule for one problem in Python (detail pages, digests); must agree with the SQL form."""
    if problem.status not in OPEN_STATES or problem.paused_at is not None:
        return WarningLevel.NONE
    lagging = problem.progress_status in LAGGING
    if problem.deadline_kind == DeadlineKind.LONG_TERM:
        stale_since = today - dt.timedelta(days=rule()["long_term_report_days"])
        stale = problem.last_reported_on is None or problem.last_reported_on < stale_since
        return WarningLevel.BLUE if stale else WarningLevel.NONE
    if problem.deadline is not None and problem.deadline < today:
        return WarningLevel.RED
    if problem.yellow_on is not None and problem.yellow_on <= today and lagging:
        return WarningLevel.YELLOW
    if (
        problem.blue_on is not None and problem.blue_on <= today and lagging
    ) or problem.progress_status == ProgressStatus.BEHIND:
        return WarningLevel.BLUE
    return WarningLevel.NONE


#: "From always" in a warning schedule (a colour shown whatever the day).
ALWAYS = dt.date(1, 1, 1)


def _earliest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _after(day: dt.date, days: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:  # a date at the end of the calendar: never reached
        return None


def warning_schedule(
    *, status, paused_at, deadline_kind, deadline, blue_on, yellow_on, progress_status, last_reported_on
) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """The same rule as the days it takes effect: (blue, yellow, red) — the first day on which the problem
    shows at least that colour as long as nothing is written to it (None: never; :data:`ALWAYS`: whatever
    the day). The days never decrease (blue ≤ yellow ≤ red), so on day ``t`` the colour is the highest
    whose day is ≤ ``t``: exactly :func:`warning_for` and :func:`warning_expression` on that day. The
    maintained counts (``tallies``) count problems by these days, so that the colours of every day can
    be summed without reading the problems."""
    if status not in OPEN_STATES or paused_at is not None:
        return None, None, None
    if deadline_kind == DeadlineKind.LONG_TERM:
        if last_reported_on is None:
            return ALWAYS, None, None
        return _after(last_reported_on, rule()["long_term_report_days"] + 1), None, None
    lagging = progress_status in LAGGING
    red = _after(deadline, 1) if deadline is not None else None
    yellow = _earliest(yellow_on if lagging else None, red)
    blue = ALWAYS if progress_status == ProgressStatus.BEHIND else blue_on if lagging else None
    return _earliest(blue, yellow), yellow, red


def warning_on(schedule: tuple, today: dt.date) -> str:
    """The colour a :func:`warning_schedule` gives on ``today``."""
    blue, yellow, red = schedule
    for level, since in ((WarningLevel.RED, red), (WarningLevel.YELLOW, yellow), (WarningLevel.BLUE, blue)):
        if since is not None and since <= today:
            return level
    return WarningLevel.NONE
