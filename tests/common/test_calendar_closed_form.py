"""Working-day arithmetic costs the same for a week or a century (issue #10: a deadline of 9999-12-31 held
SQLite's write lock for 119 s), and agrees with counting one day at a time — across the package's holidays
and 调休 make-up days, the computed statutory holidays after it, and overrides."""

from __future__ import annotations

import datetime as dt
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from ecoinspect.common.calendar import WorkCalendar


def stepwise_add(cal: WorkCalendar, start: dt.date, n: int) -> dt.date:
    step, remaining, day = (1 if n >= 0 else -1), abs(n), start
    while remaining:
        day += dt.timedelta(days=step)
        remaining -= cal.is_workday(day)
    return day


def stepwise_between(cal: WorkCalendar, start: dt.date, end: dt.date) -> int:
    lo, hi = min(start, end), max(start, end)
    count = sum(cal.is_workday(lo + dt.timedelta(d)) for d in range(1, (hi - lo).days + 1))
    return count if end >= start else -count


def stepwise_estimated(cal: WorkCalendar, a: dt.date, b: dt.date) -> bool:
    lo, hi = min(a, b), max(a, b)
    return any(cal.is_estimated(lo + dt.timedelta(d)) for d in range((hi - lo).days + 1))


days = st.dates(dt.date(2001, 1, 1), dt.date(2035, 12, 31))
overrides = st.dictionaries(st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)), st.booleans(), max_size=12)


@settings(max_examples=150, deadline=None)
@given(start=days, n=st.integers(-800, 800), extra=overrides)
def test_add_workdays_agrees_with_counting_day_by_day(start, n, extra):
    cal = WorkCalendar(extra)
    due = cal.add_workdays(start, n)
    assert due == stepwise_add(cal, start, n)
    if n >= 0 or cal.is_workday(start):
        assert cal.workdays_between(start, due) == n


@settings(max_examples=150, deadline=None)
@given(a=days, b=days, extra=overrides)
def test_workdays_between_and_estimates_agree_with_counting_day_by_day(a, b, extra):
    cal = WorkCalendar(extra)
    assert cal.workdays_between(a, b) == stepwise_between(cal, a, b)
    assert cal.estimated_between(a, b) == stepwise_estimated(cal, a, b)


def test_holidays_and_make_up_days_are_counted():
    cal = WorkCalendar()
    # 2024 National Day: 1–7 October off, Sunday 29 September and Saturday 12 October worked (调休)
    assert cal.add_workdays(dt.date(2024, 9, 28), 1) == dt.date(2024, 9, 29)
    assert cal.add_workdays(dt.date(2024, 9, 30), 1) == dt.date(2024, 10, 8)
    assert cal.workdays_between(dt.date(2024, 9, 27), dt.date(2024, 10, 12)) == 7  # 29 Sep, 30 Sep, 8–11 Oct, 12 Oct
    # an override turning a computed statutory holiday (2030 元旦) back into a working day
    assert WorkCalendar({dt.date(2030, 1, 1): True}).add_workdays(dt.date(2029, 12, 31), 1) == dt.date(2030, 1, 1)


def test_far_distances_answer_in_milliseconds():
    cal = WorkCalendar({dt.date(2026, 5, 9): True})
    began = time.perf_counter()
    due = cal.add_workdays(dt.date(2026, 1, 1), 100_000)
    back = cal.add_workdays(due, -100_000)
    between = cal.workdays_between(dt.date(2000, 1, 1), dt.date(9999, 12, 31))
    estimated = cal.estimated_between(dt.date(2026, 1, 1), dt.date(9999, 12, 31))
    elapsed = time.perf_counter() - began
    assert cal.workdays_between(dt.date(2026, 1, 1), due) == 100_000
    assert back <= dt.date(2026, 1, 1) and between > 2_000_000 and estimated
    assert elapsed < 0.05, elapsed
