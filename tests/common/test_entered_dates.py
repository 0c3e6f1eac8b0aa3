"""Every date a person enters is bounded to 2000-01-01 … today + 20 years with a clear message — the same
rule on the pages (EnteredDateField), in API bodies (core.api.read_body), in imports (import_cells) and in
the workdays calculator (issue #10: a 9999-12-31 deadline held SQLite's write lock for two minutes)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from ecoinspect.common import import_cells
from ecoinspect.common.calendar import entered_date_bounds

API = "/api/v1"


def test_the_bounds_follow_today():
    assert entered_date_bounds(dt.date(2026, 12, 5)) == (dt.date(2000, 1, 1), dt.date(2046, 12, 5))
    assert entered_date_bounds(dt.date(2080, 2, 29))[1] == dt.date(2100, 2, 28)  # 2100 is no leap year


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1999-12-31", 2958465.0])
def test_an_import_cell_far_away_is_refused_in_words(value):
    with pytest.raises(import_cells.CellProblem) as info:
        import_cells.parse_date(value)
    assert "超出允许范围" in info.value.reason and "2000-01-01" in info.value.reason


def test_an_api_body_date_far_away_is_refused_on_its_field(session, structure):
    body = {"title": "T", "source": "self_inspection", "lead_unit": structure["swj"].pk,
            "acceptance_unit": structure["sthj"].pk, "deadline": "9999-12-31", "override_reason": "x"}
    r = session("coordinator").post(f"{API}/ledger/problems", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 400, r.content
    assert "超出允许范围" in r.json()["errors"]["deadline"][0]
    body["registered_on"], body["deadline"] = "0001-01-01", "2027-01-01"
    r = session("coordinator").post(f"{API}/ledger/problems", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 400 and "registered_on" in r.json()["errors"]


def test_the_workdays_calculator_refuses_a_far_start_on_the_page_and_in_the_api(session):
    client = session("coordinator")
    r = client.get(f"{API}/workdays/add", {"start": "9999-12-25", "days": 365})
    assert r.status_code == 400 and "超出允许范围" in r.json()["errors"]["start"][0]
    page = client.get(reverse("orgs:workday_list"), {"start": "9999-12-25", "days": 10})
    assert page.status_code == 200 and "超出允许范围" in page.content.decode()
    assert 'data-testid="calc-result"' not in page.content.decode()
    ok = client.get(f"{API}/workdays/add", {"start": "2026-12-01", "days": 10})
    assert ok.status_code == 200


def test_the_services_refuse_a_far_date_whatever_called_them():
    """Pages, API, the batch screen and the importer all pass through validate_schedule."""
    from ecoinspect.common.errors import ServiceError
    from ecoinspect.ledger.services.problem_checks import validate_schedule

    with pytest.raises(ServiceError) as info:
        validate_schedule(registered_on=dt.date(2026, 1, 5), deadline_kind="date", deadline=dt.date(9999, 12, 31))
    assert "超出允许范围" in info.value.message_dict["deadline"][0]
    with pytest.raises(ServiceError) as info:
        validate_schedule(registered_on=dt.date(1, 1, 1), deadline_kind="long_term", deadline=None)
    assert "registered_on" in info.value.message_dict
    assert validate_schedule(registered_on=dt.date(2026, 1, 5), deadline_kind="date",
                             deadline=dt.date(2026, 6, 30)) == dt.date(2026, 6, 30)
