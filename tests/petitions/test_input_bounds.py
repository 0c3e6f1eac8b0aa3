"""Unbounded input never reaches the database — the petitions app: the pages, the API and the batch import
refuse over-long and control-character text naming the field; the dates entered are bounded in the
services themselves. A batch is taken as published: an over-long cell is kept whole in the raw row and cut
to its field with a flag, control characters are removed with a note; only a 受理编号 too long to be stored
refuses its row.

Run on SQLite and on PostgreSQL (``DATABASE_URL=postgres://… pytest tests/petitions/test_input_bounds.py``).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.models import ImportStatus
from ecoinspect.core.import_jobs import import_job_commit, import_job_create, import_job_validate
from ecoinspect.petitions import services as svc
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.importers import PetitionImporter, title_date
from ecoinspect.petitions.models import Assignment, Petition, ReturnVisit
from tests.factories import NUL_MARK, BatchFactory, PetitionFactory, RoundFactory, excel_escaped
from tests.petitions import batch_files as bf

pytestmark = pytest.mark.django_db

LONG_NUMBER = "D" * 1_000
LONG_REGION = "广州市白云区太和镇" + "大源村" * 400


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_send(client, method: str, name: str, body: dict, **kwargs):
    url = reverse(f"api:{name}", kwargs=kwargs)
    response = getattr(client, method)(
        url, data=json.dumps(body, default=str), content_type="application/json"
    )
    assert response.status_code != 500
    return response.status_code, response.json()


# --- pages ----------------------------------------------------------------------------------------------


def test_typing_a_case_in_names_each_field_its_limit_and_its_length(people):
    rnd = RoundFactory()
    response = client_of(people["coordinator"]).post(
        reverse("petitions:petition_register"),
        {
            "round": rnd.pk,
            "acceptance_no": LONG_NUMBER,
            "complaint_text": "工厂夜间\x00排放废气",
            "region_text": LONG_REGION,
            "received_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "acceptance_no": ["「受理编号」最多 100 个字，现有 1000 个字。"],
        "complaint_text": ["「交办问题基本情况」含有不可见的控制字符（U+0000），请删除后再填写。"],
        "region_text": [f"「行政区域」最多 200 个字，现有 {len(LONG_REGION)} 个字。"],
    }
    assert not Petition.objects.exists()


def test_the_handling_page_refuses_control_characters_in_the_claims_too(people):
    petition = PetitionFactory(status=S.VERIFYING)
    client = client_of(people["water"])
    data = {
        "version": petition.version,
        "investigation": "现场核查\x1b属实",
        "claims-TOTAL_FORMS": "1",
        "claims-INITIAL_FORMS": "0",
        "claims-0-text": "河涌\x07发臭",
        "claims-0-verdict": "true",
    }
    response = client.post(reverse("petitions:petition_handling", args=[petition.pk]), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["investigation"] == [
        "「调查核实情况」含有不可见的控制字符（U+001B），请删除后再填写。"
    ]
    assert form.claims.errors[0]["text"][0] == "「反映问题」含有不可见的控制字符（U+0007），请删除后再填写。"
    assert Petition.objects.get(pk=petition.pk).investigation == ""


# --- API --------------------------------------------------------------------------------------------------


def test_the_api_refuses_overlong_and_control_text_with_400_and_stores_nothing(people, structure):
    petition = PetitionFactory(status=S.VERIFYING)
    water, office = client_of(people["water"]), client_of(people["coordinator"])

    status, body = api_send(
        water,
        "put",
        "petition_handling",
        {"investigation": "核查\x00属实", "claims": [{"text": "反映" * 10_001}]},
        petition_id=petition.pk,
    )
    assert status == 400 and body["errors"] == {
        "investigation": ["「调查核实情况」含有不可见的控制字符（U+0000），请删除后再填写。"],
        "claims.0.text": ["「反映问题」最多 20000 个字，现有 20002 个字。"],
    }
    fresh = PetitionFactory()
    status, body = api_send(
        office,
        "post",
        "petition_assign",
        {"lead": structure["swj"].pk, "note": "要求" * 500},
        petition_id=fresh.pk,
    )
    assert status == 400 and body["errors"] == {"note": ["「交办要求」最多 200 个字，现有 1000 个字。"]}
    status, body = api_send(
        office,
        "post",
        "petition_send_back",
        {"reason": "补" * 1001},
        petition_id=PetitionFactory(status=S.REPORTED).pk,
    )
    assert status == 400 and body["errors"] == {"reason": ["「理由」最多 1000 个字，现有 1001 个字。"]}
    status, body = api_send(
        office,
        "post",
        "petition_visit",
        {"visited_on": timezone.localdate(), "satisfied": False, "note": "不满意\x00"},
        petition_id=PetitionFactory(status=S.REPORTED).pk,
    )
    assert status == 400 and list(body["errors"]) == ["note"]
    assert Petition.objects.get(pk=petition.pk).investigation == "" and not petition.claims.exists()
    assert not Assignment.objects.filter(petition=fresh).exists() and not ReturnVisit.objects.exists()


# --- the batch import: taken as published ---------------------------------------------------------------


def check(people, content: bytes):
    job = import_job_create(
        actor=people["coordinator"],
        kind=PetitionImporter.kind,
        uploaded=SimpleUploadedFile("第5批.xlsx", content),
        options={"round": "3", "batch": 5, "received_on": "2023-11-25"},
    )
    import_job_validate(job)
    job.refresh_from_db()
    return job


def test_a_number_too_long_to_store_refuses_its_row_naming_the_cell(people):
    rows = [bf.CASES[0], ["2", LONG_NUMBER, "某工地夜间施工噪声扰民。", "广州市白云区", "噪声"]]
    job = check(people, bf.xlsx(bf.TRANSFER, rows))
    assert job.status == ImportStatus.INVALID
    assert [(e["row"], e["column"], e["reason"]) for e in job.errors] == [
        (4, "受理编号", "受理编号过长，无法保存：最多 100 个字，现有 1000 个字。")
    ]
    assert not Petition.objects.exists()


def test_overlong_cells_are_cut_and_flagged_and_control_characters_removed(people):
    rows = [
        [
            "1",
            "D3GD202311250001",
            "太和镇大源村某五金厂" + NUL_MARK + "夜间排放刺鼻废气。",
            LONG_REGION,
            "大气",
        ],
        bf.CASES[1],
    ]
    job = check(people, excel_escaped(bf.xlsx(bf.TRANSFER, rows)))
    assert job.status == ImportStatus.VALID, job.errors
    first = next(r for r in job.result["rows"] if r["key"] == "D3GD202311250001")
    assert "已删除不可见的控制字符。" in " ".join(first["notes"])
    import_job_commit(actor=people["coordinator"], job=job)

    case = Petition.objects.get(acceptance_no="D3GD202311250001")
    assert case.complaint_text == "太和镇大源村某五金厂夜间排放刺鼻废气。"
    assert case.region_text == LONG_REGION[:200]
    assert case.raw["行政区域"] == LONG_REGION  # the cell as published, whole
    cut = next(f for f in case.flags if f["column"] == "行政区域" and "只保存前 200 个字" in f["reason"])
    assert cut["reason"].startswith(f"最多 200 个字，现有 {len(LONG_REGION)} 个字。")
    assert Petition.objects.count() == 2


# --- dates entered are bounded in the services ----------------------------------------------------------


def test_the_petitions_services_bound_the_dates_they_are_given(people, structure):
    office = people["coordinator"]
    rnd = RoundFactory()
    far, ancient = dt.date(9999, 12, 31), dt.date(1, 1, 1)
    attempts = {
        "received_on": lambda: svc.petition_register(
            actor=office,
            round=rnd,
            acceptance_no="D3GD202311250077",
            complaint_text="废气",
            received_on=ancient,
        ),
        "internal_due": lambda: svc.petition_assign(
            actor=office,
            petition=PetitionFactory(),
            lead=structure["swj"],
            internal_due=far,
            external_due=far,
        ),
        "stationed_on": lambda: svc.round_create(actor=office, name="第九轮", number=9, stationed_on=ancient),
        "visited_on": lambda: svc.return_visit_record(
            actor=office, petition=PetitionFactory(status=S.REPORTED), visited_on=ancient, satisfied=True
        ),
    }
    batch = BatchFactory(round=rnd)
    attempts["issued_on"] = lambda: svc.batch_disclose(actor=office, batch=batch, issued_on=ancient)
    attempts["received_on "] = lambda: svc.batch_create(actor=office, round=rnd, number=77, received_on=far)
    for field, attempt in attempts.items():
        with pytest.raises(ServiceError) as refused:
            attempt()
        messages = refused.value.message_dict[field.strip()]
        # a return visit and a disclosure are also bounded by the case's own dates, which say so first
        assert "超出允许范围" in messages[0] or field in ("visited_on", "issued_on"), messages
    assert not Petition.objects.filter(acceptance_no="D3GD202311250077").exists()
    assert not ActionLog.objects.filter(action="petitions.round.created", payload__name="第九轮").exists()


def test_a_title_naming_an_absurd_day_gives_no_received_date():
    assert title_date("2023年11月25日交办") == dt.date(2023, 11, 25)
    assert title_date("2099年1月1日交办") is None
