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

import bisect
import datetime as dt
import functools
import itertools
import threading
import time
from collections.abc import Mapping

import chinese_calendar
from lunardate import LunarDate

_CACHE_SECONDS = 60

#: The range of a date a person enters (a deadline, a registration or report date, a calculator's start):
#: nothing in the inspection work is older, and a date further ahead is a typing mistake (9999-12-31) —
#: refused with a clear message by the pages, the API (core.api.read_body) and the imports (import_cells).
EARLIEST_ENTERED_DATE = dt.date(2000, 1, 1)
YEARS_AHEAD = 20


def entered_date_bounds(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(earliest, latest) date a person may enter: 2000-01-01 … today + 20 years."""
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    try:
        latest = today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + YEARS_AHEAD, day=28)
    return EARLIEST_ENTERED_DATE, latest


def entered_date_problem(value: dt.date) -> str | None:
    """The message for a date outside :func:`entered_date_bounds`, or None when it is inside."""
    from django.utils.translation import gettext as _

    if isinstance(value, dt.datetime):
        value = value.date()
    earliest, latest = entered_date_bounds()
    if earliest <= value <= latest:
        return None
    return _("日期 %(d)s 超出允许范围（%(lo)s 至 %(hi)s），请检查。") % {
        "d": value.isoformat(), "lo": earliest.isoformat(), "hi": latest.isoformat()}


def check_entered_dates(**dates: dt.date | None) -> None:
    """For services: a ServiceError naming every field whose date is outside the range (None passes; an
    ISO string, as the ORM takes for a date field, is read as the date it names)."""
    from .errors import ServiceError

    dates = {name: dt.date.fromisoformat(v) if isinstance(v, str) else v for name, v in dates.items()}

    problems = {name: [p] for name, value in dates.items() if value is not None and (p := entered_date_problem(value))}
    if problems:
        raise ServiceError(problems)


def validate_entered_date(value: dt.date | None) -> None:
    """A Django validator: ValidationError for a date outside :func:`entered_date_bounds`."""
    from django.core.exceptions import ValidationError

    problem = None if value is None else entered_date_problem(value)
    if problem:
        raise ValidationError(problem, code="date_out_of_range")
_lock = threading.Lock()
_cached: tuple[float, WorkCalendar] | None = None


def _package_knows(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def first_unknown_day() -> dt.date:
    """1 January of the first year after 2004 that the installed ``chinesecalendar`` does not know."""
    year = 2004
    while _package_knows(dt.date(year, 12, 31)):
        year += 1
    return dt.date(year, 1, 1)


@functools.lru_cache(maxsize=1)
def _first_known_day() -> dt.date:
    """1 January of the first year the installed ``chinesecalendar`` knows."""
    from chinese_calendar import constants

    return dt.date(min(constants.holidays).year, 1, 1)


#: The years under the 2024 amendment of 《全国年节及纪念日放假办法》 (in force 1 January 2025) that the
#: computation can reach: ``lunardate`` knows the lunar calendar up to 2099.
STATUTORY_FROM, STATUTORY_UNTIL = 2025, 2099


@functools.cache
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The days off fixed by 国务院《全国年节及纪念日放假办法》 (as amended 2024) in ``year``, with the
    festival's name — computed, not typed in:

    * 元旦 1 January; 劳动节 1–2 May; 国庆节 1–3 October;
    * 春节 4 days, 除夕 (the day before 正月初一) to 正月初三; 端午节 五月初五; 中秋节 八月十五 — from the
      lunar calendar (``lunardate``);
    * 清明节 — the day of the Qingming solar term (``chinesecalendar``'s solar terms);
    * 补假 (第六条): a festival day on a Saturday or Sunday, or on another festival's day, gives the next
      Monday–Friday that is not already a day off. This is the law's own rule; the yearly 调休 (weekend
      days worked to join holidays together) is not — it is announced each year and not guessed here.
    """
    if not STATUTORY_FROM <= year <= STATUTORY_UNTIL:
        return {}
    new_year = LunarDate(year, 1, 1).to_solar_date()
    (qingming,) = [
        d
        for d, name in chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 30))
        if name == "清明"
    ]
    festivals = [
        (dt.date(year, 1, 1), "元旦"),
        *((new_year + dt.timedelta(days=n), "春节") for n in range(-1, 3)),
        (qingming, "清明节"),
        (dt.date(year, 5, 1), "劳动节"),
        (dt.date(year, 5, 2), "劳动节"),
        (LunarDate(year, 5, 5).to_solar_date(), "端午节"),
        (LunarDate(year, 8, 15).to_solar_date(), "中秋节"),
        *((dt.date(year, 10, d), "国庆节") for d in (1, 2, 3)),
    ]
    days: dict[dt.date, str] = {}
    in_lieu: list[tuple[dt.date, str]] = []
    for day, name in sorted(festivals):
        if day in days or day.weekday() >= 5:
            in_lieu.append((day, name))
        if day not in days:
            days[day] = name
    for day, name in in_lieu:
        while day in days or day.weekday() >= 5:
            day += dt.timedelta(days=1)
        days[day] = f"{name}（补假）"
    return dict(sorted(days.items()))


def _weekdays_through(ordinal: int) -> int:
    """Monday–Friday days from 0001-01-01 (a Monday, ordinal 1) through ``ordinal``, in closed form."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


@functools.lru_cache(maxsize=1)
def _published_exceptions() -> dict[int, int]:
    """ordinal → +1 / −1 for every day whose status differs from Monday–Friday without overrides: the
    package's holidays on weekdays and 调休 make-up days on weekends, then the statutory holidays computed
    for the years the package does not know (up to STATUTORY_UNTIL)."""
    from chinese_calendar import constants

    found: dict[int, int] = {}
    for day in itertools.chain(constants.holidays, constants.workdays):
        delta = int(chinese_calendar.is_workday(day)) - int(day.weekday() < 5)
        if delta:
            found[day.toordinal()] = delta
    for year in range(max(first_unknown_day().year, STATUTORY_FROM), STATUTORY_UNTIL + 1):
        for day in statutory_holidays(year):
            if day.weekday() < 5:
                found[day.toordinal()] = -1
    return found


class WorkCalendar:
    """A working-day calendar with explicit overrides; pure and cheap to copy into a loop.

    ``add_workdays`` and ``workdays_between`` cost the same for a week or a century: Monday–Friday is
    counted in closed form, and the days that differ from it (holidays on weekdays, 调休 make-up days,
    overrides) are counted by bisection on one sorted list with running sums.
    """

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None):
        self.overrides = dict(overrides or {})
        self._table: tuple[list[int], list[int]] | None = None

    def _exceptions(self) -> tuple[list[int], list[int]]:
        """(sorted ordinals of the days that differ from Monday–Friday, running sum of their ±1)."""
        if self._table is None:
            merged = dict(_published_exceptions())
            for day, working in self.overrides.items():
                delta = int(working) - int(day.weekday() < 5)
                if delta:
                    merged[day.toordinal()] = delta
                else:
                    merged.pop(day.toordinal(), None)
            ordinals = sorted(merged)
            self._table = (ordinals, list(itertools.accumulate(merged[o] for o in ordinals)))
        return self._table

    def _workdays_through(self, ordinal: int) -> int:
        """Working days from 0001-01-01 through ``ordinal`` (a non-decreasing step function)."""
        ordinals, sums = self._exceptions()
        i = bisect.bisect_right(ordinals, ordinal)
        return _weekdays_through(ordinal) + (sums[i - 1] if i else 0)

    def _kth_workday(self, k: int) -> dt.date:
        """The k-th working day counted from 0001-01-01: the first ordinal whose count reaches k."""
        lo, hi = 1, dt.date.max.toordinal()
        if k < 1 or self._workdays_through(hi) < k:
            raise OverflowError("working-day count out of the calendar's range")
        while lo < hi:
            mid = (lo + hi) // 2
            if self._workdays_through(mid) >= k:
                hi = mid
            else:
                lo = mid + 1
        return dt.date.fromordinal(lo)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5 and day not in statutory_holidays(day.year)

    def is_estimated(self, day: dt.date) -> bool:
        """True when neither the package nor an override knows the day: the statutory holidays and
        Monday–Friday were assumed."""
        return day not in self.overrides and not _package_knows(day)

    def estimated_until(self, end: dt.date | None) -> bool:
        """True when a day up to ``end`` is an estimate — a deadline counted up to ``end`` from a known day
        (any day before the first year the package does not know) depends on an unpublished schedule."""
        if end is None:
            return False
        return self._unknown_days_left(first_unknown_day(), end)

    def estimated_between(self, lo: dt.date, hi: dt.date) -> bool:
        """True when a day in [lo, hi] is an estimate (``is_estimated``), whatever the distance."""
        lo, hi = min(lo, hi), max(lo, hi)
        known_from = _first_known_day()
        before = hi if hi < known_from else known_from - dt.timedelta(days=1)
        return (lo < known_from and self._unknown_days_left(lo, before)) or self._unknown_days_left(
            max(lo, first_unknown_day()), hi)

    def _unknown_days_left(self, lo: dt.date, hi: dt.date) -> bool:
        """True when a day in [lo, hi] (a stretch the package does not know) has no override."""
        if hi < lo:
            return False
        days = sorted(d.toordinal() for d in self.overrides)
        covered = bisect.bisect_right(days, hi.toordinal()) - bisect.bisect_left(days, lo.toordinal())
        return covered < (hi - lo).days + 1

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (n > 0), or before it (n < 0); n == 0 returns ``start``.
        OverflowError past the years ``datetime.date`` holds."""
        if n == 0:
            return start
        if n > 0:
            return self._kth_workday(self._workdays_through(start.toordinal()) + n)
        return self._kth_workday(self._workdays_through(start.toordinal() - 1) + n + 1)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        return self._workdays_through(end.toordinal()) - self._workdays_through(start.toordinal())

    def rest_day_reason(self, day: dt.date) -> str:
        """Why ``day`` is a day off: the holiday's name, else the weekday (in the active language)."""
        from django.utils.formats import date_format

        if day not in self.overrides:
            try:
                on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
            except NotImplementedError:
                name = statutory_holidays(day.year).get(day)
                if name:
                    return name
            else:
                if on_holiday and holiday is not None:
                    return chinese_calendar.Holiday(holiday).chinese
        return date_format(day, "l")

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, otherwise the first working day after it."""
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day


def _load_overrides() -> dict[dt.date, bool]:
    from .models import WorkdayOverride

    return dict(WorkdayOverride.objects.values_list("date", "is_workday"))


def default_calendar() -> WorkCalendar:
    """The calendar with the database's overrides, cached in-process for a minute — one instance, shared:
    a list asks it for every row, and each new instance would sort its table of exceptions again."""
    global _cached
    with _lock:
        if _cached is None or time.monotonic() - _cached[0] > _CACHE_SECONDS:
            _cached = (time.monotonic(), WorkCalendar(_load_overrides()))
        return _cached[1]


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
