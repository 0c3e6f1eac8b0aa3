"""Large exports go to the worker (common.export_jobs): the page answers at once with the export's own page,
which shows progress and then the download link; the file is its owner's alone and is kept for a while.
Small exports are still answered at once. Followed through the pages' links, with real files read back."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse, reverse_lazy
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from ecoinspect.common.models import ExportJob, ExportStatus
from ecoinspect.orgs.models import Membership
from tests.factories import ProblemFactory
from tests.html import attribute, link, poll, shows, text

pytestmark = pytest.mark.django_db(transaction=True)

TITLES = [f"导出测试问题{i}" for i in range(5)]
LIST = reverse_lazy("ledger:problem_list")


@pytest.fixture
def problems(structure, people):
    return [ProblemFactory(title=t, minimal=True, lead_unit=structure["swj"]) for t in TITLES]


def xlsx_titles(content: bytes) -> list[str]:
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    column = rows[0].index("整改任务")
    return sorted(r[column] for r in rows[1:])


def test_a_large_list_export_is_built_by_the_worker_and_downloaded_by_its_owner(
    login, people, problems, task_queue, run_worker, settings, client
):
    settings.ECOINSPECT_EXPORT_BACKGROUND_ROWS = 3
    client = login(people["water"])
    listing = client.get(str(LIST)).content.decode()
    asked = client.get(link(listing, "export-xlsx", LIST))
    job = ExportJob.objects.get()
    assert asked.status_code == 302 and asked["Location"] == reverse("exports:job", args=[job.pk])
    assert job.status == ExportStatus.PENDING and job.total_rows == 5 and not job.file
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    page = client.get(asked["Location"]).content.decode()
    assert attribute(page, "export-progress", "data-status") == "pending" and not shows(
        page, "export-download"
    )
    assert "排队等待后台生成" in text(page, "export-progress")
    again = client.get(asked["Location"]).content.decode()  # a reload shows the same
    assert attribute(again, "export-progress", "data-status") == "pending"
    assert "HX-Refresh" not in client.get(poll(page, "export-progress"))

    run_worker()
    assert client.get(poll(page, "export-progress"))["HX-Refresh"] == "true"
    page = client.get(asked["Location"]).content.decode()
    download = client.get(link(page, "export-download"))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert "attachment" in download["Content-Disposition"] and "private" in download["Cache-Control"]
    built = b"".join(download.streaming_content)
    assert xlsx_titles(built) == sorted(TITLES)
    # the same rows as the file the page gives at once when the rows are few
    settings.ECOINSPECT_EXPORT_BACKGROUND_ROWS = 1000
    assert xlsx_titles(client.get(link(listing, "export-xlsx", LIST)).content) == xlsx_titles(built)
    assert ExportJob.objects.count() == 1
    assert job.filename in client.get(reverse("exports:list")).content.decode()

    # the file is its owner's: the district office, who sees every problem, does not get it
    client.logout()
    office = login(people["coordinator"])
    assert office.get(link(page, "export-download")).status_code == 404
    assert office.get(asked["Location"]).status_code == 404
    assert job.filename not in office.get(reverse("exports:list")).content.decode()


def test_an_official_table_above_the_threshold_is_built_by_the_worker(
    login, people, problems, task_queue, run_worker, settings
):
    settings.ECOINSPECT_EXPORT_BACKGROUND_ROWS = 3
    client = login(people["water"])
    listing = client.get(str(LIST)).content.decode()
    export_page = client.get(link(listing, "export-progress", LIST)).content.decode()
    export_url = link(listing, "export-progress", LIST)
    asked = client.get(link(export_page, "export-docx", export_url))
    assert asked.status_code == 302
    run_worker()
    page = client.get(asked["Location"]).content.decode()
    content = b"".join(client.get(link(page, "export-download")).streaming_content)
    cells = {
        cell.text
        for table in docx.Document(io.BytesIO(content)).tables
        for row in table.rows
        for cell in row.cells
    }
    assert set(TITLES) <= cells


def test_a_small_export_is_still_the_file_at_once(login, people, problems, task_queue, settings):
    settings.ECOINSPECT_EXPORT_BACKGROUND_ROWS = 5
    client = login(people["water"])
    listing = client.get(str(LIST)).content.decode()
    response = client.get(link(listing, "export-xlsx", LIST))
    assert response.status_code == 200 and xlsx_titles(response.content) == sorted(TITLES)
    assert not ExportJob.objects.exists() and not DBTaskResult.objects.exists()


def test_the_worker_exports_what_its_owner_may_see_when_it_runs(
    login, people, structure, problems, task_queue, run_worker, settings
):
    ProblemFactory(title="三元里的问题", minimal=True, lead_unit=structure["sanyuanli"])
    settings.ECOINSPECT_EXPORT_BACKGROUND_ROWS = 3
    client = login(people["water"])
    listing = client.get(str(LIST)).content.decode()
    asked = client.get(link(listing, "export-xlsx", LIST))
    Membership.objects.filter(user=people["water"]).update(unit=structure["sanyuanli"])  # moved meanwhile
    run_worker()
    page = client.get(asked["Location"]).content.decode()
    built = b"".join(client.get(link(page, "export-download")).streaming_content)
    assert xlsx_titles(built) == ["三元里的问题"]


def test_an_owner_left_without_a_role_gets_no_file(login, people, problems, task_queue, run_worker, settings):
    settings.ECOINSPECT_EXPORT_BACKGROUND_ROWS = 3
    client = login(people["water"])
    listing = client.get(str(LIST)).content.decode()
    client.get(link(listing, "export-xlsx", LIST))
    Membership.objects.filter(user=people["water"]).update(is_active=False)  # left the district's service
    run_worker()
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED and not job.file
    assert job.error == "您已没有导出这些记录的权限。"


def test_an_expired_file_is_no_longer_given_and_is_deleted(login, people, problems, settings):
    settings.ECOINSPECT_EXPORT_BACKGROUND_ROWS = 3
    settings.ECOINSPECT_EXPORT_KEEP_HOURS = 0  # expired as soon as it is built
    client = login(people["water"])
    listing = client.get(str(LIST)).content.decode()
    first = client.get(link(listing, "export-xlsx", LIST))
    page = client.get(first["Location"]).content.decode()
    assert shows(page, "export-expired") and not shows(page, "export-download")
    job = ExportJob.objects.get()
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 410
    stored = job.file.name
    assert job.file.storage.exists(stored)
    client.get(link(listing, "export-csv", LIST))  # the next export clears what has expired
    assert not job.file.storage.exists(stored) and not ExportJob.objects.filter(pk=job.pk).exists()


def test_cron_deletes_expired_exports(login, people, problems, settings):
    settings.ECOINSPECT_EXPORT_BACKGROUND_ROWS = 3
    client = login(people["water"])
    client.get(link(client.get(str(LIST)).content.decode(), "export-xlsx", LIST))
    kept = ExportJob.objects.get()
    settings.ECOINSPECT_EXPORT_KEEP_HOURS = 0
    client.get(link(client.get(str(LIST)).content.decode(), "export-csv", LIST))
    gone = ExportJob.objects.exclude(pk=kept.pk).get()
    out = io.StringIO()
    call_command("exports", "prune", stdout=out)
    assert "已删除 1 个过期的导出文件。" in out.getvalue()
    assert list(ExportJob.objects.all()) == [kept] and not gone.file.storage.exists(gone.file.name)


def test_an_export_nobody_builds_says_the_worker_may_not_be_running(
    login, people, problems, task_queue, settings
):
    settings.ECOINSPECT_EXPORT_BACKGROUND_ROWS = 3
    settings.ECOINSPECT_JOB_WAIT_WARNING_MINUTES = 0
    client = login(people["water"])
    asked = client.get(link(client.get(str(LIST)).content.decode(), "export-xlsx", LIST))
    page = client.get(asked["Location"]).content.decode()
    assert "ecoinspect db_worker" in text(page, "export-stalled")
    assert link(page, "back-to-page") == str(LIST)


def test_every_action_on_an_export_is_in_the_action_log(
    login, people, problems, task_queue, run_worker, settings
):
    from ecoinspect.audit.models import ActionLog
    from ecoinspect.audit.selectors import verify_chain

    settings.ECOINSPECT_EXPORT_BACKGROUND_ROWS = 3
    client = login(people["water"])
    listing = client.get(str(LIST)).content.decode()
    asked = client.get(link(listing, "export-xlsx", LIST))
    run_worker()
    page = client.get(asked["Location"]).content.decode()
    b"".join(client.get(link(page, "export-download")).streaming_content)
    job = ExportJob.objects.get()
    entries = ActionLog.objects.filter(object_type="common.exportjob", object_id=str(job.pk)).order_by("seq")
    assert [e.action for e in entries] == [
        "common.export.created",
        "common.export.finished",
        "common.export.downloaded",
    ]
    created, finished, downloaded = entries
    assert created.actor == people["water"] and downloaded.actor == people["water"] and finished.actor is None
    assert created.payload["rows"] == 5 and "format=xlsx" in created.payload["filters"]
    # the owner's colleague in the office cannot download it, and nothing is recorded for the refusal
    client.logout()
    assert login(people["coordinator"]).get(link(page, "export-download")).status_code == 404
    assert ActionLog.objects.filter(action="common.export.downloaded").count() == 1
    assert verify_chain().ok
    # the trail reads in people's words
    assert "下载导出文件" in login(people["auditor"]).get(reverse("audit:actionlog_list")).content.decode()
