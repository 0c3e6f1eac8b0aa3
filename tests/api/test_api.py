"""The JSON API package at /api/v1/: the routers every app declares are mounted, the OpenAPI docs, session and
bearer-token authentication, and one error shape. Each app's own endpoints are tested with the app
(tests/orgs/test_api.py, tests/notifications/test_api.py, tests/dashboard/test_api.py, tests/ledger/test_api.py)."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.test import Client
from django.utils import timezone

from ecoinspect.audit.models import ActionLog
from ecoinspect.orgs.models import ApiToken, Membership

API = "/api/v1"


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


# ---- documentation and router assembly ------------------------------------------------------------------------


def test_the_openapi_schema_lists_every_endpoint_and_both_ways_to_authenticate(admin_client):
    client = admin_client  # the schema and the docs are for signed-in people (tests/api/test_docs_access.py)
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


def test_every_operation_declares_the_shape_of_its_answer_and_of_its_refusals(admin_client):
    client = admin_client  # the schema and the docs are for signed-in people (tests/api/test_docs_access.py)
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


def test_every_router_an_app_declares_is_mounted_under_its_prefix(admin_client):
    client = admin_client  # the schema and the docs are for signed-in people (tests/api/test_docs_access.py)
    """The API names no app: each AppConfig's ``api_routers`` is mounted, every one of its paths served."""
    import importlib

    from django.apps import apps

    served = set(client.get(f"{API}/openapi.json").json()["paths"])
    declared = set()
    for config in apps.get_app_configs():
        for prefix, target in getattr(config, "api_routers", ()):
            module, attribute = target.split(":")
            router = getattr(importlib.import_module(module), attribute)
            declared |= {
                f"{API}/{prefix.strip('/')}/{path.lstrip('/')}".replace("//", "/").rstrip("/")
                for path in router.path_operations
            }
    assert {"orgs", "notifications", "ledger", "dashboard"} <= {
        c.label for c in apps.get_app_configs() if getattr(c, "api_routers", ())
    }
    assert declared and declared <= served, sorted(declared - served)


def test_the_docs_page_works_without_the_internet(admin_client):
    client = admin_client  # the schema and the docs are for signed-in people (tests/api/test_docs_access.py)
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


# ---- authentication -------------------------------------------------------------------------------------------


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


def test_a_token_of_a_person_whose_membership_ended_reaches_no_unit(client, people, structure, api_token):
    raw = api_token(people["sanyuanli"])
    Membership.objects.filter(user=people["sanyuanli"]).update(is_active=False)
    assert client.get(f"{API}/units/{structure['sanyuanli'].pk}", headers=bearer(raw)).status_code == 404


# ---- errors and side effects ----------------------------------------------------------------------------------


def test_an_invalid_filter_is_a_400_with_a_reason_in_the_persons_language(session):
    client = session("taihe")
    response = client.get(f"{API}/units", {"kind": "province"})
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "invalid" and set(problem["errors"]) == {"kind"}
    assert problem["detail"].startswith("kind：") and "province" in problem["detail"]
    assert re.search(r"[\u4e00-\u9fff]", problem["detail"]) and " / " not in problem["detail"]
    english = client.get(f"{API}/units", {"kind": "province"}, headers={"Accept-Language": "en"}).json()["detail"]
    assert english.startswith("kind：") and "province" in english and not re.search(r"[\u4e00-\u9fff]", english[5:])


def test_reading_the_api_writes_nothing_to_the_action_log(session, structure):
    client = session("sanyuanli")
    count = ActionLog.objects.count()
    client.get(f"{API}/units")
    client.get(f"{API}/units/{structure['sanyuanli'].pk}")
    client.get(f"{API}/me")
    assert ActionLog.objects.count() == count
