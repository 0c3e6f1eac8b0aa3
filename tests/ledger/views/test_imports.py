"""The import pages: template download, upload → preview (every error in a table) → commit."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from ecoinspect.common.models import ImportJob, ImportStatus
from ecoinspect.ledger.models import Problem
from tests.factories import docx_bytes, import_row, import_workbook, xlsx_upload

# the import pages run on a pinned clock (tests/ledger/conftest.py)
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def post_file(django_capture_on_commit_callbacks):
    """Upload through the page; the validation task is enqueued after commit, as in production."""

    def post(client, data: bytes, name="台账.xlsx", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("ledger:import_upload"), {"file": xlsx_upload(data, name), **extra})

    return post


def test_template_download_opens_in_excel(login, people, structure):
    from openpyxl import load_workbook

    response = login(people["water"]).get(reverse("ledger:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "整改问题" and "填写说明" in book.sheetnames


def test_upload_preview_commit(login, people, structure, post_file):
    client = login(people["coordinator"])
    page = client.get(reverse("ledger:import_upload"))
    assert page.status_code == 200 and "导入后直接交办" in page.content.decode()

    response = post_file(client, import_workbook([import_row("BY-001"), import_row("BY-002")]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "ledger:import_preview", args=[job.pk]
    )

    preview = client.get(response["Location"]).content.decode()
    assert 'data-testid="commit-form"' in preview
    assert "BY-001" in preview and "石井河排水口污水直排" in preview
    assert 'data-testid="count-create">2<' in preview
    assert Problem.objects.count() == 0

    done = client.post(reverse("ledger:import_commit", args=[job.pk]), follow=True)
    assert done.status_code == 200
    assert "导入完成：新增 2 条" in done.content.decode()
    assert Problem.objects.count() == 2
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED


def test_errors_are_shown_in_a_table_and_downloadable(login, people, structure, post_file):
    from openpyxl import load_workbook

    client = login(people["coordinator"])
    post_file(
        client,
        import_workbook(
            [import_row("BY-001", 整改时限="2026/13/1"), import_row("BY-002", 牵头单位="区水利局")]
        ),
    )
    job = ImportJob.objects.get()
    page = client.get(reverse("ledger:import_preview", args=[job.pk])).content.decode()
    assert 'data-testid="import-errors"' in page and 'data-testid="commit-form"' not in page
    assert "2026/13/1" in page and "区水利局" in page and "是否是“区水务局”" in page
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("ledger:import_preview", args=[job.pk]) + "?format=xlsx").content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "值", "原因")
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [
        (2, "整改时限", "2026/13/1"),
        (3, "牵头单位", "区水利局"),
    ]
    refused = client.post(reverse("ledger:import_commit", args=[job.pk]), follow=True)
    assert "不能导入" in refused.content.decode()
    assert Problem.objects.count() == 0


def test_a_renamed_word_document_is_refused_on_the_form(login, people, structure, post_file):
    response = post_file(login(people["water"]), docx_bytes(), "台账.xlsx")
    assert response.status_code == 400
    assert "Word 文档" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_oversized_upload_is_refused_before_it_is_read(login, people, structure, settings, post_file):
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = 2048
    client = login(people["water"])
    big = import_workbook(
        [import_row(f"BY-{i}", 问题描述="很长的描述" * 50) for i in range(30)],
        headers=[*import_row().keys(), "问题描述"],
    )
    response = post_file(client, big)
    assert response.status_code == 413
    assert "超过单个文件" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_people_who_may_not_import(login, people, structure):
    for who in ("leader", "auditor", "reviewer"):
        assert login(people[who]).get(reverse("ledger:import_upload")).status_code == 403


def test_preview_is_for_the_uploader_and_the_office(login, people, structure, client, post_file):
    post_file(login(people["water"]), import_workbook([import_row("BY-001")]), "水务局台账.xlsx")
    job = ImportJob.objects.get()
    url = reverse("ledger:import_preview", args=[job.pk])
    client.logout()
    assert login(people["sanyuanli"]).get(url).status_code == 404
    client.logout()
    office = login(people["coordinator"]).get(url)
    assert office.status_code == 200 and 'data-testid="commit-form"' not in office.content.decode()
    # the office sees it but does not commit someone else's file
    assert client.post(reverse("ledger:import_commit", args=[job.pk])).status_code == 403
    client.logout()
    assert login(people["sanyuanli"]).post(reverse("ledger:import_commit", args=[job.pk])).status_code == 404
    assert Problem.objects.count() == 0


def test_recent_imports_list_only_ones_own(login, people, structure, client, post_file):
    post_file(login(people["water"]), import_workbook([import_row("BY-001")]), "水务局台账.xlsx")
    client.logout()
    assert (
        "水务局台账.xlsx"
        not in login(people["sanyuanli"]).get(reverse("ledger:import_upload")).content.decode()
    )
    client.logout()
    assert (
        "水务局台账.xlsx"
        in login(people["coordinator"]).get(reverse("ledger:import_upload")).content.decode()
    )
