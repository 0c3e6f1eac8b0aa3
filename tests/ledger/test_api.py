"""The ledger's JSON API: every endpoint as the right role, and as a person of another unit."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.ledger.choices import ProblemStatus
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem, SupervisionNotice
from tests.clock import START
from tests.factories import EvidenceFactory, ProblemFactory, docx_bytes, photo, upload

# the import/export tests run on a pinned clock with their own media root (tests/ledger/conftest.py)
pytestmark = pytest.mark.usefixtures("clock", "media_root")


@pytest.fixture
def api(db):
    """api(user) → call(method, name, body=None, **kwargs) returning (status, json); one client per person."""
    from django.test import Client

    def as_user(user):
        client = Client()
        client.force_login(user)

        def call(method, name, body=None, query=None, **kwargs):
            url = reverse(f"api:{name}", kwargs=kwargs)
            send = getattr(client, method)
            if method == "get":
                response = send(url, query or {})
            else:
                response = send(
                    url, data=json.dumps(body or {}, default=str), content_type="application/json"
                )
            content = response.json() if response["Content-Type"].startswith("application/json") else response
            return response.status_code, content

        return call

    return as_user


@pytest.fixture
def problem(people, units):
    return ProblemFactory(
        minimal=True,
        status=S.RECTIFYING,
        number="API-1",
        title="API-MARK-1 river outfall",
        cooperating_units=[units["shijing"]],
    )


# --- problems ------------------------------------------------------------------------------------------


def test_list_is_scoped_filtered_paginated_and_carries_the_warning(api, people, units, problem):
    ProblemFactory(minimal=True, number="API-2", lead_unit=units["sanyuanli"], title="API-MARK-2")
    status, body = api(people["water"])("get", "problem_list")
    assert status == 200 and [p["number"] for p in body["items"]] == ["API-1"]
    assert body["items"][0]["warning"]["value"] == "none" and body["count"] == 1
    status, body = api(people["coordinator"])(
        "get", "problem_list", query={"sort": "number", "limit": 1, "offset": 1}
    )
    assert (body["count"], [p["number"] for p in body["items"]]) == (2, ["API-2"])
    _s, body = api(people["coordinator"])("get", "problem_list", query={"status": ["rectifying"]})
    assert [p["number"] for p in body["items"]] == ["API-1"]
    status, body = api(people["coordinator"])("get", "problem_list", query={"status": "bogus"})
    assert status == 400 and body["code"] == "invalid" and "status" in body["errors"]
    _s, body = api(people["jingtai"])("get", "problem_list")
    assert body["items"] == []


def test_create_registers_through_the_service(api, people, units):
    call = api(people["coordinator"])
    body = {
        "title": "API created",
        "source": "self_inspection",
        "number": "API-NEW",
        "lead_unit": units["swj"].pk,
        "acceptance_unit": units["sthj"].pk,
        "cooperating_units": [units["shijing"].pk],
        "deadline": "2026-12-31",
        "override_reason": "API",
    }
    status, out = call("post", "problem_create", body)
    assert status == 200, out
    assert out["number"] == "API-NEW" and out["status"]["value"] == "registered"
    assert [u["code"] for u in out["cooperating_units"]] == ["shijing"]
    assert ActionLog.objects.filter(action="ledger.problem.registered", object_id=str(out["id"])).exists()
    status, out = call("post", "problem_create", {**body, "number": "API-NEW"})
    assert status == 400 and "number" in out["errors"]
    status, out = call("post", "problem_create", {**body, "number": "X", "lead_unit": 999999})
    assert status == 400 and "lead_unit" in out["errors"]
    # unit staff register only what their unit leads; a leader registers nothing
    status, out = api(people["water"])(
        "post", "problem_create", {**body, "number": "API-S", "lead_unit": units["sanyuanli"].pk}
    )
    assert status == 400 and "lead_unit" in out["errors"]
    status, _out = api(people["leader"])("post", "problem_create", {**body, "number": "API-L"})
    assert status == 403


def test_detail_has_everything_and_is_404_for_another_unit(api, people, problem):
    status, body = api(people["water"])("get", "problem_detail", problem_id=problem.pk)
    assert status == 200
    for key in (
        "measures",
        "reports",
        "evidence",
        "plans",
        "joint_actions",
        "acceptances",
        "publicities",
        "timeline",
        "actions",
    ):
        assert key in body
    assert [t["action"] for t in body["timeline"]][-1] == "ledger.problem.registered"
    assert "request_acceptance" in [a["action"] for a in body["actions"]]
    status, body = api(people["sanyuanli"])("get", "problem_detail", problem_id=problem.pk)
    assert (status, body["code"]) == (404, "not_found")


def test_update_needs_the_current_version(api, people, problem):
    call = api(people["coordinator"])
    version = problem.version
    status, body = call(
        "patch", "problem_update", {"title": "renamed", "version": version}, problem_id=problem.pk
    )
    assert status == 200 and body["title"] == "renamed" and body["version"] == version + 1
    status, body = call(
        "patch", "problem_update", {"title": "again", "version": version}, problem_id=problem.pk
    )
    assert status == 409 and body["code"] == "conflict"
    status, body = call("patch", "problem_update", {"title": "no version"}, problem_id=problem.pk)
    assert status == 400 and "version" in body["errors"]
    status, body = call("patch", "problem_update", {}, problem_id=problem.pk)
    assert status == 200 and body["title"] == "renamed"
    status, _b = api(people["water"])(
        "patch", "problem_update", {"title": "x", "version": version + 1}, problem_id=problem.pk
    )
    assert status == 403
    status, _b = api(people["sanyuanli"])(
        "patch", "problem_update", {"title": "x", "version": version + 1}, problem_id=problem.pk
    )
    assert status == 404
    assert Problem.objects.get(pk=problem.pk).title == "renamed"


def test_the_whole_workflow_through_the_api(api, people, units, clock):
    office, water, reviewer, publisher = (
        api(people[w]) for w in ("coordinator", "water", "reviewer", "publisher")
    )
    p = ProblemFactory(minimal=True, number="API-W", title="API-MARK-W")
    assert (
        office("post", "problem_action", {"version": p.version}, problem_id=p.pk, action="assign")[1][
            "status"
        ]["value"]
        == "assigned"
    )
    assert (
        water("post", "problem_action", problem_id=p.pk, action="start")[1]["status"]["value"] == "rectifying"
    )
    status, body = water(
        "post", "measure_create", {"content": "封堵", "owner_unit": units["swj"].pk}, problem_id=p.pk
    )
    assert status == 200 and body["measures"][0]["content"] == "封堵"
    measure_id = body["measures"][0]["id"]
    assert api(people["sanyuanli"])("post", "measure_complete", {}, measure_id=measure_id)[0] == 404
    status, body = water("post", "measure_complete", {}, measure_id=measure_id)
    assert body["measures"][0]["done_on"] == START.isoformat()
    status, body = water(
        "post", "report_create", {"text": "已封堵", "progress_status": "completed"}, problem_id=p.pk
    )
    assert status == 200 and body["reports"][0]["text"] == "已封堵"
    upload = photo()
    from django.test import Client

    raw = Client()
    raw.force_login(people["water"])
    response = raw.post(
        reverse("api:evidence_upload", kwargs={"problem_id": p.pk}), {"file": upload, "kind": "photo"}
    )
    assert response.status_code == 200, response.content
    evidence = response.json()
    upload.seek(0)
    assert evidence["sha256"] == hashlib.sha256(upload.read()).hexdigest()
    download = raw.get(evidence["download_url"])
    assert download.status_code == 200 and download["X-Evidence-SHA256"] == evidence["sha256"]
    assert hashlib.sha256(download.content).hexdigest() == evidence["sha256"]

    status, body = water("post", "problem_action", problem_id=p.pk, action="request_acceptance")
    assert body["status"]["value"] == "completed"
    assert (
        reviewer("post", "problem_action", problem_id=p.pk, action="begin_review")[1]["status"]["value"]
        == "accepting"
    )
    status, body = reviewer(
        "post",
        "problem_action",
        {"accepted_on": "2026-09-07", "method": "nowhere", "opinion": "x"},
        problem_id=p.pk,
        action="accept",
    )
    assert status == 400 and "method" in body["errors"]
    status, body = reviewer(
        "post",
        "problem_action",
        {"accepted_on": "2026-09-07", "method": "on_site", "opinion": "合格"},
        problem_id=p.pk,
        action="accept",
    )
    assert status == 200, body
    assert body["status"]["value"] == "accepted" and body["acceptances"][0]["passed"] is True
    publicity = {
        "starts_on": "2026-09-07",
        "period": "10_workdays",
        "channel": "区政府网站",
        "objection_phone": "020-36000000",
    }
    status, body = publisher("post", "problem_action", publicity, problem_id=p.pk, action="start_publicity")
    assert body["status"]["value"] == "publicity" and body["publicities"][0]["ends_on"] == "2026-09-18"
    status, body = publisher(
        "post",
        "problem_action",
        {"note": "经核实不成立", "upheld": False},
        problem_id=p.pk,
        action="objection",
    )
    assert status == 200 and body["status"]["value"] == "publicity"
    status, body = publisher("post", "problem_action", problem_id=p.pk, action="close")
    assert status == 409 and "2026-09-18" in body["detail"]  # the publicity period is not over
    clock.set(dt.date(2026, 9, 21))
    publisher, office = (
        api(people["publisher"]),
        api(people["coordinator"]),
    )  # the sessions of two weeks ago expired
    assert (
        publisher("post", "problem_action", problem_id=p.pk, action="close")[1]["status"]["value"] == "closed"
    )
    status, body = office(
        "post",
        "problem_action",
        {"reason": "反弹", "new_deadline": "2026-12-31"},
        problem_id=p.pk,
        action="reopen",
    )
    assert body["status"]["value"] == "rectifying" and body["cycle"] == 2


def test_refused_moves_are_409_and_logged(api, people, problem):
    status, body = api(people["water"])("post", "problem_action", problem_id=problem.pk, action="close")
    assert status == 409 and body["code"] == "transition_not_declared"
    assert "当前状态“整改中”下不能执行“销号”" in body["detail"]
    refused = ActionLog.objects.for_object(problem).get(action="ledger.problem.refused")
    assert refused.payload["action"] == "close"
    status, body = api(people["water"])(
        "post", "problem_action", problem_id=problem.pk, action="request_acceptance"
    )
    assert status == 409 and body["code"] == "transition_incomplete"
    assert api(people["water"])("post", "problem_action", problem_id=problem.pk, action="fly")[0] == 404
    assert api(people["sanyuanli"])("post", "problem_action", problem_id=problem.pk, action="start")[0] == 404
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.RECTIFYING


def test_work_endpoints_refuse_another_unit(api, people, units, problem):
    outsider = api(people["sanyuanli"])
    assert (
        outsider(
            "post",
            "measure_create",
            {"content": "x", "owner_unit": units["sanyuanli"].pk},
            problem_id=problem.pk,
        )[0]
        == 404
    )
    assert (
        outsider("post", "report_create", {"text": "x", "progress_status": "behind"}, problem_id=problem.pk)[
            0
        ]
        == 404
    )
    assert (
        outsider(
            "post", "plan_submit", {"goals": "g", "measures": "m", "milestones": []}, problem_id=problem.pk
        )[0]
        == 404
    )
    joint = {
        "acted_on": "2026-09-07",
        "units": [units["swj"].pk, units["sthj"].pk],
        "findings": "f",
        "actions": "a",
    }
    assert outsider("post", "joint_action_create", joint, problem_id=problem.pk)[0] == 404
    # the cooperating subdistrict may work on it; a reviewer of its acceptance unit may read but not work
    status, body = api(people["reviewer"])(
        "post", "report_create", {"text": "x", "progress_status": "behind"}, problem_id=problem.pk
    )
    assert status == 403
    assert problem.reports.count() == 0


def test_plans_and_joint_actions(api, people, units):
    problem = ProblemFactory(
        minimal=True, status=S.RECTIFYING, number="API-K", title="API-MARK-K", is_key=False, is_complex=True
    )
    water, office = api(people["water"]), api(people["coordinator"])
    milestones = [{"date": "2026-10-31", "content": "完成截污"}]
    status, body = water(
        "post",
        "plan_submit",
        {"goals": "消除黑臭", "measures": "截污纳管", "milestones": milestones},
        problem_id=problem.pk,
    )
    assert status == 200 and body["plans"][0]["status"]["value"] == "submitted"
    plan_id = body["plans"][0]["id"]
    assert api(people["sanyuanli"])("post", "plan_decide", {"approve": True}, plan_id=plan_id)[0] == 404
    assert water("post", "plan_decide", {"approve": True}, plan_id=plan_id)[0] == 403
    status, body = office("post", "plan_decide", {"approve": False}, plan_id=plan_id)
    assert status == 400 and "note" in body["errors"]
    assert (
        office("post", "plan_decide", {"approve": True}, plan_id=plan_id)[1]["plans"][0]["status"]["value"]
        == "approved"
    )
    joint = {
        "acted_on": "2026-09-07",
        "units": [units["swj"].pk, units["sthj"].pk],
        "findings": "偷排",
        "actions": "立案",
    }
    status, body = water("post", "joint_action_create", joint, problem_id=problem.pk)
    assert status == 200 and {u["code"] for u in body["joint_actions"][0]["units"]} == {"swj", "sthj"}


def test_evidence_checks_content_and_size(api, people, problem, settings):
    from django.test import Client

    raw = Client()
    raw.force_login(people["water"])
    url = reverse("api:evidence_upload", kwargs={"problem_id": problem.pk})
    fake = upload("照片.png", docx_bytes(), "image/png")
    response = raw.post(url, {"file": fake, "kind": "photo"})
    assert response.status_code == 400 and "file" in response.json()["errors"]
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = 100
    response = raw.post(url, {"file": photo(), "kind": "photo"})
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    outsider = Client()
    outsider.force_login(people["sanyuanli"])
    assert outsider.post(url, {"file": photo(), "kind": "photo"}).status_code == 404
    assert problem.evidence.count() == 0


def test_evidence_download_is_scoped(api, people, problem):
    evidence = EvidenceFactory(problem=problem, actor=people["water"])
    assert api(people["water"])("get", "evidence_download", evidence_id=evidence.pk)[0] == 200
    assert api(people["sanyuanli"])("get", "evidence_download", evidence_id=evidence.pk)[0] == 404


# --- notices, pictures, counts ---------------------------------------------------------------------------


def test_notices(api, people, units, problem):
    office, water = api(people["coordinator"]), api(people["water"])
    body = {
        "unit": units["swj"].pk,
        "problems": [problem.pk],
        "requirements": "API-NOTICE 请加快",
        "reply_due": "2026-09-14",
    }
    status, notice = office("post", "notice_create", body)
    assert status == 200 and notice["problems"][0]["number"] == "API-1"
    assert water("post", "notice_create", body)[0] == 403
    assert [n["number"] for n in water("get", "notice_list")[1]["items"]] == [notice["number"]]
    assert api(people["sanyuanli"])("get", "notice_list")[1]["items"] == []
    assert api(people["sanyuanli"])("get", "notice_detail", notice_id=notice["id"])[0] == 404
    assert (
        api(people["sanyuanli"])(
            "post", "notice_action", {"reply": "x"}, notice_id=notice["id"], action="reply"
        )[0]
        == 404
    )
    status, out = water("post", "notice_action", {"reply": "已整改"}, notice_id=notice["id"], action="reply")
    assert out["status"]["value"] == "replied"
    status, out = office(
        "post", "notice_action", {"reason": "不具体"}, notice_id=notice["id"], action="return"
    )
    assert out["status"]["value"] == "issued"
    water("post", "notice_action", {"reply": "已全部整改"}, notice_id=notice["id"], action="reply")
    status, out = water("post", "notice_action", notice_id=notice["id"], action="close")
    assert status == 409
    assert (
        office("post", "notice_action", notice_id=notice["id"], action="close")[1]["status"]["value"]
        == "closed"
    )
    assert SupervisionNotice.objects.get().status == "closed"


def test_district_picture_follows_the_scope(api, people, units, problem):
    ProblemFactory(minimal=True, number="API-S", lead_unit=units["sanyuanli"])
    _s, everything = api(people["leader"])("get", "district_picture")
    assert everything["totals"]["total"] == 2
    assert {row["unit"]["code"] for row in everything["by_unit"]} == {"swj", "sanyuanli"}
    _s, own = api(people["sanyuanli"])("get", "district_picture")
    assert own["totals"]["total"] == 1 and [row["unit"]["code"] for row in own["by_unit"]] == ["sanyuanli"]


def test_unit_counts(api, people, units, problem):
    status, body = api(people["water"])("get", "unit_counts", unit_id=units["swj"].pk)
    assert status == 200 and (body["lead"], body["open"]) == (1, 1)
    status, body = api(people["sanyuanli"])("get", "unit_counts", unit_id=units["shijing"].pk)
    assert status == 404
    status, body = api(people["leader"])("get", "unit_counts", unit_id=units["shijing"].pk)
    assert status == 200 and body["cooperating"] == 1


def test_bearer_token(client, people, problem, api_token):
    token = api_token(people["water"])
    response = client.get(
        reverse("api:problem_detail", kwargs={"problem_id": problem.pk}), HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200 and response.json()["number"] == "API-1"


def test_form_encoded_bodies_are_accepted(client, people, units, problem):
    client.force_login(people["water"])
    url = reverse("api:report_create", kwargs={"problem_id": problem.pk})
    response = client.post(url, {"text": "表单提交", "progress_status": "on_schedule"})
    assert response.status_code == 200 and response.json()["reports"][0]["text"] == "表单提交"


def test_the_api_takes_and_returns_the_real_publication_and_refuses_a_past_start_without_it(
    api, people, clock
):
    p = ProblemFactory(status=S.ACCEPTED)  # accepted on START
    clock.set(START + dt.timedelta(days=7))
    publisher = api(people["publisher"])
    publicity = {
        "starts_on": "2026-09-08",
        "period": "2_weeks",
        "channel": "区政府网站",
        "objection_phone": "020-36000000",
    }
    status, body = publisher("post", "problem_action", publicity, problem_id=p.pk, action="start_publicity")
    assert status == 400
    assert body["errors"]["starts_on"][0].startswith(
        "公示开始日期须在 2026-09-14（今天）至 2026-10-14 之间。"
    )
    publicity |= {
        "published_at": "2026-09-08T09:30:00+08:00",
        "published_where": "https://www.by.gov.cn/x.html",
    }
    status, body = publisher("post", "problem_action", publicity, problem_id=p.pk, action="start_publicity")
    assert status == 200, body
    (out,) = body["publicities"]
    assert out["published_where"] == "https://www.by.gov.cn/x.html"
    assert out["published_at"].startswith("2026-09-08T")


def test_the_api_says_when_a_deadline_is_an_estimate(api, people):
    estimated = ProblemFactory(status=S.RECTIFYING, deadline=dt.date(2027, 2, 26))
    known = ProblemFactory(status=S.RECTIFYING, deadline=dt.date(2026, 12, 31))
    coordinator = api(people["coordinator"])
    assert coordinator("get", "problem_detail", problem_id=estimated.pk)[1]["deadline_estimated"] is True
    assert coordinator("get", "problem_detail", problem_id=known.pk)[1]["deadline_estimated"] is False
