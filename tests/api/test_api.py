"""The JSON API at /api/v1/: OpenAPI docs, session and bearer-token authentication, the pages' scoping."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from ecoinspect.audit.models import ActionLog
from ecoinspect.notifications.models import Notification
from ecoinspect.notifications.services import notification_send
from ecoinspect.orgs.models import ApiToken, Membership
from tests.factories import TicketFactory
from tests.testapp.models import Ticket

API = "/api/v1"


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def session(client, people):
    def as_(person):
        client.force_login(people[person])
        return client

    return as_


# ---- documentation -------------------------------------------------------------------------------------------


def test_the_openapi_schema_lists_every_endpoint_and_both_ways_to_authenticate(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    assert {
        f"{API}/me",
        f"{API}/units",
        f"{API}/units/{{unit_id}}",
        f"{API}/queue",
        f"{API}/notifications",
        f"{API}/notifications/read",
        f"{API}/sector-duties",
        f"{API}/sector-duties/match",
        f"{API}/workdays/add",
    } <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} >= {"http", "apiKey"}
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def _says_what_comes_back(schema: dict, components: dict) -> bool:
    """A response schema that declares its shape: an object with properties (through $ref, allOf or
    anyOf too), a list of such objects, or a file."""
    if "$ref" in schema:
        return _says_what_comes_back(components[schema["$ref"].rsplit("/", 1)[1]], components)
    alternatives = [a for a in schema.get("allOf", []) + schema.get("anyOf", []) if a.get("type") != "null"]
    if alternatives:
        return all(_says_what_comes_back(a, components) for a in alternatives)
    if schema.get("type") == "array":
        return _says_what_comes_back(schema.get("items", {}), components)
    if schema.get("type") == "string" and schema.get("format") == "binary":
        return True
    return schema.get("type") == "object" and bool(schema.get("properties"))


def test_every_operation_declares_the_shape_of_its_answer_and_of_its_refusals(client, db):
    document = client.get(f"{API}/openapi.json").json()
    components = document["components"]["schemas"]
    untyped, refusals = [], []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            name = f"{method.upper()} {path}"
            responses = operation["responses"]
            success = [responses[code] for code in ("200", "201") if code in responses]
            schemas = [m.get("schema", {}) for r in success for m in r.get("content", {}).values()]
            if not schemas or not all(_says_what_comes_back(schema, components) for schema in schemas):
                untyped.append(name)
            for code, response in responses.items():
                if code.startswith(("4", "5")) and path.startswith(f"{API}/ledger/"):
                    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                    if schema.get("$ref") != "#/components/schemas/ErrorOut":
                        refusals.append(f"{name} {code}")
    assert untyped == [], "operations without a typed 200/201 response"
    assert refusals == [], "refusals not declared as ErrorOut"
    assert set(components["ErrorOut"]["properties"]) == {"detail", "code", "errors"}
    assert components["ErrorOut"]["required"] == ["detail", "code"]
    problem = document["paths"][f"{API}/ledger/problems/{{problem_id}}"]
    assert {"200", "404"} <= set(problem["get"]["responses"])
    assert {"200", "400", "403", "404", "409"} <= set(problem["patch"]["responses"])


def test_the_docs_page_works_without_the_internet(client, db):
    page = client.get(f"{API}/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.content.decode())
    assert any("swagger-ui" in a for a in assets)
    assert [a for a in assets if a.startswith(("http:", "https:", "//"))] == []  # the intranet has no CDN
    for asset in assets:
        if "swagger-ui" in asset:
            served = client.get(asset)
            assert served.status_code == 200, asset
            served.close()


# ---- authentication --------------------------------------------------------------------------------------------


def test_without_a_session_or_token_the_api_answers_401(client, db):
    assert client.get(f"{API}/me").status_code == 401
    assert client.get(f"{API}/units").status_code == 401


def test_a_bearer_token_identifies_its_owner(client, people, api_token):
    response = client.get(f"{API}/me", headers=bearer(api_token(people["water"])))
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "water"
    assert [(m["unit"]["code"], m["role"], m["district_wide"]) for m in me["memberships"]] == [
        ("swj", "staff", False)
    ]


def test_expired_revoked_and_unknown_tokens_are_refused(client, people, api_token):
    expired, revoked = api_token(people["water"], name="过期"), api_token(people["water"], name="撤销")
    ApiToken.objects.filter(name="过期").update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    ApiToken.objects.filter(name="撤销").update(revoked_at=timezone.now())
    for raw in (expired, revoked, "eco_not-a-real-token"):
        assert client.get(f"{API}/me", headers=bearer(raw)).status_code == 401


def test_a_session_post_without_the_csrf_token_is_refused_but_a_token_post_is_not(people, api_token):
    body = json.dumps({"text": "河涌污水直排"})
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["sanyuanli"])
    refused = browser.post(f"{API}/sector-duties/match", body, content_type="application/json")
    assert refused.status_code == 403

    browser.get("/")  # the page sets the CSRF cookie, as a browser would have it
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(
        f"{API}/sector-duties/match", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert allowed.status_code == 200

    program = Client(enforce_csrf_checks=True)
    response = program.post(
        f"{API}/sector-duties/match",
        body,
        content_type="application/json",
        headers=bearer(api_token(people["sanyuanli"])),
    )
    assert response.status_code == 200 and response.json()[0]["department"]["code"] == "swj"


def test_a_token_sees_what_its_owner_would_see_on_the_pages(client, people, structure, api_token):
    raw = api_token(people["sanyuanli"])
    assert client.get(f"{API}/units/{structure['sanyuanli'].pk}", headers=bearer(raw)).status_code == 200
    assert client.get(f"{API}/units/{structure['jingtai'].pk}", headers=bearer(raw)).status_code == 200


# ---- /me ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "scopes"),
    [
        (
            "sanyuanli",
            {
                "view": "units",
                "work": "units",
                "assign": "none",
                "review": "none",
                "publish": "none",
                "manage": "none",
                "audit": "none",
            },
        ),
        (
            "reviewer",
            {
                "view": "units",
                "work": "none",
                "assign": "none",
                "review": "units",
                "publish": "none",
                "manage": "none",
                "audit": "none",
            },
        ),
        (
            "coordinator",
            dict.fromkeys(["view", "work", "assign", "review", "publish", "manage", "audit"], "district"),
        ),
        (
            "auditor",
            {
                "view": "district",
                "work": "none",
                "assign": "none",
                "review": "none",
                "publish": "none",
                "manage": "none",
                "audit": "district",
            },
        ),
        (
            "leader",
            {
                "view": "district",
                "work": "none",
                "assign": "none",
                "review": "none",
                "publish": "none",
                "manage": "none",
                "audit": "none",
            },
        ),
    ],
)
def test_me_tells_a_program_what_its_person_may_do_and_where(session, person, scopes):
    """Scopes are per app and verb ("ledger.work"); the table above names the ledger's verbs and the
    foundation's (managing units and people, reading the audit log)."""
    perm = {"manage": "orgs.manage", "audit": "audit.audit"}
    expected = {perm.get(verb, f"ledger.{verb}"): where for verb, where in scopes.items()}
    got = session(person).get(f"{API}/me").json()["scopes"]
    assert {key: got[key] for key in expected} == expected
    assert got["dashboard.view"] == "district" if person in {"coordinator", "leader", "auditor"} else "units"


def test_a_person_without_a_unit_gets_an_empty_scope_from_the_api(session):
    me = session("nobody").get(f"{API}/me").json()
    assert me["memberships"] == [] and set(me["scopes"].values()) == {"none"}


# ---- units --------------------------------------------------------------------------------------------------------


def test_the_unit_directory_is_paginated_and_filtered_like_the_page(session, structure):
    client = session("taihe")
    everything = client.get(f"{API}/units", {"limit": 100}).json()
    assert everything["count"] == len(structure)
    towns = client.get(f"{API}/units", {"kind": "town"}).json()
    assert {u["name"] for u in towns["items"]} == {
        "白云区江高镇",
        "白云区人和镇",
        "白云区太和镇",
        "白云区钟落潭镇",
    }
    found = client.get(f"{API}/units", {"q": "三元里"}).json()
    assert [u["code"] for u in found["items"]] == ["sanyuanli"]
    page = client.get(f"{API}/units", {"limit": 5, "offset": 5}).json()
    assert len(page["items"]) == 5 and page["count"] == len(structure)


def test_an_invalid_filter_is_a_400_with_a_bilingual_reason(session):
    response = session("taihe").get(f"{API}/units", {"kind": "province"})
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "invalid" and set(problem["errors"]) == {"kind"}
    chinese, english = problem["detail"].split(" / ", 1)
    assert chinese.startswith("kind：") and "province" in chinese and re.search(r"[\u4e00-\u9fff]", chinese)
    assert (
        english.startswith("kind: ") and "province" in english and not re.search(r"[\u4e00-\u9fff]", english)
    )


def test_a_unit_in_detail_with_its_members_and_villages(session, structure):
    from ecoinspect.orgs.choices import UnitKind
    from ecoinspect.orgs.models import Unit

    Unit.objects.create(
        code="api-v",
        name="三元里村",
        short_name="三元里村",
        kind=UnitKind.VILLAGE,
        parent=structure["sanyuanli"],
    )
    unit = session("sanyuanli").get(f"{API}/units/{structure['sanyuanli'].pk}").json()
    assert unit["name"] == "白云区三元里街道" and unit["kind_label"] == "街道"
    assert [(m["name"], m["role"]) for m in unit["members"]] == [("sanyuanli", "staff")]
    assert [c["code"] for c in unit["children"]] == ["api-v"]


def test_another_unit_is_open_to_every_role_and_an_unknown_unit_is_not_found(session, structure):
    client = session("sanyuanli")
    for unit_id in (structure["jingtai"].pk, structure["swj"].pk):
        assert client.get(f"{API}/units/{unit_id}").json()["id"] == unit_id
    response = client.get(f"{API}/units/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。 / Not found.", "code": "not_found"}
    assert session("nobody").get(f"{API}/units/{structure['jingtai'].pk}").status_code == 404


# ---- queue, notifications ----------------------------------------------------------------------------------------


def test_the_queue_endpoint_matches_the_home_page(session, structure, ticket_queue):
    ticket = TicketFactory(title="API工单", status=Ticket.ASSIGNED, lead_unit=structure["sanyuanli"])
    entries = [e for e in session("sanyuanli").get(f"{API}/queue").json() if e["model"] == "testapp.ticket"]
    assert entries == [
        {
            "model": "testapp.ticket",
            "label": "测试工单",
            "count": 1,
            "items": [
                {
                    "id": ticket.pk,
                    "title": "API工单",
                    "status": "assigned",
                    "status_label": "已交办",
                    "url": ticket.get_absolute_url(),
                }
            ],
        }
    ]
    other = [e for e in session("jingtai").get(f"{API}/queue").json() if e["model"] == "testapp.ticket"]
    assert other[0]["count"] == 0 and other[0]["items"] == []


def test_notifications_are_ones_own_and_can_be_marked_read(session, people):
    notification_send(recipients=[people["sanyuanli"]], title="三元里：请核查")
    notification_send(recipients=[people["sanyuanli"]], title="三元里：请反馈")
    notification_send(recipients=[people["jingtai"]], title="景泰：请核查")
    client = session("sanyuanli")
    listed = client.get(f"{API}/notifications").json()
    assert listed["count"] == 2 and {n["title"] for n in listed["items"]} == {
        "三元里：请核查",
        "三元里：请反馈",
    }
    first = listed["items"][0]["id"]
    marked = client.post(
        f"{API}/notifications/read", json.dumps({"ids": [first]}), content_type="application/json"
    )
    assert marked.json() == {"marked": 1}
    assert client.get(f"{API}/notifications", {"unread": True}).json()["count"] == 1
    assert client.post(f"{API}/notifications/read", "{}", content_type="application/json").json() == {
        "marked": 1
    }
    assert client.get(f"{API}/notifications", {"unread": True}).json()["count"] == 0


def test_nobody_marks_someone_elses_notification_read(session, people):
    notification_send(recipients=[people["jingtai"]], title="景泰：请核查")
    theirs = Notification.objects.get()
    response = session("sanyuanli").post(
        f"{API}/notifications/read", json.dumps({"ids": [theirs.pk]}), content_type="application/json"
    )
    assert response.json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


# ---- the matrix and the calendar --------------------------------------------------------------------------------


def test_the_matrix_lists_and_filters_by_department(session, structure):
    client = session("taihe")
    assert client.get(f"{API}/sector-duties").json()["count"] == 13
    water = client.get(f"{API}/sector-duties", {"department": structure["swj"].pk}).json()
    assert [d["sector"] for d in water["items"]] == ["城镇污水、河涌与排水"]
    assert client.get(f"{API}/sector-duties", {"department": structure["sanyuanli"].pk}).status_code == 400


def test_the_matcher_proposes_departments_with_reasons(session):
    response = session("taihe").post(
        f"{API}/sector-duties/match",
        json.dumps({"text": "工地夜间施工，扬尘很大", "problem_types": ["air"]}),
        content_type="application/json",
    )
    best = response.json()[0]
    assert best["department"]["code"] == "zjj"
    assert set(best["matched_keywords"]) == {"工地", "施工", "扬尘", "夜间施工"}
    assert best["score"] == 13 and "建筑工地扬尘与施工噪声" in best["reason"]


@pytest.mark.parametrize(
    ("start", "days", "due", "estimated"),
    [
        ("2026-02-12", 5, "2026-02-26", False),
        ("2026-09-30", 1, "2026-10-08", False),
        ("2026-02-24", -1, "2026-02-14", False),
        ("2026-12-30", 3, "2027-01-04", True),
    ],
)
def test_workdays_add_counts_on_the_chinese_calendar(session, start, days, due, estimated):
    result = session("taihe").get(f"{API}/workdays/add", {"start": start, "days": days}).json()
    assert result == {"start": start, "days": days, "due": due, "estimated": estimated}


def test_workdays_add_refuses_bad_input(session):
    client = session("taihe")
    assert client.get(f"{API}/workdays/add", {"start": "2026-02-30", "days": 1}).status_code == 422
    assert client.get(f"{API}/workdays/add", {"start": "2026-02-12", "days": 1000}).status_code == 422


def test_reading_the_api_writes_nothing_to_the_action_log(session, structure):
    client = session("sanyuanli")
    count = ActionLog.objects.count()
    client.get(f"{API}/units")
    client.get(f"{API}/units/{structure['sanyuanli'].pk}")
    client.get(f"{API}/me")
    assert ActionLog.objects.count() == count


def test_a_token_of_a_person_whose_membership_ended_reaches_no_unit(client, people, structure, api_token):
    raw = api_token(people["sanyuanli"])
    Membership.objects.filter(user=people["sanyuanli"]).update(is_active=False)
    assert client.get(f"{API}/units/{structure['sanyuanli'].pk}", headers=bearer(raw)).status_code == 404
