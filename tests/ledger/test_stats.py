"""The leaders' district picture (stats.district_picture) against a small ledger counted by hand.

The twelve rows below are written directly: the statistics read columns, and every expected number in the
tests was counted from this table, not taken from the code's output.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecoinspect.ledger.models import Problem
from ecoinspect.ledger.selectors import problem_queryset
from ecoinspect.ledger.stats import district_picture
from tests.factories import ProblemFactory, recount_problems

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 15)  # a Thursday
TZ = ZoneInfo("Asia/Shanghai")
D = dt.date


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TZ)


# fmt: off
# (lead, status, source, types, key, deadline, progress, blue_on, yellow_on, paused, kind, registered, closed_at)
ROWS = [
    # 1 red: rectifying, deadline passed
    ("swj", "rectifying", "feedback", ["water"], True, D(2026, 10, 10), "on_schedule",
     None, None, None, "date", D(2026, 9, 1), None),
    # 2 yellow: 80 % of the time gone, not started
    ("swj", "rectifying", "petition", ["water", "air"], False, D(2026, 12, 31), "not_started",
     D(2026, 10, 1), D(2026, 10, 14), None, "date", D(2026, 9, 2), None),
    # 3 blue: reports behind schedule
    ("swj", "assigned", "self_inspection", ["water"], False, D(2026, 12, 31), "behind",
     D(2026, 11, 10), D(2026, 11, 30), None, "date", D(2026, 9, 3), None),
    # 4 closed on Monday 12 Oct at 01:00 Beijing time (still Sunday in UTC)
    ("swj", "closed", "feedback", ["water"], False, D(2026, 9, 30), "accepted_closed",
     None, None, None, "date", D(2026, 8, 1), _at(D(2026, 10, 12), 1)),
    # 5 in publicity
    ("swj", "publicity", "typical_case", ["water"], False, D(2026, 9, 30), "completed",
     None, None, None, "date", D(2026, 8, 5), None),
    # 6 red
    ("zjj", "rectifying", "petition", ["air", "noise"], False, D(2026, 10, 14), "not_started",
     None, None, None, "date", D(2026, 9, 20), None),
    # 7 past its deadline but the clock is paused: no warning
    ("zjj", "rectifying", "petition", ["air"], False, D(2026, 10, 14), "not_started",
     None, None, D(2026, 10, 1), "date", D(2026, 9, 21), None),
    # 8 past its deadline but acceptance requested: no warning
    ("zjj", "completed", "undercover", ["air"], False, D(2026, 10, 1), "completed",
     None, None, None, "date", D(2026, 9, 22), None),
    # 9 key, closed on Monday 5 Oct, registered before the trend's window
    ("zjj", "closed", "monitoring", ["noise"], True, D(2026, 9, 1), "accepted_closed",
     None, None, None, "date", D(2026, 7, 1), _at(D(2026, 10, 5), 15)),
    # 10 registered, not yet assigned
    ("jingtai", "registered", "enforcement", ["solid_waste"], False, None, "not_started",
     None, None, None, "date", D(2026, 10, 13), None),
    # 11 long-term, never reported: blue
    ("jingtai", "rectifying", "self_inspection", ["solid_waste", "water"], False, None, "on_schedule",
     None, None, None, "long_term", D(2026, 10, 14), None),
    # 12 no lead unit yet
    (None, "registered", "feedback", ["other"], False, None, "not_started",
     None, None, None, "date", D(2026, 10, 15), None),
]
# fmt: on


def _insert(rows, units, prefix="ST"):
    problems = []
    for i, row in enumerate(rows, start=1):
        (
            lead,
            status,
            source,
            types,
            key,
            deadline,
            progress,
            blue,
            yellow,
            paused,
            kind,
            registered,
            closed,
        ) = row
        problems.append(
            ProblemFactory.build(
                number=f"{prefix}-{i:05d}",
                title=f"【测试】统计样例 {i}",
                lead_unit=units[lead] if lead else None,
                status=status,
                source=source,
                problem_types=types,
                is_key=key,
                deadline=deadline,
                progress_status=progress,
                blue_on=blue,
                yellow_on=yellow,
                paused_at=paused,
                deadline_kind=kind,
                registered_on=registered,
                closed_at=closed,
                acceptance_unit=None,
            )
        )
    return Problem.objects.bulk_create(problems)


@pytest.fixture(params=["scan", "counts"])
def picture(request, structure, people):
    """The picture from the problems themselves (a unit's share is computed so) and from the maintained
    counts (the whole district's): every hand-counted figure below must come out of both."""
    _insert(ROWS, structure)
    if request.param == "counts":
        recount_problems()  # the rows were written directly, as a bulk load writes them
        return district_picture(None, today=TODAY)
    return district_picture(problem_queryset(user=people["leader"], today=TODAY), today=TODAY)


def _by_key(rows):
    return {r["key"]: r["count"] for r in rows}


def test_totals_and_rates(picture):
    totals = picture["totals"]
    assert (totals["total"], totals["open"], totals["done"], totals["closed"]) == (12, 6, 4, 2)
    assert (totals["overdue"], totals["key"]) == (2, 2)
    assert totals["completion_rate"] == 33.3  # 4 / 12
    assert totals["overdue_rate"] == 16.7  # 2 / 12


def test_counts_by_status_list_every_state_including_empty_ones(picture):
    assert _by_key(picture["by_status"]) == {
        "registered": 2,
        "assigned": 1,
        "rectifying": 5,
        "completed": 1,
        "accepting": 0,
        "accepted": 0,
        "publicity": 1,
        "closed": 2,
    }
    labels = {r["key"]: r["label"] for r in picture["by_status"]}
    assert labels["closed"] == "已销号"


def test_counts_by_source(picture):
    assert _by_key(picture["by_source"]) == {
        "typical_case": 1,
        "feedback": 3,
        "petition": 3,
        "self_inspection": 2,
        "undercover": 1,
        "monitoring": 1,
        "enforcement": 1,
    }


def test_a_problem_with_several_types_counts_once_under_each(picture):
    counts = _by_key(picture["by_type"])
    assert (counts["water"], counts["air"], counts["noise"], counts["solid_waste"], counts["other"]) == (
        6,
        4,
        2,
        2,
        1,
    )
    assert counts["ecology"] == counts["soil"] == counts["radiation"] == 0


def test_counts_by_warning_colour(picture):
    assert _by_key(picture["by_warning"]) == {"none": 7, "blue": 2, "yellow": 1, "red": 2}


def test_units_are_ranked_by_completion_then_overdue_rate(picture, structure):
    rows = [
        (
            r["rank"],
            r["unit_name"],
            r["total"],
            r["done"],
            r["closed"],
            r["open"],
            r["overdue"],
            r["yellow"],
            r["blue"],
        )
        for r in picture["by_unit"]
    ]
    assert rows == [
        (1, "区住建局", 4, 2, 1, 2, 1, 0, 0),
        (2, "区水务局", 5, 2, 1, 3, 1, 1, 1),
        (3, "景泰街道", 2, 0, 0, 1, 0, 0, 1),
        (4, "（未分派）", 1, 0, 0, 0, 0, 0, 0),
    ]
    zjj = picture["by_unit"][0]
    assert (zjj["completion_rate"], zjj["overdue_rate"]) == (50.0, 25.0)
    assert zjj["unit"] == structure["zjj"]


def test_the_weekly_trend_counts_registrations_and_closings_in_beijing_weeks(picture):
    trend = {row["week"]: (row["registered"], row["closed"]) for row in picture["trend"]}
    assert len(picture["trend"]) == 12
    assert min(trend) == D(2026, 7, 27) and max(trend) == D(2026, 10, 12)  # Mondays
    expected = {
        D(2026, 7, 27): (1, 0),
        D(2026, 8, 3): (1, 0),
        D(2026, 8, 31): (3, 0),
        D(2026, 9, 14): (1, 0),  # Sunday 20 Sep belongs to the week of 14 Sep
        D(2026, 9, 21): (2, 0),
        D(2026, 10, 5): (0, 1),
        D(2026, 10, 12): (3, 1),  # closed at 01:00 on Monday, Beijing time
    }
    assert {week: counts for week, counts in trend.items() if counts != (0, 0)} == expected


def test_a_unit_sees_its_own_share_with_the_same_code(structure, people):
    _insert(ROWS, structure)
    mine = district_picture(problem_queryset(user=people["water"], today=TODAY), today=TODAY)
    assert mine["totals"]["total"] == 5
    assert [r["unit_name"] for r in mine["by_unit"]] == ["区水务局"]


@pytest.mark.parametrize("counted", [False, True])
def test_an_empty_district_gives_zeros_not_errors(structure, people, counted):
    qs = None if counted else problem_queryset(user=people["leader"], today=TODAY)
    empty = district_picture(qs, today=TODAY)
    assert empty["totals"]["total"] == 0
    assert empty["totals"]["completion_rate"] == 0.0
    assert empty["by_unit"] == []
    assert all(r["count"] == 0 for r in empty["by_status"])


def test_the_query_count_does_not_grow_with_the_number_of_problems(
    structure, people, django_assert_max_num_queries
):
    _insert(ROWS, structure)
    leader = people["leader"]
    qs = problem_queryset(user=leader, today=TODAY)
    with CaptureQueriesContext(connection) as small:
        district_picture(qs, today=TODAY)

    # forty times as many problems, spread over every department, town and subdistrict
    units = [u for code, u in structure.items() if u.kind in ("department", "town", "subdistrict")]
    more = []
    for i in range(480):
        row = list(ROWS[i % len(ROWS)])
        row[0] = None
        more.append((tuple(row), units[i % len(units)]))
    created = _insert([r for r, _u in more], structure, prefix="MORE")
    for problem, (_row, unit) in zip(created, more):
        problem.lead_unit = unit
    Problem.objects.bulk_update(created, ["lead_unit"])

    qs = problem_queryset(user=leader, today=TODAY)
    with django_assert_max_num_queries(9), CaptureQueriesContext(connection) as large:
        picture = district_picture(qs, today=TODAY)

    assert picture["totals"]["total"] == 492
    assert len(units) == 36
    assert len(picture["by_unit"]) == 37  # every department, town and subdistrict, and the unassigned row
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_district_from_the_counts_reads_a_few_counts_whatever_the_number_of_problems(
    structure, people, django_assert_max_num_queries
):
    _insert(ROWS, structure)
    recount_problems()
    with CaptureQueriesContext(connection) as small:
        district_picture(None, today=TODAY)
    _insert(ROWS * 40, structure, prefix="MORE")
    recount_problems()
    with django_assert_max_num_queries(4), CaptureQueriesContext(connection) as large:
        picture = district_picture(None, today=TODAY)
    assert picture["totals"]["total"] == 12 * 41
    assert len(large.captured_queries) == len(small.captured_queries)
    assert all("ledger_problem\"" not in q["sql"] for q in large.captured_queries)  # no problem is read
