"""The petitions API's writes: a case's whole life through /api/v1/petitions/, the suggestions decided,
and the refusals — 404 outside one's scope before the body is read, 400 naming each field, 409 for a move
the workflow refuses (with its message) or a stale version, 403 for a permission one lacks."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecoinspect.audit.models import ActionLog
from ecoinspect.ledger.models import Problem
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.choices import SuggestionDecision, SuggestionKind
from ecoinspect.petitions.models import Petition
from tests.factories import PetitionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    """api(user) → call(method, name, body=None, **kwargs) returning (status, json)."""

    def as_user(user):
        client = Client()
        client.force_login(user)

        def call(method, name, body=None, raw=None, **kwargs):
            url = reverse(f"api:{name}", kwargs=kwargs)
            if method == "get":
                response = client.get(url)
            else:
                data = raw if raw is not None else json.dumps(body or {}, default=str)
                response = getattr(client, method)(url, data=data, content_type="application/json")
            return response.status_code, response.json()

        return call

    return as_user


def reload(p):
    return Petition.objects.get(pk=p.pk)


def test_a_case_from_assignment_to_a_ledger_problem(api, people, structure):
    office, water = api(people["coordinator"]), api(people["water"])
    petition = PetitionFactory()

    status, body = office(
        "post", "petition_assign", {"lead": structure["swj"].pk, "cooperating": [structure["jingtai"].pk]}, petition_id=petition.pk
    )
    assert status == 200 and body["status"]["value"] == S.ASSIGNED
    assert {a["unit"]["id"] for a in body["assignments"]} == {structure["swj"].pk, structure["jingtai"].pk}
    assert body["due"] and body["due_external"] and body["due"] <= body["due_external"]

    status, body = water("post", "petition_sign", {"version": body["version"]}, petition_id=petition.pk)
    assert status == 200 and body["status"]["value"] == S.VERIFYING

    handling = {
        "version": body["version"],
        "investigation": "现场核查属实。",
        "handling": "责令整改。",
        "closure_target": "一个月内完成。",
        "closure_status": "closed",
        "rectify_orders": 1,
        "fine_amount": "2.5",
        "claims": [{"text": "河涌发臭", "finding": "属实", "verdict": "true"}],
        "report": True,
    }
    status, body = water("put", "petition_handling", handling, petition_id=petition.pk)
    assert status == 200 and body["status"]["value"] == S.REPORTED
    assert body["verdict"]["value"] == "true" and body["claims"][0]["text"] == "河涌发臭"
    assert body["figures"]["rectify_orders"] == 1 and body["figures"]["fine_amount"] == "2.5000"

    status, body = office("post", "petition_send_back", {"reason": "补充照片"}, petition_id=petition.pk)
    assert status == 200 and body["status"]["value"] == S.VERIFYING
    status, body = water("post", "petition_report", {}, petition_id=petition.pk)
    assert status == 200 and body["status"]["value"] == S.REPORTED
    status, body = office("post", "petition_approve", {}, petition_id=petition.pk)
    assert status == 200 and body["status"]["value"] == S.APPROVED
    status, body = office("post", "petition_mark", {"is_key": True, "is_supervised": True}, petition_id=petition.pk)
    assert body["is_key"] and body["is_supervised"]
    status, body = office("post", "petition_visit", {"visited_on": timezone.localdate(), "satisfied": True}, petition_id=petition.pk)
    assert status == 200 and body["visits"][0]["satisfied"] is True
    status, body = office("post", "petition_open_problem", {}, petition_id=petition.pk)
    assert status == 200 and body["problem"] == Problem.objects.get(petitions=petition).pk


def test_a_stage_closed_case_is_resumed_and_a_closed_one_closed_out(api, people):
    office = api(people["coordinator"])
    stage = PetitionFactory(status=S.DISCLOSED)
    assert office("post", "petition_resume", {"reason": "继续跟进"}, petition_id=stage.pk)[1]["status"]["value"] == S.VERIFYING
    status, body = office("post", "petition_close_out", {}, petition_id=PetitionFactory(status=S.DISCLOSED).pk)
    assert status == 200 and body["status"]["value"] == S.CLOSED_OUT


def test_a_repeat_is_merged_and_the_original_lists_it(api, people):
    office = api(people["coordinator"])
    original, repeat = PetitionFactory(status=S.ASSIGNED), PetitionFactory()
    status, body = office("post", "petition_merge", {"original": original.pk}, petition_id=repeat.pk)
    assert status == 200 and body["status"]["value"] == S.MERGED and body["duplicate_of"] == original.pk
    assert office("get", "petition_detail", petition_id=original.pk)[1]["repeats"] == [repeat.pk]
    status, body = office("post", "petition_merge", {"original": 999999}, petition_id=PetitionFactory().pk)
    assert status == 400 and "original" in body["errors"]


def test_suggestions_are_accepted_corrected_and_dismissed(api, people, structure):
    office = api(people["coordinator"])
    petition = PetitionFactory(region_text="", complaint_text="某小区旁河涌发臭。")
    town = SuggestionFactory(petition=petition, kind=SuggestionKind.TOWN, value={"unit": structure["xinshi"].pk, "name": "新市街道"})
    dept = SuggestionFactory(petition=petition, kind=SuggestionKind.DEPARTMENT, value={"unit": structure["zjj"].pk, "name": "住建"})
    types = SuggestionFactory(petition=petition, kind=SuggestionKind.TYPES, value={"problem_types": ["air"]})

    status, body = office("post", "suggestion_decide", suggestion_id=town.pk, action="accept")
    assert status == 200 and body["town"]["id"] == structure["xinshi"].pk
    status, body = office("post", "suggestion_decide", {"value": {"unit": structure["swj"].pk}}, suggestion_id=dept.pk, action="correct")
    decided = {s["kind"]["value"]: s for s in body["suggestions"]}
    assert decided["department"]["decision"]["value"] == SuggestionDecision.CORRECTED
    assert decided["department"]["corrected_value"]["unit"] == structure["swj"].pk
    assert decided["department"]["decided_by"] == str(people["coordinator"])
    status, body = office("post", "suggestion_decide", suggestion_id=types.pk, action="dismiss")
    assert {s["kind"]["value"]: s["decision"]["value"] for s in body["suggestions"]}["types"] == "dismissed"
    status, body = office("post", "suggestion_decide", {"value": {}}, suggestion_id=types.pk, action="correct")
    assert status == 400 and body["errors"]["value"]
    assert office("post", "suggestion_decide", suggestion_id=types.pk, action="fly")[0] == 404


def test_outside_ones_scope_it_is_404_whatever_the_body(api, people):
    petition = PetitionFactory(status=S.ASSIGNED, lead="swj")
    housing = api(people["housing"])
    for name in ("petition_assign", "petition_sign", "petition_merge", "petition_visit", "petition_open_problem"):
        assert housing("post", name, raw="{not json", petition_id=petition.pk)[0] == 404
    assert housing("put", "petition_handling", raw="[]", petition_id=petition.pk)[0] == 404
    s = SuggestionFactory(petition=petition)
    assert housing("post", "suggestion_decide", raw="{", suggestion_id=s.pk, action="correct")[0] == 404


def test_bad_bodies_are_400_naming_each_field_and_write_nothing(api, people):
    petition = PetitionFactory(status=S.VERIFYING)
    water = api(people["water"])
    status, body = water("put", "petition_handling", {"verdict": "maybe", "interviews": -1}, petition_id=petition.pk)
    assert status == 400 and set(body["errors"]) >= {"verdict", "interviews"}
    status, body = water("put", "petition_handling", {"rectify_orders": "many"}, petition_id=petition.pk)
    assert status == 400 and "rectify_orders" in body["errors"]
    assert water("put", "petition_handling", raw="{not json", petition_id=petition.pk)[0] == 400
    status, body = api(people["coordinator"])("post", "petition_send_back", {}, petition_id=PetitionFactory(status=S.REPORTED).pk)
    assert status == 400 and "reason" in body["errors"]
    assert reload(petition).verdict == "" and reload(petition).interviews == 0


def test_refused_moves_are_409_with_the_workflows_message_and_logged(api, people):
    petition = PetitionFactory(status=S.VERIFYING)
    status, body = api(people["water"])("post", "petition_report", {}, petition_id=petition.pk)
    assert status == 409 and body["code"] == "transition_incomplete" and "是否属实" in body["detail"]
    status, body = api(people["coordinator"])("post", "petition_approve", {}, petition_id=petition.pk)
    assert status == 409 and "当前状态“核查中”下不能执行“审核通过”" in body["detail"]
    assert ActionLog.objects.for_object(petition).filter(action="petitions.petition.refused").count() == 2
    status, body = api(people["water"])("post", "petition_send_back", {"reason": "x"}, petition_id=PetitionFactory(status=S.REPORTED).pk)
    assert status == 409 and body["code"] == "transition_forbidden"


def test_a_stale_version_is_409_conflict(api, people):
    petition = PetitionFactory(status=S.VERIFYING)
    water = api(people["water"])
    version = water("get", "petition_detail", petition_id=petition.pk)[1]["version"]
    assert water("put", "petition_handling", {"version": version, "investigation": "一"}, petition_id=petition.pk)[0] == 200
    status, body = water("put", "petition_handling", {"version": version, "investigation": "二"}, petition_id=petition.pk)
    assert status == 409 and body["code"] == "conflict"
    assert reload(petition).investigation == "一"


def test_a_unit_lacks_the_offices_permissions(api, people):
    petition = PetitionFactory(status=S.REPORTED)
    water = api(people["water"])
    assert water("post", "petition_mark", {"is_key": True}, petition_id=petition.pk)[0] == 403
    assert water("post", "petition_visit", {"visited_on": timezone.localdate(), "satisfied": True}, petition_id=petition.pk)[0] == 403
    assert not reload(petition).is_key and not reload(petition).visits.exists()


def test_form_encoded_bodies_are_accepted(client, people):
    petition = PetitionFactory(status=S.REPORTED)
    client.force_login(people["coordinator"])
    response = client.post(reverse("api:petition_send_back", kwargs={"petition_id": petition.pk}), {"reason": "补充"})
    assert response.status_code == 200 and reload(petition).status == S.VERIFYING
