"""Imports off the request: the worker checks the file and writes it (docs/worker.md).

Uploading stores the file and queues its validation (:func:`~.import_jobs.import_job_enqueue`); confirming
queues its commit (:func:`import_job_commit_enqueue`). Both answer at once; the job's page shows where the
work stands — from the job row, so a reload or another browser shows the same — and then the result. The
worker runs :func:`~.import_jobs.import_job_validate_task` and :func:`import_job_commit_task`; under the
immediate backend (development, tests, the demo) they run inside the request that queues them.

The commit task calls :func:`~.import_jobs.import_job_commit` as it is, for the job's uploader: the import's
own checks, locks and single transaction decide; the task only records what came of it on the job, in
the uploader's language, and never leaves it half-done or silent — an unexpected error is logged with
its traceback and the job says "failed, logged, contact the administrator".
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from ecoinspect.audit.context import acting_as, current_request_id
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.common.models import ImportJob, ImportStatus

from .import_jobs import import_job_commit
from .workflow import WorkflowError, log_refusal

logger = logging.getLogger("ecoinspect.imports")

#: Where a job stands, as its page shows it.
QUEUED, VALIDATING, COMMITTING, DONE = "queued", "validating", "committing", "done"


def import_job_phase(job: ImportJob) -> str:
    """Where the job stands: queued (waiting for the worker to check it), validating, committing (confirmed,
    being written) or done (a preview to confirm, errors, or the result of the commit)."""
    if job.status == ImportStatus.PENDING:
        return QUEUED
    if job.status == ImportStatus.VALIDATING:
        return VALIDATING
    if job.status == ImportStatus.VALID and job.commit_requested_at is not None:
        return COMMITTING
    return DONE


def import_job_waiting_minutes(job: ImportJob) -> int:
    """How long a queued or committing job has waited, in whole minutes (0 for one that is done)."""
    phase = import_job_phase(job)
    if phase == DONE:
        return 0
    since = job.commit_requested_at if phase == COMMITTING else job.updated_at
    return int((timezone.now() - since).total_seconds() // 60)


def import_job_stalled(job: ImportJob) -> bool:
    """A job nobody has started for longer than ``ECOINSPECT_JOB_WAIT_WARNING_MINUTES`` (no worker?)."""
    limit = settings.ECOINSPECT_JOB_WAIT_WARNING_MINUTES
    return import_job_phase(job) in (QUEUED, COMMITTING) and import_job_waiting_minutes(job) >= limit


def _refusal(job: ImportJob) -> ServiceError | None:
    """Why this job cannot be confirmed now (None when it can)."""
    if job.status == ImportStatus.VALID and job.commit_requested_at is not None:
        return ServiceError(
            _("该文件已确认导入，正在后台写入，请稍候；本页会显示导入结果。"),
            code="committing",
        )
    if job.status != ImportStatus.VALID:
        return ServiceError(
            _("该文件当前状态为“%(s)s”，不能导入。") % {"s": job.get_status_display()},
            code="state",
        )
    return None


def import_job_commit_enqueue(*, actor, job: ImportJob, decisions: dict[str, str] | None = None) -> ImportJob:
    """Confirm a checked import: keep the person's decisions on conflicting rows and queue the commit.

    Only its uploader may, only a job waiting for confirmation, and only once: a second confirmation
    while the first is queued or being written is answered in words, and nothing is queued twice (the
    job row is claimed by one conditional UPDATE, which two requests cannot both win)."""
    if actor.pk != job.created_by_id:
        raise NotPermitted(_("只有上传该文件的人可以确认导入。"))
    if (refused := _refusal(job)) is not None:
        raise refused
    options = dict(job.options or {})
    if decisions:
        options["decisions"] = {**options.get("decisions", {}), **decisions}
    now = timezone.now()
    changes = {"commit_requested_at": now, "options": options, "updated_at": now}
    if "notice" in (job.result or {}):
        # the last attempt's refusal no longer applies; the (large) preview is rewritten only then
        changes["result"] = {k: v for k, v in job.result.items() if k != "notice"}
    claimed = ImportJob.objects.filter(
        pk=job.pk, created_by=actor, status=ImportStatus.VALID, commit_requested_at__isnull=True
    ).update(**changes)
    if not claimed:  # another request confirmed it (or it changed) just now
        job.refresh_from_db(fields=["status", "commit_requested_at"])
        raise _refusal(job) or ServiceError(_("该文件已确认导入，正在后台写入，请稍候；本页会显示导入结果。"))
    for name, value in changes.items():
        setattr(job, name, value)
    try:
        import_job_commit_task.enqueue(job.pk, translation.get_language() or "", current_request_id())
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(commit_requested_at=None)
        raise
    return job


def _finish(job_id: int, *, notice: str = "", failed: bool = False) -> None:
    """After the commit: the job is no longer being written; ``notice`` says why nothing was written."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        job.commit_requested_at = None
        fields = ["commit_requested_at", "updated_at"]
        if notice:
            job.result = {**(job.result or {}), "notice": notice}
            fields.append("result")
        if failed:
            job.status = ImportStatus.FAILED
            fields.append("status")
        job.save(update_fields=fields)


@task()
def import_job_commit_task(job_id: int, language: str = "", request_id: str = "") -> str:
    """django-tasks entry point: write a confirmed job (the worker in production, inline by default)."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if import_job_phase(job) != COMMITTING:
        return job.status  # already written, or confirmed by nobody: nothing to do
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        acting_as(job.created_by, request_id or None),
    ):
        try:
            import_job_commit(actor=job.created_by, job=job)
        except WorkflowError as exc:
            log_refusal(exc)
            _finish(job_id, notice=str(exc))
        except ServiceError as exc:
            _finish(job_id, notice="；".join(exc.messages))
        except Exception:
            logger.exception("import job %s failed while committing", job_id)
            _finish(job_id, notice=_("导入时发生系统错误，已记录，请联系管理员。"), failed=True)
        except BaseException:
            # the process is being stopped mid-import (a web server's timeout, a shutdown): the import's
            # transaction is rolled back; the job says so, and may be confirmed again, instead of showing
            # "being written" for ever
            logger.exception("import job %s was interrupted while committing", job_id)
            _finish(job_id, notice=_("导入被中断，未能完成，已记录。请重新确认导入；如再次中断，请联系管理员。"))
            raise
        else:
            _finish(job_id)
    return ImportJob.objects.values_list("status", flat=True).get(pk=job_id)
