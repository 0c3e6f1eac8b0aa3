"""Deadlines in working days on the Chinese calendar: holidays, 调休 make-up days, overrides, unknown years.

Dates are the State Council's 2026 schedule (国办发明电〔2025〕7号). Each test also checks that the
installed chinese-calendar says the same, so a disagreement shows up as a failure here, not as a wrong deadline.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoinspect.common import calendar
from ecoinspect.common.calendar import WorkCalendar
from ecoinspect.common.models import WorkdayOverride
from tests.factories import WorkdayOverrideFactory

D = dt.date
SPRING_FESTIVAL_2026 = [D(2026, 2, d) for d in range(15, 24)]  # Feb 15 (Sun) – Feb 23 (Mon)
SPRING_MAKEUP_2026 = [D(2026, 2, 14), D(2026, 2, 28)]  # Saturdays worked
MID_AUTUMN_2026 = [D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27)]
NATIONAL_DAY_2026 = [D(2026, 10, d) for d in range(1, 8)]
NATIONAL_MAKEUP_2026 = [D(2026, 9, 20), D(2026, 10, 10)]  # a Sunday and a Saturday worked


def test_the_installed_package_agrees_with_the_official_2026_schedule():
    for day in SPRING_FESTIVAL_2026 + MID_AUTUMN_2026 + NATIONAL_DAY_2026:
        assert chinese_calendar.is_holiday(day), day
    for day in SPRING_MAKEUP_2026 + NATIONAL_MAKEUP_2026:
        assert chinese_calendar.is_workday(day), day
    assert D(2026, 9, 20).weekday() == 6 and D(2026, 10, 10).weekday() == 5
    assert all(d.weekday() == 5 for d in SPRING_MAKEUP_2026)


def test_calendar_follows_the_package_on_every_day_of_2025_and_2026():
    cal = WorkCalendar()
    day = D(2025, 1, 1)
    while day <= D(2026, 12, 31):
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        assert not cal.is_estimated(day)
        day += dt.timedelta(days=1)


def test_spring_festival_holidays_are_days_off_and_makeup_saturdays_are_working_days():
    cal = WorkCalendar()
    assert not any(cal.is_workday(d) for d in SPRING_FESTIVAL_2026)
    assert all(cal.is_workday(d) for d in SPRING_MAKEUP_2026)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Friday → the make-up Saturday
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # the whole Spring Festival is skipped
        (D(2026, 2, 12), 5, D(2026, 2, 26)),  # 13, 14, 24, 25, 26
        (D(2026, 2, 20), 1, D(2026, 2, 24)),  # assigned during the holiday
        (D(2026, 2, 27), 1, D(2026, 2, 28)),  # Friday → the second make-up Saturday
        (D(2026, 2, 28), 1, D(2026, 3, 2)),  # then Sunday is off again
        (D(2026, 2, 24), -1, D(2026, 2, 14)),  # counting back over the holiday
        (D(2026, 2, 13), 0, D(2026, 2, 13)),
    ],
)
def test_adding_working_days_around_the_2026_spring_festival(start, n, due):
    assert WorkCalendar().add_workdays(start, n) == due


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # Friday → the make-up Sunday (Saturday 19th is off)
        (D(2026, 9, 24), 1, D(2026, 9, 28)),  # Mid-Autumn Fri–Sun skipped
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # National Day week skipped
        (D(2026, 10, 9), 1, D(2026, 10, 10)),  # Friday → the make-up Saturday
        (D(2026, 10, 10), 1, D(2026, 10, 12)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # 8, 9, 10
    ],
)
def test_adding_working_days_around_mid_autumn_and_national_day_2026(start, n, due):
    assert WorkCalendar().add_workdays(start, n) == due


def test_counting_working_days_between_dates_excludes_the_start_and_includes_the_end():
    cal = WorkCalendar()
    # (Feb 13, Feb 28]: 14, 24, 25, 26, 27, 28
    assert cal.workdays_between(D(2026, 2, 13), D(2026, 2, 28)) == 6
    # (Sep 18, Oct 11]: Sep 20, 21, 22, 23, 24, 28, 29, 30, Oct 8, 9, 10
    assert cal.workdays_between(D(2026, 9, 18), D(2026, 10, 11)) == 11
    assert cal.workdays_between(D(2026, 2, 28), D(2026, 2, 13)) == -6
    assert cal.workdays_between(D(2026, 2, 16), D(2026, 2, 16)) == 0
    assert cal.workdays_between(D(2026, 2, 14), D(2026, 2, 23)) == 0  # only holidays after the start


def test_next_workday_is_the_day_itself_or_the_first_working_day_after():
    cal = WorkCalendar()
    assert cal.next_workday(D(2026, 2, 14)) == D(2026, 2, 14)
    assert cal.next_workday(D(2026, 2, 15)) == D(2026, 2, 24)
    assert cal.next_workday(D(2026, 10, 1)) == D(2026, 10, 8)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 11, 30)),
    n=st.integers(min_value=0, max_value=20),
)
def test_counting_the_days_added_gives_the_same_number(start, n):
    cal = WorkCalendar()
    due = cal.add_workdays(start, n)
    assert cal.workdays_between(start, due) == n
    if n:
        assert due > start and cal.is_workday(due)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D(2025, 2, 1), max_value=D(2026, 12, 31)),
    n=st.integers(min_value=1, max_value=20),
)
def test_counting_back_then_forward_lands_on_the_first_working_day_from_the_start(start, n):
    cal = WorkCalendar()
    earlier = cal.add_workdays(start, -n)
    assert earlier < start and cal.is_workday(earlier)
    assert cal.add_workdays(earlier, n) == cal.next_workday(start)


def test_a_year_the_package_does_not_know_falls_back_to_monday_to_friday_and_says_so():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))
    cal = WorkCalendar()
    monday, saturday = D(2027, 1, 4), D(2027, 1, 9)
    assert cal.is_workday(monday) and not cal.is_workday(saturday)
    assert cal.is_estimated(monday) and cal.is_estimated(saturday)
    assert not cal.is_estimated(D(2026, 12, 31))
    # Thursday 31 Dec 2026 + 1 → Friday 1 Jan 2027 (an estimate: the 2027 holidays are not known yet)
    assert cal.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert cal.add_workdays(D(2027, 1, 8), 1) == D(2027, 1, 11)


def test_an_override_wins_over_the_package_and_over_the_estimate():
    cal = WorkCalendar({D(2026, 2, 16): True, D(2026, 2, 14): False, D(2027, 1, 1): False})
    assert cal.is_workday(D(2026, 2, 16))  # a holiday made a working day
    assert not cal.is_workday(D(2026, 2, 14))  # a make-up day cancelled
    assert not cal.is_workday(D(2027, 1, 1))
    assert not cal.is_estimated(D(2027, 1, 1))  # entered by the office: no longer a guess
    assert cal.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 16)
    assert cal.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_saved_overrides_reach_the_default_calendar_at_once(db):
    new_year = D(2027, 1, 1)
    assert calendar.is_workday(new_year)  # loads and caches the (empty) overrides
    override = WorkdayOverride.objects.create(date=new_year, is_workday=False, note="元旦")
    assert not calendar.is_workday(new_year)
    assert calendar.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    override.is_workday = True
    override.save()
    assert calendar.is_workday(new_year)
    override.delete()
    assert calendar.is_workday(new_year) and calendar.is_estimated(new_year)


def test_overrides_are_read_from_the_database_once_while_cached(db, django_assert_num_queries):
    WorkdayOverrideFactory(date=D(2026, 2, 16), is_workday=True)
    with django_assert_num_queries(1):
        for _ in range(5):
            assert calendar.is_workday(D(2026, 2, 16))
