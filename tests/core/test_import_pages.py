"""The generic import pages, registered by the test app with its importer and two URL lines
(tests/testapp/importers.py, tests/testapp/urls.py): template, upload → preview → commit, every error in a
table and as a workbook, oversized files refused unread, jobs seen by their uploader and the overseers."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ecoinspect.common.models import ImportJob, ImportStatus
from tests.testapp.importers import workbook
from tests.testapp.models import Ticket


@pytest.fixture
def post_file(django_capture_on_commit_callbacks):
    """Upload through the page; the validation task runs after commit, as in production."""

    def post(client, data: bytes, name="工单.xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            upload = SimpleUploadedFile(name, data)
            return client.post(reverse("testapp:import_upload"), {"file": upload})

    return post


def test_the_template_is_the_importers(login, people):
    response = login(people["water"]).get(reverse("testapp:import_template"))
    assert response.status_code == 200 and quote("工单导入模板.xlsx") in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["工单"]
    assert [c.value for c in sheet[1]] == ["标题", "期限"]


def test_upload_preview_commit(login, people, post_file):
    client = login(people["water"])
    page = client.get(reverse("testapp:import_upload")).content.decode()
    assert 'data-testid="import-form"' in page and reverse("testapp:import_template") in page

    response = post_file(client, workbook([("工单一", dt.date(2027, 1, 31)), ("工单二", None)]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "testapp:import_preview", args=[job.pk]
    )
    preview = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-create">2<' in preview and 'data-testid="commit-form"' in preview
    assert "<th>标题</th>" in preview and "工单一" in preview
    assert reverse("testapp:import_commit", args=[job.pk]) in preview
    assert not Ticket.objects.exists()

    done = client.post(reverse("testapp:import_commit", args=[job.pk]), follow=True)
    assert "导入完成：新增 2 条，修改 0 条，无变化 0 条" in done.content.decode()
    assert sorted(Ticket.objects.values_list("title", flat=True)) == ["工单一", "工单二"]
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED
    assert (
        'data-testid="import-committed"'
        in client.get(reverse("testapp:import_preview", args=[job.pk])).content.decode()
    )


def test_every_error_is_listed_and_downloadable_and_nothing_is_imported(login, people, post_file):
    client = login(people["water"])
    post_file(client, workbook([("工单一", "2027/13/1"), (None, "2027-01-31")]))
    job = ImportJob.objects.get()
    url = reverse("testapp:import_preview", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="import-errors"' in page and 'data-testid="commit-form"' not in page
    assert 'data-testid="import-refused"' in page and "2027/13/1" in page
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "值", "原因")
    assert [(r[0], r[1]) for r in rows[1:]] == [(2, "期限"), (3, "标题")]
    refused = client.post(reverse("testapp:import_commit", args=[job.pk]), follow=True)
    assert "不能导入" in refused.content.decode() and not Ticket.objects.exists()


def test_an_oversized_upload_is_refused_before_it_is_read(login, people, settings):
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = 1024
    client = login(people["water"])
    client.handler.enforce_csrf_checks = True  # had anything read the short body, the CSRF check would fail
    response = client.post(
        reverse("testapp:import_upload"),
        {"file": SimpleUploadedFile("工单.xlsx", b"\0" * 10)},
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert 'data-testid="upload-refused"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_only_the_named_permissions_may_import(login, people, client):
    for who in ("leader", "auditor", "nobody"):
        client.logout()
        assert login(people[who]).get(reverse("testapp:import_upload")).status_code == 403


def test_a_job_is_its_uploaders_and_the_overseers(login, people, client, post_file):
    post_file(login(people["water"]), workbook([("工单一", None)]), "水务局工单.xlsx")
    job = ImportJob.objects.get()
    url = reverse("testapp:import_preview", args=[job.pk])
    client.logout()
    assert login(people["sanyuanli"]).get(url).status_code == 404
    assert "水务局工单.xlsx" not in client.get(reverse("testapp:import_upload")).content.decode()
    assert client.post(reverse("testapp:import_commit", args=[job.pk])).status_code == 404
    client.logout()
    office = login(people["coordinator"])
    assert "水务局工单.xlsx" in office.get(reverse("testapp:import_upload")).content.decode()
    page = office.get(url).content.decode()
    assert 'data-testid="count-create">1<' in page and 'data-testid="commit-form"' not in page
    assert office.post(reverse("testapp:import_commit", args=[job.pk])).status_code == 403
    assert not Ticket.objects.exists()


def test_a_commit_is_a_post(login, people, post_file):
    client = login(people["water"])
    post_file(client, workbook([("工单一", None)]))
    job = ImportJob.objects.get()
    assert client.get(reverse("testapp:import_commit", args=[job.pk])).status_code == 405
