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
    # Thursday 31 Dec 2026 + 1 → Monday 4 Jan 2027: 元旦 is fixed by law even before the 2027 schedule
    # is published (an estimate all the same)
    assert cal.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
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
    assert not calendar.is_workday(new_year)  # loads and caches the (empty) overrides; 元旦 by law
    override = WorkdayOverride.objects.create(date=new_year, is_workday=True, note="调整")
    assert calendar.is_workday(new_year)
    assert calendar.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
    override.is_workday = False
    override.save()
    assert not calendar.is_workday(new_year) and not calendar.is_estimated(new_year)
    override.delete()
    assert not calendar.is_workday(new_year) and calendar.is_estimated(new_year)  # 元旦 by law, estimated


def test_overrides_are_read_from_the_database_once_while_cached(db, django_assert_num_queries):
    WorkdayOverrideFactory(date=D(2026, 2, 16), is_workday=True)
    with django_assert_num_queries(1):
        for _ in range(5):
            assert calendar.is_workday(D(2026, 2, 16))


# --- years without a published schedule: the statutory holidays fixed by law ------------------------------


def _festivals(year: int) -> dict[str, list[dt.date]]:
    by_name: dict[str, list[dt.date]] = {}
    for day, name in calendar.statutory_holidays(year).items():
        by_name.setdefault(name, []).append(day)
    return by_name


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_computed_statutory_day_is_a_holiday_in_the_published_schedule(year):
    """The computation against 国务院办公厅's published schedules (2025, 2026) as the package has them."""
    days = calendar.statutory_holidays(year)
    assert len([n for n in days.values() if "补假" not in n]) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3 days by law
    for day, name in days.items():
        assert chinese_calendar.is_holiday(day), (day, name)
        detail = chinese_calendar.get_holiday_detail(day)[1]
        assert detail is not None, (day, name)


def test_the_2026_statutory_days_are_the_ones_of_the_published_notice():
    # 国办发明电〔2025〕7号: 春节 除夕 2月16日 to 初三 2月19日 inside 2月15日–23日; 清明 4月5日 (Sunday, 补 6日);
    # 端午 6月19日; 中秋 9月25日; 国庆 10月1日–3日 (3日 a Saturday, 补 5日)
    f = _festivals(2026)
    assert f["元旦"] == [D(2026, 1, 1)]
    assert f["春节"] == [D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19)]
    assert f["清明节"] == [D(2026, 4, 5)] and f["清明节（补假）"] == [D(2026, 4, 6)]
    assert f["劳动节"] == [D(2026, 5, 1), D(2026, 5, 2)]
    assert f["端午节"] == [D(2026, 6, 19)]
    assert f["中秋节"] == [D(2026, 9, 25)]
    assert f["国庆节"] == [D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 3)]


def test_the_2025_lunar_festivals_and_qingming_are_computed():
    f = _festivals(2025)
    assert f["春节"] == [D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31)]  # 除夕 to 初三
    assert f["清明节"] == [D(2025, 4, 4)]
    assert f["端午节"] == [D(2025, 5, 31)] and f["端午节（补假）"] == [D(2025, 6, 2)]  # a Saturday
    assert f["中秋节"] == [D(2025, 10, 6)]


def test_2027_gets_the_statutory_holidays_but_no_invented_makeup_days():
    f = _festivals(2027)
    assert f["元旦"] == [D(2027, 1, 1)]
    # 除夕 is Friday 5 February 2027 (正月初一 Saturday 6 February): 初一 and 初二 fall on the weekend
    assert f["春节"] == [D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)]
    assert f["春节（补假）"] == [D(2027, 2, 9), D(2027, 2, 10)]
    assert f["清明节"] == [D(2027, 4, 5)]
    assert f["端午节"] == [D(2027, 6, 9)]
    assert f["中秋节"] == [D(2027, 9, 15)]
    assert f["国庆节"] == [D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)]
    cal = WorkCalendar()
    for day in calendar.statutory_holidays(2027):
        assert not cal.is_workday(day) and cal.is_estimated(day), day
    # no 调休: every Saturday and Sunday of 2027 stays a day off
    day = D(2027, 1, 1)
    while day.year == 2027:
        if day.weekday() >= 5:
            assert not cal.is_workday(day), day
        day += dt.timedelta(days=1)
    # 立行立改 (5 working days) given on 4 February 2027 skips the Spring Festival
    assert cal.add_workdays(D(2027, 2, 4), 5) == D(2027, 2, 17)


def test_a_festival_on_another_festivals_day_gives_a_day_in_lieu():
    days = calendar.statutory_holidays(2028)  # 中秋 is 3 October 2028, a 国庆 day
    assert D(2028, 10, 3) in days
    assert [d for d, n in days.items() if n.startswith(("国庆节", "中秋节"))] == [
        D(2028, 10, d) for d in (1, 2, 3, 4, 5)
    ]


def test_an_override_still_wins_over_the_statutory_estimate():
    cal = WorkCalendar({D(2027, 2, 10): True})
    assert cal.is_workday(D(2027, 2, 10)) and not cal.is_estimated(D(2027, 2, 10))


def test_years_outside_the_amended_law_get_no_statutory_estimate():
    assert calendar.statutory_holidays(2024) == {} and calendar.statutory_holidays(2100) == {}


def test_a_deadline_counted_into_an_unknown_year_is_estimated_unless_every_day_is_entered():
    cal = WorkCalendar()
    assert calendar.first_unknown_day() == D(2027, 1, 1)
    assert not cal.estimated_until(D(2026, 12, 31)) and not cal.estimated_until(None)
    assert cal.estimated_until(D(2027, 1, 1))
    entered = WorkCalendar({D(2027, 1, 1): False, D(2027, 1, 2): False})
    assert not entered.estimated_until(D(2027, 1, 2)) and entered.estimated_until(D(2027, 1, 3))
