"""Huge numbers in query strings, path ids and bodies answer 400/422 in words, never 500 (issue #10)."""

from __future__ import annotations

import json
import re

API = "/api/v1"
HUGE = "9999999999999999999999999"


def _list_paths(client) -> list[tuple[str, set[str]]]:
    """Every GET operation without path parameters, with the names of its integer query parameters."""
    schema = client.get(f"{API}/openapi.json").json()
    found = []
    for path, ops in schema["paths"].items():
        get = ops.get("get")
        if not get or "{" in path:
            continue
        ints = {p["name"] for p in get.get("parameters", []) if p.get("in") == "query"
                and (p.get("schema", {}).get("type") == "integer"
                     or any(a.get("type") == "integer" for a in p.get("schema", {}).get("anyOf", [])))}
        found.append((path, ints))
    return found


def test_every_list_endpoint_refuses_a_huge_offset_and_limit_in_words(session):
    client = session("coordinator")
    paths = _list_paths(client)
    assert any("offset" in ints for _, ints in paths)
    for path, ints in paths:
        for name in ints | {"offset", "limit"}:
            for value in (HUGE, "-" + HUGE, "1e30"):
                r = client.get(path.replace(API, API, 1), {name: value})
                assert r.status_code < 500, (path, name, value, r.status_code)
                if name in ints:
                    assert r.status_code in (400, 422), (path, name, value, r.status_code)
                    assert r.json().get("detail"), (path, name)


def test_every_item_endpoint_answers_a_huge_id_with_404_or_400(session):
    client = session("coordinator")
    schema = client.get(f"{API}/openapi.json").json()
    for path, ops in schema["paths"].items():
        if "get" not in ops or "{" not in path:
            continue
        url = re.sub(r"\{[^}]+\}", HUGE, path)
        r = client.get(url)
        assert r.status_code in (400, 404, 422), (url, r.status_code)


def test_workdays_add_far_in_the_future_is_refused_in_words(session):
    r = session("coordinator").get(f"{API}/workdays/add", {"start": "9999-12-25", "days": 365})
    assert r.status_code == 400, r.content
    assert r.json()["detail"]


def test_every_offset_and_limit_declares_a_maximum(admin_client):
    """A new app's list that forgets the bound (``common.api.Pagination`` / ``offset_query()``) fails here.
    (The schema is for signed-in people only.)"""
    client = admin_client
    unbounded = [
        (path, name)
        for path, ints in _list_paths(client)
        for name in ints & {"offset", "limit", "page", "page_size"}
        if not any("maximum" in s for s in _schemas(client, path, name))
    ]
    assert unbounded == []


def _schemas(client, path: str, name: str) -> list[dict]:
    schema = client.get(f"{API}/openapi.json").json()
    (param,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    return [param["schema"], *param["schema"].get("anyOf", [])]


def test_a_huge_id_in_a_body_is_refused_on_its_field(session, structure):
    r = session("coordinator").post(
        f"{API}/ledger/problems",
        data=json.dumps({"title": "T", "source": "self_inspection", "lead_unit": 10**20,
                         "acceptance_unit": structure["sthj"].pk, "deadline": "2026-12-31"}),
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert "lead_unit" in r.json()["errors"] and "范围" in r.json()["detail"]
