"""The workflow's guards and needs, as the lead unit meets them when it starts or asks for acceptance."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.core.workflow import TransitionIncomplete
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import DeadlineKind, EvidenceKind, ProblemStatus, ProgressStatus
from tests.factories import ProblemFactory, finish_work, photo, reload, staff_of

pytestmark = pytest.mark.django_db

PLAN = {
    "goals": "年底前完成景泰涌流域养殖场清退，河涌水质稳定达到 V 类。",
    "measures": "一、摸排建档；二、依法关停；三、清淤复绿。",
    "milestones": [
        {"date": "2026-10-31", "content": "完成摸排"},
        {"date": "2026-12-31", "content": "完成清退"},
    ],
}


def _request(problem):
    return svc.problem_request_acceptance(actor=staff_of(problem.lead_unit), problem=reload(problem))


# --- key problems: an approved special plan -----------------------------------------------------------------


def test_a_key_problem_cannot_start_without_a_special_plan(people):
    problem = ProblemFactory(status=ProblemStatus.ASSIGNED, is_key=True)

    with pytest.raises(TransitionIncomplete) as refused:
        svc.problem_start(actor=people["water"], problem=problem)

    assert "专项整改方案" in str(refused.value)
    assert reload(problem).status == ProblemStatus.ASSIGNED


@pytest.mark.parametrize("decision", [None, "rejected"])
def test_a_submitted_or_returned_plan_is_not_enough(people, decision):
    problem = ProblemFactory(status=ProblemStatus.ASSIGNED, is_key=True)
    plan = svc.special_plan_submit(actor=people["water"], problem=problem, **PLAN)
    if decision == "rejected":
        svc.special_plan_decide(
            actor=people["coordinator"], plan=plan, approve=False, note="时间节点过于宽松"
        )

    with pytest.raises(TransitionIncomplete):
        svc.problem_start(actor=people["water"], problem=reload(problem))
    assert reload(problem).status == ProblemStatus.ASSIGNED


def test_a_key_problem_starts_once_its_plan_is_approved(people):
    problem = ProblemFactory(status=ProblemStatus.ASSIGNED, is_key=True)
    plan = svc.special_plan_submit(actor=people["water"], problem=problem, **PLAN)
    svc.special_plan_decide(actor=people["coordinator"], plan=plan, approve=True)

    svc.problem_start(actor=people["water"], problem=reload(problem))

    assert reload(problem).status == ProblemStatus.RECTIFYING


def test_a_problem_made_key_during_rectification_needs_an_approved_plan_before_acceptance(people):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING)
    svc.problem_update(actor=people["coordinator"], problem=problem, is_key=True)
    finish_work(reload(problem))

    with pytest.raises(TransitionIncomplete) as refused:
        _request(problem)
    assert "专项整改方案" in str(refused.value)

    plan = svc.special_plan_submit(actor=people["water"], problem=reload(problem), **PLAN)
    svc.special_plan_decide(actor=people["coordinator"], plan=plan, approve=True)
    _request(problem)
    assert reload(problem).status == ProblemStatus.COMPLETED


# --- complex problems: joint enforcement --------------------------------------------------------------------


def test_a_complex_problem_needs_joint_enforcement_before_acceptance(people, structure, clock):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING, is_complex=True)
    finish_work(problem)

    with pytest.raises(TransitionIncomplete) as refused:
        _request(problem)
    assert "联合执法" in str(refused.value)
    assert reload(problem).status == ProblemStatus.RECTIFYING

    svc.joint_action_record(
        actor=people["water"],
        problem=reload(problem),
        acted_on=clock.today,
        units=[structure["swj"], structure["sthj"], structure["xinshi"]],
        findings="沿涌 3 家洗水厂私设暗管",
        actions="立案查处，拆除暗管",
    )
    _request(problem)
    assert reload(problem).status == ProblemStatus.COMPLETED


# --- long-term items ----------------------------------------------------------------------------------------


def test_a_long_term_item_never_requests_acceptance(people):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING, deadline_kind=DeadlineKind.LONG_TERM)
    finish_work(problem)

    with pytest.raises(TransitionIncomplete) as refused:
        _request(problem)

    assert "长期坚持" in str(refused.value)
    assert reload(problem).status == ProblemStatus.RECTIFYING


# --- measures, evidence, reports ----------------------------------------------------------------------------


def test_every_measure_must_be_done_before_acceptance(people, structure, clock):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING)
    first = svc.measure_add(
        actor=people["water"], problem=problem, content="封堵排水口", owner_unit=structure["swj"]
    )
    second = svc.measure_add(
        actor=people["water"], problem=problem, content="接驳市政管网", owner_unit=structure["xinshi"]
    )
    svc.measure_complete(actor=people["water"], measure=first)
    finish_work(problem)

    with pytest.raises(TransitionIncomplete) as refused:
        _request(problem)
    assert "1 项整改措施未完成" in str(refused.value)

    svc.measure_complete(actor=people["water"], measure=second)
    _request(problem)
    assert reload(problem).status == ProblemStatus.COMPLETED


def test_acceptance_needs_evidence_of_this_cycle(people):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING)
    svc.progress_report_add(
        actor=people["water"], problem=problem, text="已完成", progress_status=ProgressStatus.COMPLETED
    )

    with pytest.raises(TransitionIncomplete) as refused:
        _request(problem)
    assert refused.value.missing == ["evidence"]

    svc.evidence_add(
        actor=people["water"], problem=reload(problem), uploaded=photo(), kind=EvidenceKind.PHOTO
    )
    _request(problem)
    assert reload(problem).status == ProblemStatus.COMPLETED


def test_acceptance_needs_a_progress_report(people):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING)
    svc.evidence_add(actor=people["water"], problem=problem, uploaded=photo(), kind=EvidenceKind.PHOTO)

    with pytest.raises(TransitionIncomplete) as refused:
        _request(problem)

    assert refused.value.missing == ["final_report"]
    assert reload(problem).status == ProblemStatus.RECTIFYING


def test_requesting_acceptance_marks_the_progress_completed(people, clock):
    problem = ProblemFactory(status=ProblemStatus.RECTIFYING, deadline=dt.date(2026, 10, 30))
    finish_work(problem)
    svc.progress_report_add(
        actor=people["water"],
        problem=reload(problem),
        text="收尾",
        progress_status=ProgressStatus.ON_SCHEDULE,
        reported_on=clock.today,
    )
    _request(problem)
    saved = reload(problem)
    assert saved.progress_status == ProgressStatus.COMPLETED
    assert saved.completed_at == clock.now
