""" "A closed problem cannot be edited" is one rule (services.problem_check_editable), and every way of
editing a problem meets it: the edit form, the API, the service, the import and its bulk write."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from ecoinspect.common.errors import ServiceError
from ecoinspect.common.models import ImportStatus
from ecoinspect.core.import_jobs import import_job_create, import_job_validate
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import ProblemStatus
from ecoinspect.ledger.importers import LedgerImporter
from ecoinspect.ledger.models import Problem
from ecoinspect.ledger.services.bulk import problem_bulk_update
from tests.factories import ProblemFactory, import_row, import_workbook, xlsx_upload

RULE = "已销号的问题不能修改，如有反弹请先反弹重启。"

# the import tests run on a pinned clock with their own media root (tests/ledger/conftest.py)
pytestmark = pytest.mark.usefixtures("clock", "media_root")


@pytest.fixture
def closed(people, units, clock, media_root):
    problem = ProblemFactory(minimal=True, number="BY-001", title="旧标题")
    Problem.objects.filter(pk=problem.pk).update(status=ProblemStatus.CLOSED)
    return Problem.objects.get(pk=problem.pk)


@pytest.fixture
def office(people):
    client = Client()
    client.force_login(people["coordinator"])
    return client


def test_the_rule(closed):
    assert not svc.problem_is_editable(closed)
    with pytest.raises(ServiceError) as refused:
        svc.problem_check_editable(closed)
    assert refused.value.code == "closed" and RULE in refused.value.messages[0]
    for status in set(ProblemStatus.values()) - {ProblemStatus.CLOSED}:
        closed.status = status
        assert svc.problem_is_editable(closed)
        svc.problem_check_editable(closed)


def test_the_service_refuses(people, closed):
    with pytest.raises(ServiceError, match=RULE):
        svc.problem_update(actor=people["coordinator"], problem=closed, title="新标题")


def test_the_edit_page_refuses_and_the_problem_page_offers_no_edit(people, units, closed, office):
    edit = reverse("ledger:problem_edit", args=[closed.pk])
    response = office.get(edit)
    assert response.status_code == 403 and RULE in response.content.decode()
    response = office.post(edit, {"title": "新标题", "version": closed.version})
    assert response.status_code == 403
    assert edit not in office.get(closed.get_absolute_url()).content.decode()
    still_open = ProblemFactory(minimal=True, number="BY-002")
    edit_open = reverse("ledger:problem_edit", args=[still_open.pk])
    assert edit_open in office.get(still_open.get_absolute_url()).content.decode()


def test_the_api_refuses(closed, office):
    response = office.patch(
        reverse("api:problem_update", kwargs={"problem_id": closed.pk}),
        json.dumps({"title": "新标题", "version": closed.version}),
        content_type="application/json",
    )
    assert response.status_code == 400 and RULE in json.dumps(response.json(), ensure_ascii=False)


def test_the_import_refuses_the_row(people, closed):
    data = import_workbook(
        [
            import_row(
                "BY-001",
                "新标题",
                牵头单位="区水务局",
                整改时限=closed.deadline,
                登记日期=closed.registered_on,
            )
        ]
    )
    job = import_job_create(actor=people["coordinator"], kind=LedgerImporter.kind, uploaded=xlsx_upload(data))
    import_job_validate(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert [(e["column"], RULE in e["reason"]) for e in job.errors] == [("问题编号", True)]


def test_the_bulk_write_refuses_too(people, closed):
    with pytest.raises(ServiceError) as refused:
        problem_bulk_update(
            actor=people["coordinator"], updates=[(closed, closed.version, {"title": "新标题"})]
        )
    assert refused.value.messages == [f"BY-001：{RULE}"]


@pytest.fixture(autouse=True)
def _unchanged(closed):
    yield
    assert Problem.objects.get(pk=closed.pk).title == "旧标题"
