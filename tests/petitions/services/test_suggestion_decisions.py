"""The office's decisions on the suggestions made at import, and the batch's bulk assignment and marks."""

from __future__ import annotations

import pytest

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.petitions import selectors
from ecoinspect.petitions import services as svc
from ecoinspect.petitions.choices import AssignmentRole, SuggestionDecision, SuggestionKind
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import Petition, Suggestion
from ecoinspect.petitions.services.suggestion_decisions import accepted_lead
from tests.factories import BatchFactory, PetitionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def town(petition, unit, **value):
    return SuggestionFactory(
        petition=petition, kind=SuggestionKind.TOWN, value={"unit": unit.pk, "name": unit.name, **value}, score=0.9
    )


def department(petition, unit):
    return SuggestionFactory(
        petition=petition,
        kind=SuggestionKind.DEPARTMENT,
        value={"unit": unit.pk, "name": unit.name},
        reasons=["三管三必须"],
        score=0.7,
    )


def test_accepting_a_town_sets_it_on_the_case_and_records_who_and_when(people, structure):
    petition = PetitionFactory(region_text="", complaint_text="某小区旁河涌发臭。")
    assert petition.town is None
    s = town(petition, structure["jingtai"])

    svc.suggestion_accept(actor=people["coordinator"], suggestion=s)

    s = reload(s)
    assert s.decision == SuggestionDecision.ACCEPTED
    assert s.decided_by == people["coordinator"] and s.decided_at is not None
    assert reload(petition).town == structure["jingtai"]
    assert "景泰" in reload(petition).town_reason
    entry = ActionLog.objects.for_object(petition).get(action="petitions.suggestion.accepted")
    assert entry.payload["kind"] == "属地镇街"


def test_a_suggestion_that_names_no_town_cannot_be_accepted_only_corrected_or_dismissed(people, structure):
    petition = PetitionFactory(region_text="", complaint_text="某小区旁河涌发臭。")
    s = SuggestionFactory(
        petition=petition, kind=SuggestionKind.TOWN, value={"unit": None, "status": "ambiguous", "candidates": []}
    )
    with pytest.raises(ServiceError, match="没有指明镇街"):
        svc.suggestion_accept(actor=people["coordinator"], suggestion=s)
    assert reload(s).decision == SuggestionDecision.PENDING

    with pytest.raises(ServiceError, match="不是镇街"):
        svc.suggestion_correct(actor=people["coordinator"], suggestion=s, value={"unit": structure["swj"].pk})
    assert reload(s).decision == SuggestionDecision.PENDING and reload(petition).town is None

    svc.suggestion_correct(actor=people["coordinator"], suggestion=s, value={"unit": structure["taihe"].pk})
    s = reload(s)
    assert s.decision == SuggestionDecision.CORRECTED
    assert s.corrected_value == {"unit": structure["taihe"].pk, "name": structure["taihe"].name}
    assert reload(petition).town == structure["taihe"]


def test_accepting_not_in_the_district_marks_the_case_so(people):
    petition = PetitionFactory()
    s = SuggestionFactory(petition=petition, kind=SuggestionKind.TOWN, value={"unit": None, "status": "outside"})
    svc.suggestion_accept(actor=people["coordinator"], suggestion=s)
    petition = reload(petition)
    assert petition.town is None and petition.outside_district


def test_the_accepted_or_corrected_department_is_the_lead_for_the_batch(people, structure):
    petition = PetitionFactory()
    s = department(petition, structure["zjj"])
    assert accepted_lead(petition) is None
    svc.suggestion_accept(actor=people["coordinator"], suggestion=s)
    assert accepted_lead(reload(petition)) == structure["zjj"]
    svc.suggestion_correct(actor=people["coordinator"], suggestion=reload(s), value={"unit": structure["swj"].pk})
    assert accepted_lead(reload(petition)) == structure["swj"]
    assert reload(s).decision == SuggestionDecision.CORRECTED


def test_types_accepted_or_corrected_become_the_cases_types(people):
    petition = PetitionFactory(problem_types=["other"])
    s = SuggestionFactory(
        petition=petition, kind=SuggestionKind.TYPES, value={"problem_types": ["air"], "sub_tags": ["油烟"]}
    )
    svc.suggestion_accept(actor=people["coordinator"], suggestion=s)
    petition = reload(petition)
    assert petition.problem_types == ["air"] and petition.sub_tags == ["油烟"]

    with pytest.raises(ServiceError, match="未知问题类型"):
        svc.suggestion_correct(actor=people["coordinator"], suggestion=reload(s), value={"problem_types": ["smog"]})
    svc.suggestion_correct(
        actor=people["coordinator"], suggestion=reload(s), value={"problem_types": ["air", "noise"], "sub_tags": []}
    )
    assert reload(petition).problem_types == ["air", "noise"]


def test_accepting_a_repeat_merges_the_case_into_its_original_and_cannot_be_undone(people):
    batch = BatchFactory()
    original = PetitionFactory(batch=batch, seq=1, status=S.ASSIGNED)
    repeat = PetitionFactory(batch=batch, seq=2)
    s = SuggestionFactory(
        petition=repeat,
        kind=SuggestionKind.DUPLICATE,
        value={"petition": None, "acceptance_no": original.acceptance_no, "matched": ["河涌发黑发臭"]},
        score=0.91,
    )
    svc.suggestion_accept(actor=people["coordinator"], suggestion=s)
    repeat = reload(repeat)
    assert repeat.status == S.MERGED and repeat.duplicate_of == original
    with pytest.raises(ServiceError, match="不能再更改"):
        svc.suggestion_dismiss(actor=people["coordinator"], suggestion=reload(s))


def test_a_repeat_corrected_to_another_original_is_merged_into_that_one(people):
    right = PetitionFactory(status=S.ASSIGNED)
    wrong = PetitionFactory(status=S.ASSIGNED)
    repeat = PetitionFactory()
    s = SuggestionFactory(
        petition=repeat, kind=SuggestionKind.DUPLICATE, value={"petition": wrong.pk, "acceptance_no": wrong.acceptance_no}
    )
    with pytest.raises(ServiceError, match="找不到"):
        svc.suggestion_correct(actor=people["coordinator"], suggestion=s, value={"acceptance_no": "X3GD000"})
    svc.suggestion_correct(actor=people["coordinator"], suggestion=s, value={"acceptance_no": right.acceptance_no})
    assert reload(repeat).duplicate_of == right
    assert reload(s).corrected_value == {"petition": right.pk, "acceptance_no": right.acceptance_no}


def test_dismissing_leaves_the_case_as_it_is_and_a_decision_can_be_changed(people, structure):
    petition = PetitionFactory(region_text="", complaint_text="某小区旁河涌发臭。")
    s = town(petition, structure["jingtai"])
    svc.suggestion_dismiss(actor=people["coordinator"], suggestion=s)
    assert reload(s).decision == SuggestionDecision.DISMISSED and reload(petition).town is None
    svc.suggestion_accept(actor=people["coordinator"], suggestion=reload(s))
    assert reload(petition).town == structure["jingtai"]
    entry = ActionLog.objects.for_object(petition).filter(action="petitions.suggestion.accepted").get()
    assert entry.payload["before"] == "不采纳"


def test_only_the_office_decides(people, structure):
    petition = PetitionFactory(status=S.ASSIGNED)
    s = town(petition, structure["xinshi"])
    with pytest.raises(NotPermitted):
        svc.suggestion_accept(actor=people["water"], suggestion=s)
    assert reload(s).decision == SuggestionDecision.PENDING


def test_the_counts_say_how_often_each_kind_was_right(people, structure):
    batch = BatchFactory()
    cases = [PetitionFactory(batch=batch, seq=i) for i in range(1, 5)]
    towns = [town(p, structure["xinshi"]) for p in cases]
    depts = [department(p, structure["zjj"]) for p in cases[:2]]
    svc.suggestion_accept(actor=people["coordinator"], suggestion=towns[0])
    svc.suggestion_accept(actor=people["coordinator"], suggestion=towns[1])
    svc.suggestion_accept(actor=people["coordinator"], suggestion=towns[2])
    svc.suggestion_correct(actor=people["coordinator"], suggestion=depts[0], value={"unit": structure["swj"].pk})
    svc.suggestion_dismiss(actor=people["coordinator"], suggestion=depts[1])

    counts = {c["kind"]: c for c in selectors.suggestion_counts(Suggestion.objects.filter(petition__batch=batch))}
    assert (counts["town"]["accepted"], counts["town"]["pending"], counts["town"]["accuracy"]) == (3, 1, 100)
    assert (counts["department"]["corrected"], counts["department"]["dismissed"]) == (1, 1)
    assert counts["department"]["accuracy"] == 0
    assert counts["types"]["total"] == 0 and counts["types"]["accuracy"] is None


def test_a_batch_is_assigned_by_its_accepted_suggestions_and_the_others_say_why_not(people, structure):
    batch = BatchFactory()
    ready = PetitionFactory(batch=batch, seq=1, town=structure["jingtai"])
    svc.suggestion_accept(actor=people["coordinator"], suggestion=department(ready, structure["swj"]))
    undecided = PetitionFactory(batch=batch, seq=2)
    department(undecided, structure["zjj"])
    reported = PetitionFactory(batch=batch, seq=3, status=S.REPORTED)
    svc.suggestion_accept(actor=people["coordinator"], suggestion=department(reported, structure["swj"]))

    outcome = svc.petitions_assign(
        actor=people["coordinator"],
        petitions=Petition.objects.filter(pk__in=[ready.pk, undecided.pk, reported.pk]).order_by("seq"),
        by_suggestion=True,
    )

    assert [r.done for r in outcome.rows] == [True, False, False]
    assert "牵头部门建议尚未采纳" in outcome.rows[1].message
    assert "只有未反馈的信访件可以增派" in outcome.rows[2].message
    roles = {a.unit.code: a.role for a in reload(ready).assignments.all()}
    assert roles == {"swj": AssignmentRole.LEAD, "jingtai": AssignmentRole.COOPERATING}
    assert reload(ready).status == S.ASSIGNED and reload(undecided).status == S.RECEIVED


def test_a_selection_is_assigned_to_chosen_units_split_across_them(people, structure):
    cases = [PetitionFactory() for _ in range(2)]
    outcome = svc.petitions_assign(
        actor=people["coordinator"],
        petitions=cases,
        lead=structure["swj"],
        cooperating=[structure["zjj"], structure["jingtai"]],
    )
    assert outcome.done == 2
    for p in cases:
        assert sorted(a.unit.code for a in reload(p).assignments.all()) == ["jingtai", "swj", "zjj"]
    with pytest.raises(ServiceError, match="请选择承办单位"):
        svc.petitions_assign(actor=people["coordinator"], petitions=cases)


def test_marks_are_set_and_lifted_on_a_selection(people):
    cases = [PetitionFactory(status=S.ASSIGNED) for _ in range(2)]
    svc.petitions_mark(actor=people["coordinator"], petitions=cases, is_key=True, is_supervised=True)
    assert all(reload(p).is_key and reload(p).is_supervised for p in cases)
    svc.petitions_mark(actor=people["coordinator"], petitions=cases, is_key=False)
    assert all(not reload(p).is_key and reload(p).is_supervised for p in cases)
    with pytest.raises(NotPermitted):
        svc.petitions_mark(actor=people["water"], petitions=cases, is_key=True)
