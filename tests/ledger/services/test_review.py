"""Acceptance (验收) and rejection by the acceptance unit's reviewer."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import ServiceError
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import AcceptanceMethod, EvidenceKind, ProblemStatus, ProgressStatus
from ecoinspect.ledger.models import Acceptance
from ecoinspect.notifications.models import Notification
from tests.factories import ProblemFactory, photo, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(people, clock):
    problem = ProblemFactory(status=ProblemStatus.COMPLETED)
    clock.advance(days=2)
    return problem


def _accept(people, problem, day, **kw):
    args = {"method": AcceptanceMethod.ON_SITE, "opinion": "现场核查：排水口已封堵，旱季无污水排出。"} | kw
    return svc.problem_accept(actor=people["reviewer"], problem=problem, accepted_on=day, **args)


def _reject(people, problem, day, reason="3 号排水口仍有污水渗出"):
    return svc.problem_reject(
        actor=people["reviewer"],
        problem=problem,
        accepted_on=day,
        method=AcceptanceMethod.ON_SITE,
        reason=reason,
    )


def test_accepting_records_the_date_method_and_opinion(requested, people, clock):
    _accept(people, requested, clock.today)

    saved = reload(requested)
    assert saved.status == ProblemStatus.ACCEPTED
    assert saved.accepted_at == clock.now
    acceptance = Acceptance.objects.get(problem=requested)
    assert (acceptance.passed, acceptance.accepted_on, acceptance.method, acceptance.cycle) == (
        True,
        clock.today,
        AcceptanceMethod.ON_SITE,
        1,
    )
    entry = ActionLog.objects.for_object(requested).get(action="ledger.problem.accepted")
    assert entry.payload["opinion"] == acceptance.opinion
    assert entry.payload["method"] == AcceptanceMethod.ON_SITE


def test_review_may_start_first_and_end_in_acceptance(requested, people, clock):
    svc.problem_begin_review(actor=people["reviewer"], problem=requested)
    assert reload(requested).status == ProblemStatus.ACCEPTING
    _accept(people, reload(requested), clock.today, method=AcceptanceMethod.DOCUMENTS)
    assert reload(requested).status == ProblemStatus.ACCEPTED


def test_rejecting_sends_the_problem_back_behind_schedule_and_tells_the_lead_unit(
    requested, people, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _reject(people, requested, clock.today)

    saved = reload(requested)
    assert saved.status == ProblemStatus.RECTIFYING
    assert saved.progress_status == ProgressStatus.BEHIND
    acceptance = Acceptance.objects.get(problem=requested)
    assert not acceptance.passed
    assert acceptance.opinion == "3 号排水口仍有污水渗出"
    told = Notification.objects.filter(recipient=people["water"], object_id=str(requested.pk))
    assert told.filter(event="ledger.problem.rejected").exists()


def test_a_rejected_problem_can_be_handed_in_again_with_new_evidence(requested, people, clock):
    _reject(people, requested, clock.today)
    problem = reload(requested)
    svc.evidence_add(
        actor=people["water"], problem=problem, uploaded=photo("复查.png"), kind=EvidenceKind.PHOTO
    )
    svc.progress_report_add(
        actor=people["water"], problem=problem, text="已补充封堵", progress_status=ProgressStatus.COMPLETED
    )
    svc.problem_request_acceptance(actor=people["water"], problem=reload(problem))
    _accept(people, reload(problem), clock.today)

    assert reload(problem).status == ProblemStatus.ACCEPTED
    assert list(
        Acceptance.objects.filter(problem=problem).order_by("pk").values_list("passed", flat=True)
    ) == [
        False,
        True,
    ]


def test_rejecting_needs_the_reasons(requested, people, clock):
    with pytest.raises(ServiceError) as refused:
        _reject(people, requested, clock.today, reason="  ")
    assert "reason" in refused.value.message_dict
    assert reload(requested).status == ProblemStatus.COMPLETED
    assert not Acceptance.objects.exists()


def test_an_acceptance_dated_in_the_future_is_refused(requested, people, clock):
    with pytest.raises(ServiceError) as refused:
        _accept(people, requested, clock.today + dt.timedelta(days=1))
    assert "accepted_on" in refused.value.message_dict
    assert reload(requested).status == ProblemStatus.COMPLETED


def test_an_acceptance_dated_before_the_request_is_refused(requested, people, clock):
    with pytest.raises(ServiceError) as refused:
        _accept(people, requested, clock.today - dt.timedelta(days=5))
    assert "accepted_on" in refused.value.message_dict
    assert not Acceptance.objects.exists()


def test_an_acceptance_needs_a_known_method_and_an_opinion(requested, people, clock):
    with pytest.raises(ServiceError) as refused:
        _accept(people, requested, clock.today, method="phone_call", opinion="")
    assert {"method", "opinion"} <= set(refused.value.message_dict)
    assert reload(requested).status == ProblemStatus.COMPLETED
