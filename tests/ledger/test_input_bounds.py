"""Unbounded input never reaches the database: a 10,000-character title, a 1,000-character number, NUL and
other control characters, a long address and phone — through the pages, the API and the Excel import — are
refused naming the field, how long it may be and how long it was; never a 500, nothing stored.

Run on SQLite (which would store them silently) and on PostgreSQL (which answers 500 for a varchar overflow
and for U+0000): ``DATABASE_URL=postgres://… pytest tests/ledger/test_input_bounds.py``.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from ecoinspect.common.models import ImportJob, ImportStatus
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem
from tests.factories import (
    BELL_MARK,
    NUL_MARK,
    ProblemFactory,
    excel_escaped,
    import_row,
    import_workbook,
    today,
    xlsx_upload,
)

pytestmark = pytest.mark.usefixtures("clock", "media_root")

LONG_TITLE = "河" * 10_000
LONG_NUMBER = "N" * 1_000
LONG_ADDRESS = "白云区石井街道" + "某村" * 500
LONG_PHONE = "020-" + "8" * 96


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_send(client, method: str, url: str, body: dict):
    response = getattr(client, method)(
        url, data=json.dumps(body, default=str), content_type="application/json"
    )
    assert response.status_code != 500
    return response.status_code, response.json()


def register_data(structure, **overrides) -> dict:
    data = {
        "title": "新市涌支涌排水口污水直排",
        "description": "雨后排水口持续排出黑臭污水",
        "source": "feedback",
        "problem_types": ["water"],
        "severity": "general",
        "handling_mode": "deadline",
        "address": "白云区三元里街道新市涌沿岸",
        "acceptance_unit": structure["sthj"].pk,
        "deadline_kind": "date",
        "deadline": today().replace(year=today().year + 1).isoformat(),
    }
    data.update(overrides)
    return data


# --- pages ----------------------------------------------------------------------------------------------


def test_the_register_page_names_each_field_its_limit_and_its_length(people, structure):
    client = client_of(people["coordinator"])
    response = client.post(
        reverse("ledger:problem_create"),
        register_data(
            structure,
            title=LONG_TITLE,
            address=LONG_ADDRESS,
            contact_phone=LONG_PHONE,
            description="排水口\x00污水",
            target="旱季无污水\x1b直排",
            responsible_person="王\n工",
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["title"] == ["「整改任务」最多 200 个字，现有 10000 个字。"]
    assert errors["address"] == [f"「问题地点」最多 200 个字，现有 {len(LONG_ADDRESS)} 个字。"]
    assert errors["contact_phone"] == ["「联系电话」最多 30 个字，现有 100 个字。"]
    assert errors["description"] == ["「问题描述」含有不可见的控制字符（U+0000），请删除后再填写。"]
    assert errors["target"] == ["「整改目标」含有不可见的控制字符（U+001B），请删除后再填写。"]
    assert errors["responsible_person"] == ["「责任人」只能填写一行，不能含换行符或制表符。"]
    assert 'maxlength="200"' in response.content.decode()  # the browser is told too
    assert Problem.objects.count() == 0


def test_the_edit_page_refuses_the_same(people, structure):
    problem = ProblemFactory(minimal=True, title="原标题")
    client = client_of(people["coordinator"])
    url = reverse("ledger:problem_edit", args=[problem.pk])
    data = {
        "version": problem.version,
        "title": "新\x07标题",
        "source": problem.source,
        "severity": problem.severity,
        "handling_mode": problem.handling_mode,
        "contact_phone": LONG_PHONE,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "title": ["「整改任务」含有不可见的控制字符（U+0007），请删除后再填写。"],
        "contact_phone": ["「联系电话」最多 30 个字，现有 100 个字。"],
    }
    problem.refresh_from_db()
    assert problem.title == "原标题" and problem.contact_phone == ""


# --- API --------------------------------------------------------------------------------------------------


def test_the_api_refuses_each_overlong_or_control_field_with_400(people, structure):
    client = client_of(people["coordinator"])
    body = {
        "title": LONG_TITLE,
        "number": LONG_NUMBER,
        "source": "feedback",
        "description": "排水口\x00污水",
        "address": LONG_ADDRESS,
        "contact_phone": LONG_PHONE,
        "lead_unit": structure["swj"].pk,
    }
    status, answer = api_send(client, "post", reverse("api:problem_create"), body)
    assert status == 400 and answer["code"] == "invalid"
    assert answer["errors"] == {
        "title": ["「整改任务」最多 200 个字，现有 10000 个字。"],
        "number": ["「问题编号」最多 40 个字，现有 1000 个字。"],
        "description": ["「问题描述」含有不可见的控制字符（U+0000），请删除后再填写。"],
        "address": [f"「问题地点」最多 200 个字，现有 {len(LONG_ADDRESS)} 个字。"],
        "contact_phone": ["「联系电话」最多 30 个字，现有 100 个字。"],
    }
    assert Problem.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", LONG_TITLE, "「整改任务」最多 200 个字，现有 10000 个字。"),
        ("title", "标题\x00", "「整改任务」含有不可见的控制字符（U+0000），请删除后再填写。"),
        ("source_ref", "R" * 101, "「来源编号」最多 100 个字，现有 101 个字。"),
        ("responsible_leader", "王" * 51, "「责任领导」最多 50 个字，现有 51 个字。"),
        ("target", "目标" * 10_001, "「整改目标」最多 20000 个字，现有 20002 个字。"),
    ],
)
def test_a_patch_is_refused_the_same_and_changes_nothing(people, field, value, message):
    problem = ProblemFactory(minimal=True, title="原标题")
    client = client_of(people["coordinator"])
    url = reverse("api:problem_update", kwargs={"problem_id": problem.pk})
    status, answer = api_send(client, "patch", url, {"version": problem.version, field: value})
    assert status == 400 and answer["errors"] == {field: [message]}
    assert Problem.objects.get(pk=problem.pk).version == problem.version


def test_nested_and_form_encoded_bodies_are_held_to_the_same_bounds(people):
    problem = ProblemFactory(minimal=True, status=S.ASSIGNED, is_key=True)
    water = client_of(people["water"])
    url = reverse("api:plan_submit", kwargs={"problem_id": problem.pk})
    body = {
        "goals": "目标",
        "measures": "措施",
        "milestones": [{"date": "2027-01-01", "content": "节" * 201}],
    }
    status, answer = api_send(water, "post", url, body)
    assert status == 400 and answer["errors"] == {
        "milestones.0.content": ["「节点内容」最多 200 个字，现有 201 个字。"]
    }
    # HTMX posts form fields: the same check
    response = water.post(
        reverse("api:measure_create", kwargs={"problem_id": problem.pk}),
        {"content": "封堵\x00排水口", "owner_unit": problem.lead_unit_id, "owner_person": "李" * 51},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"content", "owner_person"}
    assert not problem.plans.exists() and not problem.measures.exists()


# --- the Excel import -----------------------------------------------------------------------------------


def test_the_import_names_the_row_the_column_the_limit_and_the_length(
    people, structure, django_capture_on_commit_callbacks
):
    rows = [
        import_row(LONG_NUMBER, LONG_TITLE, 问题地点=LONG_ADDRESS),
        import_row("BY-002", "排水口" + NUL_MARK + "污水", 整改目标="晴天" + BELL_MARK + "无污水"),
    ]
    content = excel_escaped(import_workbook(rows))
    client = client_of(people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledger:import_upload"), {"file": xlsx_upload(content)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.INVALID
    errors = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert errors[(2, "问题编号")] == "最多 40 个字，现有 1000 个字。"
    assert errors[(2, "整改任务")] == "最多 200 个字，现有 10000 个字。"
    assert errors[(2, "问题地点")] == f"最多 200 个字，现有 {len(LONG_ADDRESS)} 个字。"
    assert errors[(3, "整改任务")] == "含有不可见的控制字符（U+0000），请删除后再填写。"
    assert errors[(3, "整改目标")] == "含有不可见的控制字符（U+0007），请删除后再填写。"
    page = client.get(reverse("ledger:import_preview", args=[job.pk]))
    assert page.status_code == 200 and "排水口␀污水" in page.content.decode()  # the character shown, not sent
    refused = client.post(reverse("ledger:import_commit", args=[job.pk]))
    assert refused.status_code in (302, 400, 409)
    assert Problem.objects.count() == 0


def test_a_wrapped_one_line_cell_is_folded_into_one_line(people, structure):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ecoinspect.core.import_jobs import import_job_commit, import_job_create, import_job_validate
    from ecoinspect.ledger.importers import LedgerImporter

    content = import_workbook([import_row("BY-009", "石井河\n排水口污水直排", 问题地点="石井街道\t某村")])
    job = import_job_create(
        actor=people["coordinator"],
        kind=LedgerImporter.kind,
        uploaded=SimpleUploadedFile("台账.xlsx", content),
    )
    import_job_validate(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID, job.errors
    import_job_commit(actor=people["coordinator"], job=job)
    problem = Problem.objects.get(number="BY-009")
    assert problem.title == "石井河 排水口污水直排" and problem.address == "石井街道 某村"


# --- the year a number is made from ---------------------------------------------------------------------


def test_no_number_is_made_from_an_absurd_year(people):
    import datetime as dt

    from ecoinspect.common.errors import ServiceError
    from ecoinspect.common.numbering import next_number
    from ecoinspect.ledger.services import problem_register

    with pytest.raises(ServiceError) as refused:
        next_number("ZG", 1)
    assert "1 年不在可登记的年份范围内" in refused.value.messages[0]
    with pytest.raises(ServiceError) as refused:
        problem_register(
            actor=people["coordinator"], title="题", source="feedback", registered_on=dt.date(1, 1, 1)
        )
    assert "registered_on" in refused.value.message_dict
    assert not Problem.objects.filter(number__startswith="ZG-1-").exists()
