"""Working days on the Chinese calendar: statutory holidays and 调休 make-up working days.

Deadlines in the inspection are counted in working days (DESIGN.md §4.6). The official schedule comes
from ``chinesecalendar``; :class:`~ecoinspect.common.models.WorkdayOverride` rows win over it, and for years
the package does not cover yet the calendar falls back to Monday–Friday and says so (``is_estimated``).

Counting convention (the one used in 交办 deadlines): ``add_workdays(d, n)`` is the n-th working day
*after* d — the day of assignment itself does not count; ``workdays_between(a, b)`` counts the working days
in (a, b], so ``workdays_between(d, add_workdays(d, n)) == n`` for n ≥ 0 (for n < 0 it holds when d itself
is a working day).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Mapping

import chinese_calendar

_CACHE_SECONDS = 60
_lock = threading.Lock()
_cached: tuple[float, dict[dt.date, bool]] | None = None


def _package_knows(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """A working-day calendar with explicit overrides; pure and cheap to copy into a loop."""

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None):
        self.overrides = dict(overrides or {})

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5

    def is_estimated(self, day: dt.date) -> bool:
        """True when neither the package nor an override knows the day: Monday–Friday was assumed."""
        return day not in self.overrides and not _package_knows(day)

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (n > 0), or before it (n < 0); n == 0 returns ``start``."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = start
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if end == start:
            return 0
        if end < start:
            return -self.workdays_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, otherwise the first working day after it."""
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day


def _load_overrides() -> dict[dt.date, bool]:
    from .models import WorkdayOverride

    return dict(WorkdayOverride.objects.values_list("date", "is_workday"))


def default_calendar() -> WorkCalendar:
    """The calendar with the database's overrides, cached in-process for a minute."""
    global _cached
    with _lock:
        if _cached is None or time.monotonic() - _cached[0] > _CACHE_SECONDS:
            _cached = (time.monotonic(), _load_overrides())
        return WorkCalendar(_cached[1])


def invalidate_cache() -> None:
    global _cached
    with _lock:
        _cached = None


def is_workday(day: dt.date) -> bool:
    return default_calendar().is_workday(day)


def add_workdays(start: dt.date, n: int) -> dt.date:
    return default_calendar().add_workdays(start, n)


def workdays_between(start: dt.date, end: dt.date) -> int:
    return default_calendar().workdays_between(start, end)


def is_estimated(day: dt.date) -> bool:
    return default_calendar().is_estimated(day)
