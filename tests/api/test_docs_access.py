"""The API's schema and documentation page are for people of the system only (issue #10: they were served to
anyone who could reach the server)."""

from __future__ import annotations

from django.test import Client

API = "/api/v1"


def test_an_anonymous_visitor_gets_neither_the_schema_nor_the_docs(db):
    anonymous = Client()
    schema = anonymous.get(f"{API}/openapi.json")
    assert schema.status_code == 401
    answer = schema.json()
    assert answer["code"] == "unauthorized"
    assert "请先登录" in answer["detail"] and "API 令牌" in answer["detail"]
    assert "paths" not in answer

    docs = anonymous.get(f"{API}/docs")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/?next=/api/v1/docs")


def test_a_wrong_token_opens_nothing(db):
    answer = Client().get(f"{API}/openapi.json", headers={"Authorization": "Bearer not-a-token"})
    assert answer.status_code == 401


def test_a_signed_in_person_reads_both(session):
    client = session("sanyuanli")
    assert f"{API}/me" in client.get(f"{API}/openapi.json").json()["paths"]
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


def test_a_program_with_a_token_reads_the_schema(people, api_token):
    raw = api_token(people["water"])
    answer = Client().get(f"{API}/openapi.json", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 200
    assert f"{API}/ledger/problems" in answer.json()["paths"]


def test_a_deactivated_person_keeps_no_access(client, people):
    person = people["water"]
    client.force_login(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert client.get(f"{API}/openapi.json").status_code == 401
