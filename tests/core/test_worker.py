"""The import pipeline's work goes through the queue table (django-tasks-db) and the real ``db_worker``, on
whichever database the suite runs (SQLite by default, PostgreSQL with DATABASE_URL): a request never does
the long part, the worker does it in the uploader's name and language, and a failure is logged and told."""

from __future__ import annotations

import logging
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ecoinspect.common.models import ImportJob, ImportStatus
from tests.html import attribute, form_action, poll, shows, text
from tests.testapp.importers import workbook
from tests.testapp.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def upload(client, data: bytes, name: str = "工单.xlsx"):
    url = reverse("testapp:import_upload")
    action = form_action(client.get(url).content.decode(), "import-form", url)
    return client.post(action, {"file": SimpleUploadedFile(name, data)})


def test_a_large_upload_is_answered_before_it_is_read_and_checked_by_the_worker(
    login, people, task_queue, run_worker
):
    rows = [(f"工单{i:05d}", None) for i in range(20_000)]
    client = login(people["water"])
    data = workbook(rows)
    started = time.monotonic()
    response = upload(client, data)
    answered = time.monotonic() - started
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.PENDING and job.total_rows == 0
    assert answered < 5, f"the upload took {answered:.1f} s"
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    run_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID and job.total_rows == job.progress == job.created_count == 20_000
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-create">20000<' in page and shows(page, "commit-form")


def test_the_worker_checks_in_the_uploaders_language(client, people, task_queue, run_worker):
    client.force_login(people["water"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    upload(client, workbook([(None, "2027-01-31")]))
    translation.activate("zh-hans")  # the worker is another process, in the server's language
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert [e["reason"] for e in job.errors] == ["Required; may not be blank."]


def test_a_commit_that_breaks_is_logged_and_the_page_says_to_contact_the_administrator(
    login, people, task_queue, run_worker, caplog
):
    client = login(people["water"])
    preview_url = upload(client, workbook([("工单一", None), ("工单二", None)]))["Location"]
    run_worker()
    page = client.get(preview_url).content.decode()
    client.post(form_action(page, "commit-form", preview_url))
    job = ImportJob.objects.get()
    job.file.storage.delete(job.file.name)  # the stored upload is lost before the worker gets to it

    with caplog.at_level(logging.ERROR, logger="ecoinspect.imports"):
        run_worker()
    assert any("import job" in r.getMessage() and r.exc_info for r in caplog.records)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.commit_requested_at is None
    assert not Ticket.objects.exists()
    result = client.get(preview_url).content.decode()
    assert "导入时发生系统错误，已记录，请联系管理员。" in text(result, "import-notice")
    assert not shows(result, "import-progress") and not shows(result, "commit-form")


def test_a_job_nobody_starts_says_the_worker_may_not_be_running(login, people, task_queue, settings):
    settings.ECOINSPECT_JOB_WAIT_WARNING_MINUTES = 0
    client = login(people["water"])
    preview_url = upload(client, workbook([("工单一", None)]))["Location"]
    page = client.get(preview_url).content.decode()
    assert attribute(page, "import-progress", "data-phase") == "queued"
    waiting = client.get(poll(page, "import-progress")).content.decode()
    assert "ecoinspect db_worker" in text(waiting, "import-stalled")
