"""The blue / yellow / red warnings (贴蓝签、挂黄牌、亮红灯): the SQL rule that lists filter and count by
(``warning_expression`` through ``selectors.problem_list``) and the Python rule of detail pages
(``warning_for``) must give every problem the same colour on every day.

The property tests write rows directly (the rule reads columns; how they got there does not matter) and
roll each example back. The explicit cases walk a problem through the services and read the colour the
way the list page does.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoinspect.ledger import deadlines
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import (
    DeadlineKind,
    ProblemSource,
    ProblemStatus,
    ProgressStatus,
    WarningLevel,
)
from ecoinspect.ledger.deadlines import warning_for
from ecoinspect.ledger.models import Problem
from ecoinspect.ledger.selectors import problem_list
from tests.clock import Clock
from tests.factories import ProblemFactory, reload, step

pytestmark = pytest.mark.django_db

BASE = dt.date(2026, 10, 1)
# A narrow window, so that "today", deadlines and milestones often fall on the same day (the boundaries).
days = st.dates(min_value=BASE - dt.timedelta(days=45), max_value=BASE + dt.timedelta(days=45))
maybe_day = st.one_of(st.none(), days)


@st.composite
def problem_rows(draw):
    kind = draw(st.sampled_from(DeadlineKind.values()))
    deadline = draw(maybe_day)
    if deadline is not None and draw(st.booleans()):
        # milestones as assignment computes them, from a start before the deadline
        start = deadline - dt.timedelta(days=draw(st.integers(0, 60)))
        blue_on, yellow_on = deadlines.milestones(start, deadline)
    else:
        blue_on, yellow_on = draw(maybe_day), draw(maybe_day)
    return {
        "status": draw(
            st.sampled_from([ProblemStatus.ASSIGNED, ProblemStatus.RECTIFYING, *ProblemStatus.values()])
        ),
        "deadline_kind": kind,
        "deadline": deadline,
        "blue_on": blue_on,
        "yellow_on": yellow_on,
        "paused_at": draw(st.one_of(st.none(), st.none(), days)),
        "progress_status": draw(st.sampled_from(ProgressStatus.values())),
        "last_reported_on": draw(maybe_day),
    }


def _insert(rows: list[dict]) -> list[Problem]:
    return Problem.objects.bulk_create(
        ProblemFactory.build(
            title="【测试】预警性质",
            source=ProblemSource.SELF_INSPECTION,
            lead_unit=None,
            acceptance_unit=None,
            registered_on=BASE - dt.timedelta(days=90),
            **row,
        )
        for row in rows
    )


@pytest.fixture
def coordinator(people):
    return people["coordinator"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(problem_rows(), min_size=1, max_size=12), todays=st.lists(days, min_size=1, max_size=3))
def test_the_sql_and_python_rules_agree_for_any_problem_and_day(coordinator, rows, todays):
    with transaction.atomic():
        created = _insert(rows)
        fresh = {p.pk: p for p in Problem.objects.filter(pk__in=[p.pk for p in created])}
        for today in todays:
            in_sql = dict(
                problem_list(user=coordinator, today=today)
                .filter(pk__in=list(fresh))
                .values_list("pk", "warning")
            )
            in_python = {pk: warning_for(p, today) for pk, p in fresh.items()}
            assert in_sql == in_python, today
        transaction.set_rollback(True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(problem_rows(), min_size=1, max_size=15), today=days)
def test_counting_by_colour_in_sql_matches_the_colours_of_the_rows(coordinator, rows, today):
    with transaction.atomic():
        created = _insert(rows)
        listed = problem_list(user=coordinator, today=today).filter(pk__in=[p.pk for p in created])
        expected = dict.fromkeys(WarningLevel.values(), 0)
        for problem in Problem.objects.filter(pk__in=[p.pk for p in created]):
            expected[warning_for(problem, today)] += 1
        for level, count in expected.items():
            assert listed.filter(warning=level).count() == count, level
        transaction.set_rollback(True)


# --- explicit cases, through the services -----------------------------------------------------------------

ASSIGNED_ON = dt.date(2026, 9, 7)  # Monday
DEADLINE = dt.date(2026, 10, 30)  # 35 working days later: blue from 8 Oct, yellow from 21 Oct


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, ASSIGNED_ON)


def _colour(problem, today, user):
    """The colour as the list shows it, after checking the detail page's rule says the same."""
    listed = problem_list(user=user, today=today).get(pk=problem.pk).warning
    assert warning_for(reload(problem), today) == listed
    return listed


def _report(clock, people, problem, status, on):
    clock.set(on)
    svc.progress_report_add(
        actor=people["water"],
        problem=reload(problem),
        text="进展",
        progress_status=status,
        reported_on=on,
    )


@pytest.fixture
def running(people, clock, media_root):
    return ProblemFactory(status=ProblemStatus.RECTIFYING, deadline=DEADLINE)


@pytest.mark.parametrize(
    ("today", "colour"),
    [
        (dt.date(2026, 9, 30), WarningLevel.NONE),  # the 17th working day: not half-way yet
        (dt.date(2026, 10, 8), WarningLevel.BLUE),  # the 18th: half the time has gone, nothing started
        (dt.date(2026, 10, 20), WarningLevel.BLUE),
        (dt.date(2026, 10, 21), WarningLevel.YELLOW),  # the 28th working day: 80 %
        (dt.date(2026, 10, 30), WarningLevel.YELLOW),  # the deadline itself is not overdue
        (dt.date(2026, 10, 31), WarningLevel.RED),
    ],
)
def test_a_problem_not_started_turns_blue_then_yellow_then_red(running, people, today, colour):
    assert _colour(running, today, people["coordinator"]) == colour


def test_the_milestones_are_counted_in_working_days_not_calendar_days(running):
    # Calendar-day halves would fall on 3 Oct (a holiday); the working-day half is 8 Oct.
    assert (running.blue_on, running.yellow_on) == (dt.date(2026, 10, 8), dt.date(2026, 10, 21))


def test_on_schedule_progress_keeps_the_problem_clear_until_the_deadline_passes(running, people, clock):
    _report(clock, people, running, ProgressStatus.ON_SCHEDULE, dt.date(2026, 9, 20))
    assert _colour(running, dt.date(2026, 10, 21), people["coordinator"]) == WarningLevel.NONE
    assert _colour(running, dt.date(2026, 10, 30), people["coordinator"]) == WarningLevel.NONE
    assert _colour(running, dt.date(2026, 11, 2), people["coordinator"]) == WarningLevel.RED


def test_reporting_behind_schedule_earns_a_blue_label_at_once(running, people, clock):
    _report(clock, people, running, ProgressStatus.BEHIND, dt.date(2026, 9, 10))
    assert _colour(running, dt.date(2026, 9, 10), people["coordinator"]) == WarningLevel.BLUE
    assert _colour(running, dt.date(2026, 10, 21), people["coordinator"]) == WarningLevel.YELLOW


def test_a_unit_that_says_it_is_done_but_has_not_asked_for_acceptance_is_red_after_the_deadline(
    running, people, clock
):
    _report(clock, people, running, ProgressStatus.COMPLETED, dt.date(2026, 10, 20))
    assert _colour(running, dt.date(2026, 10, 30), people["coordinator"]) == WarningLevel.NONE
    assert _colour(running, dt.date(2026, 11, 2), people["coordinator"]) == WarningLevel.RED


def test_asking_for_acceptance_clears_the_warning(running, people, clock):
    clock.set(dt.date(2026, 10, 26))
    step(reload(running))  # report, photo, request acceptance
    assert reload(running).status == ProblemStatus.COMPLETED
    assert _colour(running, dt.date(2026, 11, 30), people["coordinator"]) == WarningLevel.NONE


def test_an_extension_takes_the_red_light_off(running, people, clock):
    clock.set(dt.date(2026, 11, 2))
    assert _colour(running, clock.today, people["coordinator"]) == WarningLevel.RED
    svc.problem_extend_deadline(
        actor=people["coordinator"],
        problem=reload(running),
        new_deadline=dt.date(2026, 12, 31),
        reason="延期",
    )
    _report(clock, people, running, ProgressStatus.ON_SCHEDULE, dt.date(2026, 11, 2))
    assert _colour(running, dt.date(2026, 11, 2), people["coordinator"]) == WarningLevel.NONE


def test_a_long_term_item_turns_blue_when_no_report_came_for_a_month(people, clock, media_root):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING, deadline_kind=DeadlineKind.LONG_TERM)
    who = people["coordinator"]
    assert _colour(problem, dt.date(2026, 9, 8), who) == WarningLevel.BLUE  # never reported

    _report(clock, people, problem, ProgressStatus.ON_SCHEDULE, dt.date(2026, 9, 10))
    assert _colour(problem, dt.date(2026, 10, 11), who) == WarningLevel.NONE  # 31 days later
    assert _colour(problem, dt.date(2026, 10, 12), who) == WarningLevel.BLUE  # 32 days later
    assert _colour(problem, dt.date(2027, 3, 1), who) != WarningLevel.RED  # no deadline, never red


def test_registered_and_finished_problems_carry_no_warning(people, media_root, clock):
    registered = ProblemFactory(deadline=dt.date(2026, 9, 8))
    closed = ProblemFactory(status=ProblemStatus.CLOSED, deadline=dt.date(2026, 9, 8))
    late = dt.date(2026, 12, 1)
    assert _colour(registered, late, people["coordinator"]) == WarningLevel.NONE
    assert _colour(closed, late, people["coordinator"]) == WarningLevel.NONE


def test_a_unit_sees_the_colours_of_its_own_problems(running, people):
    """The same colour reaches the lead unit's own list (restricted), and other units see nothing."""
    today = dt.date(2026, 10, 31)
    assert problem_list(user=people["water"], today=today).get(pk=running.pk).warning == WarningLevel.RED
    assert not problem_list(user=people["housing"], today=today).filter(pk=running.pk).exists()
