"""orgs' endpoints of the JSON API: /me, the unit directory and a unit, the 三管三必须 matrix, working days."""

from __future__ import annotations

import json

import pytest

from tests.factories import UnitFactory

API = "/api/v1"


# ---- /me ------------------------------------------------------------------------------------------------------


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


# ---- units ----------------------------------------------------------------------------------------------------


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


def test_a_unit_in_detail_with_its_members_and_villages(session, structure):
    UnitFactory(
        village=True, code="api-v", name="三元里村", short_name="三元里村", parent=structure["sanyuanli"]
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
    assert response.json() == {"detail": "未找到。", "code": "not_found"}
    assert session("nobody").get(f"{API}/units/{structure['jingtai'].pk}").status_code == 404


# ---- the matrix and the calendar ------------------------------------------------------------------------------


def test_the_matrix_lists_and_filters_by_department(session, structure):
    client = session("taihe")
    assert client.get(f"{API}/sector-duties").json()["count"] == 14
    water = client.get(f"{API}/sector-duties", {"department": structure["swj"].pk}).json()
    assert [d["sector"] for d in water["items"]] == ["城镇污水、河涌与排水", "河道采砂与河道管理"]
    assert client.get(f"{API}/sector-duties", {"department": structure["sanyuanli"].pk}).status_code == 400


def test_the_matcher_proposes_departments_with_reasons(session):
    response = session("taihe").post(
        f"{API}/sector-duties/match",
        json.dumps({"text": "工地夜间施工，扬尘很大", "problem_types": ["air"]}),
        content_type="application/json",
    )
    best = response.json()[0]
    assert best["department"]["code"] == "zjj"
    # 施工 inside 夜间施工 does not count twice
    assert set(best["matched_keywords"]) == {"工地", "扬尘", "夜间施工"}
    assert best["score"] == 10 and "建筑工地扬尘与施工噪声" in best["reason"]


@pytest.mark.parametrize(
    ("start", "days", "due", "estimated"),
    [
        ("2026-02-12", 5, "2026-02-26", False),
        ("2026-09-30", 1, "2026-10-08", False),
        ("2026-02-24", -1, "2026-02-14", False),
        ("2026-12-30", 3, "2027-01-05", True),  # 元旦 2027 by law (estimated)
    ],
)
def test_workdays_add_counts_on_the_chinese_calendar(session, start, days, due, estimated):
    result = session("taihe").get(f"{API}/workdays/add", {"start": start, "days": days}).json()
    assert result == {"start": start, "days": days, "due": due, "estimated": estimated}


def test_workdays_add_refuses_bad_input(session):
    client = session("taihe")
    assert client.get(f"{API}/workdays/add", {"start": "2026-02-30", "days": 1}).status_code == 422
    assert client.get(f"{API}/workdays/add", {"start": "2026-02-12", "days": 1000}).status_code == 422


def test_the_place_matcher_answers_with_its_reasons(session):
    client = session("taihe")
    body = client.post(
        f"{API}/places/match",
        json.dumps({"address": "广州市白云区", "text": "竹料一带有人偷倒建筑垃圾"}),
        content_type="application/json",
    ).json()
    assert body["status"] == "matched" and body["town"]["code"] == "zhongluotan"
    assert any("竹料" in r for r in body["reasons"])
    outside = client.post(
        f"{API}/places/match", json.dumps({"address": "佛山市南海区九江镇"}), content_type="application/json"
    ).json()
    assert outside["status"] == "outside" and outside["district"] == "南海区" and outside["town"] is None
