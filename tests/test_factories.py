"""The factories themselves (tests/factories/): one for every model, each making what it says it makes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from ecoinspect.audit.models import ActionLog, ChangeLog
from ecoinspect.audit.selectors import verify_chain
from ecoinspect.common import calendar
from ecoinspect.common.models import ImportStatus
from ecoinspect.ledger.choices import PlanStatus, ProgressStatus
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem
from ecoinspect.orgs.models import Membership
from tests import factories
from tests.factories import (
    PATH,
    AcceptanceFactory,
    ActionLogFactory,
    ApiTokenFactory,
    EvidenceFactory,
    ImportJobFactory,
    JointActionFactory,
    LoginAttemptFactory,
    MeasureFactory,
    MembershipFactory,
    MemoFactory,
    NotificationFactory,
    NumberSequenceFactory,
    ProblemFactory,
    ProgressReportFactory,
    PublicityFactory,
    SectorDutyFactory,
    SpecialPlanFactory,
    SubmissionFactory,
    SupervisionNoticeFactory,
    TicketFactory,
    UnitFactory,
    UserFactory,
    WorkdayOverrideFactory,
    person,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_model_of_the_project_has_a_factory():
    """ChangeLog excepted on purpose: its rows come from saving a model (tests/factories/audit.py)."""
    ours = {
        m
        for m in apps.get_models()
        if m.__module__.startswith(("ecoinspect.", "tests.")) and m is not ChangeLog
    }
    made = {
        obj._meta.model
        for obj in vars(factories).values()
        if isinstance(obj, type) and obj.__name__.endswith("Factory")
    }
    assert sorted(m.__name__ for m in ours - made) == []


# ---- orgs -------------------------------------------------------------------------------------------------------


def test_a_unit_is_looked_up_by_code_first(structure):
    assert UnitFactory(code="swj") == structure["swj"]
    village = UnitFactory(village=True, parent=structure["sanyuanli"])
    assert village.kind == "village" and village.pk not in {u.pk for u in structure.values()}
    assert ChangeLog.objects.filter(object_type="orgs.unit", object_id=str(village.pk)).exists()


def test_a_user_logs_in_with_the_password_and_holds_the_role_given(client, structure):
    user = UserFactory(unit=structure["taihe"], role="reviewer")
    assert client.login(username=user.username, password=factories.PASSWORD)
    assert list(Membership.objects.filter(user=user).values_list("unit__code", "role")) == [
        ("taihe", "reviewer")
    ]
    assert not Membership.objects.filter(user=UserFactory()).exists()
    assert MembershipFactory(unit=structure["jingtai"]).role == "staff"


def test_person_finds_the_suites_people_and_makes_who_is_missing(people, structure):
    assert person("coordinator") == people["coordinator"]
    assert person("staff", structure["swj"]) == people["water"]
    assert person("reviewer", structure["sthj"]) == people["reviewer"]
    newcomer = person("staff", structure["xinshi"])
    assert newcomer not in people.values()
    assert Membership.objects.get(user=newcomer).unit == structure["xinshi"]
    assert person("staff", structure["xinshi"]) == newcomer


def test_the_matrix_row_token_and_login_attempt(client, people, structure):
    duty = SectorDutyFactory(department=structure["zjj"])
    assert duty.department == structure["zjj"] and duty.is_active
    token = ApiTokenFactory(user=people["water"])
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token.raw}"})
    assert me.status_code == 200 and me.json()["username"] == "water"
    assert ActionLog.objects.filter(action="orgs.apitoken.created").exists()
    assert not LoginAttemptFactory(username="water").succeeded


# ---- audit, notifications, common --------------------------------------------------------------------------------


def test_action_log_entries_are_appended_to_the_chain(db):
    first, second = ActionLogFactory(), ActionLogFactory(action="testapp.ticket.closed")
    assert (second.seq, second.prev_hash) == (first.seq + 1, first.hash)
    assert verify_chain().ok


def test_a_notification_reaches_its_recipient_only(people):
    note = NotificationFactory(recipient=people["sanyuanli"], title="请核查")
    assert list(people["sanyuanli"].notifications.all()) == [note]
    assert not people["jingtai"].notifications.exists()


def test_a_workday_override_reaches_the_calendar(db):
    day = dt.date(2031, 1, 6)  # a Monday
    assert calendar.is_workday(day)
    WorkdayOverrideFactory(date=day, is_workday=False)
    assert not calendar.is_workday(day)
    assert NumberSequenceFactory(prefix="DB").last == 0


def test_an_import_job_is_stored_and_checked_like_an_upload(people):
    job = ImportJobFactory(created_by=people["coordinator"])
    assert (job.status, job.total_rows, job.original_name) == (ImportStatus.VALID, 1, "台账.xlsx")
    unchecked = ImportJobFactory(created_by=people["water"], validated=False)
    assert unchecked.status == ImportStatus.PENDING


def test_a_submission_is_claimed_and_bound_to_what_it_made(people):
    memo = MemoFactory()
    claimed = SubmissionFactory(actor=people["water"], record=memo)
    assert (claimed.actor, claimed.object_type, claimed.object_id) == (
        people["water"],
        "testapp.memo",
        str(memo.pk),
    )
    assert SubmissionFactory(actor=people["water"]).object_id == ""


# ---- ledger --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", PATH)
def test_a_problem_is_walked_to_the_state_asked_for_by_the_people_who_would(people, state):
    problem = ProblemFactory(status=state)
    assert problem.status == state
    assert (problem.lead_unit.code, problem.acceptance_unit.code, problem.town.code) == (
        "swj",
        "sthj",
        "xinshi",
    )
    log = list(ActionLog.objects.for_object(problem).order_by("seq").values_list("action", "actor__username"))
    assert log[0] == ("ledger.problem.registered", "coordinator")
    if state != S.REGISTERED:
        assert ("ledger.problem.assigned", "coordinator") in log
    if PATH.index(state) >= PATH.index(S.COMPLETED):
        assert ("ledger.problem.acceptance_requested", "water") in log
    if state == S.CLOSED:
        assert log[-1] == ("ledger.problem.closed", "publisher")


def test_minimal_and_build(people, structure):
    minimal = ProblemFactory(minimal=True, lead_unit=structure["taihe"])
    assert (minimal.problem_types, minimal.address, minimal.town) == ([], "", None)
    row = ProblemFactory.build(status=S.CLOSED, lead_unit=None, acceptance_unit=None)
    assert row.pk is None and row.status == S.CLOSED and row.number.startswith("ROW-")
    assert Problem.objects.get() == minimal  # built, not saved


def test_the_units_work(people, structure):
    measure = MeasureFactory(done=True)
    assert measure.done_on is not None and measure.problem.status == S.RECTIFYING
    report = ProgressReportFactory(problem=measure.problem, progress_status=ProgressStatus.BEHIND)
    assert (report.reporter, report.unit) == (people["water"], structure["swj"])
    evidence = EvidenceFactory(problem=measure.problem)
    assert evidence.content_type.startswith("image/") and evidence.uploaded_by == people["water"]
    plan = SpecialPlanFactory(approved=True)
    assert plan.status == PlanStatus.APPROVED and plan.problem.is_key
    joint = JointActionFactory()
    assert set(joint.units.all()) == {structure["swj"], structure["sthj"]}


def test_review_publicity_and_notices(people, structure):
    accepted = AcceptanceFactory()
    assert accepted.passed and accepted.reviewer == people["reviewer"]
    assert accepted.problem.status == S.ACCEPTED
    rejected = AcceptanceFactory(passed=False, opinion="仍有污水")
    assert not rejected.passed and Problem.objects.get(pk=rejected.problem_id).status == S.RECTIFYING
    publicity = PublicityFactory(period="10_workdays")
    assert publicity.problem.status == S.PUBLICITY and publicity.period_rule == "10_workdays"
    notice = SupervisionNoticeFactory(replied=True)
    assert (
        notice.unit == structure["swj"]
        and notice.status == "replied"
        and notice.replied_by == people["water"]
    )


def test_a_ticket(structure):
    ticket = TicketFactory(lead_unit=structure["sanyuanli"], cooperating=[structure["taihe"]])
    assert list(ticket.cooperating_units.all()) == [structure["taihe"]]


def test_a_memo(structure):
    memo = MemoFactory(unit=structure["swj"], linked=[structure["taihe"], structure["sthj"]])
    assert memo.version == 1 and set(memo.units.all()) == {structure["taihe"], structure["sthj"]}
