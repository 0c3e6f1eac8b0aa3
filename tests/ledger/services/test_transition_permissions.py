"""Who may make each move of a problem: every role, on its own unit's problem and on another unit's.

The problem is led by 区水务局 (staff "water"), co-handled by 景泰街道 (staff "jingtai"), to be accepted by
生态环境分局 (reviewer "reviewer"). "housing" (区住建局) and "taihe" (太和镇) are staff of other units;
"reviewer_zjj" reviews for 区住建局, not for this problem. Each refused person leaves the problem as it was;
each allowed person makes the move on an identically prepared problem (the positive control).
"""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import NotPermitted
from ecoinspect.core.workflow import TransitionNotDeclared, WorkflowError
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import AcceptanceMethod
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Acceptance, Publicity
from tests.factories import ProblemFactory, finish_work, reload

pytestmark = pytest.mark.django_db

EVERYONE = (
    "coordinator",
    "leader",
    "water",
    "jingtai",
    "housing",
    "taihe",
    "reviewer",
    "reviewer_zjj",
    "publisher",
    "auditor",
    "nobody",
)

# action: (state it starts from, state it leads to, who may do it) — from DESIGN.md §2
MATRIX = {
    "assign": (S.REGISTERED, S.ASSIGNED, {"coordinator"}),
    "start": (S.ASSIGNED, S.RECTIFYING, {"coordinator", "water", "jingtai"}),
    "request_acceptance": (S.RECTIFYING, S.COMPLETED, {"coordinator", "water"}),
    "begin_review": (S.COMPLETED, S.ACCEPTING, {"coordinator", "reviewer"}),
    "accept": (S.ACCEPTING, S.ACCEPTED, {"coordinator", "reviewer"}),
    "reject": (S.ACCEPTING, S.RECTIFYING, {"coordinator", "reviewer"}),
    "start_publicity": (S.ACCEPTED, S.PUBLICITY, {"coordinator", "publisher"}),
    "uphold_objection": (S.PUBLICITY, S.RECTIFYING, {"coordinator", "publisher"}),
    "close": (S.PUBLICITY, S.CLOSED, {"coordinator", "publisher"}),
    "reopen": (S.CLOSED, S.RECTIFYING, {"coordinator"}),
}


@pytest.fixture
def actors(people, structure, make_user):
    return {**people, "reviewer_zjj": make_user("reviewer_zjj", structure["zjj"], "reviewer")}


def _prepare(structure, clock, action):
    state = MATRIX[action][0]
    problem = ProblemFactory(
        status=state, cooperating_units=[structure["jingtai"]], address="白云区景泰街道景泰涌左岸"
    )
    if action == "request_acceptance":
        finish_work(problem)  # evidence and a final report: only the permission can stop it now
    if action == "close":
        clock.advance(days=14)  # the publicity period is over
    return reload(problem)


def _do(action, problem, actor, today):
    if action == "assign":
        return svc.problem_assign(actor=actor, problem=problem)
    if action == "start":
        return svc.problem_start(actor=actor, problem=problem)
    if action == "request_acceptance":
        return svc.problem_request_acceptance(actor=actor, problem=problem)
    if action == "begin_review":
        return svc.problem_begin_review(actor=actor, problem=problem)
    if action == "accept":
        return svc.problem_accept(
            actor=actor, problem=problem, accepted_on=today, method=AcceptanceMethod.ON_SITE, opinion="合格"
        )
    if action == "reject":
        return svc.problem_reject(
            actor=actor,
            problem=problem,
            accepted_on=today,
            method=AcceptanceMethod.ON_SITE,
            reason="仍有污水",
        )
    if action == "start_publicity":
        return svc.publicity_start(
            actor=actor,
            problem=problem,
            starts_on=today,
            period="10_workdays",
            channel="白云区人民政府网站",
            objection_phone="020-86000000",
        )
    if action == "uphold_objection":
        return svc.publicity_objection(actor=actor, problem=problem, note="群众反映仍有异味", upheld=True)
    if action == "close":
        return svc.problem_close(actor=actor, problem=problem)
    if action == "reopen":
        return svc.problem_reopen(
            actor=actor, problem=problem, reason="群众再次投诉", new_deadline=today + dt.timedelta(days=30)
        )
    raise AssertionError(action)


@pytest.mark.parametrize("action", list(MATRIX))
def test_only_the_roles_of_design_section_2_may_make_the_move(people, structure, clock, actors, action):
    source, target, allowed = MATRIX[action]
    problem = _prepare(structure, clock, action)
    log_before = ActionLog.objects.for_object(problem).exclude(action__endswith=".refused").count()
    records_before = (Acceptance.objects.count(), Publicity.objects.count())

    for who in EVERYONE:
        if who in allowed:
            continue
        with pytest.raises((NotPermitted, WorkflowError)) as refused:
            _do(action, reload(problem), actors[who], clock.today)
        assert not isinstance(refused.value, TransitionNotDeclared), who
        assert reload(problem).status == source, who

    assert ActionLog.objects.for_object(problem).exclude(action__endswith=".refused").count() == log_before
    assert (Acceptance.objects.count(), Publicity.objects.count()) == records_before

    for who in sorted(allowed):
        fresh = _prepare(structure, clock, action)
        _do(action, fresh, actors[who], clock.today)
        assert reload(fresh).status == target, who


def test_the_cooperating_unit_is_told_only_the_lead_unit_requests_acceptance(
    people, structure, clock, actors
):
    problem = _prepare(structure, clock, "request_acceptance")
    with pytest.raises(WorkflowError) as refused:
        svc.problem_request_acceptance(actor=actors["jingtai"], problem=problem)
    assert "只有牵头单位可以申请验收" in str(refused.value)


def test_a_reviewer_of_another_unit_cannot_accept(people, structure, clock, actors):
    problem = _prepare(structure, clock, "accept")
    with pytest.raises(NotPermitted):
        _do("accept", problem, actors["reviewer_zjj"], clock.today)
    assert reload(problem).status == S.ACCEPTING
    assert not Acceptance.objects.filter(problem=problem).exists()


def test_the_reviewer_of_the_acceptance_unit_accepts_and_is_recorded_with_their_unit(
    people, structure, clock, actors
):
    problem = _prepare(structure, clock, "accept")
    _do("accept", problem, actors["reviewer"], clock.today)
    acceptance = Acceptance.objects.get(problem=problem)
    assert acceptance.reviewer == actors["reviewer"]
    assert acceptance.unit == structure["sthj"]
    assert acceptance.passed


def test_staff_of_the_lead_unit_cannot_accept_their_own_work(people, structure, clock, actors):
    problem = _prepare(structure, clock, "accept")
    with pytest.raises(NotPermitted):
        _do("accept", problem, actors["water"], clock.today)
    assert reload(problem).status == S.ACCEPTING
