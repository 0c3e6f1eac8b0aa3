"""A problem's town is proposed by one rule, whichever way the problem arrives.

The import used to carry a matcher of its own, which let a bare place name win: 景泰街道三元里大道 was
三元里 through the import and 景泰 through the form. Each case below registers the same problem through the registration form, the API, the service
both call, and an Excel import, and expects the same town and the same recorded reason from all four.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from ecoinspect.core.import_jobs import import_job_commit, import_job_create, import_job_validate
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.importers import LedgerImporter
from ecoinspect.ledger.models import Problem
from tests.factories import import_row, import_workbook, xlsx_upload

TITLE = "排水口污水直排"

# the import tests run on a pinned clock with their own media root (tests/ledger/conftest.py)
pytestmark = pytest.mark.usefixtures("clock", "media_root")


def through_the_form(people, units, number, address, title):
    client = Client()
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("ledger:problem_create"),
        {
            "title": title,
            "source": "self_inspection",
            "problem_types": ["water"],
            "severity": "general",
            "handling_mode": "deadline",
            "address": address,
            "acceptance_unit": units["sthj"].pk,
            "deadline_kind": "date",
            "deadline": "2026-12-31",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    problem = Problem.objects.latest("pk")
    return problem


def through_the_api(people, units, number, address, title):
    client = Client()
    client.force_login(people["coordinator"])
    body = {
        "title": title,
        "source": "self_inspection",
        "problem_types": ["water"],
        "number": number,
        "address": address,
        "acceptance_unit": units["sthj"].pk,
        "deadline": "2026-12-31",
    }
    response = client.post(reverse("api:problem_create"), json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.json()
    return Problem.objects.get(number=number)


def through_the_service(people, units, number, address, title):
    return svc.problem_register(
        actor=people["coordinator"],
        title=title,
        source="self_inspection",
        problem_types=["water"],
        number=number,
        address=address,
        acceptance_unit=units["sthj"],
        deadline=dt.date(2026, 12, 31),
    )


def through_the_import(people, units, number, address, title):
    actor = people["coordinator"]
    data = import_workbook([import_row(number, title, 问题地点=address, 配合单位=None)])
    job = import_job_create(actor=actor, kind=LedgerImporter.kind, uploaded=xlsx_upload(data))
    import_job_validate(job)
    job.refresh_from_db()
    assert not job.errors, job.errors
    import_job_commit(actor=actor, job=job)
    return Problem.objects.get(number=number)


PATHS = (through_the_form, through_the_api, through_the_service, through_the_import)


@pytest.mark.parametrize(
    ("address", "title", "town", "reason"),
    [
        ("广州市白云区景泰街道三元里大道1108号", TITLE, "jingtai", "所在镇街 景泰街道：地址中“白云区景泰街道”"),
        ("白云区同和街道京溪路", TITLE, "tonghe", "所在镇街 同和街道：地址中“白云区同和街道”"),
        # no address: the problem's text places it, the same way on every path (and says where it was found)
        ("", "同和街道京溪路" + TITLE, "tonghe", "所在镇街 同和街道：问题描述中“同和街道”"),
        # a community of the gazetteer (统计用区划代码) places it without any 街道 written
        ("广州市白云区握山社区", TITLE, "tonghe", "所在镇街 同和街道：地址中“握山社区”"),
    ],
)
def test_every_way_in_proposes_the_same_town(people, units, address, title, town, reason):
    found = {}
    for n, path in enumerate(PATHS, start=1):
        problem = path(people, units, f"TOWN-{n}", address, title)
        problem.refresh_from_db()
        found[path.__name__] = (problem.town.code if problem.town else None, reason in problem.routing_reason)
    assert found == {path.__name__: (town, True) for path in PATHS}
