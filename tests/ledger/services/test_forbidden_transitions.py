"""Every move not in the workflow, from every state, is refused: it writes nothing but the refusal entry.

The inspection office (who holds every permission) tries each move through its service, so only the state
can refuse it. A refused move inside a service's transaction is logged by the boundary that catches the
error (view, API handler, command) calling ``log_refusal``; the test plays that boundary.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.audit.models import ActionLog
from ecoinspect.core.workflow import TransitionNotDeclared, log_refusal
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import AcceptanceMethod
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Acceptance, Evidence, Problem, ProgressReport, Publicity
from tests.factories import PATH, ProblemFactory, reload

pytestmark = pytest.mark.django_db

# The moves DESIGN.md §7 allows from each state (written out by hand, not read from the workflow).
ALLOWED = {
    S.REGISTERED: {"assign"},
    S.ASSIGNED: {"start"},
    S.RECTIFYING: {"request_acceptance"},
    S.COMPLETED: {"begin_review", "accept", "reject"},
    S.ACCEPTING: {"accept", "reject"},
    S.ACCEPTED: {"start_publicity"},
    S.PUBLICITY: {"uphold_objection", "close"},
    S.CLOSED: {"reopen"},
}
ACTIONS = (
    "assign",
    "start",
    "request_acceptance",
    "begin_review",
    "accept",
    "reject",
    "start_publicity",
    "uphold_objection",
    "close",
    "reopen",
)


def _attempt(action, problem, actor, today):
    later = today + dt.timedelta(days=30)
    calls = {
        "assign": lambda: svc.problem_assign(actor=actor, problem=problem),
        "start": lambda: svc.problem_start(actor=actor, problem=problem),
        "request_acceptance": lambda: svc.problem_request_acceptance(actor=actor, problem=problem),
        "begin_review": lambda: svc.problem_begin_review(actor=actor, problem=problem),
        "accept": lambda: svc.problem_accept(
            actor=actor, problem=problem, accepted_on=today, method=AcceptanceMethod.ON_SITE, opinion="合格"
        ),
        "reject": lambda: svc.problem_reject(
            actor=actor, problem=problem, accepted_on=today, method=AcceptanceMethod.ON_SITE, reason="不合格"
        ),
        "start_publicity": lambda: svc.publicity_start(
            actor=actor,
            problem=problem,
            starts_on=today,
            period="2_weeks",
            channel="白云区人民政府网站",
            objection_phone="020-86000000",
        ),
        "uphold_objection": lambda: svc.publicity_objection(
            actor=actor, problem=problem, note="群众反映仍有异味", upheld=True
        ),
        "close": lambda: svc.problem_close(actor=actor, problem=problem),
        "reopen": lambda: svc.problem_reopen(actor=actor, problem=problem, reason="反弹", new_deadline=later),
    }
    return calls[action]()


def _snapshot(problem):
    return (
        Problem.objects.filter(pk=problem.pk).values().get(),
        Acceptance.objects.count(),
        Publicity.objects.count(),
        Evidence.objects.count(),
        ProgressReport.objects.count(),
    )


@pytest.mark.parametrize("state", PATH)
def test_every_undeclared_move_is_refused_and_only_the_refusal_is_logged(people, clock, state):
    problem = ProblemFactory(status=state)
    coordinator = people["coordinator"]
    forbidden = [a for a in ACTIONS if a not in ALLOWED[state]]
    assert forbidden  # every state has moves that must be refused

    for action in forbidden:
        before = _snapshot(problem)
        last_seq = ActionLog.objects.order_by("-seq").values_list("seq", flat=True).first()

        with pytest.raises(TransitionNotDeclared) as refused:
            _attempt(action, reload(problem), coordinator, clock.today)
        log_refusal(refused.value)

        assert _snapshot(problem) == before, action
        written = list(ActionLog.objects.filter(seq__gt=last_seq))
        assert [(e.action, e.payload["action"], e.payload["state"]) for e in written] == [
            ("ledger.problem.refused", action, state)
        ], action
        assert written[0].object_id == str(problem.pk)
        assert written[0].actor == coordinator


def test_the_refusal_says_what_was_refused_in_which_state(people, clock):
    problem = ProblemFactory(status=S.RECTIFYING)
    with pytest.raises(TransitionNotDeclared) as refused:
        svc.problem_close(actor=people["coordinator"], problem=problem)
    assert "整改中" in str(refused.value) and "销号" in str(refused.value)


def test_a_refusal_is_logged_once_even_if_the_boundary_reports_it_twice(people, clock):
    problem = ProblemFactory(status=S.ASSIGNED)
    with pytest.raises(TransitionNotDeclared) as refused:
        svc.problem_close(actor=people["coordinator"], problem=problem)
    log_refusal(refused.value)
    log_refusal(refused.value)
    assert ActionLog.objects.for_object(problem).filter(action="ledger.problem.refused").count() == 1
