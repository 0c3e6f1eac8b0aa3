"""Importing the ledger with the worker, as production runs it (django-tasks' database backend, db_worker):
the upload and the confirmation answer at once, the page shows where the job stands — from the job, so a
reload shows the same — and the worker's result once it is done. Followed through the pages' own links
and forms, with real Excel files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ecoinspect.common.models import ImportJob, ImportStatus
from ecoinspect.ledger.models import Problem
from tests.factories import import_row, import_workbook
from tests.html import attribute, form_action, link, poll, shows, text

pytestmark = pytest.mark.django_db(transaction=True)


def queued(task_name: str) -> list[DBTaskResult]:
    return [r for r in DBTaskResult.objects.all() if r.task_path.endswith(task_name)]


def upload(client, rows: list[dict]):
    """From the ledger's list, through its import link, the upload form; returns the response to the POST."""
    listing = client.get(reverse("ledger:problem_list")).content.decode()
    upload_url = link(listing, "import-link")
    page = client.get(upload_url).content.decode()
    action = form_action(page, "import-form", upload_url)
    return client.post(action, {"file": SimpleUploadedFile("台账.xlsx", import_workbook(rows))})


def test_an_upload_is_checked_by_the_worker_while_the_page_shows_where_it_stands(
    login, people, task_queue, run_worker
):
    client = login(people["coordinator"])
    response = upload(client, [import_row("BY-001"), import_row("BY-002")])
    assert response.status_code == 302
    job = ImportJob.objects.get()
    # the request stored the file and queued the check; nothing was read yet
    assert job.status == ImportStatus.PENDING and job.progress == 0 and job.result == {}
    assert [r.status for r in queued("import_job_validate_task")] == [TaskResultStatus.READY]

    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert attribute(page, "import-progress", "data-phase") == "queued"
    assert "排队等待后台校验" in text(page, "import-phase") and not shows(page, "commit-form")
    assert client.get(preview_url).content.decode().count('data-phase="queued"') == 1  # a reload: the same
    progress_url = poll(page, "import-progress")
    waiting = client.get(progress_url)
    assert waiting.status_code == 200 and "HX-Refresh" not in waiting
    assert attribute(waiting.content.decode(), "import-progress", "data-phase") == "queued"

    run_worker()
    assert [r.status for r in queued("import_job_validate_task")] == [TaskResultStatus.SUCCESSFUL]
    done = client.get(progress_url)
    assert done["HX-Refresh"] == "true"  # the poll tells the page to reload: it now shows the result
    page = client.get(preview_url).content.decode()
    assert not shows(page, "import-progress") and shows(page, "commit-form")
    assert 'data-testid="count-create">2<' in page and "BY-002" in page


def test_a_confirmed_import_is_written_by_the_worker_once_and_the_page_says_so(
    login, people, task_queue, run_worker
):
    client = login(people["coordinator"])
    preview_url = upload(client, [import_row("BY-001"), import_row("BY-002"), import_row("BY-003")])[
        "Location"
    ]
    run_worker()
    page = client.get(preview_url).content.decode()
    commit_url = form_action(page, "commit-form", preview_url)

    confirmed = client.post(commit_url)
    assert confirmed.status_code == 302 and confirmed["Location"] == preview_url
    assert Problem.objects.count() == 0  # the request only queued the commit
    page = client.get(preview_url).content.decode()
    assert attribute(page, "import-progress", "data-phase") == "committing"
    assert "正在后台写入 3 行数据" in text(page, "import-phase") and not shows(page, "commit-form")
    assert (
        attribute(client.get(preview_url).content.decode(), "import-progress", "data-phase") == "committing"
    )

    upload_page = link(client.get(reverse("ledger:problem_list")).content.decode(), "import-link")
    assert "导入中" in text(client.get(upload_page).content.decode(), "import-jobs")
    # a second confirmation (another tab, a double click) is answered in words and queues nothing
    again = client.post(commit_url, follow=True)
    assert "该文件已确认导入，正在后台写入，请稍候" in again.content.decode()
    assert len(queued("import_job_commit_task")) == 1

    run_worker()
    assert Problem.objects.count() == 3
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.COMMITTED and job.commit_requested_at is None
    assert client.get(poll(page, "import-progress"))["HX-Refresh"] == "true"
    result = client.get(preview_url).content.decode()
    assert "导入完成：新增 3 条，修改 0 条，无变化 0 条。" in text(result, "import-committed")
    assert not shows(result, "import-progress") and not shows(result, "commit-form")
    # what the worker wrote is the uploader's, in the audit trail
    from ecoinspect.audit.models import ActionLog

    assert set(
        ActionLog.objects.filter(action__startswith="ledger.problem").values_list(
            "actor__username", flat=True
        )
    ) == {"coordinator"}
    assert [r.status for r in queued("import_job_commit_task")] == [TaskResultStatus.SUCCESSFUL]


def test_what_changed_meanwhile_is_said_on_the_page_and_nothing_is_written(
    login, people, task_queue, run_worker
):
    client = login(people["coordinator"])
    preview_url = upload(client, [import_row("BY-001"), import_row("BY-002")])["Location"]
    run_worker()
    page = client.get(preview_url).content.decode()
    client.post(form_action(page, "commit-form", preview_url))
    # someone registers BY-002 by another import before the worker writes this one
    other = ImportJob.objects.get()
    from ecoinspect.core.import_jobs import import_job_commit, import_job_create, import_job_validate

    rival = import_job_create(
        actor=people["coordinator"],
        kind=other.kind,
        uploaded=SimpleUploadedFile(
            "另一份.xlsx", import_workbook([import_row("BY-002", title="另一份台账")])
        ),
    )
    import_job_validate(rival)
    import_job_commit(actor=people["coordinator"], job=rival)

    run_worker()
    result = client.get(preview_url).content.decode()
    notice = text(result, "import-notice")
    assert "BY-002" in notice and "已存在" in notice and "未导入任何内容" in notice
    assert Problem.objects.count() == 1  # only the rival's row
    assert shows(result, "commit-form")  # a fresh preview to confirm (BY-002 is now an update)
