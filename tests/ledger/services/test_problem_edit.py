"""problem_update (optimistic concurrency), problem_assign and problem_reroute."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import ConcurrentEdit, NotPermitted, ServiceError
from ecoinspect.core.workflow import TransitionIncomplete
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import DeadlineKind, ProblemStatus, Severity
from ecoinspect.ledger.models import Problem
from tests.factories import ProblemFactory, reload

pytestmark = pytest.mark.django_db


def log_actions(problem: Problem) -> list[str]:
    """The problem's ActionLog verbs, oldest first."""
    return list(ActionLog.objects.for_object(problem).order_by("seq").values_list("action", flat=True))


# --- update -----------------------------------------------------------------------------------------------


def test_the_office_edits_descriptive_fields_and_the_log_names_them(people):
    problem = ProblemFactory()

    svc.problem_update(
        actor=people["coordinator"],
        problem=problem,
        expected_version=1,
        title="【测试】新市涌支涌 3 号排水口污水直排",
        severity=Severity.SERIOUS,
        target="旱季无污水直排，水质达到 V 类",
    )

    saved = reload(problem)
    assert saved.title == "【测试】新市涌支涌 3 号排水口污水直排"
    assert saved.severity == Severity.SERIOUS
    assert saved.version == 2
    entry = ActionLog.objects.for_object(problem).get(action="ledger.problem.updated")
    assert entry.payload["fields"] == ["severity", "target", "title"]


def test_a_stale_version_is_refused_and_nothing_is_written(people):
    problem = ProblemFactory()
    mine = reload(problem)
    theirs = reload(problem)
    svc.problem_update(
        actor=people["coordinator"], problem=theirs, expected_version=1, title="【测试】他人的修改"
    )
    entries_before = ActionLog.objects.count()

    with pytest.raises(ConcurrentEdit) as conflict:
        svc.problem_update(
            actor=people["coordinator"], problem=mine, expected_version=1, title="【测试】我的修改"
        )

    assert "版本 2" in str(conflict.value.messages[0]) and "版本 1" in str(conflict.value.messages[0])
    saved = reload(problem)
    assert saved.title == "【测试】他人的修改"
    assert saved.version == 2
    assert ActionLog.objects.count() == entries_before


def test_a_stale_object_without_an_explicit_version_is_refused_too(people):
    problem = ProblemFactory()
    stale = reload(problem)
    svc.problem_update(actor=people["coordinator"], problem=problem, target="第一次修改")

    with pytest.raises(ConcurrentEdit):
        svc.problem_update(actor=people["coordinator"], problem=stale, target="基于旧版本的修改")

    assert reload(problem).target == "第一次修改"


def test_unit_staff_cannot_edit_the_problem(people):
    problem = ProblemFactory()
    with pytest.raises(NotPermitted):
        svc.problem_update(actor=people["water"], problem=problem, title="【测试】改标题")
    assert reload(problem).version == 1


def test_status_and_dates_cannot_be_changed_through_update(people):
    problem = ProblemFactory()
    with pytest.raises(TypeError):
        svc.problem_update(actor=people["coordinator"], problem=problem, status=ProblemStatus.CLOSED)
    assert reload(problem).status == ProblemStatus.REGISTERED


def test_a_closed_problem_cannot_be_edited(people):
    problem = ProblemFactory(status=ProblemStatus.CLOSED)
    with pytest.raises(ServiceError):
        svc.problem_update(actor=people["coordinator"], problem=problem, title="【测试】销号后修改")
    assert reload(problem).title != "【测试】销号后修改"


def test_cooperating_units_are_replaced_and_logged(people, structure):
    problem = ProblemFactory(cooperating_units=[structure["xinshi"]])

    svc.problem_update(
        actor=people["coordinator"],
        problem=problem,
        cooperating_units=[structure["jingtai"], structure["cgzf"]],
    )

    assert set(reload(problem).cooperating_units.all()) == {structure["jingtai"], structure["cgzf"]}
    entry = ActionLog.objects.for_object(problem).get(action="ledger.problem.updated")
    assert "cooperating_units" in entry.payload["fields"]


# --- assign -----------------------------------------------------------------------------------------------


def test_assigning_starts_the_warning_clock_on_the_assignment_day(people, clock):
    # Assigned Mon 2026-09-07 with a deadline of Fri 2026-10-30: 35 working days on the Chinese calendar
    # (25 Sep and 1–7 Oct off, Sun 20 Sep and Sat 10 Oct worked).
    problem = ProblemFactory(deadline=dt.date(2026, 10, 30))

    svc.problem_assign(actor=people["coordinator"], problem=problem)

    saved = reload(problem)
    assert saved.status == ProblemStatus.ASSIGNED
    assert saved.assigned_at.date() == clock.today
    assert saved.blue_on == dt.date(2026, 10, 8)  # the 18th working day: ceil(35 × 0.5)
    assert saved.yellow_on == dt.date(2026, 10, 21)  # the 28th working day: 35 × 0.8
    assert log_actions(problem)[-1] == "ledger.problem.assigned"


@pytest.mark.parametrize(
    ("missing", "fields"),
    [
        (
            "lead_unit",
            {"lead_unit": None, "title": "【测试】小区门口长期堆放杂物", "address": "", "problem_types": []},
        ),
        ("acceptance_unit", {"acceptance_unit": None}),
        ("deadline_set", {"deadline": None}),
    ],
)
def test_assigning_needs_a_lead_unit_an_acceptance_unit_and_a_deadline(people, missing, fields):
    problem = ProblemFactory(**fields)

    with pytest.raises(TransitionIncomplete) as refused:
        svc.problem_assign(actor=people["coordinator"], problem=problem)

    assert refused.value.missing == [missing]
    saved = reload(problem)
    assert saved.status == ProblemStatus.REGISTERED
    assert saved.assigned_at is None
    assert saved.version == 1


def test_a_long_term_problem_is_assigned_without_a_deadline(people):
    problem = ProblemFactory(deadline_kind=DeadlineKind.LONG_TERM)
    svc.problem_assign(actor=people["coordinator"], problem=problem)
    saved = reload(problem)
    assert saved.status == ProblemStatus.ASSIGNED
    assert (saved.blue_on, saved.yellow_on) == (None, None)


def test_assigning_with_a_stale_version_is_refused(people):
    problem = ProblemFactory()
    svc.problem_update(actor=people["coordinator"], problem=reload(problem), target="改过")

    with pytest.raises(ConcurrentEdit):
        svc.problem_assign(actor=people["coordinator"], problem=problem, expected_version=1)
    assert reload(problem).status == ProblemStatus.REGISTERED


# --- reroute ----------------------------------------------------------------------------------------------


def test_rerouting_keeps_every_earlier_routing_in_the_log(people, structure):
    problem = ProblemFactory(status=ProblemStatus.ASSIGNED, cooperating_units=[structure["xinshi"]])

    svc.problem_reroute(
        actor=people["coordinator"], problem=problem, lead_unit=structure["zjj"], reason="污水来自在建工地"
    )
    svc.problem_reroute(
        actor=people["coordinator"], problem=reload(problem), lead_unit=structure["xinshi"], reason="属地牵头"
    )

    saved = reload(problem)
    assert saved.lead_unit == structure["xinshi"]
    assert list(saved.cooperating_units.all()) == []  # the new lead no longer also cooperates
    reroutes = list(
        ActionLog.objects.for_object(problem).filter(action="ledger.problem.rerouted").order_by("seq")
    )
    assert [(e.payload["from_lead"], e.payload["to_lead"], e.payload["reason"]) for e in reroutes] == [
        (structure["swj"].pk, structure["zjj"].pk, "污水来自在建工地"),
        (structure["zjj"].pk, structure["xinshi"].pk, "属地牵头"),
    ]
    assert reroutes[0].payload["from_cooperating"] == [structure["xinshi"].pk]
    assert "污水来自在建工地" in saved.routing_reason and "属地牵头" in saved.routing_reason


def test_the_old_lead_unit_can_no_longer_work_a_rerouted_problem(people, structure):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING)
    svc.problem_reroute(
        actor=people["coordinator"], problem=problem, lead_unit=structure["zjj"], reason="工地排水"
    )

    with pytest.raises(NotPermitted):
        svc.progress_report_add(
            actor=people["water"], problem=reload(problem), text="进展", progress_status="on_schedule"
        )
    svc.progress_report_add(
        actor=people["housing"], problem=reload(problem), text="进展", progress_status="on_schedule"
    )


def test_rerouting_needs_a_reason(people, structure):
    problem = ProblemFactory()
    with pytest.raises(ServiceError) as refused:
        svc.problem_reroute(
            actor=people["coordinator"], problem=problem, lead_unit=structure["zjj"], reason=" "
        )
    assert "reason" in refused.value.message_dict
    assert reload(problem).lead_unit == structure["swj"]
    assert "ledger.problem.rerouted" not in log_actions(problem)


@pytest.mark.parametrize("who", ["water", "housing", "reviewer", "leader"])
def test_only_the_office_reroutes(people, structure, who):
    problem = ProblemFactory()
    with pytest.raises(NotPermitted):
        svc.problem_reroute(actor=people[who], problem=problem, lead_unit=structure["zjj"], reason="改派")
    assert reload(problem).lead_unit == structure["swj"]


def test_a_finished_problem_cannot_be_rerouted(people, structure):
    problem = ProblemFactory(status=ProblemStatus.COMPLETED)
    with pytest.raises(ServiceError):
        svc.problem_reroute(
            actor=people["coordinator"], problem=problem, lead_unit=structure["zjj"], reason="改派"
        )
    assert reload(problem).lead_unit == structure["swj"]


def test_unknown_fields_of_problem_model_are_untouched_by_update(people):
    problem = ProblemFactory()
    svc.problem_update(actor=people["coordinator"], problem=problem, title="【测试】只改标题")
    saved = reload(problem)
    assert saved.lead_unit_id == problem.lead_unit_id
    assert saved.deadline == problem.deadline
    assert Problem.objects.count() == 1
