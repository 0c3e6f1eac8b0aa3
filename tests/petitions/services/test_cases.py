"""A case's life through the services: assignment with both clocks, handling, review, merge, resume."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.calendar import default_calendar
from ecoinspect.common.errors import ServiceError
from ecoinspect.core.workflow import TransitionForbidden, TransitionIncomplete, WorkflowError
from ecoinspect.petitions import services as svc
from ecoinspect.petitions.choices import AssignmentRole, ClosureStatus, Verdict
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import Petition
from tests.factories import PetitionFactory, RoundFactory


def reload(p: Petition) -> Petition:
    return Petition.objects.get(pk=p.pk)


def test_the_happy_path_ends_closed_out_with_every_move_logged(people):
    petition = PetitionFactory(status=S.CLOSED_OUT)
    assert petition.closed_at is not None
    events = list(
        ActionLog.objects.filter(object_id=str(petition.pk), action__startswith="petitions.petition.").values_list(
            "action", flat=True
        )
    )
    for verb in ("registered", "assigned", "signed", "handling_saved", "reported", "approved", "disclosed", "closed_out"):
        assert f"petitions.petition.{verb}" in events


def test_a_case_is_assigned_to_several_units_each_with_the_rounds_two_due_dates(people, structure):
    rnd = RoundFactory(internal_days=3, external_days=7)
    petition = PetitionFactory(round=rnd)
    svc.petition_assign(
        actor=people["coordinator"], petition=petition, lead=structure["swj"], cooperating=[structure["jingtai"]]
    )
    calendar = default_calendar()
    today = timezone.localdate()
    rows = {a.unit.code: a for a in reload(petition).assignments.all()}
    assert set(rows) == {"swj", "jingtai"}
    assert rows["swj"].role == AssignmentRole.LEAD and rows["jingtai"].role == AssignmentRole.COOPERATING
    assert rows["swj"].internal_due == calendar.add_workdays(today, 3)
    assert rows["swj"].external_due == calendar.add_workdays(today, 7)
    assert reload(petition).status == S.ASSIGNED


def test_only_an_assigned_unit_signs_and_reports(people, structure):
    petition = PetitionFactory(status=S.ASSIGNED, lead="swj")
    with pytest.raises(TransitionForbidden):
        svc.petition_sign(actor=people["housing"], petition=petition)
    svc.petition_sign(actor=people["water"], petition=petition)
    assert reload(petition).assignments.get().signed_at is not None


def test_a_report_needs_the_verdict_and_handling_and_the_claims_give_the_verdict(people):
    petition = PetitionFactory(status=S.VERIFYING)
    with pytest.raises(TransitionIncomplete, match="是否属实"):
        svc.petition_report(actor=people["water"], petition=reload(petition))
    svc.petition_save_handling(
        actor=people["water"],
        petition=reload(petition),
        claims=[
            {"text": "河涌发黑发臭", "finding": "属实", "verdict": Verdict.TRUE},
            {"text": "夜间偷排", "finding": "未发现", "verdict": Verdict.FALSE},
        ],
        investigation="现场核查。",
        handling="已封堵排口。",
        closure_status=ClosureStatus.STAGE_CLOSED,
    )
    petition = reload(petition)
    assert petition.verdict == Verdict.PARTLY_TRUE
    assert [c.verdict for c in petition.claims.all()] == [Verdict.TRUE, Verdict.FALSE]
    svc.petition_report(actor=people["water"], petition=petition)
    assert reload(petition).status == S.REPORTED


def test_the_office_sends_a_report_back_with_a_reason(people):
    petition = PetitionFactory(status=S.REPORTED)
    with pytest.raises(TransitionIncomplete):
        svc.petition_send_back(actor=people["coordinator"], petition=petition, reason=" ")
    svc.petition_send_back(actor=people["coordinator"], petition=reload(petition), reason="请补充监测数据")
    assert reload(petition).status == S.VERIFYING


def test_a_stage_closed_case_cannot_be_closed_out_and_resumes_after_an_unsatisfied_visit(people):
    petition = PetitionFactory(
        status=S.DISCLOSED,
    )
    Petition.objects.filter(pk=petition.pk).update(closure_status=ClosureStatus.STAGE_CLOSED)
    with pytest.raises(WorkflowError, match="阶段性办结"):
        svc.petition_close_out(actor=people["coordinator"], petition=reload(petition))
    svc.return_visit_record(
        actor=people["coordinator"],
        petition=reload(petition),
        visited_on=timezone.localdate(),
        satisfied=False,
        note="晚上仍有臭味",
    )
    assert reload(petition).status == S.VERIFYING


def test_a_repeat_is_merged_into_the_original_and_its_own_repeats_follow(people):
    original = PetitionFactory(status=S.ASSIGNED)
    repeat = PetitionFactory()
    svc.petition_merge(actor=people["coordinator"], petition=repeat, original=original, reason="同一小区同一河涌")
    repeat = reload(repeat)
    assert repeat.status == S.MERGED and repeat.duplicate_of == original
    with pytest.raises(ServiceError):
        svc.petition_merge(actor=people["coordinator"], petition=original, original=original)


def test_a_number_is_unique_within_its_round_only(people):
    first = PetitionFactory(acceptance_no="1544")
    with pytest.raises(ServiceError, match="已存在"):
        PetitionFactory(acceptance_no=" １５４４ ", round=first.round)
    other_round = RoundFactory(name="第二轮中央生态环境保护督察（测试）", number=2, is_current=False)
    assert PetitionFactory(acceptance_no="1544", round=other_round).pk != first.pk


def test_a_substantiated_case_opens_a_ledger_problem_linked_both_ways(people):
    petition = PetitionFactory(status=S.REPORTED)
    svc.petition_open_problem(actor=people["coordinator"], petition=petition)
    petition = reload(petition)
    problem = petition.problem
    assert problem.source == "petition" and problem.source_ref == petition.acceptance_no
    assert list(problem.petitions.all()) == [petition]
    assert problem.lead_unit.code == "swj"
    with pytest.raises(ServiceError, match="已关联"):
        svc.petition_open_problem(actor=people["coordinator"], petition=petition)


def test_unit_staff_cannot_register_or_assign(people):
    with pytest.raises(Exception, match="权限"):
        PetitionFactory(actor=people["water"])


def test_no_ledger_problem_before_the_unit_has_reported_even_with_a_draft_verdict(people):
    """The rule lives in the service (the page only asks it): a verdict saved as a draft is not a finding."""
    petition = PetitionFactory(status=S.VERIFYING)
    svc.petition_save_handling(actor=people["water"], petition=petition, verdict=Verdict.TRUE)
    with pytest.raises(ServiceError, match="反馈核查结论后"):
        svc.petition_open_problem(actor=people["coordinator"], petition=reload(petition))
    assert reload(petition).problem_id is None
